package memory

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// Reads running while loads change the store see a consistent store: each
// answer is one the store gives before or after a load, never an error.
// Run with -race.
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
