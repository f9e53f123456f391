package main

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/allegiance/allegiance/network"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

// unList is the real UN Security Council consolidated list, kept outside
// the repository (../shared/data, see its README). A missing file fails the
// test: CI must load the real list.
const unList = "../../../shared/data/un-sc/consolidated-2024-09-26.xml"

func needUNList(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(unList); err != nil {
		tb.Fatalf("the real UN list is missing (%v): it must sit in ../shared/data/un-sc beside the repository", err)
	}
}

// resolvedQuestions are asked of a store holding the curated network and
// the full UN list, resolved with the committed decisions.
var resolvedQuestions = `{
  ghaly: entity(id: "iyad-ag-ghaly") {
    name identifiers { scheme value }
    designations { authority reference listedOn }
    relationships(types: [PLEDGED_ALLEGIANCE_TO, FOUNDED], direction: OUTGOING) { id type to { id } qualifier }
  }
  unGhaly: entity(id: "un-qdi-316") { id }
  search(query: "IYAD AG GHALI", kinds: [PERSON], limit: 3) { score entity { id } }
  members(id: "jnim") { entity { id } relationship { type qualifier sources { url } } unit { id } }
}`

type resolvedAnswer struct {
	Ghaly struct {
		Name         string
		Identifiers  []struct{ Scheme, Value string }
		Designations []struct {
			Authority, ListedOn string
			Reference           *string
		}
		Relationships []struct {
			ID, Type  string
			To        struct{ ID string }
			Qualifier *string
		}
	}
	UnGhaly *struct{ ID string }
	Search  []struct {
		Score  float64
		Entity struct{ ID string }
	}
	Members []struct {
		Entity       struct{ ID string }
		Relationship struct {
			Type      string
			Qualifier *string
		}
		Unit *struct{ ID string }
	}
}

