package network_test

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/allegiance/allegiance/network"
)

// FuzzParsePartialDate: ParsePartialDate never panics; what it accepts
// round-trips through String, denotes a non-empty interval of real days, and
// is exactly what time.Parse accepts with the matching layout (year 1 and
// later); everything else is EINVALID.
func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{
		"2011", "2011-12", "2017-03-02", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29",
		"0000", "0000-00-00", "0001-01-01", "9999-12-31", "2017-02-30", "2017-2-3", "99999",
		"2017-13", "2017-00", "2017-04-31", "+201", "-2017", "2017-+1", "2017-1-", "20a7",
		"2017/03/02", "2017-03-02T00:00", " 2017", "٢٠١٧", "２０１７", "2017\x00", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := network.ParsePartialDate(s)
		if want := acceptedByTime(s); (err == nil) != want {
			t.Fatalf("ParsePartialDate(%q): got err %v, want accepted=%v (as time.Parse)", s, err, want)
		}
		if err != nil {
			if code := network.ErrorCode(err); code != network.EINVALID {
				t.Fatalf("ParsePartialDate(%q): got code %q, want %q", s, code, network.EINVALID)
			}
			if !d.IsZero() {
				t.Fatalf("ParsePartialDate(%q): got %v with an error, want the zero date", s, d)
			}
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParsePartialDate(%q).String(): got %q, want %q", s, got, s)
		}
		if d.IsZero() {
			t.Fatalf("ParsePartialDate(%q): got the zero date without an error", s)
		}
		first, last := d.First(), d.Last()
		if first > last {
			t.Fatalf("ParsePartialDate(%q): got First %d > Last %d", s, first, last)
		}
		for _, day := range []int{first, last} {
			if !realDay(day) {
				t.Fatalf("ParsePartialDate(%q): got bound %d, want a real YYYYMMDD day", s, day)
			}
		}
		if !network.Overlaps(d, d, d) {
			t.Fatalf("Overlaps(%q, %q, %q): got false, want true", s, s, s)
		}
	})
}

// acceptedByTime is the oracle: the standard library's opinion of s as
// YYYY, YYYY-MM or YYYY-MM-DD, year 0 excluded.
func acceptedByTime(s string) bool {
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	if layout == "" || !isDateShape(s) {
		return false
	}
	tm, err := time.Parse(layout, s)
	return err == nil && tm.Year() >= 1
}

// isDateShape reports whether s is ASCII digits with '-' exactly where the
// layout has them: time.Parse is lenient about signs and the like.
func isDateShape(s string) bool {
	for i, c := range s {
		dash := i == 4 || i == 7
		if dash != (c == '-') || !dash && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func realDay(n int) bool {
	y, m, d := n/10000, n/100%100, n%100
	tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return y >= 1 && tm.Year() == y && int(tm.Month()) == m && tm.Day() == d
}

// fullTextPart is one clause FullTextQuery may produce: a word of letters and
// digits, optionally fuzzy (~1, ~2) or a prefix (*).
var fullTextPart = regexp.MustCompile(`^[\p{L}\p{N}]+(~1|~2|\*)?$`)

// FuzzSearch: ScoreEntity and RankHits never panic and stay in range, and
// FullTextQuery never passes Lucene syntax from its input through.
func FuzzSearch(f *testing.F) {
	seeds := []struct{ query, name, alias string }{
		{"Koufa", "Amadou Kouffa", "Hamadoun Kouffa"},
		{"ghali", "Iyad Ag Ghaly", "Iyad ag Ghali"},
		{"Jama'at Nusrat al-Islam wal-Muslimin", "Jamaat Nusrat al-Islam wal Muslimeen", "JNIM"},
		{"*:*", "x", ""},
		{`") RETURN 1 //`, "Return", "1"},
		{`\\`, "a", "b"},
		{"~", "", ""},
		{"[", "a[b", "]"},
		{"Ghaly)(* OR name:x~2 AND NOT y^3 \"phrase\" /re.*/ {a TO b} &&||!", "Iyad Ag Ghaly", ""},
		{"MATCH (n) DETACH DELETE n", "Match", "Delete"},
		{"іyad-ag-ghaly", "Iyad Ag Ghaly", ""},
		{"ph ph phh hph", "Phh", "ph"},
		{"a\x00b", "a b", "\x00"},
		{"\xff\xfe", "\xff", "\xfe"},
		{"Ǆemal İstanbul ß ﬁ Ⅻ ⅻ", "ǆemal istanbul", "ss"},
		{"OR AND NOT", "or and not", "OR"},
	}
	for _, s := range seeds {
		f.Add(s.query, s.name, s.alias)
	}
	f.Fuzz(func(t *testing.T, query, name, alias string) {
		e := &network.Entity{ID: "e", Kind: network.Person, Name: name, Aliases: []string{alias}}
		other := &network.Entity{ID: "o", Kind: network.Organization, Name: "Iyad Ag Ghaly", Aliases: []string{query}}
		s := network.ScoreEntity(query, e)
		if math.IsNaN(s) || s < 0 || s > 1 {
			t.Fatalf("ScoreEntity(%q, {%q, %q}): got %v, want a score in [0, 1]", query, name, alias, s)
		}
		for _, limit := range []int{1, 2, 100} {
			hits := network.RankHits(network.SearchQuery{Query: query, Limit: limit}, []*network.Entity{e, nil, other, e})
			if len(hits) > limit || len(hits) > 2 {
				t.Fatalf("RankHits(%q, limit %d): got %d hits, want at most %d and at most 2", query, limit, len(hits), limit)
			}
			for i, h := range hits {
				if h.Score < network.MinScore || h.Score > 1 || i > 0 && h.Score > hits[i-1].Score {
					t.Fatalf("RankHits(%q, limit %d): got scores %v, want descending scores in [MinScore, 1]", query, limit, hits)
				}
			}
		}
		kinds := network.RankHits(network.SearchQuery{Query: query, Kinds: []network.EntityKind{network.Organization}, Limit: 10}, []*network.Entity{e})
		if len(kinds) != 0 {
			t.Fatalf("RankHits(%q, kinds [ORGANIZATION]) on a person: got %v, want no hits", query, kinds)
		}
		ftq := network.FullTextQuery(query)
		if ftq == "" {
			if len(network.Tokens(query)) != 0 {
				t.Fatalf("FullTextQuery(%q): got \"\", want clauses for tokens %q", query, network.Tokens(query))
			}
			return
		}
		for _, part := range strings.Split(ftq, " OR ") {
			if !fullTextPart.MatchString(part) {
				t.Fatalf("FullTextQuery(%q): got %q with clause %q, want only words, ~1, ~2 and * joined by \" OR \"", query, ftq, part)
			}
		}
	})
}
