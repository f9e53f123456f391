package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// The questions the foundation promises an analyst can ask.

func TestEntity(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		got, err := s.Entities(context.Background(), []string{"iyad-ag-ghaly", "no-such-entity", "jnim"})
		if err != nil {
			t.Fatalf("Entities: %v", err)
		}
		if want := []string{"iyad-ag-ghaly", "<nil>", "jnim"}; !slices.Equal(entityIDs(got), want) {
			t.Fatalf("Entities(ghaly, unknown, jnim): got %v, want %v", entityIDs(got), want)
		}
		g := got[0]
		if g.Kind != network.Person || g.Name != "Iyad Ag Ghaly" || !slices.Contains(g.Aliases, "Iyad ag Ghali") {
			t.Errorf("Ghaly: got kind %s name %q aliases %v", g.Kind, g.Name, g.Aliases)
		}
		var des []string
		for _, d := range g.Designations {
			des = append(des, d.Authority+" "+d.ListedOn.String())
		}
		if want := []string{"United Nations Security Council 2013-02-25", "U.S. Department of State 2013-02-26"}; !slices.Equal(sorted(des), sorted(want)) {
			t.Errorf("Ghaly's designations: got %v, want %v", des, want)
		}
		if j := got[2]; j.Kind != network.Organization || j.Founded.String() != "2017-03-02" || len(j.Types) == 0 {
			t.Errorf("JNIM: got kind %s founded %q types %v", j.Kind, j.Founded, j.Types)
		}
	})
}

// Whom Iyad Ag Ghaly pledged allegiance to, and when.
func TestGhalyPledges(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		got, err := s.RelationshipsOf(context.Background(), []string{"iyad-ag-ghaly"},
			network.RelFilter{Types: []network.RelType{network.PledgedAllegianceTo}, Direction: network.Outgoing})
		if err != nil {
			t.Fatalf("RelationshipsOf: %v", err)
		}
		var to []string
		for _, r := range got[0] {
			to = append(to, r.To)
			if r.Since.String() != "2017-03-02" {
				t.Errorf("pledge %s: got since %q, want 2017-03-02", r.ID, r.Since)
			}
			if len(r.SourceIDs) == 0 {
				t.Errorf("pledge %s has no source", r.ID)
			}
		}
		if want := []string{"abdelmalek-droukdel", "ayman-al-zawahiri", "haibatullah-akhundzada"}; !slices.Equal(sorted(to), want) {
			t.Errorf("Ghaly pledged to: got %v, want %v", to, want)
		}
	})
}

// Which groups merged into JNIM.
func TestMergedIntoJNIM(t *testing.T) {
	want := []string{"al-murabitoun", "ansar-al-dine", "aqim-sahara-branch", "macina-liberation-front"}
	forEachStore(t, func(t *testing.T, s network.Store) {
		ctx := context.Background()
		got, err := s.RelationshipsOf(ctx, []string{"jnim"},
			network.RelFilter{Types: []network.RelType{network.MergedInto}, Direction: network.Incoming})
		if err != nil {
			t.Fatalf("RelationshipsOf: %v", err)
		}
		var from []string
		for _, r := range got[0] {
			from = append(from, r.From)
			if r.Since.String() != "2017-03-02" {
				t.Errorf("merger %s: got since %q, want 2017-03-02", r.ID, r.Since)
			}
		}
		if !slices.Equal(sorted(from), want) {
			t.Errorf("merged into JNIM: got %v, want %v", from, want)
		}
		lin, err := s.Lineage(ctx, network.LineageQuery{ID: "jnim", Direction: network.Predecessors})
		if err != nil {
			t.Fatalf("Lineage: %v", err)
		}
		if w := append(slices.Clone(want), "jnim"); !slices.Equal(entityIDs(lin.Nodes), sorted(w)) {
			t.Errorf("lineage(jnim, PREDECESSORS): got %v, want %v", entityIDs(lin.Nodes), sorted(w))
		}
	})
}

