//go:build scratch

package neo4j

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/allegiance/allegiance/bench/gen"
)

func TestScratchLoadProfile(t *testing.T) {
	d, err := gen.GenerateScale(gen.S, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dataset counts %+v", d.Counts())
	var mu sync.Mutex
	byName := map[string]time.Duration{}
	n := map[string]int{}
	obs := func(q string, el time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		byName[QueryName(q)] += el
		n[QueryName(q)]++
	}
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: os.Getenv("NEO4J_URI"), Observer: obs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for i := 0; i < 2; i++ {
		if err := s.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		byName, n = map[string]time.Duration{}, map[string]int{}
		mu.Unlock()
		start := time.Now()
		c, err := s.Load(ctx, d)
		el := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for k := range byName {
			names = append(names, k)
		}
		sort.Strings(names)
		out := fmt.Sprintf("load %d: %v %+v %.0f rels/s\n", i, el, c, float64(c.Relationships)/el.Seconds())
		for _, k := range names {
			out += fmt.Sprintf("  %-20s %4d %v\n", k, n[k], byName[k])
		}
		t.Log(out)
	}
	if os.Getenv("SCRATCH_TWICE") != "" {
		start := time.Now()
		c, err := s.Load(ctx, d)
		t.Logf("reload over itself: %v %+v %v", time.Since(start), c, err)
	}
}
