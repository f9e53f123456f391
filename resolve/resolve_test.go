package resolve_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/resolve"
	"github.com/allegiance/allegiance/store/memory"
)

func date(tb testing.TB, s string) network.PartialDate {
	tb.Helper()
	d, err := network.ParsePartialDate(s)
	if err != nil {
		tb.Fatalf("ParsePartialDate(%q): %v", s, err)
	}
	return d
}

// curated and list are two small sources describing the same person and
// group under different ids, as the curated dataset and the UN list do.
func curated(tb testing.TB) *network.Dataset {
	tb.Helper()
	return &network.Dataset{
		Sources: []network.Source{{ID: "news", Title: "News", URL: "https://example.org/news"}},
		Entities: []network.Entity{
			{ID: "ghaly", Kind: network.Person, Name: "Iyad Ag Ghaly", Aliases: []string{"Iyad ag Ghali"}, Description: "curated", SourceIDs: []string{"news"}},
			{ID: "ansar", Kind: network.Organization, Name: "Ansar al-Dine", Aliases: []string{"Ansar Eddine"}, SourceIDs: []string{"news"}},
			{ID: "aqim", Kind: network.Organization, Name: "AQIM", SourceIDs: []string{"news"}},
		},
		Relationships: []network.Relationship{
			{ID: "c1", Type: network.LeaderOf, From: "ghaly", To: "ansar", SourceIDs: []string{"news"}},
		},
	}
}

func list(tb testing.TB) *network.Dataset {
	tb.Helper()
	return &network.Dataset{
		Sources: []network.Source{{ID: "un", Title: "UN list", URL: "https://example.org/un.xml"}},
		Entities: []network.Entity{
			{ID: "un-qdi-316", Kind: network.Person, Name: "IYAD AG GHALI", WeakAliases: []string{"Abu"},
				Identifiers: []network.Identifier{{Scheme: "unsc-ref", Value: "QDi.316"}}, SourceIDs: []string{"un"},
				Designations: []network.Designation{{ID: "un-qdi-316-unsc", Authority: "UN", Reference: "QDi.316", SourceIDs: []string{"un"}}},
				BirthDates:   []network.DateOfBirth{{Type: network.BirthExact, Date: date(tb, "1958")}}},
			{ID: "un-qde-135", Kind: network.Organization, Name: "ANSAR EDDINE",
				Identifiers: []network.Identifier{{Scheme: "unsc-ref", Value: "QDe.135"}}, SourceIDs: []string{"un"}},
			{ID: "un-qde-014", Kind: network.Organization, Name: "AL-QAIDA IN THE ISLAMIC MAGHREB", PreviousNames: []string{"AQIM"}, SourceIDs: []string{"un"}},
		},
		Relationships: []network.Relationship{
			{ID: "u1", Type: network.Founded, From: "un-qdi-316", To: "un-qde-135", Qualifier: network.DerivedFromText, SourceIDs: []string{"un"}},
		},
	}
}

var decisions = []resolve.Decision{
	{Keep: "ghaly", Merge: "un-qdi-316", Decision: resolve.Accept, Evidence: []string{"same person"}},
	{Keep: "ansar", Merge: "un-qde-135", Decision: resolve.Accept, Evidence: []string{"same group"}},
	{Keep: "aqim", Merge: "un-qde-014", Decision: resolve.Reject, Evidence: []string{"test"}},
}

