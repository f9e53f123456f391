package unsc

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// Real files, read in place: ../../../shared/data is /work/shared/data.
var (
	realFull   = filepath.Join("..", "..", "..", "shared", "data", "un-sc", "consolidated-2024-09-26.xml")
	realSample = filepath.Join("..", "..", "..", "shared", "data", "un-sc", "sample-jnim-2024-09-26.xml")
	fixture    = filepath.Join("testdata", "list.xml")
	newer      = filepath.Join("testdata", "newer.xml")
)

// mustRead reads a list, failing the test (never skipping) when it cannot.
func mustRead(tb testing.TB, path string) *List {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Fatalf("%s: %v (the real UN files live in /work/shared/data/un-sc; see shared/data/README.md)", path, err)
	}
	l, err := ReadFile(path)
	if err != nil {
		tb.Fatalf("ReadFile(%s): %v", path, err)
	}
	return l
}

func entity(tb testing.TB, d *network.Dataset, id string) *network.Entity {
	tb.Helper()
	for i := range d.Entities {
		if d.Entities[i].ID == id {
			return &d.Entities[i]
		}
	}
	tb.Fatalf("no entity %q", id)
	return nil
}

func rel(d *network.Dataset, from string, t network.RelType, to string) *network.Relationship {
	for i := range d.Relationships {
		r := &d.Relationships[i]
		if r.From == from && r.Type == t && r.To == to {
			return r
		}
	}
	return nil
}

// apply loads d on top of prev as network.Writer.Load does: deletes first,
// then writes merging on ids.
func apply(prev, d *network.Dataset) *network.Dataset {
	ents := map[string]network.Entity{}
	rels := map[string]network.Relationship{}
	srcs := map[string]network.Source{}
	for _, s := range prev.Sources {
		srcs[s.ID] = s
	}
	for _, e := range prev.Entities {
		ents[e.ID] = *e.Clone()
	}
	for _, r := range prev.Relationships {
		rels[r.ID] = *r.Clone()
	}
	for _, id := range d.DeleteRelationships {
		delete(rels, id)
	}
	for _, id := range d.DeleteEntities {
		delete(ents, id)
		for rid, r := range rels {
			if r.From == id || r.To == id {
				delete(rels, rid)
			}
		}
	}
	for _, s := range d.Sources {
		srcs[s.ID] = s
	}
	for _, e := range d.Entities {
		ents[e.ID] = *e.Clone()
	}
	for _, r := range d.Relationships {
		rels[r.ID] = *r.Clone()
	}
	out := &network.Dataset{}
	for _, s := range srcs {
		out.Sources = append(out.Sources, s)
	}
	for _, e := range ents {
		out.Entities = append(out.Entities, e)
	}
	for _, r := range rels {
		out.Relationships = append(out.Relationships, r)
	}
	out.Sort()
	return out
}

// checkRefs fails when d cites an entity or source it does not hold, as a
// store's Load would refuse.
func checkRefs(tb testing.TB, d *network.Dataset) {
	tb.Helper()
	ents, srcs := map[string]bool{}, map[string]bool{}
	for _, s := range d.Sources {
		srcs[s.ID] = true
	}
	for _, e := range d.Entities {
		ents[e.ID] = true
		for _, s := range e.SourceIDs {
			if !srcs[s] {
				tb.Errorf("entity %s cites unknown source %q", e.ID, s)
			}
		}
	}
	for _, r := range d.Relationships {
		if !ents[r.From] || !ents[r.To] {
			tb.Errorf("relationship %s refers to an unknown entity (%s → %s)", r.ID, r.From, r.To)
		}
	}
}

func sameAny(a, b any) bool { return reflect.DeepEqual(a, b) }
