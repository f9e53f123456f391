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
type searchIndex struct {
	ids   map[string]int32
	terms []string
	// post lists the entities whose names give each term. An entity whose
	// names change stays listed under its old terms until the next
	// compaction: a superset is still exact.
	post [][]int32
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
	return &searchIndex{ids: map[string]int32{}, heads: map[head][]int32{}}
}

// add indexes entity e under the terms of its names.
func (x *searchIndex) add(e int32, ent *network.Entity) {
	for _, term := range network.SearchTerms(ent) {
		t, ok := x.ids[term]
		if !ok {
			t = int32(len(x.terms))
			x.ids[term] = t
			x.terms = append(x.terms, term)
			x.post = append(x.post, nil)
			x.pending = append(x.pending, t)
			if n := utf8.RuneCountInString(term); n >= 4 {
				first, _ := utf8.DecodeRuneInString(term)
				h := head{first, int32(n)}
				x.heads[h] = append(x.heads[h], t)
			}
		}
		if p := x.post[t]; len(p) == 0 || p[len(p)-1] != e {
			x.post[t] = append(p, e)
		}
	}
}

// finish merges the terms added since the last call into the term order.
func (x *searchIndex) finish() {
	if len(x.pending) == 0 {
		return
	}
	byTerm := func(a, b int32) int { return strings.Compare(x.terms[a], x.terms[b]) }
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

// candidates marks in set every entity listed under a term that a term of
// query can match, and returns them.
func (x *searchIndex) candidates(query string, set bitset) []int32 {
	var out []int32
	mark := func(t int32) {
		for _, e := range x.post[t] {
			if !set.has(e) {
				set.add(e)
				out = append(out, e)
			}
		}
	}
	var qr, tr []rune
	var row0, row1 []int
	for _, q := range network.SearchTerms(&network.Entity{Name: query}) {
		if t, ok := x.ids[q]; ok {
			mark(t)
		}
		n := utf8.RuneCountInString(q)
		if n >= 3 {
			i, _ := slices.BinarySearchFunc(x.sorted, q, func(t int32, q string) int { return strings.Compare(x.terms[t], q) })
			for ; i < len(x.sorted) && strings.HasPrefix(x.terms[x.sorted[i]], q); i++ {
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
				for _, r := range x.terms[t] {
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
