package unsc

import (
	"slices"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestReadRealList(t *testing.T) {
	l := mustRead(t, realFull)
	kinds := map[network.EntityKind]int{}
	units := 0
	for _, e := range l.Dataset.Entities {
		if identifier(&e, SchemeUnit) != "" {
			units++
			continue
		}
		kinds[e.Kind]++
	}
	if kinds[network.Person] != 682 || kinds[network.Organization] != 193 {
		t.Errorf("%s: got %d persons and %d organizations, want 682 and 193", realFull, kinds[network.Person], kinds[network.Organization])
	}
	if units != 3 {
		t.Errorf("%s: got %d unit organizations, want 3 (Katiba Macina, Shura Council of Al-Qaida, Katibat Tarek Ibn Ziad)", realFull, units)
	}
	if got := l.Generated.String(); got != "2024-09-26" {
		t.Errorf("Generated: got %q, want 2024-09-26", got)
	}
	if len(l.Dataset.Sources) != 1 || l.Dataset.Sources[0].ID != SourceID || l.Dataset.Sources[0].Published != l.Generated {
		t.Fatalf("Sources: got %+v, want the one list source published %s", l.Dataset.Sources, l.Generated)
	}
	for _, e := range l.Dataset.Entities {
		if !slices.Equal(e.SourceIDs, []string{SourceID}) {
			t.Errorf("entity %s cites %v, want [%s]", e.ID, e.SourceIDs, SourceID)
		}
		for _, d := range e.Designations {
			if !slices.Equal(d.SourceIDs, []string{SourceID}) {
				t.Errorf("designation %s cites %v, want [%s]", d.ID, d.SourceIDs, SourceID)
			}
		}
	}
	for _, r := range l.Dataset.Relationships {
		if !slices.Equal(r.SourceIDs, []string{SourceID}) || !network.ValidQualifier(r.Qualifier) ||
			!strings.HasPrefix(r.Qualifier, network.DerivedFromText) || r.From == r.To {
			t.Errorf("relationship %s: sources %v, qualifier %q, %s → %s: want the list, a valid derived qualifier, no self-loop",
				r.ID, r.SourceIDs, r.Qualifier, r.From, r.To)
		}
		if r.ID != relID(r.From, r.Type, r.To) {
			t.Errorf("relationship id: got %q, want %q", r.ID, relID(r.From, r.Type, r.To))
		}
	}
	checkRefs(t, l.Dataset)
	ids := map[string]bool{}
	for _, r := range l.Dataset.Relationships {
		if ids[r.From+"|"+string(r.Type)+"|"+r.To] {
			t.Errorf("repeated relationship %s", r.ID)
		}
		ids[r.From+"|"+string(r.Type)+"|"+r.To] = true
	}
	// QDe.005 cites itself ("The two entries Al Rashid Trust (QDe.005) and …").
	if r := rel(l.Dataset, "un-qde-005", network.AssociatedWith, "un-qde-005"); r != nil {
		t.Errorf("self-reference of QDe.005 kept: %+v", r)
	}
	if e := entity(t, l.Dataset, "un-qde-005"); !strings.Contains(e.Notes[0], "Al Rashid Trust (QDe.005)") {
		t.Errorf("QDe.005 notes: got %q, want its self-citing comment", e.Notes)
	}
}

func TestWarningsForAbsentRecords(t *testing.T) {
	l := mustRead(t, realFull)
	for _, tc := range []struct{ from, cited string }{
		{"TAi.038", "TAi.048"},
		{"QDe.002", "QDe.072"},
		{"QDe.005", "QDe.073"},
	} {
		t.Run(tc.from+"→"+tc.cited, func(t *testing.T) {
			found := false
			for _, w := range l.Warnings {
				found = found || strings.Contains(w, tc.from) && strings.Contains(w, tc.cited)
			}
			if !found {
				t.Errorf("warnings %q: want one naming %s and %s", l.Warnings, tc.from, tc.cited)
			}
			for _, r := range l.Dataset.Relationships {
				if r.To == EntityID(tc.cited) || r.From == EntityID(tc.cited) {
					t.Errorf("relationship %s refers to %s, which is not on the list", r.ID, tc.cited)
				}
			}
		})
	}
}

func TestNamesAndAliases(t *testing.T) {
	full := mustRead(t, realFull)
	fix := mustRead(t, fixture)
	tests := []struct {
		name                            string
		d                               *network.Dataset
		id                              string
		wantName                        string
		aliases, weak, previous, script []string
	}{
		{"AQIM QDe.014", full.Dataset, "un-qde-014", "THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB",
			[]string{"AQIM", "Al Qaïda au Maghreb islamique (AQMI)"}, nil,
			[]string{"Le Groupe Salafiste pour La Prédication et le Combat (GSPC)", "Salafist Group For Call and Combat"},
			[]string{"تنظيم القا عدة ببلاد المغرب الاسلامي"}},
		{"Ali Maychou QDi.423", full.Dataset, "un-qdi-423", "ALI MAYCHOU",
			[]string{"Abderahmane al Maghrebi", "Abderrahmane le Marocain"}, []string{"Abou Abderahmane Sanhaji"}, nil, []string{"علي ما يشو"}},
		{"fixture QDi.901", fix.Dataset, "un-qdi-901", "PERSON ONE EXAMPLE",
			[]string{"Abu One", "P. One", "Abu Uno"}, []string{"The One"}, nil, []string{"شخص واحد"}},
		{"fixture QDe.901", fix.Dataset, "un-qde-901", "ALPHA FRONT", []string{"AF"}, nil, []string{"Old Alpha"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := entity(t, tc.d, tc.id)
			if e.Name != tc.wantName {
				t.Errorf("Name: got %q, want %q", e.Name, tc.wantName)
			}
			for _, c := range []struct {
				field     string
				got, want []string
			}{{"Aliases", e.Aliases, tc.aliases}, {"WeakAliases", e.WeakAliases, tc.weak},
				{"PreviousNames", e.PreviousNames, tc.previous}, {"OriginalScriptNames", e.OriginalScriptNames, tc.script}} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s of %s: got %q, want %q", c.field, tc.id, c.got, c.want)
				}
			}
		})
	}
}

