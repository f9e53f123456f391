package data_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
)

// seedPath is the seed document, relative to this package's directory: the
// repository and the shared folder are siblings, locally and in CI.
var seedPath = filepath.Join("..", "..", "shared", "seed", "000_9bb3935041d5d5d9.txt")

const coveragePath = "COVERAGE.md"

// coverageRow is one row of the table in COVERAGE.md.
type coverageRow struct {
	line      int // 1-based line in COVERAGE.md
	number    string
	opensWith string
	facts     string
}

// paragraphs splits text into maximal runs of non-blank lines; a line is
// blank if it is empty after strings.TrimSpace.
func paragraphs(text string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, "\r"))
	}
	flush()
	return out
}

// coverageTable returns the rows after the |---|---|---| separator, up to
// the first line that is not a table row.
func coverageTable(tb testing.TB, text string) []coverageRow {
	tb.Helper()
	var rows []coverageRow
	inTable := false
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !inTable {
			inTable = line == "|---|---|---|"
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		if !strings.HasSuffix(line, "|") || len(line) < 2 {
			tb.Fatalf("%s:%d: got row %q, want | N | opens with | facts |", coveragePath, i+1, line)
		}
		cells := strings.Split(line[1:len(line)-1], "|")
		if len(cells) != 3 {
			tb.Fatalf("%s:%d: got %d cells, want 3 (| N | opens with | facts |)", coveragePath, i+1, len(cells))
		}
		rows = append(rows, coverageRow{
			line:      i + 1,
			number:    strings.TrimSpace(cells[0]),
			opensWith: strings.TrimSpace(cells[1]),
			facts:     strings.TrimSpace(cells[2]),
		})
	}
	if !inTable {
		tb.Fatalf("%s: no |---|---|---| table separator", coveragePath)
	}
	return rows
}

const notModelled = "not modelled:"

var backtickedID = regexp.MustCompile("^`([a-z0-9]+(?:-[a-z0-9]+)*)`$")

// TestCoverage checks COVERAGE.md against the seed document and the bundled
// dataset: one row per paragraph, in order; each row either says why the
// paragraph is not modelled or lists ids of the dataset; and every entity,
// relationship and designation is listed by at least one row.
func TestCoverage(t *testing.T) {
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("reading the seed document: %v (want it at %s, beside the repository)", err, seedPath)
	}
	cov, err := os.ReadFile(coveragePath)
	if err != nil {
		t.Fatalf("reading %s: %v", coveragePath, err)
	}
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		t.Fatalf("ReadFS(data.FS, %q): got error %v, want none", "data", err)
	}

	if c := ds.Counts(); c.Entities == 0 || c.Relationships == 0 {
		t.Fatalf("ReadFS(data.FS, %q).Counts() = %+v, want entities and relationships", "data", c)
	}
	// known are the ids a row may list: every id of the dataset.
	known := map[string]bool{}
	for _, s := range ds.Sources {
		known[s.ID] = true
	}
	for _, e := range ds.Entities {
		known[e.ID] = true
		for _, d := range e.Designations {
			known[d.ID] = true
		}
	}
	for _, r := range ds.Relationships {
		known[r.ID] = true
	}

	paras := paragraphs(string(seed))
	rows := coverageTable(t, string(cov))
	if len(rows) != len(paras) {
		t.Errorf("%s has %d rows, want %d (one per paragraph of %s)", coveragePath, len(rows), len(paras), seedPath)
	}

	covered := map[string]bool{}
	for i, row := range rows {
		n := i + 1
		if got, err := strconv.Atoi(row.number); err != nil || got != n {
			t.Errorf("%s:%d: row number %q, want %d", coveragePath, row.line, row.number, n)
		}
		if row.opensWith == "" {
			t.Errorf("%s:%d: empty \"opens with\" column, want the start of paragraph %d", coveragePath, row.line, n)
		} else if i < len(paras) {
			if p := strings.TrimLeft(paras[i], " \t\r\n\u00a0"); !strings.HasPrefix(p, row.opensWith) {
				opening := p
				if r := []rune(p); len(r) > len([]rune(row.opensWith))+20 {
					opening = string(r[:len([]rune(row.opensWith))+20]) + "…"
				}
				t.Errorf("%s:%d: row %d opens with %q, but paragraph %d opens with %q", coveragePath, row.line, n, row.opensWith, n, opening)
			}
		}

		if reason, ok := strings.CutPrefix(row.facts, notModelled); ok {
			if strings.TrimSpace(reason) == "" {
				t.Errorf("%s:%d: row %d says %q with no reason, want %q followed by a reason", coveragePath, row.line, n, row.facts, notModelled)
			}
			continue
		}
		if row.facts == "" {
			t.Errorf("%s:%d: row %d has no facts, want backticked ids or %q with a reason", coveragePath, row.line, n, notModelled)
			continue
		}
		for _, item := range strings.Split(row.facts, ",") {
			item = strings.TrimSpace(item)
			m := backtickedID.FindStringSubmatch(item)
			if m == nil {
				t.Errorf("%s:%d: row %d lists %q, want a backticked id such as `iyad-ag-ghaly`", coveragePath, row.line, n, item)
				continue
			}
			if !known[m[1]] {
				t.Errorf("%s:%d: row %d lists %s, which is no id of the bundled dataset", coveragePath, row.line, n, item)
			}
			covered[m[1]] = true
		}
	}

	for _, e := range ds.Entities {
		if !covered[e.ID] {
			t.Errorf("%s: entity %s is listed by no row, want at least one", coveragePath, e.ID)
		}
		for _, d := range e.Designations {
			if !covered[d.ID] {
				t.Errorf("%s: designation %s is listed by no row, want at least one", coveragePath, d.ID)
			}
		}
	}
	for _, r := range ds.Relationships {
		if !covered[r.ID] {
			t.Errorf("%s: relationship %s is listed by no row, want at least one", coveragePath, r.ID)
		}
	}
}

// TestParagraphs pins the paragraph rule the coverage table is numbered by.
func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"one\ntwo\n\nthree\n", []string{"one\ntwo", "three"}},
		{"\n \t\none\n  \n\n  two\r\n", []string{"one", "  two"}},
	}
	for _, tt := range tests {
		got := paragraphs(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
