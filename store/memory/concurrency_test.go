package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// Reads running while loads delete and restore entities never fail with
// anything but ENOTFOUND (for an entity a load has just deleted), and the
// store ends as the last load left it. TestNoTornReads checks that the
// answers themselves are whole. Run with -race.
func TestReadsDuringLoads(t *testing.T) {
	ctx := context.Background()
	d := bundled(t)
	s := loaded(t, d)
	ids := make([]string, 0, len(d.Entities))
	for _, e := range d.Entities {
		ids = append(ids, e.ID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				id, to := ids[(w*31+i)%len(ids)], ids[(w*17+3*i)%len(ids)]
				if _, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: id, Depth: 2, Limit: 50}); err != nil && network.ErrorCode(err) != network.ENOTFOUND {
					errs <- fmt.Errorf("Neighborhood(%s): %v", id, err)
				}
				if _, err := s.ShortestPath(ctx, network.PathQuery{From: id, To: to, MaxDepth: 6}); err != nil && network.ErrorCode(err) != network.ENOTFOUND {
					errs <- fmt.Errorf("ShortestPath(%s, %s): %v", id, to, err)
				}
				if _, err := s.Search(ctx, network.SearchQuery{Query: "ghali", Limit: 5}); err != nil {
					errs <- fmt.Errorf("Search: %v", err)
				}
				if _, err := s.Lineage(ctx, network.LineageQuery{ID: id, Direction: network.BothLineages}); err != nil && network.ErrorCode(err) != network.ENOTFOUND {
					errs <- fmt.Errorf("Lineage(%s): %v", id, err)
				}
			}
		}()
	}
	for i := range 8 {
		// Delete a few entities, then put them back.
		del := &network.Dataset{DeleteEntities: ids[i*3 : i*3+3]}
		if _, err := s.Load(ctx, del); err != nil {
			t.Fatalf("Load(delete): %v", err)
		}
		if _, err := s.Load(ctx, d); err != nil {
			t.Fatalf("Load(bundled): %v", err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := s.Counts(ctx)
	if want := d.Counts(); got != want {
		t.Errorf("Counts after the loads: got %+v, want %+v", got, want)
	}
}

// lineageLen and chainLen size the two networks of tornNetwork: a long
// lineage makes Lineage take one step per entity, a chain as deep as
// MaxChainDepth makes AllegianceChains take the most steps it can.
const (
	lineageLen = 200
	chainLen   = network.MaxChainDepth + 1
)

// tornNetwork returns one of two networks, A (b false) and B (b true), with
// the same entity and relationship ids, so that loading one over the other
// (a plain merging Load, as a reload does) leaves exactly it. They answer
// every query of tornQueries differently:
//
//   - the lineage l000 → l001 → … runs forward in A and backward in B, so
//     l000 has every l as a successor in A and none in B;
//   - the allegiance chain runs c00 → c01 → … → c12 in A and
//     c00 → c12 → c11 → … → c01 in B;
//   - every entity's name says which network it is from.
//
// An answer that mixes them (some steps taken in A and some in B, or
// entities read from the other network than the edges) is neither.
func tornNetwork(b bool) *network.Dataset {
	tag := "A"
	if b {
		tag = "B"
	}
	d := &network.Dataset{}
	ent := func(id string) {
		d.Entities = append(d.Entities, network.Entity{ID: id, Kind: network.Organization, Name: id + " of network " + tag})
	}
	rel := func(id string, typ network.RelType, from, to string) {
		d.Relationships = append(d.Relationships, network.Relationship{ID: id, Type: typ, From: from, To: to})
	}
	l := func(i int) string { return fmt.Sprintf("l%03d", i) }
	c := func(i int) string { return fmt.Sprintf("c%02d", i) }
	for i := range lineageLen {
		ent(l(i))
	}
	for i := range chainLen {
		ent(c(i))
	}
	for i := 0; i+1 < lineageLen; i++ {
		from, to := l(i), l(i+1)
		if b {
			from, to = to, from
		}
		rel(fmt.Sprintf("rl%03d", i), network.MergedInto, from, to)
	}
	for i := 0; i+1 < chainLen; i++ {
		from, to := c(i), c(i+1)
		if b {
			// rc00 is c00 → c12; rc<i> is c<i+1> → c<i>.
			from, to = c(i+1), c(i)
			if i == 0 {
				from, to = c(0), c(chainLen-1)
			}
		}
		rel(fmt.Sprintf("rc%02d", i), network.PledgedAllegianceTo, from, to)
	}
	return d
}

// tornQuery is one read of TestNoTornReads.
type tornQuery struct {
	name string
	run  func(ctx context.Context, s *Store) (any, error)
}

func tornQueries() []tornQuery {
	return []tornQuery{
		{"Lineage", func(ctx context.Context, s *Store) (any, error) {
			return s.Lineage(ctx, network.LineageQuery{ID: "l000", Direction: network.Successors})
		}},
		{"AllegianceChains", func(ctx context.Context, s *Store) (any, error) {
			return s.AllegianceChains(ctx, network.ChainQuery{From: "c00", MaxDepth: network.MaxChainDepth})
		}},
		{"Neighborhood", func(ctx context.Context, s *Store) (any, error) {
			return s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "c00", Depth: 3, Limit: 50})
		}},
		{"NeighborhoodSummary", func(ctx context.Context, s *Store) (any, error) {
			return s.NeighborhoodSummary(ctx, network.NeighborhoodQuery{ID: "c00", Depth: 3, Limit: 50})
		}},
		{"ShortestPath", func(ctx context.Context, s *Store) (any, error) {
			return s.ShortestPath(ctx, network.PathQuery{From: "c00", To: "c06", MaxDepth: network.MaxPathDepth})
		}},
		{"Search", func(ctx context.Context, s *Store) (any, error) {
			return s.Search(ctx, network.SearchQuery{Query: "c06", Limit: 3})
		}},
		{"Entities", func(ctx context.Context, s *Store) (any, error) {
			return s.Entities(ctx, []string{"c00", "l100", "c12"})
		}},
		{"RelationshipsOf", func(ctx context.Context, s *Store) (any, error) {
			return s.RelationshipsOf(ctx, []string{"c00", "c01", "l100"}, network.RelFilter{Direction: network.Outgoing})
		}},
	}
}