func TestBirthData(t *testing.T) {
	full := mustRead(t, realFull)
	fix := mustRead(t, fixture)
	d := network.MustParsePartialDate
	tests := []struct {
		name   string
		ds     *network.Dataset
		id     string
		born   string
		dates  []network.DateOfBirth
		places []string
	}{
		{"BETWEEN TAi.023", full.Dataset, "un-tai-023", "",
			[]network.DateOfBirth{{Type: network.BirthBetween, From: d("1963"), To: d("1968")}},
			[]string{"Uruzgan, Afghanistan"}},
		{"APPROXIMATELY QDi.425", full.Dataset, "un-qdi-425", "",
			[]network.DateOfBirth{{Type: network.BirthApproximately, Date: d("1958")}},
			[]string{"Koufa, Mali"}},
		{"alias's own birth QDi.217", full.Dataset, "un-qdi-217", "1938-08-17",
			[]network.DateOfBirth{
				{Type: network.BirthExact, Date: d("1938-08-17")},
				{Type: network.BirthExact, Date: d("1938-08-17"), Alias: "Abu Bakar Baasyir"},
				{Type: network.BirthExact, Date: d("1938-08-17"), Alias: "Abu Bakar Bashir"}},
			[]string{"Jombang, East Java, Indonesia",
				"Jombang, East Java, Indonesia (alias: Abu Bakar Baasyir)",
				"Jombang, East Java, Indonesia (alias: Abu Bakar Bashir)"}},
		{"unnamed alias entries QDi.424", full.Dataset, "un-qdi-424", "1958-01-01",
			[]network.DateOfBirth{
				{Type: network.BirthExact, Date: d("1958-01-01")},
				{Type: network.BirthExact, Date: d("1952-12-31")},
				{Type: network.BirthExact, Date: d("1956-10-28")}}, nil},
		{"fixture QDi.901", fix.Dataset, "un-qdi-901", "1958-01-01",
			[]network.DateOfBirth{
				{Type: network.BirthApproximately, Date: d("1958")},
				{Type: network.BirthExact, Date: d("1958-01-01")},
				{Type: network.BirthBetween, From: d("1955"), To: d("1959")},
				{Type: network.BirthExact, Date: d("1960-02-03"), Alias: "Abu Uno"},
				{Type: network.BirthBetween, From: d("1961"), To: d("1963")}},
			[]string{"Abeibara, Kidal, Mali", "Gao, Mali (alias: Abu Uno)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := entity(t, tc.ds, tc.id)
			if e.Born.String() != tc.born {
				t.Errorf("Born of %s: got %q, want %q", tc.id, e.Born, tc.born)
			}
			if !slices.Equal(e.BirthDates, tc.dates) {
				t.Errorf("BirthDates of %s: got %+v, want %+v", tc.id, e.BirthDates, tc.dates)
			}
			if !slices.Equal(e.BirthPlaces, tc.places) {
				t.Errorf("BirthPlaces of %s: got %q, want %q", tc.id, e.BirthPlaces, tc.places)
			}
		})
	}
}

func TestRecordFields(t *testing.T) {
	l := mustRead(t, fixture)
	e := entity(t, l.Dataset, "un-qdi-901")
	want := network.Entity{
		ID: "un-qdi-901", Kind: network.Person, Name: "PERSON ONE EXAMPLE",
		Identifiers: []network.Identifier{{Scheme: SchemeRef, Value: "QDi.901"}, {Scheme: SchemeDataID, Value: "9000001"}},
		Nationality: []string{"Mali"},
		Addresses:   []string{"1 Main Street, Kidal, Mali, as of 2012"},
		Documents:   []network.Document{{Type: "Passport (diplomatic)", Number: "X123", Country: "Mali", IssuedOn: "2001-05-06", Note: "issued in Bamako"}},
		Positions:   []string{"Commander", "Sheikh"},
		Notes:       []string{"Founder and leader of Alpha Front (QDe.901). Review pursuant to Security Council resolution 2253 (2015) was concluded on 21 Feb. 2019."},
		Designations: []network.Designation{{ID: "un-qdi-901-unsc", Authority: "United Nations Security Council", Program: "Al-Qaida",
			Reference: "QDi.901", ListedOn: network.MustParsePartialDate("2013-03-21"), SourceIDs: []string{SourceID}}},
	}
	checks := []struct {
		field     string
		got, want any
	}{
		{"Kind", e.Kind, want.Kind},
		{"Identifiers", e.Identifiers, want.Identifiers},
		{"Nationality", e.Nationality, want.Nationality},
		{"Addresses", e.Addresses, want.Addresses},
		{"Documents", e.Documents, want.Documents},
		{"Positions", e.Positions, want.Positions},
		{"Notes", e.Notes, want.Notes},
		{"Designations", e.Designations, want.Designations},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			if !sameAny(c.got, c.want) {
				t.Errorf("%s of QDi.901: got %+v, want %+v", c.field, c.got, c.want)
			}
		})
	}
	// LISTED_ON with a time-zone offset ("2008-12-10-05:00") is the day.
	if got := entity(t, l.Dataset, "un-qdi-902").Designations[0].ListedOn.String(); got != "2008-12-10" {
		t.Errorf("ListedOn of QDi.902 (2008-12-10-05:00): got %q, want 2008-12-10", got)
	}
}