// How Amadou Kouffa is connected to Ayman al-Zawahiri.
func TestKouffaToZawahiri(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		p, err := s.ShortestPath(context.Background(), network.PathQuery{From: "amadou-kouffa", To: "ayman-al-zawahiri", MaxDepth: 6})
		if err != nil || p == nil {
			t.Fatalf("ShortestPath(kouffa, zawahiri): got %v, %v", p, err)
		}
		if want := []string{"amadou-kouffa", "iyad-ag-ghaly", "ayman-al-zawahiri"}; !slices.Equal(p.NodeIDs(), want) {
			t.Errorf("ShortestPath(kouffa, zawahiri): got %v, want %v", p.NodeIDs(), want)
		}
		if want := []string{"ghaly-met-with-kouffa", "ghaly-pledged-allegiance-to-zawahiri"}; !slices.Equal(relIDs(p.Edges), want) {
			t.Errorf("ShortestPath(kouffa, zawahiri) edges: got %v, want %v", relIDs(p.Edges), want)
		}
	})
}

// What Ghaly's ties were at the end of 2012.
func TestGhalyAtEndOf2012(t *testing.T) {
	want := []string{
		"ghaly-allied-with-aqim", "ghaly-allied-with-mujao", "ghaly-associated-with-al-qaeda",
		"ghaly-founded-ansar-al-dine", "ghaly-leader-of-ansar-al-dine",
		"ghaly-member-of-malian-high-council-of-territorial-collectivities", "saudi-arabia-opposed-ghaly",
	}
	forEachStore(t, func(t *testing.T, s network.Store) {
		got, err := s.RelationshipsOf(context.Background(), []string{"iyad-ag-ghaly"}, network.RelFilter{AsOf: date("2012-12-31")})
		if err != nil {
			t.Fatalf("RelationshipsOf: %v", err)
		}
		if !slices.Equal(relIDs(got[0]), want) {
			t.Errorf("Ghaly's ties asOf 2012-12-31: got %v, want %v", relIDs(got[0]), want)
		}
	})
}

func TestSearch(t *testing.T) {
	cases := []struct{ query, top string }{
		{"ghali", "iyad-ag-ghaly"},
		{"Koufa", "amadou-kouffa"},
		{"Jama'at Nusrat al-Islam wal-Muslimin", "jnim"},
		{"Droukdal", "abdelmalek-droukdel"},
		{"al qaida", "al-qaeda"},
		{"Ghaly)(*", "iyad-ag-ghaly"},
		{"ANSAR EDDINE", "ansar-al-dine"},
		{"Touré", "amadou-toumani-toure"},
		{"toure", "amadou-toumani-toure"},
		{`"AQIM" OR *:*`, "aqim"},
		{"mujao~", "mujao"},
	}
	forEachStore(t, func(t *testing.T, s network.Store) {
		for _, c := range cases {
			hits, err := s.Search(context.Background(), network.SearchQuery{Query: c.query, Limit: 10})
			if err != nil {
				t.Errorf("Search(%q): %v", c.query, err)
				continue
			}
			if len(hits) == 0 || hits[0].Entity.ID != c.top {
				t.Errorf("Search(%q): got top hits %v, want %s first", c.query, hitIDs(hits), c.top)
			}
		}
	})
}

func hitIDs(hits []network.SearchHit) []string {
	return ids(hits, func(h network.SearchHit) string { return h.Entity.ID })
}

// The stores give the same top hit and the same set of first hits.
func TestSearchSameOnBothStores(t *testing.T) {
	queries := []string{"ghali", "Koufa", "al qaida", "Mali", "ansar", "Islamic State", "France", "Droukdal", "macina", "al"}
	st := both(t)
	for _, q := range queries {
		var results [][]string
		for _, ns := range st {
			hits, err := ns.store.Search(context.Background(), network.SearchQuery{Query: q, Limit: 5})
			if err != nil {
				t.Fatalf("%s Search(%q): %v", ns.name, q, err)
			}
			results = append(results, hitIDs(hits))
		}
		if len(results[0]) == 0 {
			t.Errorf("Search(%q): no hits on memory", q)
			continue
		}
		if results[0][0] != results[1][0] || !slices.Equal(sorted(results[0]), sorted(results[1])) {
			t.Errorf("Search(%q): memory %v, neo4j %v, want the same top hit and set", q, results[0], results[1])
		}
	}
}

func TestSearchKinds(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		hits, err := s.Search(context.Background(), network.SearchQuery{Query: "ghaly", Kinds: []network.EntityKind{network.Organization}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Entity.Kind != network.Organization {
				t.Errorf("Search(ghaly, ORGANIZATION): got %s of kind %s", h.Entity.ID, h.Entity.Kind)
			}
		}
	})
}