// checkResolved asks resolvedQuestions of the server at base and checks
// that Ghaly is one node carrying both his curated relationships and his
// UN designation, and that JNIM's members come from both sources.
func checkResolved(t *testing.T, base string) {
	t.Helper()
	_, r := post(t, base, resolvedQuestions, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	var a resolvedAnswer
	if err := json.Unmarshal(r.Data, &a); err != nil {
		t.Fatalf("decoding %s: %v", r.Data, err)
	}
	if a.UnGhaly != nil {
		t.Errorf("entity(un-qdi-316): got %v, want null: the UN record must be folded into iyad-ag-ghaly", a.UnGhaly)
	}
	if a.Ghaly.Name != "Iyad Ag Ghaly" {
		t.Errorf("ghaly name: got %q, want the curated %q", a.Ghaly.Name, "Iyad Ag Ghaly")
	}
	hasUN := false
	for _, d := range a.Ghaly.Designations {
		hasUN = hasUN || (d.Reference != nil && *d.Reference == "QDi.316" && d.ListedOn == "2013-02-25")
	}
	if !hasUN {
		t.Errorf("ghaly designations: got %+v, want the UN listing QDi.316 of 2013-02-25", a.Ghaly.Designations)
	}
	pledges, derived := 0, 0
	for _, rel := range a.Ghaly.Relationships {
		if rel.Type == "PLEDGED_ALLEGIANCE_TO" {
			pledges++
		}
		if rel.Qualifier != nil && strings.HasPrefix(*rel.Qualifier, network.DerivedFromText) {
			derived++
		}
	}
	if pledges != 3 || derived == 0 {
		t.Errorf("ghaly's outgoing pledges and foundings: got %d curated pledges and %d derived from the UN list, want 3 and at least 1: %+v", pledges, derived, a.Ghaly.Relationships)
	}
	if len(a.Search) == 0 || a.Search[0].Entity.ID != "iyad-ag-ghaly" {
		t.Errorf("search IYAD AG GHALI: got %+v, want iyad-ag-ghaly first", a.Search)
	}
	for _, h := range a.Search {
		if h.Entity.ID == "un-qdi-316" {
			t.Errorf("search IYAD AG GHALI: got a separate un-qdi-316 hit")
		}
	}
	curated, fromList := map[string]bool{}, map[string]bool{}
	for _, m := range a.Members {
		if m.Relationship.Qualifier != nil && strings.HasPrefix(*m.Relationship.Qualifier, network.DerivedFromText) {
			fromList[m.Entity.ID] = true
		} else {
			curated[m.Entity.ID] = true
		}
	}
	for _, id := range []string{"iyad-ag-ghaly", "amadou-kouffa"} {
		if !curated[id] {
			t.Errorf("members(jnim): %s missing among the curated ties; got curated %v", id, curated)
		}
	}
	for _, id := range []string{"un-qdi-279"} {
		if !fromList[id] {
			t.Errorf("members(jnim): %s missing among the ties from the UN list; got %v", id, fromList)
		}
	}
	t.Logf("members(jnim): %d curated, %d from the UN list", len(curated), len(fromList))
}

// The full UN list loads into the embedded store on top of the curated
// network, resolved.
func TestUNListEmbedded(t *testing.T) {
	needUNList(t)
	start := time.Now()
	m := mainServing(t, "", "--format", "unsc", "--data", unList)
	t.Logf("serve --format unsc --data %s: ready in %s", unList, time.Since(start).Round(time.Millisecond))
	checkResolved(t, m.URL())
}

// The full UN list loads into Neo4j on top of the curated network; loading
// it again changes nothing; and Neo4j then holds exactly what the embedded
// store holds.
func TestUNListNeo4j(t *testing.T) {
	needUNList(t)
	uri := neo4jURI(t)
	if _, err := runLoad(t, uri, "--replace"); err != nil {
		t.Fatalf("load the bundled dataset: %v", err)
	}
	// Leave the database as the other tests expect it: the bundled dataset
	// alone.
	t.Cleanup(func() {
		if _, err := runLoad(t, uri, "--replace"); err != nil {
			t.Errorf("reloading the bundled dataset: %v", err)
		}
	})
	start := time.Now()
	out, err := runLoad(t, uri, "--format", "unsc", unList)
	if err != nil {
		t.Fatalf("load --format unsc: %v\n%s", err, out)
	}
	t.Logf("load --format unsc (full list into Neo4j): %s\n%s", time.Since(start).Round(time.Millisecond), firstLines(out, 4))
	first := rawCounts(t, uri)

	start = time.Now()
	out, err = runLoad(t, uri, "--format", "unsc", unList)
	if err != nil {
		t.Fatalf("second load --format unsc: %v\n%s", err, out)
	}
	t.Logf("second load of the same list: %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(out, "0 added, 0 changed, 0 removed (delisted)") {
		t.Errorf("second load of the same list: got report\n%s\nwant 0 added, 0 changed, 0 removed", firstLines(out, 4))
	}
	if again := rawCounts(t, uri); again != first {
		t.Errorf("raw counts after loading the same list again: got %v, want %v", again, first)
	}

	m := mainServing(t, uri)
	checkResolved(t, m.URL())

	mem := mainServing(t, "", "--format", "unsc", "--data", unList)
	ctx := context.Background()
	neo, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: uri}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer neo.Close(ctx)
	a, err := neo.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := mem.store.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Entities) != len(b.Entities) || len(a.Relationships) != len(b.Relationships) || len(a.Sources) != len(b.Sources) {
		t.Fatalf("neo4j holds %d entities, %d relationships, %d sources; the embedded store %d, %d, %d",
			len(a.Entities), len(a.Relationships), len(a.Sources), len(b.Entities), len(b.Relationships), len(b.Sources))
	}
	for i := range a.Entities {
		if !reflect.DeepEqual(a.Entities[i], b.Entities[i]) {
			t.Errorf("entity %s differs:\nneo4j  %+v\nmemory %+v", a.Entities[i].ID, a.Entities[i], b.Entities[i])
			break
		}
	}
	for i := range a.Relationships {
		if !reflect.DeepEqual(a.Relationships[i], b.Relationships[i]) {
			t.Errorf("relationship %s differs:\nneo4j  %+v\nmemory %+v", a.Relationships[i].ID, a.Relationships[i], b.Relationships[i])
			break
		}
	}
	units := 0
	for _, e := range a.Entities {
		for _, id := range e.Identifiers {
			if id.Scheme == "unsc-ref" {
				units++
			}
		}
	}
	if units != 682+193 {
		t.Errorf("entities carrying a UN reference number: got %d, want 875 (682 individuals + 193 entities)", units)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
