package loader_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// where locates a problem without its message: tests check files, lines
// and fields, never message text.
type where struct {
	File  string
	Line  int
	Field string
}

// problems asserts that err is a *loader.ValidationError that unwraps to a
// network.Error with code EINVALID, and returns its problems.
func problems(tb testing.TB, input string, err error) []loader.Problem {
	tb.Helper()
	if err == nil {
		tb.Fatalf("ReadFiles(%s): got no error, want a *loader.ValidationError", input)
	}
	var verr *loader.ValidationError
	if !errors.As(err, &verr) {
		tb.Fatalf("ReadFiles(%s): got error of type %T, want *loader.ValidationError", input, err)
	}
	var nerr *network.Error
	if !errors.As(err, &nerr) {
		tb.Fatalf("ReadFiles(%s): error does not unwrap to *network.Error", input)
	}
	if nerr.Code != network.EINVALID {
		tb.Errorf("ReadFiles(%s): got code %q, want %q", input, nerr.Code, network.EINVALID)
	}
	if got := network.ErrorCode(err); got != network.EINVALID {
		tb.Errorf("ReadFiles(%s): network.ErrorCode = %q, want %q", input, got, network.EINVALID)
	}
	if len(verr.Problems) == 0 {
		tb.Fatalf("ReadFiles(%s): got a ValidationError with no problems, want at least one", input)
	}
	return verr.Problems
}

func locations(ps []loader.Problem) []where {
	out := make([]where, len(ps))
	for i, p := range ps {
		out[i] = where{p.File, p.Line, p.Field}
	}
	return out
}

// readClean reads paths and fails the test on any error.
func readClean(tb testing.TB, paths ...string) *network.Dataset {
	tb.Helper()
	ds, err := loader.ReadFiles(paths...)
	if err != nil {
		tb.Fatalf("ReadFiles(%v): got error %v, want none", paths, err)
	}
	if ds == nil {
		tb.Fatalf("ReadFiles(%v): got nil dataset and nil error", paths)
	}
	return ds
}

// TestReadFilesBad reads fixtures with exactly one defect each and checks
// where that defect is reported. Lines are 1-based and count the fixture's
// leading comment line.
func TestReadFilesBad(t *testing.T) {
	tests := []struct {
		fixture string
		line    int
		field   string
	}{
		{"unknown-entity-in-to.yaml", 19, "to"},
		{"duplicate-entity-id.yaml", 15, "id"},
		{"impossible-date.yaml", 20, "since"},
		{"badly-formatted-date.yaml", 20, "since"},
		{"unknown-relationship-type.yaml", 17, "type"},
		// A missing field is reported at the first line of its record.
		{"relationship-without-sources.yaml", 16, "sources"},
		{"until-before-since.yaml", 21, "until"},
		{"unknown-source-id.yaml", 21, "sources"},
		{"unknown-field.yaml", 20, "sinse"},
		{"member-of-from-organization.yaml", 22, "from"},
		{"unknown-qualifier.yaml", 21, "qualifier"},
		{"invalid-yaml-tab.yaml", 13, ""},
		{"duplicate-source-url.yaml", 8, "url"},
		{"unknown-entity-kind.yaml", 12, "kind"},
		{"entity-with-empty-sources.yaml", 14, "sources"},
		{"person-with-founded.yaml", 10, "founded"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			input := filepath.Join("..", "testdata", "bad", tt.fixture)
			ds, err := loader.ReadFiles(input)
			if ds != nil {
				t.Errorf("ReadFiles(%s): got a dataset, want nil on bad input", input)
			}
			ps := problems(t, input, err)
			if len(ps) != 1 {
				t.Errorf("ReadFiles(%s): got %d problems %v, want exactly 1", input, len(ps), locations(ps))
			}
			p := ps[0]
			if p.File != input {
				t.Errorf("ReadFiles(%s): problem in file %q, want %q", input, p.File, input)
			}
			if p.Line != tt.line || p.Field != tt.field {
				t.Errorf("ReadFiles(%s): problem at line %d field %q, want line %d field %q",
					input, p.Line, p.Field, tt.line, tt.field)
			}
		})
	}
}

