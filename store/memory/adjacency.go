package memory

import (
	"context"
	"math/bits"
	"slices"

	"github.com/allegiance/allegiance/network"
)

// matcher is a RelFilter compiled against the store's tables.
type matcher struct {
	s *Store
	// types selects type indexes; nil means every type.
	types     *[256]bool
	direction network.Direction
	asOf      bool
	// first and last bound the asOf interval as YYYYMMDD integers.
	first, last int32
}

// matcher compiles f. The caller holds mu.
func (s *Store) matcher(f network.RelFilter) matcher {
	m := matcher{s: s, direction: f.Direction}
	if len(f.Types) > 0 {
		m.types = new([256]bool)
		for _, rt := range f.Types {
			for i, x := range s.t.types {
				if x == rt {
					m.types[i] = true
				}
			}
		}
	}
	if !f.AsOf.IsZero() {
		m.asOf, m.first, m.last = true, int32(f.AsOf.First()), int32(f.AsOf.Last())
	}
	return m
}

// alive reports whether entity e exists at the matcher's date.
func (m *matcher) alive(e int32) bool {
	r := &m.s.ents[e]
	return !m.asOf || (r.lo <= m.last && r.hi >= m.first)
}

// match reports whether relationship ri, seen from its endpoint e, passes
// the filter, as network.Direction.Matches, Relationship.ActiveAt and
// Entity.AliveAt define it.
func (m *matcher) match(ri, e int32) bool {
	r := &m.s.rels[ri]
	if m.types != nil && !m.types[r.typ] {
		return false
	}
	switch m.direction {
	case network.Outgoing:
		if r.from != e && !m.s.t.symmetric[r.typ] {
			return false
		}
	case network.Incoming:
		if r.to != e && !m.s.t.symmetric[r.typ] {
			return false
		}
	}
	if !m.asOf {
		return true
	}
	return r.lo <= m.last && r.hi >= m.first && m.alive(r.from) && m.alive(r.to)
}

// relationships returns copies of the relationships ris, in that order,
// the caller may keep and change. They are allocated together, their
// source lists windows of one backing array. The caller holds mu.
func (s *Store) relationships(ris []int32) []*network.Relationship {
	if len(ris) == 0 {
		return nil
	}
	recs := make([]network.Relationship, len(ris))
	n := 0
	for i, ri := range ris {
		r := &s.rels[ri]
		a := &s.t.attrs[r.attrs]
		// The source list is shared until the copy below.
		recs[i] = network.Relationship{
			ID: s.t.text.get(r.id), Type: s.t.types[r.typ], From: s.entID(r.from), To: s.entID(r.to),
			Role: a.role, Since: s.t.dates[r.since], Until: s.t.dates[r.until],
			Qualifier: a.qualifier, Evidence: a.evidence, Note: a.note,
			SourceIDs: s.t.lists[a.sources],
		}
		n += len(recs[i].SourceIDs)
	}
	strs := make([]string, 0, n)
	out := make([]*network.Relationship, len(ris))
	for i := range recs {
		c := &recs[i]
		c.SourceIDs = carve(&strs, c.SourceIDs)
		out[i] = c
	}
	return out
}

// indexes resolves ids to the indexes of live entities, each once, marking
// them in set. The caller holds mu.
func (s *Store) indexes(ids []string, set bitset) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if e := s.lookup(id); e >= 0 && !set.has(e) {
			set.add(e)
			out = append(out, e)
		}
	}
	return out
}

func cancelled(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return network.Errorf(network.EUNAVAILABLE, "request cancelled: %v", err)
	}
	return nil
}

// view is the network.Adjacency a traversal over s uses while it holds
// s.mu for reading: its methods do not lock, so that the whole traversal
// reads one state of the store, and a load cannot land between two of its
// steps. (Read-locking again in each step would not do: a load waiting
// for the lock blocks new readers, so the second lock would wait for the
// load, which waits for the first.)
type view struct{ s *Store }

var _ network.Adjacency = view{}

// Entities implements network.Adjacency. The caller holds s.mu.
func (v view) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return v.s.entitiesOf(ids), nil
}

// Incident implements network.Adjacency. The caller holds s.mu.
func (v view) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return v.s.incident(ids, f), nil
}

// Neighbors implements network.Adjacency. The caller holds s.mu.
func (v view) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return v.s.neighborIDs(ids, exclude, f, limit), nil
}

// Among implements network.Adjacency. The caller holds s.mu.
func (v view) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return v.s.amongIDs(ids, f), nil
}

// Incident implements network.Adjacency. Each call reads under its own
// lock: a traversal of several steps runs over a view instead.
func (s *Store) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.incident(ids, f), nil
}

// incident is Incident. The caller holds mu.
func (s *Store) incident(ids []string, f network.RelFilter) []*network.Relationship {
	m := s.matcher(f)
	var found []int32
	for _, e := range s.indexes(ids, newBitset(len(s.ents))) {
		for _, a := range s.inc[e] {
			if m.match(a.rel, e) {
				found = append(found, a.rel)
			}
		}
	}
	slices.Sort(found)
	return s.relationships(slices.Compact(found))
}

// Neighbors implements network.Adjacency. The incident lists are sorted by
// the other endpoint's id, so it merges the lists of ids in that order and
// stops after limit neighbours: a hub costs what its first limit
// neighbours cost.
func (s *Store) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.neighborIDs(ids, exclude, f, limit), nil
}

