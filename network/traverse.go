package network

import (
	"context"
	"slices"
	"sort"
)

// Adjacency is the access to the graph that the shared traversal algorithms
// need. A store implements it with whatever lookups it does best; the
// algorithms then give the same answers whatever the store.
type Adjacency interface {
	// Entities is Store.Entities.
	Entities(ctx context.Context, ids []string) ([]*Entity, error)
	// Incident returns the relationships matching f that touch any of ids,
	// each once. With f.AsOf set, both endpoints must exist then.
	Incident(ctx context.Context, ids []string, f RelFilter) ([]*Relationship, error)
	// Neighbors returns the ids of the entities joined to any of ids by a
	// relationship matching f (as Incident matches them), leaving out ids
	// and exclude: distinct, sorted, and at most limit of them. It lets a
	// traversal stop at a hub's first limit neighbours instead of reading
	// all of its relationships.
	Neighbors(ctx context.Context, ids, exclude []string, f RelFilter, limit int) ([]string, error)
	// Among returns the relationships matching f's types and date whose two
	// endpoints are both in ids, each once; f.Direction is ignored.
	Among(ctx context.Context, ids []string, f RelFilter) ([]*Relationship, error)
}

// entity fetches one entity or returns ENOTFOUND.
func entity(ctx context.Context, g Adjacency, id string) (*Entity, error) {
	es, err := g.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 || es[0] == nil {
		return nil, Errorf(ENOTFOUND, "unknown entity id %q", id)
	}
	return es[0], nil
}

// rootAt checks a query's arguments (invalid is q.Validate()'s result),
// fetches its root and returns it, or nil when the root does not exist at
// asOf. An unknown root is ENOTFOUND.
func rootAt(ctx context.Context, g Adjacency, invalid error, id string, asOf PartialDate) (*Entity, error) {
	if invalid != nil {
		return nil, invalid
	}
	root, err := entity(ctx, g, id)
	if err != nil || !root.AliveAt(asOf) {
		return nil, err
	}
	return root, nil
}

// emptyOn returns nil on error and empty otherwise.
func emptyOn(err error, empty *Subgraph) *Subgraph {
	if err != nil {
		return nil
	}
	return empty
}

// subgraph fetches the entities of ids and keeps the edges whose both
// endpoints are among them.
func subgraph(ctx context.Context, g Adjacency, ids []string, edges map[string]*Relationship, truncated bool) (*Subgraph, error) {
	nodes, err := g.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(ids))
	sg := &Subgraph{Truncated: truncated}
	for _, n := range nodes {
		if n != nil {
			in[n.ID] = true
			sg.Nodes = append(sg.Nodes, n)
		}
	}
	for _, e := range edges {
		if in[e.From] && in[e.To] {
			sg.Edges = append(sg.Edges, e)
		}
	}
	sg.Sort()
	return sg, nil
}

// BuildNeighborhood answers Store.Neighborhood over g: a breadth-first
// expansion of q.Depth levels, cut to q.Limit nodes nearest first then by
// id, with every matching relationship among the kept nodes.
//
// Each level asks only for the neighbours it can still keep (plus one, to
// know whether the cut removed any), so a hub of 10,000 edges costs what
// its first q.Limit neighbours cost, and the expansion stops at the level
// where the limit is reached: deeper nodes are farther, so none of them
// could be kept.
func BuildNeighborhood(ctx context.Context, g Adjacency, q NeighborhoodQuery) (*Subgraph, error) {
	root, err := rootAt(ctx, g, q.Validate(), q.ID, q.AsOf)
	if root == nil || err != nil {
		return emptyOn(err, &Subgraph{}), err
	}
	f := RelFilter{Types: q.Types, Direction: Both, AsOf: q.AsOf}
	kept := []string{root.ID}
	frontier := []string{root.ID}
	truncated := false
	for level := 1; level <= q.Depth && len(frontier) > 0 && !truncated; level++ {
		room := q.Limit - len(kept)
		if room <= 0 {
			// Full: the level is expanded only to learn whether it would
			// have added anyone.
			more, err := g.Neighbors(ctx, frontier, kept, f, 1)
			if err != nil {
				return nil, err
			}
			truncated = len(more) > 0
			break
		}
		next, err := g.Neighbors(ctx, frontier, kept, f, room+1)
		if err != nil {
			return nil, err
		}
		if len(next) > room {
			next, truncated = next[:room], true
		}
		kept = append(kept, next...)
		frontier = next
	}
	rels, err := g.Among(ctx, kept, f)
	if err != nil {
		return nil, err
	}
	edges := make(map[string]*Relationship, len(rels))
	for _, r := range rels {
		edges[r.ID] = r
	}
	return subgraph(ctx, g, kept, edges, truncated)
}

