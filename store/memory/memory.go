// Package memory is the embedded in-memory store: the default store, used
// when no Neo4j URI is configured. It answers traversals with the shared
// algorithms of package network over in-memory adjacency lists.
package memory

import (
	"context"
	"sort"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// Store is an in-memory network.Store and network.Writer. It copies data
// going in and coming out, so callers never share its state.
type Store struct {
	// mu protects every field below.
	mu            sync.RWMutex
	entities      map[string]*network.Entity
	sources       map[string]*network.Source
	relationships map[string]*network.Relationship
	// incident lists each entity's relationships, sorted by id.
	incident map[string][]*network.Relationship
}

var (
	_ network.Store     = (*Store)(nil)
	_ network.Writer    = (*Store)(nil)
	_ network.Adjacency = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{
		entities:      map[string]*network.Entity{},
		sources:       map[string]*network.Source{},
		relationships: map[string]*network.Relationship{},
		incident:      map[string][]*network.Relationship{},
	}
}

// Load merges d into the store on ids. It checks every reference against
// the merged result first and changes nothing when one is missing.
func (s *Store) Load(ctx context.Context, d *network.Dataset) (network.Counts, error) {
	if err := ctx.Err(); err != nil {
		return network.Counts{}, network.Errorf(network.EUNAVAILABLE, "load cancelled: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	entities := cloneMap(s.entities, (*network.Entity).Clone)
	sources := make(map[string]*network.Source, len(s.sources)+len(d.Sources))
	for id, src := range s.sources {
		c := *src
		sources[id] = &c
	}
	relationships := cloneMap(s.relationships, (*network.Relationship).Clone)
	for _, id := range d.DeleteRelationships {
		delete(relationships, id)
	}
	if len(d.DeleteEntities) > 0 {
		gone := make(map[string]bool, len(d.DeleteEntities))
		for _, id := range d.DeleteEntities {
			gone[id] = true
			delete(entities, id)
		}
		for id, r := range relationships {
			if gone[r.From] || gone[r.To] {
				delete(relationships, id)
			}
		}
	}
	for i := range d.Sources {
		c := d.Sources[i]
		sources[c.ID] = &c
	}
	for i := range d.Entities {
		entities[d.Entities[i].ID] = d.Entities[i].Clone()
	}
	for i := range d.Relationships {
		relationships[d.Relationships[i].ID] = d.Relationships[i].Clone()
	}
	if err := checkReferences(entities, sources, relationships); err != nil {
		return network.Counts{}, err
	}
	s.entities, s.sources, s.relationships = entities, sources, relationships
	s.incident = buildIncident(relationships)
	return s.counts(), nil
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
		Entities:      make([]network.Entity, 0, len(s.entities)),
		Relationships: make([]network.Relationship, 0, len(s.relationships)),
	}
	for _, src := range s.sources {
		d.Sources = append(d.Sources, *src)
	}
	for _, e := range s.entities {
		d.Entities = append(d.Entities, *e.Clone())
	}
	for _, r := range s.relationships {
		d.Relationships = append(d.Relationships, *r.Clone())
	}
	d.Sort()
	return d, nil
}

func cloneMap[T any](m map[string]*T, clone func(*T) *T) map[string]*T {
	c := make(map[string]*T, len(m))
	for k, v := range m {
		c[k] = clone(v)
	}
	return c
}

func checkReferences(entities map[string]*network.Entity, sources map[string]*network.Source, rels map[string]*network.Relationship) error {
	for _, r := range rels {
		for _, id := range []string{r.From, r.To} {
			if entities[id] == nil {
				return network.Errorf(network.EINVALID, "relationship %q refers to unknown entity %q", r.ID, id)
			}
		}
		for _, id := range r.SourceIDs {
			if sources[id] == nil {
				return network.Errorf(network.EINVALID, "relationship %q cites unknown source %q", r.ID, id)
			}
		}
	}
	for _, e := range entities {
		for _, id := range e.SourceIDs {
			if sources[id] == nil {
				return network.Errorf(network.EINVALID, "entity %q cites unknown source %q", e.ID, id)
			}
		}
		for _, d := range e.Designations {
			for _, id := range d.SourceIDs {
				if sources[id] == nil {
					return network.Errorf(network.EINVALID, "designation %q cites unknown source %q", d.ID, id)
				}
			}
		}
	}
	return nil
}

func buildIncident(rels map[string]*network.Relationship) map[string][]*network.Relationship {
	inc := map[string][]*network.Relationship{}
	for _, r := range rels {
		inc[r.From] = append(inc[r.From], r)
		if r.To != r.From {
			inc[r.To] = append(inc[r.To], r)
		}
	}
	for _, rs := range inc {
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	}
	return inc
}

// Counts implements network.Store.
func (s *Store) Counts(ctx context.Context) (network.Counts, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.counts(), nil
}

func (s *Store) counts() network.Counts {
	c := network.Counts{Entities: len(s.entities), Relationships: len(s.relationships), Sources: len(s.sources)}
	for _, e := range s.entities {
		c.Designations += len(e.Designations)
	}
	return c
}

// Entities implements network.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*network.Entity, len(ids))
	for i, id := range ids {
		if e := s.entities[id]; e != nil {
			out[i] = e.Clone()
		}
	}
	return out, nil
}

// Sources implements network.Store.
func (s *Store) Sources(ctx context.Context, ids []string) ([]*network.Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*network.Source, len(ids))
	for i, id := range ids {
		if src := s.sources[id]; src != nil {
			c := *src
			out[i] = &c
		}
	}
	return out, nil
}

