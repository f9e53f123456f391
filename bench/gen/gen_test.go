package gen

import (
	"context"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// generated caches one dataset per scale and seed across the tests.
var generated = map[[2]any]*network.Dataset{}

func dataset(tb testing.TB, sc Scale, seed uint64) (Plan, *network.Dataset) {
	tb.Helper()
	p, err := PlanFor(sc)
	if err != nil {
		tb.Fatalf("PlanFor(%s): %v", sc, err)
	}
	key := [2]any{sc, seed}
	if d := generated[key]; d != nil {
		return p, d
	}
	d := Generate(p, seed)
	generated[key] = d
	return p, d
}

func TestDeterminism(t *testing.T) {
	for _, sc := range []Scale{T, S} {
		t.Run(string(sc), func(t *testing.T) {
			p, _ := PlanFor(sc)
			a, b, c := Hash(Generate(p, 7)), Hash(Generate(p, 7)), Hash(Generate(p, 8))
			if a != b {
				t.Errorf("scale %s seed 7 twice: got hashes %s and %s, want equal", sc, a, b)
			}
			if a == c {
				t.Errorf("scale %s seeds 7 and 8: got the same hash %s, want different", sc, a)
			}
		})
	}
}

func TestPlanArithmetic(t *testing.T) {
	tests := []struct {
		scale                       Scale
		entities, relationships     int
		minHubMembers, minHubsCount int
	}{
		{T, 1_000, 5_000, 100, 1},
		{S, 10_000, 50_000, 1_000, 2},
		{M, 100_000, 1_000_000, 10_000, 3},
		{L, 1_000_000, 10_000_000, 10_000, 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.scale), func(t *testing.T) {
			p, err := PlanFor(tt.scale)
			if err != nil {
				t.Fatal(err)
			}
			if p.Entities != tt.entities || p.Persons+p.Organizations != tt.entities {
				t.Errorf("scale %s: got %d entities (%d persons + %d organizations), want %d", tt.scale, p.Entities, p.Persons, p.Organizations, tt.entities)
			}
			if got := p.Relationships(); got != tt.relationships {
				t.Errorf("scale %s: got %d relationships planned, want %d", tt.scale, got, tt.relationships)
			}
			for _, rt := range network.RelTypes {
				if p.ByType[rt] <= 0 {
					t.Errorf("scale %s: type %s planned %d times, want > 0", tt.scale, rt, p.ByType[rt])
				}
			}
			if p.HubMembers < tt.minHubMembers || p.Hubs < tt.minHubsCount {
				t.Errorf("scale %s: got %d hubs of %d members, want at least %d hubs of %d", tt.scale, p.Hubs, p.HubMembers, tt.minHubsCount, tt.minHubMembers)
			}
		})
	}
}

func TestCountsMatchPlan(t *testing.T) {
	for _, sc := range []Scale{T, S} {
		t.Run(string(sc), func(t *testing.T) {
			p, d := dataset(t, sc, 1)
			c := d.Counts()
			if c.Entities != p.Entities || c.Relationships != p.Relationships() || c.Sources != SourceCount {
				t.Errorf("scale %s: got %+v, want %d entities, %d relationships, %d sources", sc, c, p.Entities, p.Relationships(), SourceCount)
			}
			got := map[network.RelType]int{}
			for _, r := range d.Relationships {
				got[r.Type]++
			}
			for _, rt := range network.RelTypes {
				if got[rt] != p.ByType[rt] {
					t.Errorf("scale %s: type %s: got %d, want %d", sc, rt, got[rt], p.ByType[rt])
				}
			}
		})
	}
}

// degrees counts each entity's relationships.
func degrees(d *network.Dataset) map[string]int {
	deg := map[string]int{}
	for _, r := range d.Relationships {
		deg[r.From]++
		deg[r.To]++
	}
	return deg
}

