package memory

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/allegiance/allegiance/network"
)

// searchIndex finds the entities a query can match. network.ScoreEntity
// gives a name a score only when one of its words and one of the query's
// are equal, share a skeleton, are within an edit or two of each other's
// skeleton with the same first letter, or when the query word (three
// letters or more) begins the name word. The index holds every term
// network.SearchTerms gives (words and their skeletons) and finds, for
// each term of the query, the terms that are equal, that it begins, and
// that are that close; their entities are a superset of every entity
// scoring above zero, and RankHits over them returns exactly what it
// returns over every entity.
//
// The index holds no pointer per term, so that the garbage collector does
// not visit it term by term on every cycle (at scale M it was more than
// half of the collector's marking): the terms are in a text, ids is an
// idTable, and the entity lists are windows of one array, post, with the
// entities added since it was built kept in tail until there are enough of
// them to rebuild it.
type searchIndex struct {
	text text
	// terms are the terms' positions in text, by term id; ids finds a
	// term's id.
	terms []textRef
	ids   *idTable
	// post[postAt[t]:postAt[t+1]] and then tail[t] list the entities whose
	// names give term t. An entity whose names change stays listed under
	// its old terms until the next compaction: a superset is still exact.
	postAt []uint32
	post   []int32
	tail   map[int32][]int32
	nTail  int
	// sorted lists the term ids in term order, for prefixes; pending are
	// the ids added since the last finish.
	sorted, pending []int32
	// heads groups the terms of four letters or more by first letter and
	// length, for near misses.
	heads map[head][]int32
}

type head struct {
	first rune
	n     int32
}

func newSearchIndex() *searchIndex {
	return &searchIndex{ids: newIDTable(0), postAt: []uint32{0}, tail: map[int32][]int32{}, heads: map[head][]int32{}}
}

// term is the text of term t.
func (x *searchIndex) term(t int32) string { return x.text.get(x.terms[t]) }

// add indexes entity e under the terms of its names.
func (x *searchIndex) add(e int32, ent *network.Entity) {
	for _, term := range network.SearchTerms(ent) {
		t := x.ids.find(term, x.term)
		if t < 0 {
			t = int32(len(x.terms))
			x.terms = append(x.terms, x.text.put(term))
			x.ids.insert(t, x.term)
			x.pending = append(x.pending, t)
			if n := utf8.RuneCountInString(term); n >= 4 {
				first, _ := utf8.DecodeRuneInString(term)
				h := head{first, int32(n)}
				x.heads[h] = append(x.heads[h], t)
			}
		}
		if x.last(t) != e {
			x.tail[t] = append(x.tail[t], e)
			x.nTail++
		}
	}
}

// last is the entity listed last under term t, or -1.
func (x *searchIndex) last(t int32) int32 {
	if l := x.tail[t]; len(l) > 0 {
		return l[len(l)-1]
	}
	if int(t)+1 < len(x.postAt) && x.postAt[t] < x.postAt[t+1] {
		return x.post[x.postAt[t+1]-1]
	}
	return -1
}

// finish merges the terms added since the last call into the term order,
// and the tail into post when it has grown to an eighth of it.
func (x *searchIndex) finish() {
	if x.nTail > 0 && x.nTail >= len(x.post)/8 {
		x.rebuild()
	}
	if len(x.pending) == 0 {
		return
	}
	byTerm := func(a, b int32) int { return strings.Compare(x.term(a), x.term(b)) }
	slices.SortFunc(x.pending, byTerm)
	merged := make([]int32, 0, len(x.sorted)+len(x.pending))
	i, j := 0, 0
	for i < len(x.sorted) && j < len(x.pending) {
		if byTerm(x.sorted[i], x.pending[j]) < 0 {
			merged = append(merged, x.sorted[i])
			i++
		} else {
			merged = append(merged, x.pending[j])
			j++
		}
	}
	x.sorted = append(append(merged, x.sorted[i:]...), x.pending[j:]...)
	x.pending = nil
}

