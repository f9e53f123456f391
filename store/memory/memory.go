// Package memory is the embedded in-memory store: the default store, used
// when no Neo4j URI is configured. It keeps the network in compact form:
// entities and relationships are records in slices, addressed by int32
// indexes; ids map to indexes; each entity has a list of its incident
// relationships sorted by the other endpoint's id; dates, source lists and
// the text relationships share are interned. Lineage and allegiance chains
// run the shared algorithms of package network over it, through a view
// that reads without locking while the call holds the store's read lock
// for the whole walk (the store implements network.Adjacency too, each
// call under its own lock); neighborhoods, shortest paths and search work
// on the compact form directly and give the answers the shared algorithms
// and a ranking of every entity give.
package memory

import (
	"cmp"
	"context"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// Store is an in-memory network.Store and network.Writer. It copies data
// going in and coming out, so callers never share its state.
type Store struct {
	// mu protects every field below. Load holds it for writing; each
	// exported read holds it for reading once, for the whole of its
	// answer, and reads through helpers that do not lock (the ones whose
	// comments say "the caller holds mu", and view).
	mu sync.RWMutex
	t  *tables
	// ents and rels are the records; a deleted one stays, not live, until
	// the next compaction.
	ents []entRec
	rels []relRec
	// relsSorted reports whether the live relationships' indexes are in
	// the order of their ids, so that indexes compare as ids do. Building
	// and compacting sort them; a load that appends a smaller id clears it.
	relsSorted bool
	// entIdx maps the id of each live entity to its index.
	entIdx *idTable
	// relIdx maps the id of each live relationship to its index.
	relIdx *idTable
	// inc lists each entity's relationships, sorted by the other
	// endpoint's id, then the relationship's id.
	inc [][]adj
	// order lists the live entities by id; rank is each entity's position
	// in it (-1 when not live).
	order, rank []int32
	sources     map[string]network.Source
	search      *searchIndex
	// Counts of live records, and of dead ones awaiting compaction.
	nEnts, nRels, nDesignations int
	deadEnts, deadRels          int
}

// adj is one entry of an incident list: the relationship and the entity
// at its other end.
type adj struct {
	other, rel int32
}

var (
	_ network.Store                  = (*Store)(nil)
	_ network.NeighborhoodSummarizer = (*Store)(nil)
	_ network.Writer                 = (*Store)(nil)
	_ network.Adjacency              = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.reset()
	return s
}

// reset empties the store. The caller holds mu (or owns s).
func (s *Store) reset() {
	s.t = newTables()
	s.ents, s.rels, s.inc, s.order, s.rank, s.relsSorted = nil, nil, nil, nil, nil, true
	s.entIdx = newIDTable(0)
	s.relIdx = newIDTable(0)
	s.sources = map[string]network.Source{}
	s.search = newSearchIndex()
	s.nEnts, s.nRels, s.nDesignations, s.deadEnts, s.deadRels = 0, 0, 0, 0, 0
}

// relKey is the key function of relIdx. The caller holds mu.
func (s *Store) relKey(i int32) string { return s.t.text.get(s.rels[i].id) }

// entID is the id of entity e. The caller holds mu.
func (s *Store) entID(e int32) string { return s.t.text.get(s.ents[e].id) }

// sortRels sorts relationship indexes by id. The caller holds mu.
func (s *Store) sortRels(ris []int32) {
	if s.relsSorted {
		sortIndexes(ris)
	} else {
		slices.SortFunc(ris, s.relCompare)
	}
}

// sortIndexes sorts a, whose values are not negative, in increasing
// order: by radix, a byte at a time, when a is long enough for that to
// beat comparisons.
func sortIndexes(a []int32) {
	if len(a) < 256 {
		slices.Sort(a)
		return
	}
	var top int32
	for _, v := range a {
		top = max(top, v)
	}
	src, dst := a, make([]int32, len(a))
	for shift := 0; shift < bits.Len32(uint32(top)); shift += 8 {
		var at [256]int
		for _, v := range src {
			at[v>>shift&0xff]++
		}
		n := 0
		for d, c := range at {
			at[d] = n
			n += c
		}
		for _, v := range src {
			d := v >> shift & 0xff
			dst[at[d]] = v
			at[d]++
		}
		src, dst = dst, src
	}
	copy(a, src)
}

// relCompare orders relationship indexes by id. The caller holds mu.
func (s *Store) relCompare(a, b int32) int {
	if s.relsSorted {
		return cmp.Compare(a, b)
	}
	return strings.Compare(s.relKey(a), s.relKey(b))
}

// lookup returns the index of the live entity id, or -1. The caller
// holds mu.
func (s *Store) lookup(id string) int32 {
	return s.entIdx.find(id, s.entID)
}

// Counts implements network.Store.
func (s *Store) Counts(ctx context.Context) (network.Counts, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.counts(), nil
}

func (s *Store) counts() network.Counts {
	return network.Counts{Entities: s.nEnts, Relationships: s.nRels, Sources: len(s.sources), Designations: s.nDesignations}
}

// Snapshot implements network.Store.
func (s *Store) Snapshot(ctx context.Context) (*network.Dataset, error) {
	if err := ctx.Err(); err != nil {
		return nil, network.Errorf(network.EUNAVAILABLE, "snapshot cancelled: %v", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := &network.Dataset{
		Sources:       make([]network.Source, 0, len(s.sources)),
		Entities:      make([]network.Entity, 0, s.nEnts),
		Relationships: make([]network.Relationship, 0, s.nRels),
	}
	for _, src := range s.sources {
		d.Sources = append(d.Sources, src)
	}
	for _, i := range s.order {
		d.Entities = append(d.Entities, *s.t.entity(&s.ents[i]))
	}
	live := make([]int32, 0, s.nRels)
	for i := range s.rels {
		if s.rels[i].live {
			live = append(live, int32(i))
		}
	}
	for _, r := range s.relationships(live) {
		d.Relationships = append(d.Relationships, *r)
	}
	d.Sort()
	return d, nil
}

// Entities implements network.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.entitiesOf(ids), nil
}

// entitiesOf is Entities. The caller holds mu.
func (s *Store) entitiesOf(ids []string) []*network.Entity {
	idx := make([]int32, len(ids))
	for i, id := range ids {
		idx[i] = s.lookup(id)
	}
	return s.entities(idx, network.FullDetail)
}

// Sources implements network.Store.
func (s *Store) Sources(ctx context.Context, ids []string) ([]*network.Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*network.Source, len(ids))
	for i, id := range ids {
		if src, ok := s.sources[id]; ok {
			out[i] = &src
		}
	}
	return out, nil
}

// RelationshipsOf implements network.Store.
func (s *Store) RelationshipsOf(ctx context.Context, ids []string, f network.RelFilter) ([][]*network.Relationship, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.matcher(f)
	out := make([][]*network.Relationship, len(ids))
	var found []int32
	for i, id := range ids {
		found = found[:0]
		if e := s.lookup(id); e >= 0 {
			for _, a := range s.inc[e] {
				if m.match(a.rel, e) {
					found = append(found, a.rel)
				}
			}
		}
		s.sortRels(found)
		out[i] = s.relationships(found)
		if out[i] == nil {
			out[i] = []*network.Relationship{}
		}
	}
	return out, nil
}

// AllegianceChains implements network.Store. The whole walk runs under
// one read lock, so a load lands before or after it, never between two of
// its steps.
func (s *Store) AllegianceChains(ctx context.Context, q network.ChainQuery) ([]*network.Path, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return network.BuildAllegianceChains(ctx, view{s}, q)
}

// Lineage implements network.Store. The whole walk runs under one read
// lock, so a load lands before or after it, never between two of its
// steps.
func (s *Store) Lineage(ctx context.Context, q network.LineageQuery) (*network.Subgraph, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return network.BuildLineage(ctx, view{s}, q)
}
