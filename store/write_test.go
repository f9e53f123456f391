package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

type writableStore interface {
	network.Store
	network.Writer
}

// freshStores returns an empty memory store and an emptied Neo4j. The
// shared loaded Neo4j is reloaded afterwards for the read-only cases.
func freshStores(t *testing.T) []struct {
	name string
	s    writableStore
} {
	t.Helper()
	n := loadedNeo4j(t)
	if err := n.Reset(context.Background()); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if err := n.Reset(ctx); err != nil {
			t.Errorf("Reset: %v", err)
		}
		if _, err := n.Load(ctx, bundled(t)); err != nil {
			t.Errorf("reloading the bundled dataset: %v", err)
		}
	})
	return []struct {
		name string
		s    writableStore
	}{{"store=memory", memory.New()}, {"store=neo4j", n}}
}

func TestLoadTwiceGivesSameCounts(t *testing.T) {
	want := bundled(t).Counts()
	for _, fs := range freshStores(t) {
		t.Run(fs.name, func(t *testing.T) {
			ctx := context.Background()
			for i := 1; i <= 2; i++ {
				got, err := fs.s.Load(ctx, bundled(t))
				if err != nil {
					t.Fatalf("load %d: %v", i, err)
				}
				if got != want {
					t.Errorf("load %d: got counts %+v, want %+v", i, got, want)
				}
			}
		})
	}
}

func TestFailedLoadChangesNothing(t *testing.T) {
	for _, fs := range freshStores(t) {
		t.Run(fs.name, func(t *testing.T) {
			ctx := context.Background()
			if _, err := fs.s.Load(ctx, bundled(t)); err != nil {
				t.Fatal(err)
			}
			before, err := fs.s.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			bad := bundled(t)
			// A valid new entity and relationship, then one whose endpoint
			// exists nowhere: the whole load must be refused.
			bad.Entities = append(bad.Entities, network.Entity{ID: "new-group", Kind: network.Organization, Name: "New Group", SourceIDs: []string{"cep-iyad-ag-ghaly"}})
			bad.Relationships = append(bad.Relationships,
				network.Relationship{ID: "new-rel", Type: network.AlliedWith, From: "new-group", To: "jnim", SourceIDs: []string{"cep-iyad-ag-ghaly"}},
				network.Relationship{ID: "dangling", Type: network.AlliedWith, From: "new-group", To: "no-such-entity", SourceIDs: []string{"cep-iyad-ag-ghaly"}})
			_, err = fs.s.Load(ctx, bad)
			var e *network.Error
			if !errors.As(err, &e) || e.Code != network.EINVALID {
				t.Fatalf("Load(dangling relationship): got %v, want code %q", err, network.EINVALID)
			}
			after, err := fs.s.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("counts after failed load: got %+v, want %+v", after, before)
			}
			got, err := fs.s.Entities(ctx, []string{"new-group"})
			if err != nil || got[0] != nil {
				t.Errorf("Entities(new-group) after failed load: got %v, %v; want nil", got, err)
			}
		})
	}
}

// The memory store hands out copies: changing a result changes nothing.
func TestMemoryCopiesOut(t *testing.T) {
	s := loadedMemory(t)
	ctx := context.Background()
	es, _ := s.Entities(ctx, []string{"iyad-ag-ghaly"})
	es[0].Name = "changed"
	es[0].Aliases[0] = "changed"
	again, _ := s.Entities(ctx, []string{"iyad-ag-ghaly"})
	if again[0].Name != "Iyad Ag Ghaly" || again[0].Aliases[0] == "changed" {
		t.Errorf("after mutating a returned entity: got name %q alias %q, want the stored values", again[0].Name, again[0].Aliases[0])
	}
}

