package memory_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// The benchmarks run on the synthetic network of scale S, or of the scale
// ALLEGIANCE_BENCH_SCALE names (T, S, M or L):
//
//	go test -run '^$' -bench . ./store/memory/
//	ALLEGIANCE_BENCH_SCALE=M go test -run '^$' -bench . -benchtime 200x ./store/memory/
//
// Generating M takes about a second and a half and holds about 1 GB.

// benchSeed is the seed of bench/suite.
const benchSeed = 1

// benchScale is the scale of the benchmarks.
func benchScale(tb testing.TB) gen.Scale {
	tb.Helper()
	v := os.Getenv("ALLEGIANCE_BENCH_SCALE")
	if v == "" {
		return gen.S
	}
	sc, err := gen.ParseScale(v)
	if err != nil {
		tb.Fatalf("ALLEGIANCE_BENCH_SCALE: %v", err)
	}
	return sc
}

var (
	loadedOnce  sync.Once
	loadedStore *memory.Store
	loadedPlan  gen.Plan
	loadedErr   error
)

// loadedBench returns a store loaded with the benchmark scale, shared by
// the query benchmarks.
func loadedBench(tb testing.TB) (*memory.Store, gen.Plan) {
	tb.Helper()
	sc := benchScale(tb)
	loadedOnce.Do(func() {
		loadedPlan, loadedErr = gen.PlanFor(sc)
		if loadedErr != nil {
			return
		}
		d := gen.Generate(loadedPlan, benchSeed)
		loadedStore = memory.New()
		_, loadedErr = loadedStore.Load(context.Background(), d)
	})
	if loadedErr != nil {
		tb.Fatalf("loading scale %s: %v", sc, loadedErr)
	}
	return loadedStore, loadedPlan
}

// liveHeap is the live heap after full collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkLoad loads the generated network into an empty store and
// reports the load time and the heap the store keeps per relationship once
// the dataset is gone (strings it shares with the dataset count as the
// store's).
func BenchmarkLoad(b *testing.B) {
	sc := benchScale(b)
	p, err := gen.PlanFor(sc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("scale=%s", sc), func(b *testing.B) {
		var perRel, loadNs []float64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			before := liveHeap()
			d := gen.Generate(p, benchSeed)
			n := len(d.Relationships)
			runtime.GC()
			b.StartTimer()
			start := time.Now()
			s := memory.New()
			if _, err := s.Load(context.Background(), d); err != nil {
				b.Fatal(err)
			}
			loadNs = append(loadNs, float64(time.Since(start).Nanoseconds()))
			b.StopTimer()
			d = nil
			after := liveHeap()
			perRel = append(perRel, (float64(after)-float64(before))/float64(n))
			runtime.KeepAlive(s)
			s = nil
			b.StartTimer()
		}
		b.ReportMetric(median(loadNs)/1e6, "load-ms")
		b.ReportMetric(median(perRel), "heap-B/rel")
	})
}

