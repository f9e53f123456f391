package network

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search ranking is shared by every store so that they agree on the order of
// hits: a store finds candidates however it can (a scan, a full-text index)
// and ranks them with ScoreEntity.

// normalize folds case and diacritics, drops apostrophes and turns every
// other non-alphanumeric character into a space.
func normalize(s string) string {
	if isASCII(s) {
		return normalizeASCII(s)
	}
	return normalizeUnicode(s)
}

// normalizeUnicode is normalize for any text.
func normalizeUnicode(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining mark: drop the diacritic
		case strings.ContainsRune("'’‘ʼʻ`´", r):
			// apostrophes and ayn/hamza marks vanish: Jama'at = Jamaat
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// normalizeASCII is normalize for ASCII text, which has no diacritic to
// decompose: letters and digits lower-cased, ' and ` dropped, any other
// byte a space. Most names are ASCII, and decomposing them rune by rune
// was 24% of the embedded store's search at M (0.83 of 3.48 s in a
// BenchmarkEmbeddedQuery CPU profile).
func normalizeASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '`':
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			b = append(b, c)
			space = false
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// skeleton folds common transliteration variants of Arabic and Berber
// names: q/k, e/i/y, o/u, the h of kh/gh/dh/th/sh/ph, and doubled letters.
// Ghaly and Ghali, Kouffa and Koufa, Qaida and Qaeda, Muslimeen and Muslimin
// share a skeleton.
//
// It appends bytes, not runes: the letters it rewrites are ASCII, so the
// one it rewrites in place (p of ph) is the last byte. Collecting runes
// and converting them was 15% of server d's CPU on search at M
// (slicerunetostring, bench/profiles/M-d-search.txt at 548d4ec).
func skeleton(token string) string {
	out := make([]byte, 0, len(token))
	var prev rune
	for _, r := range token {
		switch r {
		case 'q':
			r = 'k'
		case 'e', 'y':
			r = 'i'
		case 'o':
			r = 'u'
		case 'h':
			switch prev {
			case 'k', 'g', 'd', 't', 's', 'c':
				continue
			case 'p':
				out[len(out)-1] = 'f'
				prev = 'f'
				continue
			}
		}
		if r == prev {
			continue
		}
		out = utf8.AppendRune(out, r)
		prev = r
	}
	return string(out)
}

// Tokens returns the normalized words of s.
func Tokens(s string) []string { return strings.Fields(normalize(s)) }

// SearchTerms returns the words a full-text index should hold for e: every
// normalized token of its names, aliases and weak names, and their
// skeletons.
func SearchTerms(e *Entity) []string {
	seen := map[string]bool{}
	var terms []string
	for _, n := range append(e.Names(), e.WeakNames()...) {
		for _, t := range Tokens(n) {
			for _, v := range []string{t, skeleton(t)} {
				if !seen[v] {
					seen[v] = true
					terms = append(terms, v)
				}
			}
		}
	}
	return terms
}

// MinScore is the lowest score a search hit may have.
const MinScore = 0.5

func tokenWeight(t string) float64 {
	if len([]rune(t)) <= 2 {
		return 0.3 // "al", "ag", "of": particles say little
	}
	return 1
}

// tokenSim scores name token n against query token q; qs and ns are
// their skeletons.
func tokenSim(q, n, qs, ns string) float64 {
	if q == n {
		return 1
	}
	if qs == ns {
		return 0.95
	}
	ql, nl := len([]rune(qs)), len([]rune(ns))
	// Misspellings: an edit or two, but never in the first letter, so that
	// "ghali" does not match "mali".
	if min(ql, nl) >= 4 && []rune(qs)[0] == []rune(ns)[0] {
		d := levenshtein(qs, ns)
		if d <= 1 {
			return 0.8
		}
		if d <= 2 && min(ql, nl) >= 7 {
			return 0.6
		}
	}
	if len([]rune(q)) >= 3 && strings.HasPrefix(n, q) {
		return 0.7
	}
	return 0
}

// nameScore scores one name (an alias if alias) against the query.
func (q scorer) nameScore(name string, alias bool) float64 {
	qn, qt := q.qn, q.qt
	nn := normalize(name)
	if nn == "" {
		return 0
	}
	if nn == qn {
		if alias {
			return 0.99
		}
		return 1
	}
	nt := strings.Fields(nn)
	nsk := skeletons(nt)
	if strings.Join(nsk, " ") == q.skel {
		if alias {
			return 0.94
		}
		return 0.95
	}
	var qw, qs float64
	matched := make([]bool, len(nt))
	for j, t := range qt {
		best, at := 0.0, -1
		for i, u := range nt {
			if s := tokenSim(t, u, q.qs[j], nsk[i]); s > best {
				best, at = s, i
			}
		}
		w := tokenWeight(t)
		qw += w
		qs += w * best
		if at >= 0 {
			matched[at] = true
		}
	}
	var nw, ns float64
	for i, u := range nt {
		w := tokenWeight(u)
		nw += w
		if matched[i] {
			ns += w
		}
	}
	return 0.85 * (0.8*qs/qw + 0.2*ns/nw)
}

// skeletons returns the skeleton of each token.
func skeletons(tokens []string) []string {
	s := make([]string, len(tokens))
	for i, t := range tokens {
		s[i] = skeleton(t)
	}
	return s
}

// ScoreEntity scores e against query in [0, 1]: 1 for an exact name, 0.99
// for an exact alias, 0.95 for a transliteration variant of a whole name,
// less for partial and misspelt matches.
func ScoreEntity(query string, e *Entity) float64 { return newScorer(query).score(e) }

// scorer is a query made ready for scoring: normalized, split and
// skeletonized once, not once per candidate name.
type scorer struct {
	qn   string   // the normalized query
	qt   []string // its tokens
	qs   []string // their skeletons
	skel string   // the query's skeleton: qs joined by spaces
}

func newScorer(query string) scorer {
	qn := normalize(query)
	qt := strings.Fields(qn)
	qs := skeletons(qt)
	return scorer{qn: qn, qt: qt, qs: qs, skel: strings.Join(qs, " ")}
}

// score is ScoreEntity of the scorer's query.
func (q scorer) score(e *Entity) float64 {
	if len(q.qt) == 0 {
		return 0
	}
	best := q.nameScore(e.Name, false)
	for _, a := range e.Aliases {
		if s := q.nameScore(a, true); s > best {
			best = s
		}
	}
	for _, a := range e.WeakNames() {
		if s := q.nameScore(a, true) * WeakNameFactor; s > best {
			best = s
		}
	}
	return best
}

// WeakNameFactor scales the score of a match on a weak alias, previous name
// or original-script name, so that it ranks below a match of the same
// quality on a name or alias.
const WeakNameFactor = 0.8

// RankHits scores candidates against q, keeps those of q.Kinds scoring at
// least MinScore, and returns the best q.Limit, ties broken by id.
func RankHits(q SearchQuery, candidates []*Entity) []SearchHit {
	kinds := map[EntityKind]bool{}
	for _, k := range q.Kinds {
		kinds[k] = true
	}
	var hits []SearchHit
	seen := map[string]bool{}
	sc := newScorer(q.Query)
	for _, e := range candidates {
		if e == nil || seen[e.ID] || (len(kinds) > 0 && !kinds[e.Kind]) {
			continue
		}
		seen[e.ID] = true
		if s := sc.score(e); s >= MinScore {
			hits = append(hits, SearchHit{Entity: e, Score: s})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Entity.ID < hits[j].Entity.ID
	})
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return hits
}

// FullTextQuery turns a search into a Lucene query over SearchTerms: each
// query word, its skeleton, a fuzzy skeleton and a prefix, OR-ed. Words are
// normalized to letters and digits first, so no input can inject Lucene
// syntax. It returns "" when the query has no words.
func FullTextQuery(query string) string {
	var parts []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	for _, t := range Tokens(query) {
		s := skeleton(t)
		add(t)
		add(s)
		if n := len([]rune(s)); n >= 4 {
			if n >= 7 {
				add(s + "~2")
			} else {
				add(s + "~1")
			}
		}
		if len([]rune(t)) >= 3 {
			add(t + "*")
		}
	}
	return strings.Join(parts, " OR ")
}

func levenshtein(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