// TestReadFilesYAMLParserError covers a YAML syntax error that yaml.v3
// reports as a parser (not scanner) error. yaml.v3 then gives the 0-based
// line where the enclosing block starts (here line 6, the entities list,
// reported as 5) instead of the offending line 13, so only the file, the
// empty field and a line within the file are checked.
func TestReadFilesYAMLParserError(t *testing.T) {
	input := filepath.Join("..", "testdata", "bad", "invalid-yaml-indentation.yaml")
	_, err := loader.ReadFiles(input)
	ps := problems(t, input, err)
	if len(ps) != 1 {
		t.Fatalf("ReadFiles(%s): got %d problems %v, want exactly 1", input, len(ps), locations(ps))
	}
	p := ps[0]
	if p.File != input || p.Field != "" {
		t.Errorf("ReadFiles(%s): problem in file %q field %q, want file %q field %q", input, p.File, p.Field, input, "")
	}
	if p.Line < 1 || p.Line > 13 {
		t.Errorf("ReadFiles(%s): problem at line %d, want a line in 1..13", input, p.Line)
	}
}

// TestReadFilesMultiError checks that every problem of a file is reported
// in one run, sorted by line, whether it was found while reading a record
// or while cross-checking ids afterwards.
func TestReadFilesMultiError(t *testing.T) {
	input := filepath.Join("..", "testdata", "multi-error.yaml")
	_, err := loader.ReadFiles(input)
	got := locations(problems(t, input, err))
	want := []where{
		{input, 5, "published"}, // month 13
		{input, 10, "sources"},  // unknown source id src-z
		{input, 12, "kind"},     // unknown kind group
		{input, 17, "type"},     // unknown relationship type LOVES
		{input, 19, "to"},       // unknown entity id nobody
		{input, 20, "since"},    // impossible date
		{input, 22, "id"},       // not a slug
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFiles(%s): got problems\n%v\nwant\n%v", input, got, want)
	}
}

// TestReadFilesGood reads a valid dataset split across two files, by
// directory and by file paths, and checks the two reads agree.
func TestReadFilesGood(t *testing.T) {
	dir := filepath.Join("..", "testdata", "good")
	first := filepath.Join(dir, "01-sources-and-entities.yaml")
	second := filepath.Join(dir, "02-relationships.yaml")

	byDir := readClean(t, dir)
	byFiles := readClean(t, first, second)

	want := network.Counts{Entities: 3, Relationships: 4, Sources: 2, Designations: 1}
	if got := byDir.Counts(); got != want {
		t.Errorf("ReadFiles(%s).Counts() = %+v, want %+v", dir, got, want)
	}
	if !reflect.DeepEqual(byDir, byFiles) {
		t.Errorf("ReadFiles(%s) and ReadFiles(%s, %s) differ:\n%+v\n%+v", dir, first, second, byDir, byFiles)
	}

	kinds := map[string]network.EntityKind{}
	for _, e := range byDir.Entities {
		kinds[e.ID] = e.Kind
	}
	wantKinds := map[string]network.EntityKind{"alice": network.Person, "acme": network.Organization, "globex": network.Organization}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("ReadFiles(%s): got entity kinds %v, want %v", dir, kinds, wantKinds)
	}
	for _, r := range byDir.Relationships {
		if r.ID != "alice-leader-of-globex" {
			continue
		}
		if r.Type != network.LeaderOf || r.From != "alice" || r.To != "globex" || r.Qualifier != "reportedly" {
			t.Errorf("ReadFiles(%s): got relationship %+v, want LEADER_OF alice -> globex, reportedly", dir, r)
		}
		if want := network.MustParsePartialDate("2017-03"); r.Since != want || !r.Until.IsZero() {
			t.Errorf("ReadFiles(%s): %s since %v until %v, want since %v and no until", dir, r.ID, r.Since, r.Until, want)
		}
	}
}