// lineageStep reports the entity reached by following r from id in the
// given direction, or "" when r does not lead that way.
func lineageStep(r *Relationship, id string, d LineageDirection) string {
	fwd := TowardSuccessor(r.Type)
	switch {
	case r.From == id && fwd == (d == Successors):
		return r.To
	case r.To == id && fwd == (d == Predecessors):
		return r.From
	}
	return ""
}

// BuildLineage answers Store.Lineage over g: the transitive predecessors
// and/or successors of q.ID through MERGED_INTO, RENAMED_TO and SPLIT_FROM.
// With BOTH it is the union of the two, not the undirected closure, so a
// merger's other parties appear only when they are ancestors of q.ID.
func BuildLineage(ctx context.Context, g Adjacency, q LineageQuery) (*Subgraph, error) {
	root, err := rootAt(ctx, g, q.Validate(), q.ID, q.AsOf)
	if root == nil || err != nil {
		return emptyOn(err, &Subgraph{}), err
	}
	dirs := []LineageDirection{Predecessors, Successors}
	if q.Direction != BothLineages {
		dirs = []LineageDirection{q.Direction}
	}
	f := RelFilter{Types: LineageTypes, Direction: Both, AsOf: q.AsOf}
	seen := map[string]bool{root.ID: true}
	edges := map[string]*Relationship{}
	truncated := false
	for _, d := range dirs {
		visited := map[string]bool{root.ID: true}
		frontier := []string{root.ID}
		for len(frontier) > 0 && !truncated {
			rels, err := g.Incident(ctx, frontier, f)
			if err != nil {
				return nil, err
			}
			in := make(map[string]bool, len(frontier))
			for _, id := range frontier {
				in[id] = true
			}
			var next []string
			for _, r := range rels {
				for _, from := range []string{r.From, r.To} {
					if !in[from] {
						continue
					}
					to := lineageStep(r, from, d)
					if to == "" {
						continue
					}
					edges[r.ID] = r
					if !visited[to] {
						visited[to] = true
						seen[to] = true
						next = append(next, to)
					}
				}
			}
			if len(seen) > MaxLineageNodes {
				truncated = true
			}
			sort.Strings(next)
			frontier = next
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) > MaxLineageNodes {
		ids = ids[:MaxLineageNodes]
	}
	return subgraph(ctx, g, ids, edges, truncated)
}

// BuildShortestPath answers Store.ShortestPath over g with a breadth-first
// search that ignores direction, then walks from q.From choosing at each
// step the smallest node id that still lies on a shortest path (and the
// smallest edge id between two nodes), which gives the shortest path with
// the lexicographically smallest node-id sequence.
func BuildShortestPath(ctx context.Context, g Adjacency, q PathQuery) (*Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	src, err := entity(ctx, g, q.From)
	if err != nil {
		return nil, err
	}
	dst, err := entity(ctx, g, q.To)
	if err != nil {
		return nil, err
	}
	if !src.AliveAt(q.AsOf) || !dst.AliveAt(q.AsOf) {
		return nil, nil
	}
	if src.ID == dst.ID {
		return &Path{Nodes: []*Entity{src}}, nil
	}
	f := RelFilter{Types: q.Types, Direction: Both, AsOf: q.AsOf}
	dist := map[string]int{src.ID: 0}
	// back[n] lists the edges joining n to a node one level nearer src.
	back := map[string][]*Relationship{}
	frontier := []string{src.ID}
	found := false
	for level := 1; level <= q.MaxDepth && len(frontier) > 0 && !found; level++ {
		rels, err := g.Incident(ctx, frontier, f)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, r := range rels {
			for _, pair := range [][2]string{{r.From, r.To}, {r.To, r.From}} {
				near, far := pair[0], pair[1]
				if d, ok := dist[near]; !ok || d != level-1 {
					continue
				}
				if d, ok := dist[far]; ok && d != level {
					continue
				}
				if _, ok := dist[far]; !ok {
					dist[far] = level
					next = append(next, far)
				}
				back[far] = append(back[far], r)
			}
		}
		found = dist[dst.ID] == level
		sort.Strings(next)
		frontier = next
	}
	if !found {
		return nil, nil
	}
	// onPath marks the nodes lying on some shortest path to dst.
	onPath := map[string]bool{dst.ID: true}
	queue := []string{dst.ID}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, r := range back[n] {
			p := r.Other(n)
			if !onPath[p] {
				onPath[p] = true
				queue = append(queue, p)
			}
		}
	}
	// forward[n] lists the shortest-path edges leaving n towards dst.
	forward := map[string][]*Relationship{}
	for n, rs := range back {
		if !onPath[n] {
			continue
		}
		for _, r := range rs {
			p := r.Other(n)
			forward[p] = append(forward[p], r)
		}
	}
	ids := []string{src.ID}
	var path []*Relationship
	for cur := src.ID; cur != dst.ID; {
		var best *Relationship
		bestNext := ""
		for _, r := range forward[cur] {
			next := r.Other(cur)
			if best == nil || next < bestNext || (next == bestNext && r.ID < best.ID) {
				best, bestNext = r, next
			}
		}
		path = append(path, best)
		ids = append(ids, bestNext)
		cur = bestNext
	}
	nodes, err := g.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	return &Path{Nodes: nodes, Edges: path}, nil
}