// richDataset has one of every field an importer may fill, so that a store
// that drops one fails TestSnapshotKeepsEveryField.
func richDataset(t *testing.T) *network.Dataset {
	t.Helper()
	date := func(s string) network.PartialDate {
		d, err := network.ParsePartialDate(s)
		if err != nil {
			t.Fatalf("ParsePartialDate(%q): %v", s, err)
		}
		return d
	}
	return &network.Dataset{
		Sources: []network.Source{{ID: "src", Title: "List", Publisher: "UN", Published: date("2024-09-26"), URL: "https://example.org/list.xml"}},
		Entities: []network.Entity{
			{
				ID: "p", Kind: network.Person, Name: "Person One", Aliases: []string{"P. One"},
				WeakAliases: []string{"Abu One"}, PreviousNames: []string{"Old One"}, OriginalScriptNames: []string{"ون"},
				Notes: []string{"a note"}, Topics: []string{"sanction"}, Countries: []string{"ml"},
				Addresses:   []string{"Kidal, Mali"},
				Documents:   []network.Document{{Type: "Passport", Number: "A1", Country: "Mali", IssuedOn: "2001", Note: "expired"}},
				Identifiers: []network.Identifier{{Scheme: "un", Value: "QDi.999"}},
				SourceIDs:   []string{"src"},
				Designations: []network.Designation{{ID: "p-un", Authority: "UN Security Council", Program: "Al-Qaida",
					Reference: "QDi.999", ListedOn: date("2013-02-25"), Until: date("2024-01"), SourceIDs: []string{"src"}}},
				Born: date("1958"), Nationality: []string{"Mali"},
				BirthDates: []network.DateOfBirth{
					{Type: network.BirthApproximately, Date: date("1958"), Note: "n"},
					{Type: network.BirthBetween, From: date("1954"), To: date("1958"), Alias: "Abu One"},
				},
				BirthPlaces: []string{"Kidal"}, Positions: []string{"leader"},
			},
			{ID: "o", Kind: network.Organization, Name: "Org", PreviousNames: []string{"GSPC"}, SourceIDs: []string{"src"}},
			{ID: "gone", Kind: network.Organization, Name: "Gone", SourceIDs: []string{"src"}},
		},
		Relationships: []network.Relationship{
			{ID: "r1", Type: network.LeaderOf, From: "p", To: "o", Qualifier: network.DerivedFromText + "; reportedly; as of November 2023",
				Evidence: "Reportedly leader of Org", SourceIDs: []string{"src"}},
			{ID: "r2", Type: network.MemberOf, From: "p", To: "gone", SourceIDs: []string{"src"}},
			{ID: "r3", Type: network.AssociatedWith, From: "p", To: "o", SourceIDs: []string{"src"}},
		},
	}
}

// Every field an importer fills comes back from Snapshot on both stores,
// and the delete lists remove entities (with their relationships) and
// relationships in the same load.
func TestSnapshotKeepsEveryField(t *testing.T) {
	for _, fs := range freshStores(t) {
		t.Run(fs.name, func(t *testing.T) {
			ctx := context.Background()
			in := richDataset(t)
			if _, err := fs.s.Load(ctx, in); err != nil {
				t.Fatalf("Load: %v", err)
			}
			got, err := fs.s.Snapshot(ctx)
			if err != nil {
				t.Fatalf("Snapshot: %v", err)
			}
			want := richDataset(t)
			want.Sort()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Snapshot after Load:\n got %+v\nwant %+v", got, want)
			}
			del := &network.Dataset{DeleteEntities: []string{"gone", "unknown"}, DeleteRelationships: []string{"r3", "unknown"}}
			if _, err := fs.s.Load(ctx, del); err != nil {
				t.Fatalf("Load(deletes): %v", err)
			}
			got, err = fs.s.Snapshot(ctx)
			if err != nil {
				t.Fatalf("Snapshot: %v", err)
			}
			var ids []string
			for _, e := range got.Entities {
				ids = append(ids, e.ID)
			}
			for _, r := range got.Relationships {
				ids = append(ids, r.ID)
			}
			if want := []string{"o", "p", "r1"}; !reflect.DeepEqual(ids, want) {
				t.Errorf("ids after deleting gone and r3: got %v, want %v", ids, want)
			}
		})
	}
}