func TestHubs(t *testing.T) {
	p, d := dataset(t, S, 1)
	deg := degrees(d)
	for h := range p.Hubs {
		if deg[OrgID(h)] < p.HubMembers {
			t.Errorf("hub %s: got degree %d, want at least %d", OrgID(h), deg[OrgID(h)], p.HubMembers)
		}
	}
	// Power law: the median entity has a small degree, far below the hubs.
	ordinary := deg[p.Landmarks().Ordinary]
	if ordinary == 0 || ordinary > p.HubMembers/10 {
		t.Errorf("ordinary landmark %s: got degree %d, want between 1 and %d", p.Landmarks().Ordinary, ordinary, p.HubMembers/10)
	}
	m, _ := PlanFor(M)
	if m.HubMembers < 10_000 {
		t.Errorf("scale M: got hubs of %d members, want at least 10,000", m.HubMembers)
	}
}

func TestAllegianceDepth(t *testing.T) {
	p, d := dataset(t, S, 1)
	up := map[string]string{}
	for _, r := range d.Relationships {
		if r.Type == network.PledgedAllegianceTo || r.Type == network.AffiliateOf {
			if strings.HasPrefix(r.From, "org-") {
				if prev, dup := up[r.From]; dup {
					t.Fatalf("organization %s has two allegiance edges (to %s and %s), want one", r.From, prev, r.To)
				}
				up[r.From] = r.To
			}
		}
	}
	deepest := 0
	for from := range up {
		n := 0
		for at := from; up[at] != ""; at = up[at] {
			n++
			if n > Levels {
				t.Fatalf("allegiance chain from %s is longer than %d: a cycle?", from, Levels)
			}
		}
		deepest = max(deepest, n)
	}
	if deepest != Levels-1 {
		t.Errorf("deepest organization chain: got %d edges, want %d", deepest, Levels-1)
	}
	s := memory.New()
	if _, err := s.Load(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	lm := p.Landmarks()
	chains, err := s.AllegianceChains(context.Background(), network.ChainQuery{From: lm.ChainFrom, MaxDepth: 12})
	if err != nil {
		t.Fatal(err)
	}
	if len(chains) != 1 || chains[0].Len() != Levels-1 {
		t.Errorf("allegianceChains(%s): got %d chains (first of length %d), want 1 of length %d", lm.ChainFrom, len(chains), firstLen(chains), Levels-1)
	}
	// A person pledging to a bottom-level organization starts a chain of
	// Levels edges.
	found := false
	for _, r := range d.Relationships {
		if r.Type == network.PledgedAllegianceTo && strings.HasPrefix(r.From, "per-") {
			chains, err := s.AllegianceChains(context.Background(), network.ChainQuery{From: r.From, MaxDepth: 12})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range chains {
				found = found || c.Len() == Levels
			}
			if found {
				break
			}
		}
	}
	if !found {
		t.Errorf("got no allegiance chain of %d edges from a person, want one", Levels)
	}
}

func firstLen(ps []*network.Path) int {
	if len(ps) == 0 {
		return 0
	}
	return ps[0].Len()
}

func TestLineage(t *testing.T) {
	p, d := dataset(t, S, 1)
	s := memory.New()
	if _, err := s.Load(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	lm := p.Landmarks()
	g, err := s.Lineage(context.Background(), network.LineageQuery{ID: lm.LineageOf, Direction: network.BothLineages})
	if err != nil {
		t.Fatal(err)
	}
	types := map[network.RelType]int{}
	for _, e := range g.Edges {
		types[e.Type]++
	}
	want := map[network.RelType]int{network.RenamedTo: 1, network.MergedInto: 2, network.SplitFrom: 1}
	if len(g.Nodes) != 5 || len(types) != len(want) || types[network.MergedInto] != 2 || types[network.RenamedTo] != 1 || types[network.SplitFrom] != 1 {
		t.Errorf("lineage(%s, BOTH): got %d nodes and edge types %v, want 5 nodes and %v", lm.LineageOf, len(g.Nodes), types, want)
	}
}

func TestDatesInRange(t *testing.T) {
	_, d := dataset(t, S, 1)
	first := network.MustParsePartialDate("1990").First()
	last := network.MustParsePartialDate("2025").Last()
	inRange := func(pd network.PartialDate) bool {
		return pd.IsZero() || (pd.First() >= first && pd.Last() <= last)
	}
	precisions := map[int]int{}
	open := 0
	for _, r := range d.Relationships {
		if !inRange(r.Since) || !inRange(r.Until) || r.Until.Before(r.Since) {
			t.Fatalf("relationship %s: since %q until %q, want within 1990–2025 and until not before since", r.ID, r.Since, r.Until)
		}
		precisions[len(r.Since.String())]++
		if r.Until.IsZero() {
			open++
		}
	}
	for _, n := range []int{4, 7, 10} {
		if precisions[n] == 0 {
			t.Errorf("got no since date of %d characters, want years, months and days", n)
		}
	}
	if open == 0 || open == len(d.Relationships) {
		t.Errorf("got %d open-ended relationships of %d, want some but not all", open, len(d.Relationships))
	}
	born := network.MustParsePartialDate("1940").First()
	for _, e := range d.Entities {
		if !inRange(e.Founded) || !inRange(e.Dissolved) || !inRange(e.Died) || e.Dissolved.Before(e.Founded) {
			t.Fatalf("entity %s: founded %q dissolved %q died %q, want within 1990–2025, in order", e.ID, e.Founded, e.Dissolved, e.Died)
		}
		if !e.Born.IsZero() && (e.Born.First() < born || e.Born.Last() > network.MustParsePartialDate("1989").Last()) {
			t.Fatalf("entity %s: born %q, want within 1940–1989", e.ID, e.Born)
		}
	}
}

func TestEverythingCitesASyntheticSource(t *testing.T) {
	_, d := dataset(t, S, 1)
	sources := map[string]bool{}
	for _, s := range d.Sources {
		if !strings.Contains(s.Title, "Synthetic") || !strings.Contains(s.Publisher, "synthetic") || !strings.HasSuffix(strings.SplitN(s.URL, "/", 4)[2], ".invalid") {
			t.Errorf("source %s: title %q publisher %q url %q, want marked synthetic with an .invalid host", s.ID, s.Title, s.Publisher, s.URL)
		}
		sources[s.ID] = true
	}
	for _, r := range d.Relationships {
		if len(r.SourceIDs) == 0 || !sources[r.SourceIDs[0]] {
			t.Fatalf("relationship %s cites %v, want a known source", r.ID, r.SourceIDs)
		}
	}
	for _, e := range d.Entities {
		if len(e.SourceIDs) == 0 || !sources[e.SourceIDs[0]] || len(e.Aliases) == 0 {
			t.Fatalf("entity %s cites %v with aliases %v, want a known source and an alias", e.ID, e.SourceIDs, e.Aliases)
		}
	}
}

func TestLoadsIntoTheEmbeddedStore(t *testing.T) {
	p, d := dataset(t, S, 1)
	c, err := memory.New().Load(context.Background(), d)
	if err != nil {
		t.Fatalf("memory.Load(scale S): %v", err)
	}
	if c.Entities != p.Entities || c.Relationships != p.Relationships() {
		t.Errorf("memory.Load(scale S): got %+v, want %d entities and %d relationships", c, p.Entities, p.Relationships())
	}
	hits, err := memory.New().Search(context.Background(), network.SearchQuery{Query: "x", Limit: 1})
	if err != nil || len(hits) != 0 {
		t.Errorf("search of an empty store: got %v, %v", hits, err)
	}
}

func TestWriteDirPassesTheLoader(t *testing.T) {
	_, d := dataset(t, T, 1)
	dir := t.TempDir()
	if err := WriteDir(dir, d); err != nil {
		t.Fatal(err)
	}
	back, err := loader.ReadFiles(dir)
	if err != nil {
		t.Fatalf("loader.ReadFiles(WriteDir(scale T)): %v", err)
	}
	back.Sort()
	d.Sort() // ids are scrambled, so generation order is not id order
	if got, want := Hash(back), Hash(d); got != want {
		t.Errorf("dataset read back: got hash %s, want %s", got, want)
	}
}

func TestSearchLandmarkFindsItsOrganization(t *testing.T) {
	p, d := dataset(t, T, 1)
	s := memory.New()
	if _, err := s.Load(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	want := OrgID(p.Organizations / 3)
	hits, err := s.Search(context.Background(), network.SearchQuery{Query: p.Landmarks().Search, Limit: 5})
	if err != nil || len(hits) == 0 || hits[0].Entity.ID != want {
		t.Errorf("search(%q): got %v (%v), want top hit %s", p.Landmarks().Search, hits, err, want)
	}
}