// canonical is the JSON of v, for comparing and showing answers.
func canonical(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return string(b)
}

// Each read running while reloads switch the store between networks A
// and B answers as a store holding only A or only B does: a traversal
// never takes some steps in one network and some in the other. Run with
// -race.
func TestNoTornReads(t *testing.T) {
	ctx := context.Background()
	nets := []*network.Dataset{tornNetwork(false), tornNetwork(true)}
	qs := tornQueries()
	// want[i][n] is query i's answer over network n alone, canonical;
	// wantAns[i][n] is the answer itself.
	want := make([][2]string, len(qs))
	wantAns := make([][2]any, len(qs))
	for n, d := range nets {
		s := loaded(t, d)
		for i, q := range qs {
			got, err := q.run(ctx, s)
			if err != nil {
				t.Fatalf("%s over network %d: %v", q.name, n, err)
			}
			want[i][n], wantAns[i][n] = canonical(t, got), got
		}
	}
	for i, q := range qs {
		if want[i][0] == want[i][1] {
			t.Fatalf("%s answers the same over A and B: the test cannot tell a torn read", q.name)
		}
	}
	s := New()
	// Reloads give the answers a fresh store gives.
	for _, n := range []int{0, 1, 0, 1} {
		if _, err := s.Load(ctx, nets[n]); err != nil {
			t.Fatalf("Load(network %d): %v", n, err)
		}
		for i, q := range qs {
			got, err := q.run(ctx, s)
			if err != nil {
				t.Fatalf("%s after reloading network %d: %v", q.name, n, err)
			}
			if c := canonical(t, got); c != want[i][n] {
				t.Fatalf("%s after reloading network %d:\ngot  %s\nwant %s", q.name, n, c, want[i][n])
			}
		}
	}

	const loads = 300
	var (
		done  atomic.Bool
		torn  atomic.Int64
		reads atomic.Int64
		mu    sync.Mutex
		first []string           // the first few torn answers
		which = map[string]int{} // torn answers by query
	)
	tear := func(q string, msg string) {
		torn.Add(1)
		mu.Lock()
		defer mu.Unlock()
		which[q]++
		if len(first) < 3 {
			first = append(first, q+": "+msg)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; !done.Load(); k++ {
				i := k % len(qs)
				q := qs[i]
				got, err := q.run(ctx, s)
				reads.Add(1)
				if err != nil {
					tear(q.name, fmt.Sprintf("error %v", err))
					continue
				}
				c, err := json.Marshal(got)
				if err != nil {
					panic(err)
				}
				if string(c) != want[i][0] && string(c) != want[i][1] {
					tear(q.name, fmt.Sprintf("got %s,\nwant A %s\n  or B %s", brief(got), brief(wantAns[i][0]), brief(wantAns[i][1])))
				}
			}
		}()
	}
	for k := range loads {
		if _, err := s.Load(ctx, nets[k%2]); err != nil {
			t.Errorf("Load(network %d): %v", k%2, err)
			break
		}
	}
	done.Store(true)
	wg.Wait()
	if n := torn.Load(); n > 0 {
		t.Errorf("%d of %d reads during %d reloads answered neither as network A nor as network B (by query: %v); the first:\n%s",
			n, reads.Load(), loads, which, strings.Join(first, "\n"))
	}
	t.Logf("%d reads during %d reloads", reads.Load(), loads)
}

// brief shows what tells A's answers from B's: the nodes' names, in
// order (the first five of a long list).
func brief(v any) string {
	names := func(es []*network.Entity) string {
		var out []string
		for i, e := range es {
			if i == 5 && len(es) > 6 {
				out = append(out, fmt.Sprintf("… %d more", len(es)-i))
				break
			}
			out = append(out, e.Name)
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	switch v := v.(type) {
	case *network.Subgraph:
		return fmt.Sprintf("%d nodes %s, %d edges", len(v.Nodes), names(v.Nodes), len(v.Edges))
	case *network.Path:
		if v == nil {
			return "no path"
		}
		return names(v.Nodes)
	case []*network.Path:
		out := make([]string, len(v))
		for i, p := range v {
			out[i] = names(p.Nodes)
		}
		return fmt.Sprintf("%d chains %s", len(v), strings.Join(out, " "))
	}
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		b = append(b[:300], "..."...)
	}
	return string(b)
}
