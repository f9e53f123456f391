package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// runLoad runs `allegiance load` with args and returns its output.
func runLoad(tb testing.TB, uri string, args ...string) (string, error) {
	tb.Helper()
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr = &out, &out
	if err := m.ParseFlags(context.Background(), append([]string{"load"}, args...)); err != nil {
		tb.Fatalf("ParseFlags(load %v): %v", args, err)
	}
	m.Neo4j.URI = uri
	err := m.Run(context.Background())
	if cerr := m.Close(); cerr != nil {
		tb.Errorf("Close: %v", cerr)
	}
	return out.String(), err
}

// rawDriver opens a driver straight to the Neo4j at uri, bypassing the
// store, for tests that inspect or change the database behind its back.
func rawDriver(tb testing.TB, uri string) driver.DriverWithContext {
	tb.Helper()
	d, err := driver.NewDriverWithContext(uri, driver.NoAuth())
	if err != nil {
		tb.Fatalf("driver for %s: %v", uri, err)
	}
	return d
}

// rawCounts counts every node and relationship in the database, whatever
// their labels, straight through the driver.
func rawCounts(tb testing.TB, uri string) [2]int64 {
	tb.Helper()
	ctx := context.Background()
	d := rawDriver(tb, uri)
	defer d.Close(ctx)
	res, err := driver.ExecuteQuery(ctx, d, `MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels`,
		nil, driver.EagerResultTransformer)
	if err != nil {
		tb.Fatalf("counting: %v", err)
	}
	n, _ := res.Records[0].Get("nodes")
	r, _ := res.Records[0].Get("rels")
	return [2]int64{n.(int64), r.(int64)}
}

func TestLoadValidatesOnlyWithoutURI(t *testing.T) {
	out, err := runLoad(t, "")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !strings.Contains(out, "would write") || !strings.Contains(out, "nothing written") {
		t.Errorf("load without URI: got %q, want it to say what it would write and that nothing was written", out)
	}
}

func TestLoadTwiceIntoNeo4j(t *testing.T) {
	uri := neo4jURI(t)
	if _, err := runLoad(t, uri, "--replace"); err != nil {
		t.Fatalf("load --replace: %v", err)
	}
	first := rawCounts(t, uri)
	out, err := runLoad(t, uri)
	if err != nil {
		t.Fatalf("second load: %v", err)
	}
	if second := rawCounts(t, uri); second != first {
		t.Errorf("second load: got %v nodes/relationships, want %v as after the first", second, first)
	}
	if !strings.Contains(out, "loaded the bundled dataset") {
		t.Errorf("load: got %q, want a report of what was loaded", out)
	}
}

// Every bad fixture is refused with its file named, and Neo4j holds exactly
// what it held before.
func TestBadInputsWriteNothing(t *testing.T) {
	uri := neo4jURI(t)
	if _, err := runLoad(t, uri, "--replace"); err != nil {
		t.Fatalf("load --replace: %v", err)
	}
	before := rawCounts(t, uri)
	files, _ := filepath.Glob("../../testdata/bad/*.yaml")
	if len(files) < 10 {
		t.Fatalf("found %d bad fixtures in testdata/bad, want at least 10", len(files))
	}
	for _, f := range files {
		// Each fixture is loaded with the good dataset beside it, so that
		// only its own defect can stop the load.
		out, err := runLoad(t, uri, "../../data", f)
		if err == nil {
			t.Errorf("load %s: got no error, want a validation error (output %q)", f, out)
			continue
		}
		if !strings.Contains(err.Error(), f) {
			t.Errorf("load %s: got error %q, want it to name the file", f, err)
		}
		if after := rawCounts(t, uri); after != before {
			t.Errorf("load %s: got %v nodes/relationships after the failed load, want %v", f, after, before)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := runLoad(t, "", filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil {
		t.Error("load missing.yaml: got no error, want one")
	}
	if _, statErr := os.Stat("../../data/entities.yaml"); statErr != nil {
		t.Fatalf("the test expects the repository layout: %v", statErr)
	}
}