// TestReadFilesReferencesNeedTheOtherFile reads the relationships of the
// good dataset without the file that declares their entities and sources:
// every reference is then unknown.
func TestReadFilesReferencesNeedTheOtherFile(t *testing.T) {
	input := filepath.Join("..", "testdata", "good", "02-relationships.yaml")
	_, err := loader.ReadFiles(input)
	got := locations(problems(t, input, err))
	want := []where{
		{input, 6, "from"}, {input, 7, "to"}, {input, 11, "sources"},
		{input, 15, "from"}, {input, 16, "to"}, {input, 20, "sources"},
		{input, 24, "from"}, {input, 25, "to"}, {input, 28, "sources"},
		{input, 32, "from"}, {input, 33, "to"}, {input, 37, "sources"}, {input, 37, "sources"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFiles(%s): got problems\n%v\nwant\n%v", input, got, want)
	}
}

// TestReadFilesDuplicateAcrossFiles checks that ids are one namespace
// across the files of a load: the second use is the one reported.
func TestReadFilesDuplicateAcrossFiles(t *testing.T) {
	dir := filepath.Join("..", "testdata", "good")
	dup := filepath.Join("..", "testdata", "duplicate-across-files.yaml")
	_, err := loader.ReadFiles(dir, dup)
	input := dir + ", " + dup
	got := locations(problems(t, input, err))
	want := []where{{dup, 4, "id"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFiles(%s): got problems %v, want %v", input, got, want)
	}
}

func TestReadFilesNonexistentPath(t *testing.T) {
	input := filepath.Join("..", "testdata", "does-not-exist.yaml")
	_, err := loader.ReadFiles(input)
	ps := problems(t, input, err)
	if len(ps) != 1 || ps[0].File != input {
		t.Errorf("ReadFiles(%s): got problems %v, want one naming %q", input, locations(ps), input)
	}
}

func TestReadFilesEmptyDirectory(t *testing.T) {
	input := t.TempDir()
	_, err := loader.ReadFiles(input)
	ps := problems(t, input, err)
	if len(ps) != 1 || ps[0].File != input {
		t.Errorf("ReadFiles(%s): got problems %v, want one naming %q", input, locations(ps), input)
	}
}

func TestReadFilesNoPaths(t *testing.T) {
	ds, err := loader.ReadFiles()
	if err != nil {
		t.Fatalf("ReadFiles(): got error %v, want none", err)
	}
	if got := ds.Counts(); got != (network.Counts{}) {
		t.Errorf("ReadFiles(): got counts %+v, want all zero", got)
	}
}

// TestReadFSBundled reads the dataset embedded in package data.
func TestReadFSBundled(t *testing.T) {
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		t.Fatalf("ReadFS(data.FS, %q): got error %v, want none", "data", err)
	}
	c := ds.Counts()
	if c.Entities == 0 || c.Relationships == 0 || c.Sources == 0 || c.Designations == 0 {
		t.Errorf("ReadFS(data.FS, %q).Counts() = %+v, want all non-zero", "data", c)
	}
	for _, r := range ds.Relationships {
		if len(r.SourceIDs) == 0 {
			t.Errorf("ReadFS(data.FS, %q): relationship %s has no source, want at least one", "data", r.ID)
		}
	}
	for _, e := range ds.Entities {
		if len(e.SourceIDs) == 0 {
			t.Errorf("ReadFS(data.FS, %q): entity %s has no source, want at least one", "data", e.ID)
		}
		for _, d := range e.Designations {
			if len(d.SourceIDs) == 0 {
				t.Errorf("ReadFS(data.FS, %q): designation %s has no source, want at least one", "data", d.ID)
			}
		}
	}
}