func TestAllegianceChains(t *testing.T) {
	cases := []struct {
		from, asOf string
		want       [][]string
	}{
		{"iyad-ag-ghaly", "", [][]string{
			{"iyad-ag-ghaly", "abdelmalek-droukdel"}, {"iyad-ag-ghaly", "ayman-al-zawahiri"}, {"iyad-ag-ghaly", "haibatullah-akhundzada"}}},
		// Droukdel died in June 2020 and his pledge ended with him.
		{"iyad-ag-ghaly", "2021", [][]string{{"iyad-ag-ghaly", "ayman-al-zawahiri"}, {"iyad-ag-ghaly", "haibatullah-akhundzada"}}},
		{"iyad-ag-ghaly", "2016", nil},
		{"jnim", "", [][]string{{"jnim", "al-qaeda"}}},
	}
	forEachStore(t, func(t *testing.T, s network.Store) {
		for _, c := range cases {
			q := network.ChainQuery{From: c.from, MaxDepth: 8}
			if c.asOf != "" {
				q.AsOf = date(c.asOf)
			}
			paths, err := s.AllegianceChains(context.Background(), q)
			if err != nil {
				t.Fatalf("AllegianceChains(%s, %q): %v", c.from, c.asOf, err)
			}
			var got [][]string
			for _, p := range paths {
				got = append(got, p.NodeIDs())
			}
			if !slices.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("AllegianceChains(%s, asOf %q): got %v, want %v", c.from, c.asOf, got, c.want)
			}
		}
	})
}

func TestLineage(t *testing.T) {
	cases := []struct {
		id   string
		dir  network.LineageDirection
		asOf string
		want []string
	}{
		{"aqim", network.BothLineages, "", []string{"aqim", "gspc"}},
		{"gspc", network.Successors, "", []string{"aqim", "gspc"}},
		{"gspc", network.Predecessors, "", []string{"gspc"}},
		{"ansar-al-dine", network.Successors, "", []string{"ansar-al-dine", "jnim"}},
		// In 2012 JNIM did not exist yet.
		{"ansar-al-dine", network.Successors, "2012", []string{"ansar-al-dine"}},
		// Siblings of a merger are not lineage of one party.
		{"ansar-al-dine", network.BothLineages, "", []string{"ansar-al-dine", "jnim"}},
	}
	forEachStore(t, func(t *testing.T, s network.Store) {
		for _, c := range cases {
			q := network.LineageQuery{ID: c.id, Direction: c.dir}
			if c.asOf != "" {
				q.AsOf = date(c.asOf)
			}
			g, err := s.Lineage(context.Background(), q)
			if err != nil {
				t.Fatalf("Lineage(%s, %s): %v", c.id, c.dir, err)
			}
			if !slices.Equal(entityIDs(g.Nodes), c.want) {
				t.Errorf("Lineage(%s, %s, asOf %q): got %v, want %v", c.id, c.dir, c.asOf, entityIDs(g.Nodes), c.want)
			}
		}
	})
}

func TestNeighborhood(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		ctx := context.Background()
		g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "jnim", Depth: 1, Limit: 500,
			Types: []network.RelType{network.MergedInto}})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"al-murabitoun", "ansar-al-dine", "aqim-sahara-branch", "jnim", "macina-liberation-front"}
		if !slices.Equal(entityIDs(g.Nodes), want) || len(g.Edges) != 4 || g.Truncated {
			t.Errorf("Neighborhood(jnim, MERGED_INTO): got nodes %v, %d edges, truncated %v; want %v, 4 edges, false",
				entityIDs(g.Nodes), len(g.Edges), g.Truncated, want)
		}
		// limit counts nodes nearest first, then by id.
		g, err = s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "jnim", Depth: 1, Limit: 3, Types: []network.RelType{network.MergedInto}})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"al-murabitoun", "ansar-al-dine", "jnim"}; !slices.Equal(entityIDs(g.Nodes), want) || !g.Truncated {
			t.Errorf("Neighborhood(jnim, limit 3): got %v truncated %v, want %v truncated true", entityIDs(g.Nodes), g.Truncated, want)
		}
		for _, e := range g.Edges {
			if !slices.Contains(entityIDs(g.Nodes), e.From) || !slices.Contains(entityIDs(g.Nodes), e.To) {
				t.Errorf("Neighborhood(jnim, limit 3): edge %s leaves the node set", e.ID)
			}
		}
		// asOf drops the entities that did not exist and their edges.
		g, err = s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "ansar-al-dine", Depth: 1, Limit: 500, AsOf: date("2012")})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(entityIDs(g.Nodes), "jnim") {
			t.Errorf("Neighborhood(ansar-al-dine, asOf 2012): got %v, want no jnim", entityIDs(g.Nodes))
		}
	})
}

