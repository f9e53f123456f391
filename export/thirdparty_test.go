package export_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/loader/unsc"
	"github.com/allegiance/allegiance/network"
)

// exportCheckDir is the npm project and Python venv that read the exports with
// the real third-party libraries; gexfSchema is the GEXF 1.3 schema shipped in
// shared/data (never copied into the repository).
const (
	exportCheckDir   = "../tools/export-check"
	gexfSchema       = "../../shared/data/gexf-1.3/gexf.xsd"
	exportCheckSetup = "run tools/export-check/setup.sh"
)

func bundledDataset(tb testing.TB) *network.Dataset {
	tb.Helper()
	d, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		tb.Fatalf("reading the bundled dataset: %v", err)
	}
	if len(d.Entities) == 0 || len(d.Relationships) == 0 {
		tb.Fatalf("bundled dataset: got %d entities and %d relationships, want some of each", len(d.Entities), len(d.Relationships))
	}
	return d
}

// needFile fails the test unless path exists, saying how to get it.
func needFile(tb testing.TB, path, how string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Fatalf("%s is missing (%v): %s", path, err, how)
	}
}

// runChecker runs a checker and fails with its output unless it exits 0.
func runChecker(tb testing.TB, name string, args ...string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	tb.Logf("%s", bytes.TrimSpace(out))
}

// unList is the real UN list beside the repository (never copied into it).
const unList = "../../shared/data/un-sc/consolidated-2024-09-26.xml"

// withUNList is the bundled dataset plus the full UN list: hundreds of
// records with Arabic script, quotes and ampersands in names and clauses.
func withUNList(tb testing.TB) *network.Dataset {
	tb.Helper()
	needFile(tb, unList, "the real UN list comes with shared/data beside the repository")
	l, err := unsc.ReadFile(unList)
	if err != nil {
		tb.Fatalf("reading %s: %v", unList, err)
	}
	d := bundledDataset(tb)
	d.Sources = append(d.Sources, l.Dataset.Sources...)
	d.Entities = append(d.Entities, l.Dataset.Entities...)
	d.Relationships = append(d.Relationships, l.Dataset.Relationships...)
	return d
}

// TestThirdPartyReaders exports the bundled dataset, and the bundled
// dataset with the full UN list, in each graph format and has the real
// readers load them: networkx for GraphML and GEXF, xmllint against the
// GEXF 1.3 schema, cytoscape and graphology in Node. A missing tool fails
// the test with the command that installs it.
func TestThirdPartyReaders(t *testing.T) {
	for _, set := range []struct {
		name string
		d    func(testing.TB) *network.Dataset
	}{{"bundled", bundledDataset}, {"bundled+unsc", withUNList}} {
		t.Run(set.name, func(t *testing.T) { checkThirdParty(t, set.d(t)) })
	}
}

func checkThirdParty(t *testing.T, d *network.Dataset) {
	nodes, edges := strconv.Itoa(len(d.Entities)), strconv.Itoa(len(d.Relationships))
	python, _ := filepath.Abs(filepath.Join(exportCheckDir, ".venv", "bin", "python"))
	checkPy, _ := filepath.Abs(filepath.Join(exportCheckDir, "check_networkx.py"))
	checkJS, _ := filepath.Abs(filepath.Join(exportCheckDir, "check.mjs"))
	networkx := func(t *testing.T, file, format string) {
		needFile(t, python, exportCheckSetup+" (it creates the venv with networkx)")
		runChecker(t, python, checkPy, file, format, nodes, edges)
	}
	nodeCheck := func(t *testing.T, file, format string) {
		if _, err := exec.LookPath("node"); err != nil {
			t.Fatalf("node is not on PATH (%v): install Node 20, then %s", err, exportCheckSetup)
		}
		needFile(t, filepath.Join(exportCheckDir, "node_modules", "cytoscape", "package.json"), exportCheckSetup+" (npm ci)")
		needFile(t, filepath.Join(exportCheckDir, "node_modules", "graphology", "package.json"), exportCheckSetup+" (npm ci)")
		runChecker(t, "node", checkJS, file, format, nodes, edges)
	}
	tests := []struct {
		format string
		checks []func(t *testing.T, file, format string)
	}{
		{"graphml", []func(*testing.T, string, string){networkx}},
		{"gexf", []func(*testing.T, string, string){networkx, func(t *testing.T, file, _ string) {
			if _, err := exec.LookPath("xmllint"); err != nil {
				t.Fatalf("xmllint is not on PATH (%v): apt-get install libxml2-utils, or %s", err, exportCheckSetup)
			}
			needFile(t, gexfSchema, "the GEXF 1.3 schema comes with shared/data beside the repository")
			runChecker(t, "xmllint", "--noout", "--schema", gexfSchema, file)
		}}},
		{"cytoscape", []func(*testing.T, string, string){nodeCheck}},
		{"graphology", []func(*testing.T, string, string){nodeCheck}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			_, ext := export.ContentType(tt.format)
			file := filepath.Join(t.TempDir(), "bundled"+ext)
			var buf bytes.Buffer
			if err := export.Write(&buf, tt.format, d); err != nil {
				t.Fatalf("Write(%s): %v", tt.format, err)
			}
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, check := range tt.checks {
				check(t, file, tt.format)
			}
		})
	}
}