// rebuild moves the tail into post.
func (x *searchIndex) rebuild() {
	at := make([]uint32, len(x.terms)+1)
	post := make([]int32, 0, len(x.post)+x.nTail)
	for t := range int32(len(x.terms)) {
		at[t] = uint32(len(post))
		if int(t)+1 < len(x.postAt) {
			post = append(post, x.post[x.postAt[t]:x.postAt[t+1]]...)
		}
		post = append(post, x.tail[t]...)
	}
	at[len(x.terms)] = uint32(len(post))
	x.postAt, x.post, x.tail, x.nTail = at, post, map[int32][]int32{}, 0
}

// candidates marks in set every entity listed under a term that a term of
// query can match, and returns them.
func (x *searchIndex) candidates(query string, set bitset) []int32 {
	var out []int32
	take := func(list []int32) {
		for _, e := range list {
			if !set.has(e) {
				set.add(e)
				out = append(out, e)
			}
		}
	}
	mark := func(t int32) {
		if int(t)+1 < len(x.postAt) {
			take(x.post[x.postAt[t]:x.postAt[t+1]])
		}
		take(x.tail[t])
	}
	var qr, tr []rune
	var row0, row1 []int
	for _, q := range network.SearchTerms(&network.Entity{Name: query}) {
		if t := x.ids.find(q, x.term); t >= 0 {
			mark(t)
		}
		n := utf8.RuneCountInString(q)
		if n >= 3 {
			i, _ := slices.BinarySearchFunc(x.sorted, q, func(t int32, q string) int { return strings.Compare(x.term(t), q) })
			for ; i < len(x.sorted) && strings.HasPrefix(x.term(x.sorted[i]), q); i++ {
				mark(x.sorted[i])
			}
		}
		if n < 4 {
			continue
		}
		qr = append(qr[:0], []rune(q)...)
		for l := n - 2; l <= n+2; l++ {
			k := 1
			if min(n, l) >= 7 {
				k = 2
			}
			if min(n, l) < 4 || max(n-l, l-n) > k {
				continue
			}
			for _, t := range x.heads[head{qr[0], int32(l)}] {
				tr = tr[:0]
				for _, r := range x.term(t) {
					tr = append(tr, r)
				}
				if within(qr, tr, k, &row0, &row1) {
					mark(t)
				}
			}
		}
	}
	return out
}

// within reports whether the Levenshtein distance of a and b is at most k,
// giving up on a row once every cell of it exceeds k.
func within(a, b []rune, k int, row0, row1 *[]int) bool {
	prev, cur := (*row0)[:0], *row1
	for j := 0; j <= len(b); j++ {
		prev = append(prev, j)
	}
	if cap(cur) < len(b)+1 {
		cur = make([]int, len(b)+1)
	}
	cur = cur[:len(b)+1]
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > k {
			*row0, *row1 = prev, cur
			return false
		}
		prev, cur = cur, prev
	}
	*row0, *row1 = prev, cur
	return prev[len(b)] <= k
}

// Search implements network.Store. It ranks, with network.RankHits, only
// the entities the search index offers, which gives the same hits as
// ranking every entity.
func (s *Store) Search(ctx context.Context, q network.SearchQuery) ([]network.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	cand := s.search.candidates(q.Query, newBitset(len(s.ents)))
	light := make([]network.Entity, 0, len(cand))
	for _, e := range cand {
		if s.ents[e].live {
			light = append(light, network.Entity{})
			s.t.names(&light[len(light)-1], &s.ents[e])
		}
	}
	ptrs := make([]*network.Entity, len(light))
	for i := range light {
		ptrs[i] = &light[i]
	}
	hits := network.RankHits(q, ptrs)
	for i := range hits {
		hits[i].Entity = s.t.entity(&s.ents[s.lookup(hits[i].Entity.ID)])
	}
	return hits, nil
}