// Symmetric types are stored once and read in both directions.
func TestSymmetricRelationships(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		for _, dir := range []network.Direction{network.Outgoing, network.Incoming, network.Both} {
			got, err := s.RelationshipsOf(context.Background(), []string{"mujao", "iyad-ag-ghaly"},
				network.RelFilter{Types: []network.RelType{network.AlliedWith}, Direction: dir})
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range []string{"mujao", "iyad-ag-ghaly"} {
				if !slices.Contains(relIDs(got[i]), "ghaly-allied-with-mujao") {
					t.Errorf("RelationshipsOf(%s, ALLIED_WITH, %s): got %v, want ghaly-allied-with-mujao", id, dir, relIDs(got[i]))
				}
			}
		}
		// A directed type is not.
		got, err := s.RelationshipsOf(context.Background(), []string{"jnim"},
			network.RelFilter{Types: []network.RelType{network.MergedInto}, Direction: network.Outgoing})
		if err != nil {
			t.Fatal(err)
		}
		if len(got[0]) != 0 {
			t.Errorf("RelationshipsOf(jnim, MERGED_INTO, OUTGOING): got %v, want none", relIDs(got[0]))
		}
	})
}

func TestErrors(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		ctx := context.Background()
		_, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "iyad-ag-ghaly", Depth: network.MaxNeighborhoodDepth + 1, Limit: 10})
		wantCode(t, "Neighborhood(depth over max)", err, network.ELIMIT)
		_, err = s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "iyad-ag-ghaly", Depth: 1, Limit: network.MaxNeighborhoodLimit + 1})
		wantCode(t, "Neighborhood(limit over max)", err, network.ELIMIT)
		_, err = s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "nobody", Depth: 1, Limit: 10})
		wantCode(t, "Neighborhood(unknown id)", err, network.ENOTFOUND)
		_, err = s.ShortestPath(ctx, network.PathQuery{From: "iyad-ag-ghaly", To: "nobody", MaxDepth: 3})
		wantCode(t, "ShortestPath(unknown id)", err, network.ENOTFOUND)
		_, err = s.ShortestPath(ctx, network.PathQuery{From: "iyad-ag-ghaly", To: "jnim", MaxDepth: network.MaxPathDepth + 1})
		wantCode(t, "ShortestPath(maxDepth over max)", err, network.ELIMIT)
		_, err = s.AllegianceChains(ctx, network.ChainQuery{From: "iyad-ag-ghaly", MaxDepth: 0})
		wantCode(t, "AllegianceChains(maxDepth 0)", err, network.EINVALID)
		_, err = s.Search(ctx, network.SearchQuery{Query: "ghaly", Limit: network.MaxSearchLimit + 1})
		wantCode(t, "Search(limit over max)", err, network.ELIMIT)
		_, err = s.Search(ctx, network.SearchQuery{Query: ")(*", Limit: 10})
		wantCode(t, "Search(no letters)", err, network.EINVALID)
		_, err = s.Lineage(ctx, network.LineageQuery{ID: "nobody", Direction: network.BothLineages})
		wantCode(t, "Lineage(unknown id)", err, network.ENOTFOUND)
	})
}

func TestNoPath(t *testing.T) {
	forEachStore(t, func(t *testing.T, s network.Store) {
		// Before 2017 JNIM did not exist, so nothing reaches it.
		p, err := s.ShortestPath(context.Background(), network.PathQuery{From: "iyad-ag-ghaly", To: "jnim", MaxDepth: 6, AsOf: date("2015")})
		if err != nil || p != nil {
			t.Errorf("ShortestPath(ghaly, jnim, asOf 2015): got %v, %v; want nil, nil", p, err)
		}
		// Only MERGED_INTO edges: Ghaly has none.
		p, err = s.ShortestPath(context.Background(), network.PathQuery{From: "iyad-ag-ghaly", To: "jnim", MaxDepth: 6, Types: []network.RelType{network.MergedInto}})
		if err != nil || p != nil {
			t.Errorf("ShortestPath(ghaly, jnim, MERGED_INTO): got %v, %v; want nil, nil", p, err)
		}
	})
}
