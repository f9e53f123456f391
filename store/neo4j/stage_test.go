package neo4j

import (
	"context"
	"errors"
	"reflect"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
)

// rawNodes counts every node in the database, whatever its labels: what a
// load leaves behind, seen or not.
func rawNodes(tb testing.TB, s *Store) int {
	tb.Helper()
	ctx := context.Background()
	res, err := driver.ExecuteQuery(ctx, s.driver, `MATCH (n) RETURN count(n) AS n`, nil, driver.EagerResultTransformer,
		driver.ExecuteQueryWithDatabase(s.database))
	if err != nil {
		tb.Fatalf("count nodes: %v", err)
	}
	n, _ := res.Records[0].Get("n")
	return asInt(n)
}

// stageOnly stages d under load as a load that is killed before it
// publishes would leave it.
func stageOnly(tb testing.TB, s *Store, d *network.Dataset, load string) stagedCounts {
	tb.Helper()
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		tb.Fatalf("EnsureSchema: %v", err)
	}
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	n, err := s.stage(ctx, sess, d, load)
	if err != nil {
		tb.Fatalf("stage: %v", err)
	}
	return n
}

// A staged dataset is invisible to every read until it is published, and
// what a killed load left staged is gone after the next load, which gives
// the same store as a load into a clean database.
func TestStagedLoadIsUnseenUntilPublished(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	d := smallDataset()
	want := stageOnly(t, s, d, "killed")
	if got := (stagedCounts{2, 1, 2, 1}); want != got {
		t.Fatalf("stage(small dataset): got counts %+v, want %+v", want, got)
	}
	if n := rawNodes(t, s); n != 6 {
		t.Fatalf("after staging: got %d nodes in the database, want the 6 staged", n)
	}
	if c, err := s.Counts(ctx); err != nil || c != (network.Counts{}) {
		t.Errorf("Counts while staged: got %+v, %v, want all zero", c, err)
	}
	if snap, err := s.Snapshot(ctx); err != nil || len(snap.Entities)+len(snap.Relationships)+len(snap.Sources) != 0 {
		t.Errorf("Snapshot while staged: got %+v, %v, want nothing", snap, err)
	}
	if hits, err := s.Search(ctx, network.SearchQuery{Query: "Org", Limit: 10}); err != nil || len(hits) != 0 {
		t.Errorf("Search(Org) while staged: got %+v, %v, want nothing", hits, err)
	}
	if es, err := s.Entities(ctx, []string{"o1", "p1"}); err != nil || es[0] != nil || es[1] != nil {
		t.Errorf("Entities(o1, p1) while staged: got %v, %v, want none found", es, err)
	}
	if rs, err := s.Incident(ctx, []string{"o1"}, network.RelFilter{}); err != nil || len(rs) != 0 {
		t.Errorf("Incident(o1) while staged: got %v, %v, want none", rs, err)
	}

	// The next load deletes the leftovers, then loads.
	got, err := s.Load(ctx, d)
	if err != nil {
		t.Fatalf("Load after a killed load: %v", err)
	}
	if got != d.Counts() {
		t.Errorf("Load after a killed load: got counts %+v, want %+v", got, d.Counts())
	}
	if n := rawNodes(t, s); n != 6 {
		t.Errorf("Load after a killed load: got %d nodes in the database, want 6 (the leftovers deleted)", n)
	}
	after, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if _, err := s.Load(ctx, d); err != nil {
		t.Fatalf("clean Load: %v", err)
	}
	clean, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if !reflect.DeepEqual(after, clean) {
		t.Errorf("load after a killed load versus a clean load: got snapshot %+v, want %+v", after, clean)
	}
}

// A load that finds the database filled by another when it comes to
// publish gives up its staged nodes, and Load merges instead.
func TestPublishIntoAFilledDatabase(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	d := smallDataset()
	want := stageOnly(t, s, d, "late")
	// Another load fills the database meanwhile: duplicate ids take the
	// merging path, which leaves staged nodes alone.
	other := &network.Dataset{Sources: []network.Source{{ID: "s9", Title: "Nine"}, {ID: "s9", Title: "Nine"}}}
	if _, err := s.Load(ctx, other); err != nil {
		t.Fatalf("Load(other): %v", err)
	}
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	if err := s.publish(ctx, sess, "late", want); !errors.Is(err, errNotEmpty) {
		t.Fatalf("publish into a filled database: got %v, want errNotEmpty", err)
	}
	if c, err := s.Counts(ctx); err != nil || c != (network.Counts{Sources: 1}) {
		t.Errorf("Counts after the refused publish: got %+v, %v, want the other load's one source", c, err)
	}
	// A whole Load in the same place merges, and the store holds both.
	if err := s.discardStaged(ctx, sess, "late"); err != nil {
		t.Fatalf("discardStaged: %v", err)
	}
	if n := rawNodes(t, s); n != 1 {
		t.Errorf("after discarding: got %d nodes, want the other load's 1", n)
	}
	got, err := s.Load(ctx, d)
	if err != nil {
		t.Fatalf("Load into the filled database: %v", err)
	}
	if w := (network.Counts{Entities: 3, Relationships: 2, Sources: 3, Designations: 1}); got != w {
		t.Errorf("Load into the filled database: got counts %+v, want %+v", got, w)
	}
}
