package store_test

import (
	"context"
	"errors"
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