// RelationshipsOf implements network.Store.
func (s *Store) RelationshipsOf(ctx context.Context, ids []string, f network.RelFilter) ([][]*network.Relationship, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	types := network.TypeSet(f.Types)
	out := make([][]*network.Relationship, len(ids))
	for i, id := range ids {
		out[i] = []*network.Relationship{}
		for _, r := range s.incident[id] {
			if s.matches(r, id, types, f) {
				out[i] = append(out[i], r.Clone())
			}
		}
	}
	return out, nil
}

// matches reports whether r, seen from id, passes f. The caller holds mu.
func (s *Store) matches(r *network.Relationship, id string, types map[network.RelType]bool, f network.RelFilter) bool {
	if types != nil && !types[r.Type] {
		return false
	}
	if !f.Direction.Matches(r, id) {
		return false
	}
	if f.AsOf.IsZero() {
		return true
	}
	return r.ActiveAt(f.AsOf) && s.entities[r.From].AliveAt(f.AsOf) && s.entities[r.To].AliveAt(f.AsOf)
}

// Incident implements network.Adjacency.
func (s *Store) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := ctx.Err(); err != nil {
		return nil, network.Errorf(network.EUNAVAILABLE, "request cancelled: %v", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	types := network.TypeSet(f.Types)
	seen := map[string]bool{}
	var out []*network.Relationship
	for _, id := range ids {
		for _, r := range s.incident[id] {
			if !seen[r.ID] && s.matches(r, id, types, f) {
				seen[r.ID] = true
				out = append(out, r.Clone())
			}
		}
	}
	return out, nil
}

// Neighbors implements network.Adjacency.
func (s *Store) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, network.Errorf(network.EUNAVAILABLE, "request cancelled: %v", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	types := network.TypeSet(f.Types)
	skip := make(map[string]bool, len(ids)+len(exclude))
	for _, id := range ids {
		skip[id] = true
	}
	for _, id := range exclude {
		skip[id] = true
	}
	found := map[string]bool{}
	var out []string
	for _, id := range ids {
		for _, r := range s.incident[id] {
			other := r.Other(id)
			if !skip[other] && !found[other] && s.matches(r, id, types, f) {
				found[other] = true
				out = append(out, other)
			}
		}
	}
	sort.Strings(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Among implements network.Adjacency.
func (s *Store) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := ctx.Err(); err != nil {
		return nil, network.Errorf(network.EUNAVAILABLE, "request cancelled: %v", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	types := network.TypeSet(f.Types)
	f.Direction = network.Both // both endpoints are in ids: direction says nothing
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	seen := map[string]bool{}
	var out []*network.Relationship
	for _, id := range ids {
		for _, r := range s.incident[id] {
			if in[r.From] && in[r.To] && !seen[r.ID] && s.matches(r, id, types, f) {
				seen[r.ID] = true
				out = append(out, r.Clone())
			}
		}
	}
	return out, nil
}

// Search implements network.Store by ranking every entity.
func (s *Store) Search(ctx context.Context, q network.SearchQuery) ([]network.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	all := make([]*network.Entity, 0, len(s.entities))
	for _, e := range s.entities {
		all = append(all, e)
	}
	hits := network.RankHits(q, all)
	for i := range hits {
		hits[i].Entity = hits[i].Entity.Clone()
	}
	s.mu.RUnlock()
	return hits, nil
}

// Neighborhood implements network.Store.
func (s *Store) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	return network.BuildNeighborhood(ctx, s, q)
}

// ShortestPath implements network.Store.
func (s *Store) ShortestPath(ctx context.Context, q network.PathQuery) (*network.Path, error) {
	return network.BuildShortestPath(ctx, s, q)
}

// AllegianceChains implements network.Store.
func (s *Store) AllegianceChains(ctx context.Context, q network.ChainQuery) ([]*network.Path, error) {
	return network.BuildAllegianceChains(ctx, s, q)
}

// Lineage implements network.Store.
func (s *Store) Lineage(ctx context.Context, q network.LineageQuery) (*network.Subgraph, error) {
	return network.BuildLineage(ctx, s, q)
}