// BenchmarkReload loads the generated network into a store that already
// holds it: a reload that changes nothing.
func BenchmarkReload(b *testing.B) {
	sc := benchScale(b)
	p, err := gen.PlanFor(sc)
	if err != nil {
		b.Fatal(err)
	}
	d := gen.Generate(p, benchSeed)
	s := memory.New()
	ctx := context.Background()
	if _, err := s.Load(ctx, d); err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("scale=%s", sc), func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Load(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// benchQuery is one store call the query benchmarks time.
type benchQuery struct {
	name string
	run  func(ctx context.Context, s *memory.Store) error
}

// benchQueries are the queries of bench/suite on the plan's landmarks, plus
// searches for a misspelt, a prefix and a transliterated name.
func benchQueries(p gen.Plan) []benchQuery {
	lm := p.Landmarks()
	nbh := func(id string, depth int) func(ctx context.Context, s *memory.Store) error {
		return func(ctx context.Context, s *memory.Store) error {
			_, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: id, Depth: depth, Limit: 500})
			return err
		}
	}
	search := func(q string) func(ctx context.Context, s *memory.Store) error {
		return func(ctx context.Context, s *memory.Store) error {
			hits, err := s.Search(ctx, network.SearchQuery{Query: q, Limit: 10})
			if err == nil && len(hits) == 0 {
				err = fmt.Errorf("search %q: no hits", q)
			}
			return err
		}
	}
	// sampled cycles through 64 persons spread over the id range.
	sampled := 0
	return []benchQuery{
		{"entity", func(ctx context.Context, s *memory.Store) error {
			_, err := s.Entities(ctx, []string{lm.Ordinary})
			return err
		}},
		{"relationshipsOf-hub", func(ctx context.Context, s *memory.Store) error {
			_, err := s.RelationshipsOf(ctx, []string{lm.Hub}, network.RelFilter{Types: []network.RelType{network.AlliedWith}})
			return err
		}},
		{"neighborhood-d1-ordinary", nbh(lm.Ordinary, 1)},
		{"neighborhood-d2-ordinary", nbh(lm.Ordinary, 2)},
		{"neighborhood-d2-sampled", func(ctx context.Context, s *memory.Store) error {
			sampled++
			return nbh(gen.PersonID((sampled%64)*(p.Persons/64)+7), 2)(ctx, s)
		}},
		{"neighborhood-d1-hub", nbh(lm.Hub, 1)},
		{"neighborhood-d2-hub", nbh(lm.Hub, 2)},
		{"shortestPath", func(ctx context.Context, s *memory.Store) error {
			_, err := s.ShortestPath(ctx, network.PathQuery{From: lm.PathFrom, To: lm.PathTo, MaxDepth: 6})
			return err
		}},
		{"allegianceChains", func(ctx context.Context, s *memory.Store) error {
			_, err := s.AllegianceChains(ctx, network.ChainQuery{From: lm.ChainFrom, MaxDepth: 8})
			return err
		}},
		{"lineage", func(ctx context.Context, s *memory.Store) error {
			_, err := s.Lineage(ctx, network.LineageQuery{ID: lm.LineageOf, Direction: network.BothLineages})
			return err
		}},
		{"search", search(lm.Search)},
		{"search-misspelt", search(misspell(lm.Search))},
		{"search-prefix", search(lm.Search[:len(lm.Search)-3])},
	}
}

// misspell changes the second-to-last letter of s.
func misspell(s string) string {
	b := []byte(s)
	i := len(b) - 2
	if b[i] == 'x' {
		b[i] = 'y'
	} else {
		b[i] = 'x'
	}
	return string(b)
}

// BenchmarkQueries times each query and reports its median and 99th
// percentile latency besides the mean.
func BenchmarkQueries(b *testing.B) {
	s, p := loadedBench(b)
	for _, q := range benchQueries(p) {
		b.Run(fmt.Sprintf("scale=%s/query=%s", p.Scale, q.name), func(b *testing.B) {
			ctx := context.Background()
			var lat []float64
			for b.Loop() {
				start := time.Now()
				if err := q.run(ctx, s); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, float64(time.Since(start).Nanoseconds()))
			}
			slices.Sort(lat)
			b.ReportMetric(lat[len(lat)/2], "p50-ns")
			b.ReportMetric(lat[len(lat)*99/100], "p99-ns")
		})
	}
}

// BenchmarkNeighborhood times Store.Neighborhood alone, at depth 2 with
// limit 500 as bench/suite asks it, from the ordinary and the hub
// landmarks, and reports the size of the answer besides the time and the
// allocations:
//
//	ALLEGIANCE_BENCH_SCALE=M go test -run '^$' -bench Neighborhood -count 6 ./store/memory/
func BenchmarkNeighborhood(b *testing.B) {
	s, p := loadedBench(b)
	lm := p.Landmarks()
	for _, c := range []struct{ name, id string }{{"ordinary", lm.Ordinary}, {"hub", lm.Hub}} {
		b.Run(fmt.Sprintf("scale=%s/from=%s/depth=2", p.Scale, c.name), func(b *testing.B) {
			ctx := context.Background()
			q := network.NeighborhoodQuery{ID: c.id, Depth: 2, Limit: 500}
			var g *network.Subgraph
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if g, err = s.Neighborhood(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(g.Nodes)), "nodes")
			b.ReportMetric(float64(len(g.Edges)), "edges")
		})
	}
}