// Members counts ties to an organization and to its units, through PART_OF,
// the same way on both stores.
func TestMembersThroughUnits(t *testing.T) {
	src := []string{"src"}
	y := func(s string) network.PartialDate { d, _ := network.ParsePartialDate(s); return d }
	ds := &network.Dataset{
		Sources: []network.Source{{ID: "src", Title: "S", URL: "https://example.org/s"}},
		Entities: []network.Entity{
			{ID: "x", Kind: network.Organization, Name: "X", SourceIDs: src},
			{ID: "u", Kind: network.Organization, Name: "Unit", SourceIDs: src},
			{ID: "v", Kind: network.Organization, Name: "Sub-unit", SourceIDs: src},
			{ID: "a", Kind: network.Person, Name: "A", SourceIDs: src},
			{ID: "b", Kind: network.Person, Name: "B", SourceIDs: src},
			{ID: "c", Kind: network.Person, Name: "C", SourceIDs: src},
			{ID: "d", Kind: network.Person, Name: "D", SourceIDs: src},
			{ID: "e", Kind: network.Person, Name: "E", SourceIDs: src},
		},
		Relationships: []network.Relationship{
			{ID: "u-part-x", Type: network.PartOf, From: "u", To: "x", SourceIDs: src},
			{ID: "v-part-u", Type: network.PartOf, From: "v", To: "u", SourceIDs: src},
			{ID: "a-member-x", Type: network.MemberOf, From: "a", To: "x", SourceIDs: src},
			{ID: "b-leads-u", Type: network.LeaderOf, From: "b", To: "u", SourceIDs: src},
			{ID: "c-member-v", Type: network.MemberOf, From: "c", To: "v", Qualifier: "reportedly", SourceIDs: src},
			{ID: "d-founded-x", Type: network.Founded, From: "d", To: "x", SourceIDs: src},
			{ID: "e-member-u", Type: network.MemberOf, From: "e", To: "u", Until: y("2010"), SourceIDs: src},
		},
	}
	for _, fs := range freshStores(t) {
		t.Run(fs.name, func(t *testing.T) {
			ctx := context.Background()
			if _, err := fs.s.Load(ctx, ds); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				asOf string
				want []string
			}{
				{"", []string{"a/a-member-x/", "b/b-leads-u/u", "c/c-member-v/v", "e/e-member-u/u"}},
				{"2015", []string{"a/a-member-x/", "b/b-leads-u/u", "c/c-member-v/v"}},
			} {
				ms, err := network.Members(ctx, fs.s, network.MembersQuery{ID: "x", AsOf: y(tc.asOf)})
				if err != nil {
					t.Fatalf("Members(x, %q): %v", tc.asOf, err)
				}
				var got []string
				for _, m := range ms {
					unit := ""
					if m.Unit != nil {
						unit = m.Unit.ID
					}
					got = append(got, m.Entity.ID+"/"+m.Relationship.ID+"/"+unit)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("Members(x, asOf %q): got %v, want %v", tc.asOf, got, tc.want)
				}
			}
			_, err := network.Members(ctx, fs.s, network.MembersQuery{ID: "nobody"})
			var e *network.Error
			if !errors.As(err, &e) || e.Code != network.ENOTFOUND {
				t.Errorf("Members(nobody): got %v, want code %s", err, network.ENOTFOUND)
			}
		})
	}
}

// A neighbourhood from a hub of 10,000 relationships honours its limit,
// says it was truncated, and keeps the nearest nodes by id, on both stores.
func TestHubNeighborhoodIsBounded(t *testing.T) {
	const degree = 10000
	src := []string{"src"}
	ds := &network.Dataset{
		Sources:  []network.Source{{ID: "src", Title: "S", URL: "https://example.org/s"}},
		Entities: []network.Entity{{ID: "hub", Kind: network.Organization, Name: "Hub", SourceIDs: src}},
	}
	for i := 0; i < degree; i++ {
		id := fmt.Sprintf("m%05d", i)
		ds.Entities = append(ds.Entities, network.Entity{ID: id, Kind: network.Person, Name: "Member " + id, SourceIDs: src})
		ds.Relationships = append(ds.Relationships, network.Relationship{ID: "r-" + id, Type: network.MemberOf, From: id, To: "hub", SourceIDs: src})
	}
	// Two members know each other: an edge among kept nodes.
	ds.Relationships = append(ds.Relationships, network.Relationship{ID: "r-knows", Type: network.AssociatedWith, From: "m00001", To: "m00002", SourceIDs: src})
	for _, fs := range freshStores(t) {
		t.Run(fs.name, func(t *testing.T) {
			ctx := context.Background()
			if _, err := fs.s.Load(ctx, ds); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				depth, limit int
				truncated    bool
				nodes, edges int
			}{
				{1, 50, true, 50, 50}, // hub + m00000..m00048, and the m00001-m00002 tie
				{2, 50, true, 50, 50}, // the limit is reached at level 1
				{1, network.MaxNeighborhoodLimit, true, network.MaxNeighborhoodLimit, network.MaxNeighborhoodLimit},
			} {
				g, err := fs.s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "hub", Depth: tc.depth, Limit: tc.limit})
				if err != nil {
					t.Fatalf("Neighborhood(hub, depth %d, limit %d): %v", tc.depth, tc.limit, err)
				}
				if len(g.Nodes) != tc.nodes || len(g.Edges) != tc.edges || g.Truncated != tc.truncated {
					t.Errorf("Neighborhood(hub, depth %d, limit %d): got %d nodes, %d edges, truncated %v; want %d, %d, %v",
						tc.depth, tc.limit, len(g.Nodes), len(g.Edges), g.Truncated, tc.nodes, tc.edges, tc.truncated)
				}
				if tc.limit == 50 && (g.Nodes[0].ID != "hub" || g.Nodes[len(g.Nodes)-1].ID != "m00048") {
					t.Errorf("Neighborhood(hub, limit 50): got nodes %s..%s, want hub..m00048", g.Nodes[0].ID, g.Nodes[len(g.Nodes)-1].ID)
				}
			}
		})
	}
}