// load applies resolution to each dataset in turn, as `allegiance load`
// does, and returns the store's snapshot.
func load(t *testing.T, decided []resolve.Decision, sets ...*network.Dataset) *network.Dataset {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	for i, ds := range sets {
		prev, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := resolve.Apply(prev, ds, decided)
		if _, err := s.Load(ctx, out); err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func entity(t *testing.T, d *network.Dataset, id string) *network.Entity {
	t.Helper()
	for i := range d.Entities {
		if d.Entities[i].ID == id {
			return &d.Entities[i]
		}
	}
	return nil
}

func ids(d *network.Dataset) []string {
	var out []string
	for _, e := range d.Entities {
		out = append(out, e.ID)
	}
	return out
}

// Accepted decisions make one node whatever the order of the loads, and
// loading again changes nothing.
func TestApplyOrderAndIdempotence(t *testing.T) {
	for _, tc := range []struct {
		name string
		sets func() []*network.Dataset
	}{
		{"curated then list", func() []*network.Dataset { return []*network.Dataset{curated(t), list(t)} }},
		{"list then curated", func() []*network.Dataset { return []*network.Dataset{list(t), curated(t)} }},
		{"curated, list, list, curated", func() []*network.Dataset {
			return []*network.Dataset{curated(t), list(t), list(t), curated(t)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := load(t, decisions, tc.sets()...)
			if want := []string{"ansar", "aqim", "ghaly", "un-qde-014"}; !reflect.DeepEqual(ids(got), want) {
				t.Fatalf("entity ids: got %v, want %v", ids(got), want)
			}
			g := entity(t, got, "ghaly")
			if g.Name != "Iyad Ag Ghaly" || g.Description != "curated" {
				t.Errorf("ghaly name/description: got %q/%q, want the curated ones", g.Name, g.Description)
			}
			if want := []string{"Iyad ag Ghali", "IYAD AG GHALI"}; !sameSet(g.Aliases, want) {
				t.Errorf("ghaly aliases: got %v, want %v", g.Aliases, want)
			}
			if len(g.Designations) != 1 || g.Designations[0].Reference != "QDi.316" {
				t.Errorf("ghaly designations: got %+v, want the UN one", g.Designations)
			}
			if !sameSet(g.SourceIDs, []string{"news", "un"}) || !sameSet(g.WeakAliases, []string{"Abu"}) {
				t.Errorf("ghaly sources/weak aliases: got %v/%v", g.SourceIDs, g.WeakAliases)
			}
			var rels []string
			for _, r := range got.Relationships {
				rels = append(rels, r.ID+":"+r.From+">"+r.To)
			}
			if want := []string{"c1:ghaly>ansar", "u1:ghaly>ansar"}; !reflect.DeepEqual(rels, want) {
				t.Errorf("relationships: got %v, want %v", rels, want)
			}
		})
	}
	once := load(t, decisions, curated(t), list(t))
	twice := load(t, decisions, curated(t), list(t), curated(t), list(t))
	if !reflect.DeepEqual(once, twice) {
		t.Errorf("loading both again changed the store:\n got %+v\nwant %+v", twice, once)
	}
}

// Without an accepted decision nothing merges on names, and rejected or
// pending pairs stay apart.
func TestApplyNeedsADecisionOrIdentifier(t *testing.T) {
	for _, tc := range []struct {
		name    string
		decided []resolve.Decision
		want    []string
	}{
		{"no decisions", nil, []string{"ansar", "aqim", "ghaly", "un-qde-014", "un-qde-135", "un-qdi-316"}},
		{"pending", []resolve.Decision{{Keep: "ghaly", Merge: "un-qdi-316", Decision: resolve.Pending}}, []string{"ansar", "aqim", "ghaly", "un-qde-014", "un-qde-135", "un-qdi-316"}},
		{"rejected", []resolve.Decision{{Keep: "ghaly", Merge: "un-qdi-316", Decision: resolve.Reject}}, []string{"ansar", "aqim", "ghaly", "un-qde-014", "un-qde-135", "un-qdi-316"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := load(t, tc.decided, curated(t), list(t))
			if !reflect.DeepEqual(ids(got), tc.want) {
				t.Errorf("entity ids: got %v, want %v", ids(got), tc.want)
			}
		})
	}
}

// Records sharing a strong identifier are one entity without review; a
// shared identifier between different kinds is refused.
func TestApplySharedIdentifier(t *testing.T) {
	ftm := &network.Dataset{
		Sources: []network.Source{{ID: "os", Title: "OpenSanctions", URL: "https://example.org/os"}},
		Entities: []network.Entity{
			{ID: "ftm-ghali", Kind: network.Person, Name: "Iyad Ag Ghali", Topics: []string{"sanction"},
				Identifiers: []network.Identifier{{Scheme: "unsc-ref", Value: "QDi.316"}}, SourceIDs: []string{"os"}},
			{ID: "ftm-odd", Kind: network.Organization, Name: "Odd",
				Identifiers: []network.Identifier{{Scheme: "unsc-ref", Value: "QDi.316"}}, SourceIDs: []string{"os"}},
		},
	}
	prev := list(t)
	out, rep := resolve.Apply(prev, ftm, nil)
	if want := []string{"ftm-odd", "un-qdi-316"}; !reflect.DeepEqual(ids(out), want) {
		t.Errorf("entity ids: got %v, want %v", ids(out), want)
	}
	if g := entity(t, out, "un-qdi-316"); g == nil || !sameSet(g.Topics, []string{"sanction"}) {
		t.Errorf("un-qdi-316 after folding ftm-ghali: got %+v, want topics [sanction]", g)
	}
	if len(rep.Conflicts) != 1 {
		t.Errorf("conflicts: got %v, want one for ftm-odd", rep.Conflicts)
	}
}

func TestCandidates(t *testing.T) {
	both := &network.Dataset{}
	for _, d := range []*network.Dataset{curated(t), list(t)} {
		both.Entities = append(both.Entities, d.Entities...)
	}
	old := network.Entity{ID: "un-qdi-900", Kind: network.Person, Name: "Iyad ag Ghali",
		BirthDates: []network.DateOfBirth{{Type: network.BirthBetween, From: date(t, "1930"), To: date(t, "1935")}}}
	both.Entities = append(both.Entities, old)
	for _, tc := range []struct {
		name    string
		decided []resolve.Decision
		want    []string
	}{
		// ghaly and un-qdi-316 share "iyad ag ghali"; ansar and un-qde-135
		// share "ansar eddine"; aqim's name is only a previous name of
		// un-qde-014, which is never compared; un-qdi-900 was born decades
		// before un-qdi-316 but ghaly has no birth date.
		{"undecided", nil, []string{"ansar<un-qde-135", "ghaly<un-qdi-316", "ghaly<un-qdi-900"}},
		{"decided pairs left out", decisions[:1], []string{"ansar<un-qde-135", "ghaly<un-qdi-900"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range resolve.Candidates(both, tc.decided) {
				if c.Decision != resolve.Pending || len(c.Evidence) == 0 {
					t.Errorf("candidate %+v: want pending with evidence", c)
				}
				got = append(got, c.Keep+"<"+c.Merge)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Candidates: got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReadDecisions(t *testing.T) {
	good := "decisions:\n  - keep: a\n    merge: b\n    decision: accept\n    evidence: [\"same UN number\"]\n"
	for _, tc := range []struct {
		name, text string
		wantErr    bool
	}{
		{"good", good, false},
		{"bad value", "decisions:\n  - keep: a\n    merge: b\n    decision: maybe\n", true},
		{"missing merge", "decisions:\n  - keep: a\n    decision: accept\n", true},
		{"same ids", "decisions:\n  - keep: a\n    merge: a\n    decision: accept\n", true},
		{"not a list", "decisions: 3\n", true},
		{"broken yaml", "decisions: [\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"res/x.yaml": {Data: []byte(tc.text)}}
			ds, err := resolve.ReadDecisions(fsys, "res")
			var e *network.Error
			switch {
			case tc.wantErr && (!errors.As(err, &e) || e.Code != network.EINVALID):
				t.Errorf("ReadDecisions(%q): got %v, want code %s", tc.text, err, network.EINVALID)
			case !tc.wantErr && (err != nil || len(ds) != 1 || ds[0].Keep != "a"):
				t.Errorf("ReadDecisions(%q): got %+v, %v; want one decision", tc.text, ds, err)
			}
		})
	}
	twice := fstest.MapFS{"res/x.yaml": {Data: []byte(good)}, "res/y.yaml": {Data: []byte(good)}}
	if _, err := resolve.ReadDecisions(twice, "res"); err == nil {
		t.Errorf("ReadDecisions(a pair in two files): got nil error, want %s", network.EINVALID)
	}
	out, err := resolve.WriteDecisions(decisions)
	if err != nil {
		t.Fatal(err)
	}
	back, err := resolve.ReadDecisions(fstest.MapFS{"r/d.yaml": {Data: out}}, "r")
	if err != nil || !reflect.DeepEqual(back, decisions) {
		t.Errorf("WriteDecisions then ReadDecisions: got %+v, %v; want %+v", back, err, decisions)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
