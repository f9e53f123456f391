package memory

import (
	"context"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// ShortestPath implements network.Store. It gives the answer of
// network.BuildShortestPath (the shortest undirected path whose node-id
// sequence is lexicographically smallest, then the smallest edge id at each
// step) but searches from both ends at once, so that it reads the
// neighbourhoods of radius about half the distance instead of the whole
// ball around q.From.
func (s *Store) ShortestPath(ctx context.Context, q network.PathQuery) (*network.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, dst := s.lookup(q.From), s.lookup(q.To)
	if src < 0 {
		return nil, network.Errorf(network.ENOTFOUND, "unknown entity id %q", q.From)
	}
	if dst < 0 {
		return nil, network.Errorf(network.ENOTFOUND, "unknown entity id %q", q.To)
	}
	m := s.matcher(network.RelFilter{Types: q.Types, Direction: network.Both, AsOf: q.AsOf})
	if !m.alive(src) || !m.alive(dst) {
		return nil, nil
	}
	if src == dst {
		return &network.Path{Nodes: []*network.Entity{s.t.entity(&s.ents[src])}}, nil
	}
	p := pathSearch{s: s, m: &m, scratch: getScratch(len(s.ents))}
	defer p.release()
	meet := p.distances(src, dst, q.MaxDepth)
	if meet == nil {
		return nil, nil
	}
	nodes, edges := p.walk(src, dst, meet)
	return &network.Path{Nodes: s.entities(nodes, q.Detail), Edges: s.relationships(edges)}, nil
}

// pathSearch is the state of one shortest-path search.
type pathSearch struct {
	s *Store
	m *matcher
	*scratch
	// lf and lb are the levels each side has done.
	lf, lb int8
}

// scratch holds, per entity, the distance from the source (df) and to the
// target (db) plus one, 0 for not reached, and whether it lies on a
// shortest path. touched lists the entities to clear afterwards.
type scratch struct {
	df, db  []int8
	on      []bool
	touched []int32
}

var scratches sync.Pool

// getScratch returns a cleared scratch for n entities.
func getScratch(n int) *scratch {
	if sc, ok := scratches.Get().(*scratch); ok && len(sc.df) == n {
		return sc
	}
	return &scratch{df: make([]int8, n), db: make([]int8, n), on: make([]bool, n)}
}

// release clears what the search touched and pools the scratch.
func (sc *scratch) release() {
	for _, e := range sc.touched {
		sc.df[e], sc.db[e], sc.on[e] = 0, 0, false
	}
	sc.touched = sc.touched[:0]
	scratches.Put(sc)
}

// step calls f for every entity joined to u by a relationship the filter
// keeps, in incident-list order, until f returns false.
func (p *pathSearch) step(u int32, f func(a adj) bool) {
	for _, a := range p.s.inc[u] {
		if a.other != u && p.m.match(a.rel, u) && !f(a) {
			return
		}
	}
}

// distances runs breadth-first searches from src and dst, a level at a
// time from the side whose frontier has fewer relationships, until they
// meet. It returns the nodes where they met (reached by both, at distance
// lf from src and lb from dst), or nil when the two are farther apart than
// maxDepth.
func (p *pathSearch) distances(src, dst int32, maxDepth int) []int32 {
	p.df[src], p.db[dst] = 1, 1
	p.touched = append(p.touched, src, dst)
	ff, fb := []int32{src}, []int32{dst}
	for int(p.lf)+int(p.lb) < maxDepth && len(ff) > 0 && len(fb) > 0 {
		forward := p.work(ff) <= p.work(fb)
		frontier, dist, other, level := fb, p.db, p.df, &p.lb
		if forward {
			frontier, dist, other, level = ff, p.df, p.db, &p.lf
		}
		var next, meet []int32
		for _, u := range frontier {
			p.step(u, func(a adj) bool {
				if dist[a.other] == 0 {
					dist[a.other] = *level + 2
					p.touched = append(p.touched, a.other)
					next = append(next, a.other)
					if other[a.other] != 0 {
						meet = append(meet, a.other)
					}
				}
				return true
			})
		}
		*level++
		if forward {
			ff = next
		} else {
			fb = next
		}
		if len(meet) > 0 {
			return meet
		}
	}
	return nil
}

// work is the number of relationships expanding frontier reads.
func (p *pathSearch) work(frontier []int32) int {
	n := 0
	for _, u := range frontier {
		n += len(p.s.inc[u])
	}
	return n
}

// walk marks the nodes lying on a shortest path (through meet), then goes
// from src to dst taking at each step the smallest next node id on one,
// and the smallest id among the relationships to it.
func (p *pathSearch) walk(src, dst int32, meet []int32) ([]int32, []int32) {
	for _, v := range meet {
		p.on[v] = true
	}
	// Towards src along the forward levels, towards dst along the
	// backward ones.
	for _, side := range [][]int8{p.df, p.db} {
		layer := meet
		for len(layer) > 0 {
			var prev []int32
			for _, w := range layer {
				want := side[w] - 1
				if want == 0 {
					continue // w is the end: nothing is nearer
				}
				p.step(w, func(a adj) bool {
					if side[a.other] == want && !p.on[a.other] {
						p.on[a.other] = true
						prev = append(prev, a.other)
					}
					return true
				})
			}
			layer = prev
		}
	}
	// next reports whether v is the node after cur on a shortest path.
	next := func(cur, v int32) bool {
		if !p.on[v] {
			return false
		}
		if d := p.df[cur]; d != 0 && d-1 < p.lf {
			return p.df[v] == d+1
		}
		return p.db[v] != 0 && p.db[v] == p.db[cur]-1
	}
	nodes, edges := []int32{src}, []int32(nil)
	for cur := src; cur != dst; {
		p.step(cur, func(a adj) bool {
			if next(cur, a.other) {
				nodes, edges = append(nodes, a.other), append(edges, a.rel)
				cur = a.other
				return false
			}
			return true
		})
	}
	return nodes, edges
}
