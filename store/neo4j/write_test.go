package neo4j

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// smallDataset is two sources, three entities (one with a designation) and
// two relationships: enough for every step of a load.
func smallDataset() *network.Dataset {
	return &network.Dataset{
		Sources: []network.Source{{ID: "s1", Title: "One"}, {ID: "s2", Title: "Two"}},
		Entities: []network.Entity{
			{ID: "p1", Kind: network.Person, Name: "Person One", SourceIDs: []string{"s1"},
				Designations: []network.Designation{{ID: "p1-un", Authority: "UN", SourceIDs: []string{"s1"}}}},
			{ID: "o1", Kind: network.Organization, Name: "Org One", SourceIDs: []string{"s1"}},
			{ID: "o2", Kind: network.Organization, Name: "Org Two", SourceIDs: []string{"s2"}},
		},
		Relationships: []network.Relationship{
			{ID: "r1", Type: network.MemberOf, From: "p1", To: "o1", SourceIDs: []string{"s1"}},
			{ID: "r2", Type: network.AlliedWith, From: "o1", To: "o2", SourceIDs: []string{"s2"}},
		},
	}
}

func TestUniqueIDs(t *testing.T) {
	cases := []struct {
		name string
		edit func(d *network.Dataset)
		want bool
	}{
		{"all unique", func(*network.Dataset) {}, true},
		{"empty", func(d *network.Dataset) { *d = network.Dataset{} }, true},
		{"same id in two kinds of record", func(d *network.Dataset) { d.Relationships[0].ID = "p1" }, true},
		{"duplicate source", func(d *network.Dataset) { d.Sources[1].ID = "s1" }, false},
		{"duplicate entity", func(d *network.Dataset) { d.Entities[2].ID = "o1" }, false},
		{"duplicate designation", func(d *network.Dataset) {
			d.Entities[1].Designations = []network.Designation{{ID: "p1-un"}}
		}, false},
		{"duplicate relationship", func(d *network.Dataset) { d.Relationships[1].ID = "r1" }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := smallDataset()
			c.edit(d)
			if got := uniqueIDs(d); got != c.want {
				t.Errorf("uniqueIDs(%s): got %v, want %v", c.name, got, c.want)
			}
		})
	}
}

// sentNames returns the names of the queries rec saw, in order, and
// forgets them.
func sentNames(rec *recorder) []string {
	queries, _ := rec.take()
	out := make([]string, len(queries))
	for i, q := range queries {
		out[i] = QueryName(q)
	}
	return out
}

// Load takes the staging path exactly when the database holds nothing and
// the dataset's ids are unique, and both paths leave the same store.
func TestLoadPaths(t *testing.T) {
	rec := &recorder{}
	s := openObserved(t, rec)
	ctx := context.Background()
	dup := smallDataset()
	dup.Relationships = append(dup.Relationships, dup.Relationships[1]) // same record twice: MERGE writes it once
	cases := []struct {
		name      string
		reset     bool
		d         *network.Dataset
		wantNames []string // every one of them is sent
		notNames  []string // none of them is sent
	}{
		{"empty database", true, smallDataset(),
			[]string{"stageSources", "stagePersons", "stageOrganizations", "stageDesignations", "stageRelationship", "publishPersons"},
			[]string{"mergeSources", "mergePersons", "mergeOrganizations", "mergeDesignations", "mergeRelationship"}},
		{"loaded database", false, smallDataset(),
			[]string{"mergeSources", "mergePersons", "mergeOrganizations", "mergeDesignations", "mergeRelationship"},
			[]string{"stageSources", "stagePersons", "stageOrganizations", "stageDesignations", "stageRelationship", "publishPersons"}},
		{"duplicate ids into an empty database", true, dup,
			[]string{"mergeSources", "mergePersons", "mergeRelationship"},
			[]string{"stageSources", "stagePersons", "stageRelationship", "publishPersons"}},
	}
	want := smallDataset().Counts()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.reset {
				if err := s.Reset(ctx); err != nil {
					t.Fatalf("Reset: %v", err)
				}
			}
			rec.take()
			got, err := s.Load(ctx, c.d)
			if err != nil {
				t.Fatalf("Load(%s): %v", c.name, err)
			}
			sent := sentNames(rec)
			for _, n := range c.wantNames {
				if !slices.Contains(sent, n) {
					t.Errorf("Load(%s): sent %v, want %s among them", c.name, sent, n)
				}
			}
			for _, n := range c.notNames {
				if slices.Contains(sent, n) {
					t.Errorf("Load(%s): sent %v, want no %s", c.name, sent, n)
				}
			}
			if got != want {
				t.Errorf("Load(%s): got counts %+v, want %+v", c.name, got, want)
			}
			// The counts Load reads from the count store agree with the
			// counting query of Counts.
			if counted, err := s.Counts(ctx); err != nil || counted != got {
				t.Errorf("Counts after Load(%s): got %+v, %v, want %+v", c.name, counted, err, got)
			}
			snap, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatalf("Snapshot: %v", err)
			}
			if len(snap.Entities) != 3 || snap.Entities[2].ID != "p1" || snap.Entities[2].Kind != network.Person ||
				len(snap.Entities[2].Designations) != 1 || snap.Entities[2].Designations[0].ID != "p1-un" {
				t.Errorf("Snapshot after Load(%s): got entities %+v, want o1, o2 and the person p1 with designation p1-un", c.name, snap.Entities)
			}
		})
	}
}

// A dangling relationship makes a load into an empty database (the staging
// path) fail with EINVALID and leave nothing, staged or not.
func TestFastLoadRefusesDanglingRelationship(t *testing.T) {
	rec := &recorder{}
	s := openObserved(t, rec)
	ctx := context.Background()
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	d := smallDataset()
	d.Relationships = append(d.Relationships, network.Relationship{ID: "r3", Type: network.AlliedWith, From: "o1", To: "nowhere"})
	rec.take()
	_, err := s.Load(ctx, d)
	var e *network.Error
	if !errors.As(err, &e) || e.Code != network.EINVALID {
		t.Fatalf("Load(dangling relationship): got %v, want code %q", err, network.EINVALID)
	}
	if sent := sentNames(rec); !slices.Contains(sent, "stageRelationship") {
		t.Errorf("Load(dangling relationship): sent %v, want the staging path", sent)
	}
	if c, err := s.Counts(ctx); err != nil || c != (network.Counts{}) {
		t.Errorf("Counts after the failed load: got %+v, %v, want all zero", c, err)
	}
	if n := rawNodes(t, s); n != 0 {
		t.Errorf("after the failed load: got %d nodes in the database, want none, staged or not", n)
	}
}

// Open names the home database once when Config.Database is empty, and
// keeps an explicit name.
func TestOpenResolvesDatabase(t *testing.T) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: run the tests with tools/test.sh, which starts Neo4j")
	}
	home := os.Getenv("NEO4J_DATABASE")
	if home == "" {
		home = "neo4j" // the home database of the test Neo4j
	}
	for _, db := range []string{"", home} {
		t.Run("database="+db, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, Config{URI: uri, Username: os.Getenv("NEO4J_USERNAME"),
				Password: os.Getenv("NEO4J_PASSWORD"), Database: db}, nil)
			if err != nil {
				t.Fatalf("Open(database %q): %v", db, err)
			}
			defer s.Close(ctx)
			if s.database != home {
				t.Errorf("Open(database %q): got database %q, want %q", db, s.database, home)
			}
			if _, err := s.Counts(ctx); err != nil {
				t.Errorf("Counts after Open(database %q): %v", db, err)
			}
		})
	}
}