// BuildAllegianceChains answers Store.AllegianceChains over g. It gathers
// the PLEDGED_ALLEGIANCE_TO and AFFILIATE_OF edges reachable outward from
// q.From, then lists every simple path that cannot be extended (or that
// reached q.MaxDepth), sorted by node-id sequence, then edge-id sequence.
func BuildAllegianceChains(ctx context.Context, g Adjacency, q ChainQuery) ([]*Path, error) {
	root, err := rootAt(ctx, g, q.Validate(), q.From, q.AsOf)
	if root == nil || err != nil {
		return nil, err
	}
	f := RelFilter{Types: AllegianceTypes, Direction: Outgoing, AsOf: q.AsOf}
	out := map[string][]*Relationship{}
	expanded := map[string]bool{}
	frontier := []string{root.ID}
	for level := 0; level < q.MaxDepth && len(frontier) > 0; level++ {
		for _, id := range frontier {
			expanded[id] = true
		}
		rels, err := g.Incident(ctx, frontier, f)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, r := range rels {
			if !expanded[r.From] || r.From == r.To {
				continue
			}
			out[r.From] = append(out[r.From], r)
			if !expanded[r.To] && !slices.Contains(next, r.To) {
				next = append(next, r.To)
			}
		}
		sort.Strings(next)
		frontier = next
	}
	for _, rs := range out {
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].To != rs[j].To {
				return rs[i].To < rs[j].To
			}
			return rs[i].ID < rs[j].ID
		})
	}
	var chains [][]*Relationship
	onPath := map[string]bool{root.ID: true}
	var walk func(cur string, path []*Relationship)
	walk = func(cur string, path []*Relationship) {
		if len(chains) >= MaxChains {
			return
		}
		extended := false
		if len(path) < q.MaxDepth {
			for _, r := range out[cur] {
				if onPath[r.To] {
					continue
				}
				extended = true
				onPath[r.To] = true
				walk(r.To, append(path, r))
				onPath[r.To] = false
			}
		}
		if !extended && len(path) > 0 {
			chains = append(chains, slices.Clone(path))
		}
	}
	walk(root.ID, nil)
	return chainPaths(ctx, g, root, chains)
}

// chainPaths turns edge sequences into Paths with their entities.
func chainPaths(ctx context.Context, g Adjacency, root *Entity, chains [][]*Relationship) ([]*Path, error) {
	need := map[string]bool{}
	for _, c := range chains {
		for _, r := range c {
			need[r.To] = true
		}
	}
	ids := make([]string, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	ents, err := g.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Entity{root.ID: root}
	for _, e := range ents {
		if e != nil {
			byID[e.ID] = e
		}
	}
	paths := make([]*Path, 0, len(chains))
	for _, c := range chains {
		p := &Path{Nodes: []*Entity{root}, Edges: c}
		for _, r := range c {
			p.Nodes = append(p.Nodes, byID[r.To])
		}
		paths = append(paths, p)
	}
	SortPaths(paths)
	return paths, nil
}

// SortPaths orders paths by node-id sequence, then edge-id sequence.
func SortPaths(paths []*Path) {
	sort.SliceStable(paths, func(i, j int) bool {
		if c := slices.Compare(paths[i].NodeIDs(), paths[j].NodeIDs()); c != 0 {
			return c < 0
		}
		return slices.Compare(edgeIDs(paths[i]), edgeIDs(paths[j])) < 0
	})
}

func edgeIDs(p *Path) []string {
	ids := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		ids[i] = e.ID
	}
	return ids
}