// neighborIDs is Neighbors. The caller holds mu.
func (s *Store) neighborIDs(ids, exclude []string, f network.RelFilter, limit int) []string {
	m := s.matcher(f)
	skip := newBitset(len(s.ents))
	from := s.indexes(ids, skip)
	for _, id := range exclude {
		if e := s.lookup(id); e >= 0 {
			skip.add(e)
		}
	}
	var out []string
	for _, e := range s.neighbors(from, skip, &m, limit) {
		out = append(out, s.entID(e))
	}
	return out
}

// neighbors returns, in id order, the first limit entities outside skip
// joined to one of from by a relationship m keeps. The caller holds mu.
func (s *Store) neighbors(from []int32, skip bitset, m *matcher, limit int) []int32 {
	var cs cursors
	for _, e := range from {
		if list := s.inc[e]; len(list) > 0 {
			cs = append(cs, cursor{owner: e, next: s.rank[list[0].other], adj: list})
		}
	}
	for i := len(cs)/2 - 1; i >= 0; i-- {
		cs.down(i)
	}
	var out []int32
	last := int32(-1) // the last neighbour taken
	for len(cs) > 0 && len(out) < limit {
		// Read the run of entries of the smallest next neighbour in this
		// list, taking it at the first relationship that passes.
		c := &cs[0]
		o := c.adj[0].other
		want := o != last && !skip.has(o)
		i := 0
		for ; i < len(c.adj) && c.adj[i].other == o; i++ {
			if want && m.match(c.adj[i].rel, c.owner) {
				out = append(out, o)
				last, want = o, false
			}
		}
		if c.adj = c.adj[i:]; len(c.adj) > 0 {
			c.next = s.rank[c.adj[0].other]
		} else {
			cs[0] = cs[len(cs)-1]
			cs = cs[:len(cs)-1]
		}
		cs.down(0)
	}
	return out
}

// cursor walks one incident list.
type cursor struct {
	owner int32
	// next is the rank of the other endpoint of adj[0].
	next int32
	adj  []adj
}

// cursors is a min-heap of cursors ordered by next.
type cursors []cursor

// down moves h[i] down to where its next belongs: it restores the heap
// order when only h[i] broke it, by being too large.
func (h cursors) down(i int) {
	for {
		j := 2*i + 1
		if j >= len(h) {
			return
		}
		if r := j + 1; r < len(h) && h[r].next < h[j].next {
			j = r
		}
		if h[j].next >= h[i].next {
			return
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}

// adjCompare orders incident-list entries: by the other endpoint's id, then
// by the relationship's id.
func (s *Store) adjCompare(a, b adj) int {
	if ra, rb := s.rank[a.other], s.rank[b.other]; ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	return s.relCompare(a.rel, b.rel)
}

// Among implements network.Adjacency.
func (s *Store) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.amongIDs(ids, f), nil
}

// amongIDs is Among. The caller holds mu.
func (s *Store) amongIDs(ids []string, f network.RelFilter) []*network.Relationship {
	f.Direction = network.Both // both endpoints are in ids: direction says nothing
	m := s.matcher(f)
	in := newBitset(len(s.ents))
	found := s.among(s.indexes(ids, in), in, &m)
	s.sortRels(found)
	return s.relationships(found)
}

// among returns the relationships m keeps whose endpoints are both in set
// (which in marks), each once, in no particular order; it removes set from
// in. It looks for each relationship from one end only, the one with the
// shorter incident list (of two as long, the smaller index): a member reads
// its list whole, or, when that is much longer than the number of members
// with longer lists, searches it for each of them instead. So a hub's list
// is searched only for the few members larger still, and the relationships
// joining it to the others are found from their side. The caller holds mu.
func (s *Store) among(set []int32, in bitset, m *matcher) []int32 {
	// bySize orders set by list length, then index.
	bySize := make([]uint64, len(set))
	for i, e := range set {
		bySize[i] = uint64(len(s.inc[e]))<<32 | uint64(uint32(e))
	}
	slices.Sort(bySize)
	var found []int32
	take := func(ri int32) {
		if m.match(ri, s.rels[ri].from) {
			found = append(found, ri)
		}
	}
	for i, key := range bySize {
		e := int32(uint32(key))
		list := s.inc[e]
		// larger are e and the members with longer lists: those still in
		// in. e is among them for a relationship from e to itself.
		larger := bySize[i:]
		if len(larger)*searchSteps(len(list)) < len(list) {
			for _, k := range larger {
				o := int32(uint32(k))
				r := s.rank[o]
				j, _ := slices.BinarySearchFunc(list, r, func(a adj, r int32) int { return int(s.rank[a.other]) - int(r) })
				for ; j < len(list) && list[j].other == o; j++ {
					take(list[j].rel)
				}
			}
		} else {
			for _, a := range list {
				if in.has(a.other) {
					take(a.rel)
				}
			}
		}
		in.remove(e)
	}
	return found
}

// searchSteps is what a binary search of a list of n entries costs, in
// entries read in order: each step reads an entry and the rank of its
// other end, both far from the last.
func searchSteps(n int) int { return 4 * bits.Len(uint(n)) }

// bitset is a set of entity indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) add(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) remove(i int32)   { b[i>>6] &^= 1 << (uint(i) & 63) }
