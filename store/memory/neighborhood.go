package memory

import (
	"context"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// Neighborhood implements network.Store. It gives the answer of
// network.BuildNeighborhood, level by level with the same cut, but over
// entity indexes: no id is looked up, and no relationship but those
// returned is copied.
func (s *Store) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	kept, edges, truncated, err := s.neighborhood(q)
	if err != nil {
		return nil, err
	}
	if kept == nil { // the root does not exist at q.AsOf
		return &network.Subgraph{}, nil
	}
	return &network.Subgraph{Nodes: s.entities(kept, q.Detail), Edges: s.relationships(edges), Truncated: truncated}, nil
}

// NeighborhoodSummary implements network.NeighborhoodSummarizer. It walks as Neighborhood
// does, then reads of each node and edge only what the summary holds: no
// entity or relationship is copied whole, and an edge's ends are found by
// position, not by id.
func (s *Store) NeighborhoodSummary(ctx context.Context, q network.NeighborhoodQuery) (*network.SubgraphSummary, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	kept, edges, truncated, err := s.neighborhood(q)
	if err != nil {
		return nil, err
	}
	return s.summary(kept, edges, truncated), nil
}

// neighborhood walks the neighbourhood of q: the kept entities sorted by
// id, and the relationships among them sorted by id. The caller holds mu.
func (s *Store) neighborhood(q network.NeighborhoodQuery) (kept, edges []int32, truncated bool, err error) {
	root := s.lookup(q.ID)
	if root < 0 {
		return nil, nil, false, network.Errorf(network.ENOTFOUND, "unknown entity id %q", q.ID)
	}
	m := s.matcher(network.RelFilter{Types: q.Types, Direction: network.Both, AsOf: q.AsOf})
	if !m.alive(root) {
		return nil, nil, false, nil
	}
	in := newBitset(len(s.ents))
	in.add(root)
	kept, frontier := []int32{root}, []int32{root}
	for level := 1; level <= q.Depth && len(frontier) > 0 && !truncated; level++ {
		room := q.Limit - len(kept)
		if room <= 0 {
			// Full: the level is expanded only to learn whether it would
			// have added anyone.
			truncated = len(s.neighbors(frontier, in, &m, 1)) > 0
			break
		}
		next := s.neighbors(frontier, in, &m, room+1)
		if len(next) > room {
			next, truncated = next[:room], true
		}
		for _, e := range next {
			in.add(e)
		}
		kept = append(kept, next...)
		frontier = next
	}
	edges = s.among(kept, in, &m)
	s.sortRels(edges)
	// Sort kept by id: by rank, whose inverse is order.
	for i, e := range kept {
		kept[i] = s.rank[e]
	}
	sortIndexes(kept)
	for i, r := range kept {
		kept[i] = s.order[r]
	}
	return kept, edges, truncated, nil
}

// positions recycles the entity-indexed arrays summary numbers the nodes
// in: one per request would be a zeroed allocation of four bytes per
// entity of the store, where the nodes are a few hundred. summary leaves
// each array all zero again.
var positions sync.Pool

// summary returns the summary of the nodes kept and the relationships
// edges among them. The caller holds mu.
func (s *Store) summary(kept, edges []int32, truncated bool) *network.SubgraphSummary {
	out := &network.SubgraphSummary{
		Nodes:     make([]network.EntitySummary, len(kept)),
		Edges:     make([]network.RelationshipSummary, len(edges)),
		Truncated: truncated,
	}
	p, _ := positions.Get().(*[]int32)
	if p == nil || len(*p) != len(s.ents) {
		p = &[]int32{}
		*p = make([]int32, len(s.ents))
	}
	// at[e] is one more than the position of entity e in out.Nodes.
	at := *p
	for i, e := range kept {
		r := &s.ents[e]
		out.Nodes[i] = network.EntitySummary{ID: s.t.text.get(r.id), Kind: s.t.kinds[r.kind], Name: s.t.text.get(r.name)}
		at[e] = int32(i) + 1
	}
	for i, ri := range edges {
		r := &s.rels[ri]
		out.Edges[i] = network.RelationshipSummary{ID: s.t.text.get(r.id), Type: s.t.types[r.typ],
			From: at[r.from] - 1, To: at[r.to] - 1, Since: s.t.dates[r.since], Until: s.t.dates[r.until],
			Qualifier: s.t.attrs[r.attrs].qualifier}
	}
	for _, e := range kept {
		at[e] = 0
	}
	positions.Put(p)
	return out
}
