package memory

import (
	"context"

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
	root := s.lookup(q.ID)
	if root < 0 {
		return nil, network.Errorf(network.ENOTFOUND, "unknown entity id %q", q.ID)
	}
	m := s.matcher(network.RelFilter{Types: q.Types, Direction: network.Both, AsOf: q.AsOf})
	if !m.alive(root) {
		return &network.Subgraph{}, nil
	}
	in := newBitset(len(s.ents))
	in.add(root)
	kept, frontier := []int32{root}, []int32{root}
	truncated := false
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
	edges := s.among(kept, in, &m)
	s.sortRels(edges)
	// Sort kept by id: by rank, whose inverse is order.
	for i, e := range kept {
		kept[i] = s.rank[e]
	}
	sortIndexes(kept)
	for i, r := range kept {
		kept[i] = s.order[r]
	}
	return &network.Subgraph{Nodes: s.entities(kept, q.Detail), Edges: s.relationships(edges), Truncated: truncated}, nil
}
