package memory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// loaded returns a store holding d.
func loaded(tb testing.TB, d *network.Dataset) *Store {
	tb.Helper()
	s := New()
	if _, err := s.Load(context.Background(), d); err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return s
}

func bundled(tb testing.TB) *network.Dataset {
	tb.Helper()
	d, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		tb.Fatalf("reading the bundled dataset: %v", err)
	}
	return d
}

func generated(tb testing.TB, sc gen.Scale) *network.Dataset {
	tb.Helper()
	d, err := gen.GenerateScale(sc, 1)
	if err != nil {
		tb.Fatalf("GenerateScale(%s): %v", sc, err)
	}
	return d
}

// variants are transliteration changes analysts meet.
var variants = strings.NewReplacer("q", "k", "k", "q", "ou", "u", "u", "ou", "e", "i", "i", "e", "y", "i", "al-", "el ", "dh", "d", "sh", "ch")

// searchQueries draws n queries from d's names: whole names and aliases,
// single words, prefixes, misspellings (a letter changed, dropped, added
// or two swapped), transliteration variants, mixes of two names' words,
// upper case and punctuation, and a few fixed ones.
func searchQueries(d *network.Dataset, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 3))
	qs := []string{"al", "ansar", "Islamic State", "ghali", "mujao~", "Jama'at", "Koufa", "al qaida", "zzzz", "Touré", "abu", "jam"}
	word := func(name string) string {
		ws := network.Tokens(name)
		if len(ws) == 0 {
			return "x"
		}
		return ws[r.IntN(len(ws))]
	}
	misspell := func(w string) string {
		rs := []rune(w)
		if len(rs) < 3 {
			return w + "a"
		}
		i := 1 + r.IntN(len(rs)-1)
		switch r.IntN(4) {
		case 0:
			rs[i] = 'a' + rune(r.IntN(26))
		case 1:
			rs = append(rs[:i], rs[i+1:]...)
		case 2:
			rs = append(rs[:i], append([]rune{'e'}, rs[i:]...)...)
		default:
			rs[i-1], rs[i] = rs[i], rs[i-1]
		}
		return string(rs)
	}
	for len(qs) < n {
		e := &d.Entities[r.IntN(len(d.Entities))]
		names := append(e.Names(), e.WeakNames()...)
		name := names[r.IntN(len(names))]
		var q string
		switch r.IntN(9) {
		case 0:
			q = name
		case 1:
			q = word(name)
		case 2:
			w := word(name)
			q = string([]rune(w)[:min(utf8.RuneCountInString(w), 3+r.IntN(3))])
		case 3:
			q = misspell(word(name))
		case 4:
			q = misspell(misspell(word(name)))
		case 5:
			q = variants.Replace(strings.ToLower(name))
		case 6:
			o := &d.Entities[r.IntN(len(d.Entities))]
			q = word(name) + " " + word(o.Name)
		case 7:
			q = strings.ToUpper(name) + ")(*"
		default:
			q = misspell(word(name)) + " " + word(name)
		}
		qs = append(qs, q)
	}
	return qs
}

// checkSearch compares Search with RankHits over every entity.
func checkSearch(t *testing.T, s *Store, queries []string) {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]*network.Entity, len(snap.Entities))
	for i := range snap.Entities {
		all[i] = &snap.Entities[i]
	}
	kinds := [][]network.EntityKind{nil, {network.Person}, {network.Organization}}
	nonEmpty := 0
	for i, query := range queries {
		q := network.SearchQuery{Query: query, Kinds: kinds[i%3], Limit: []int{10, network.MaxSearchLimit}[i%2]}
		got, err := s.Search(ctx, q)
		if network.ErrorCode(err) != network.ErrorCode(q.Validate()) {
			t.Fatalf("Search(%q): got error %v, want %v", query, err, q.Validate())
		}
		if err != nil {
			continue
		}
		want := network.RankHits(q, all)
		if len(want) > 0 {
			nonEmpty++
		}
		if !reflect.DeepEqual(hitList(got), hitList(want)) {
			t.Errorf("Search(%q, kinds %v, limit %d):\n got %v\nwant %v", query, q.Kinds, q.Limit, hitList(got), hitList(want))
		}
	}
	if nonEmpty < len(queries)/2 {
		t.Errorf("only %d of %d queries found anything: the queries test too little", nonEmpty, len(queries))
	}
}

func hitList(hits []network.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s:%v", h.Entity.ID, h.Score)
	}
	return out
}

// Search through the index returns exactly what ranking every entity
// returns, on the bundled dataset and on the synthetic one of scale S.
func TestSearchMatchesRankingEverything(t *testing.T) {
	t.Run("dataset=bundled", func(t *testing.T) {
		d := bundled(t)
		checkSearch(t, loaded(t, d), searchQueries(d, 400, 1))
	})
	t.Run("dataset=S", func(t *testing.T) {
		d := generated(t, gen.S)
		checkSearch(t, loaded(t, d), searchQueries(d, searchQueriesAtS, 2))
	})
}

// Search stays exact after loads that rename, add and delete entities.
func TestSearchAfterUpdates(t *testing.T) {
	ctx := context.Background()
	d := bundled(t)
	s := loaded(t, d)
	upd := &network.Dataset{Sources: d.Sources[:1]}
	for i := 0; i < len(d.Entities); i += 3 {
		e := d.Entities[i].Clone()
		e.Name, e.Aliases = variants.Replace(e.Name), append(e.Aliases, "Renamed "+e.ID)
		e.SourceIDs = []string{d.Sources[0].ID}
		e.Designations = nil
		upd.Entities = append(upd.Entities, *e)
	}
	upd.Entities = append(upd.Entities, network.Entity{ID: "new-one", Kind: network.Organization, Name: "Katibat Ghalinour", SourceIDs: []string{d.Sources[0].ID}})
	upd.DeleteEntities = []string{d.Entities[1].ID, d.Entities[4].ID}
	if _, err := s.Load(ctx, upd); err != nil {
		t.Fatalf("Load(renames): %v", err)
	}
	after, _ := s.Snapshot(ctx)
	checkSearch(t, s, append(searchQueries(after, 200, 4), "renamed", "ghalinour", "katibat"))
}
