package unsc

import (
	"strings"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// wantRel is one relationship a clause must give.
type wantRel struct {
	from string
	typ  network.RelType
	to   string
	// since and until are the dates, "" for none.
	since, until string
	qualifier    string
	// evidence is the clause that gives it, white space normalised.
	evidence string
}

func TestClauses(t *testing.T) {
	const plain = network.DerivedFromText
	tests := []struct {
		name string
		path string
		want []wantRel
		// absent are (from, type, to) that must not exist.
		absent [][3]string
	}{
		{"QDi.316 founder and leader (sample)", realSample, []wantRel{
			{"un-qdi-316", network.Founded, "un-qde-135", "2011-12", "2011-12", plain, "Was founded in December 2011 by Iyad ag Ghali (QDi.316)"},
			{"un-qdi-316", network.LeaderOf, "un-qde-135", "", "", plain, "Founder and leader of Ansar Eddine (QDe.135)"},
		}, nil},
		{"QDe.014 headed by (sample)", realSample, []wantRel{
			// QDi.232 is not in the sample: only the full list has the edge.
		}, [][3]string{{"un-qdi-232", "LEADER_OF", "un-qde-014"}}},
		{"QDe.014 headed by (full)", realFull, []wantRel{
			// QDi.232's own comment ("Head of …") states it first; QDe.014's
			// "Headed by" repeats it undated and is dropped.
			{"un-qdi-232", network.LeaderOf, "un-qde-014", "", "", plain, "Head of The Organization of Al-Qaida in the Islamic Maghreb (QDe.014)"},
		}, nil},
		{"QDe.141 merger (sample: QDe.140 absent)", realSample, []wantRel{
			{"un-qde-134", network.MergedInto, "un-qde-141", "2013-08-20", "2013-08-20", plain,
				"Founded on 20 Aug. 2013 as result of a merger between Al Moulathamoun (QDe.140) and the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134)"},
		}, [][3]string{{"un-qde-140", "MERGED_INTO", "un-qde-141"}}},
		{"QDe.141 merger (full)", realFull, []wantRel{
			// QDe.140's own comment states the merger first, dated the same.
			{"un-qde-134", network.MergedInto, "un-qde-141", "2013-08-20", "2013-08-20", plain,
				"On 20 Aug. 2013, Al Moulathamoun merged with the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134) and established Al Mourabitoun (QDe.141)"},
			{"un-qde-140", network.MergedInto, "un-qde-141", "2013-08-20", "2013-08-20", plain,
				"On 20 Aug. 2013, Al Moulathamoun merged with the Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO) (QDe.134) and established Al Mourabitoun (QDe.141)"},
		}, [][3]string{{"un-qde-140", "FOUNDED", "un-qde-141"}, {"un-qde-140", "ASSOCIATED_WITH", "un-qde-141"}}},
		{"QDi.425 founder of a unit (sample)", realSample, []wantRel{
			{"un-qdi-425", network.Founded, "un-qdi-425-unit-katiba-macina", "", "", plain,
				"Founder of the Katiba Macina of Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM) (QDe.159)"},
			{"un-qdi-425-unit-katiba-macina", network.PartOf, "un-qde-159", "", "", plain,
				"Founder of the Katiba Macina of Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM) (QDe.159)"},
			{"un-qdi-425", network.AssociatedWith, "un-qde-014", "", "", plain,
				"executive of the Organization of Al-Qaida in the Islamic Maghreb (AQIM) (QDe.014)"},
		}, [][3]string{{"un-qdi-425", "FOUNDED", "un-qde-159"}, {"un-qdi-425", "FOUNDED", "un-qde-014"}, {"un-qdi-425", "ASSOCIATED_WITH", "un-qde-159"}}},
		{"QDi.279 reportedly a member (sample)", realSample, []wantRel{
			{"un-qdi-279", network.MemberOf, "un-qde-159", "", "", "derived from text; reportedly; as of November 2023",
				"Reportedly a member of Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM, QDe.159) as of November 2023"},
			{"un-qdi-279", network.MemberOf, "un-qde-014", "", "", plain, "Member of The Organization of Al-Qaida in the Islamic Maghreb (QDe.014)"},
		}, nil},
		{"QDi.424 founding member, operational leader (sample)", realSample, []wantRel{
			{"un-qdi-424", network.MemberOf, "un-qde-135", "", "", plain, "Founding member of Ansar Eddine (QDe.135)"},
			{"un-qdi-424", network.LeaderOf, "un-qde-159", "", "", plain, "operational leader of Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM) (QDe.159)"},
		}, nil},
		{"fixture founder and leader, passive founded", fixture, []wantRel{
			{"un-qdi-901", network.Founded, "un-qde-901", "2011-12", "2011-12", plain, "Was founded in December 2011 by Person One (QDi.901)"},
			{"un-qdi-901", network.LeaderOf, "un-qde-901", "", "", plain, "Founder and leader of Alpha Front (QDe.901)"},
		}, nil},
		{"fixture headed by", fixture, []wantRel{
			{"un-qdi-902", network.LeaderOf, "un-qde-902", "", "", plain, "Headed by Person Two (QDi.902)"},
		}, nil},
		{"fixture merger between", fixture, []wantRel{
			{"un-qde-904", network.MergedInto, "un-qde-903", "2013-08-20", "2013-08-20", plain,
				"Founded on 20 Aug. 2013 as result of a merger between Gamma (QDe.904) and the Beta Group (QDe.902)"},
			{"un-qde-902", network.MergedInto, "un-qde-903", "2013-08-20", "2013-08-20", plain,
				"Founded on 20 Aug. 2013 as result of a merger between Gamma (QDe.904) and the Beta Group (QDe.902)"},
		}, nil},
		{"fixture unit", fixture, []wantRel{
			{"un-qdi-903", network.Founded, "un-qdi-903-unit-katiba-sud", "", "", plain, "Founder of the Katiba Sud of Alpha Front (AF) (QDe.901)"},
			{"un-qdi-903-unit-katiba-sud", network.PartOf, "un-qde-901", "", "", plain, "Founder of the Katiba Sud of Alpha Front (AF) (QDe.901)"},
			{"un-qdi-903", network.AssociatedWith, "un-qde-902", "", "", plain, "executive of Beta Group (QDe.902)"},
		}, [][3]string{{"un-qdi-903", "FOUNDED", "un-qde-901"}, {"un-qdi-903", "ASSOCIATED_WITH", "un-qdi-903"}}},
		{"fixture reportedly, list, absent record", fixture, []wantRel{
			{"un-qdi-904", network.MemberOf, "un-qde-901", "", "", "derived from text; reportedly; as of November 2023",
				"Reportedly a member of Alpha Front (AF, QDe.901) as of November 2023"},
			{"un-qdi-904", network.MemberOf, "un-qde-902", "", "", plain, "Member of Beta Group (QDe.902), Gamma (QDe.904) and Delta (QDe.999)"},
			{"un-qdi-904", network.MemberOf, "un-qde-904", "", "", plain, "Member of Beta Group (QDe.902), Gamma (QDe.904) and Delta (QDe.999)"},
		}, nil},
		{"fixture family, missing full stop", fixture, []wantRel{
			{"un-qdi-902", network.FamilyOf, "un-qdi-901", "", "", plain, "Brother of Person One (QDi.901)"},
		}, nil},
		{"fixture self-reference", fixture, nil, [][3]string{{"un-qde-904", "ASSOCIATED_WITH", "un-qde-904"}}},
	}
	lists := map[string]*List{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := lists[tc.path]
			if l == nil {
				l = mustRead(t, tc.path)
				lists[tc.path] = l
			}
			for _, w := range tc.want {
				r := rel(l.Dataset, w.from, w.typ, w.to)
				if r == nil {
					t.Errorf("%s: no %s %s %s", tc.path, w.from, w.typ, w.to)
					continue
				}
				if r.Since.String() != w.since || r.Until.String() != w.until {
					t.Errorf("%s: dates: got %q–%q, want %q–%q", r.ID, r.Since, r.Until, w.since, w.until)
				}
				if r.Qualifier != w.qualifier || !network.ValidQualifier(r.Qualifier) {
					t.Errorf("%s: qualifier: got %q, want %q", r.ID, r.Qualifier, w.qualifier)
				}
				if got := strings.Join(strings.Fields(r.Evidence), " "); got != w.evidence {
					t.Errorf("%s: evidence: got %q, want %q", r.ID, got, w.evidence)
				}
				if r.ID != relID(w.from, w.typ, w.to) {
					t.Errorf("id: got %q, want %q", r.ID, relID(w.from, w.typ, w.to))
				}
			}
			for _, a := range tc.absent {
				if r := rel(l.Dataset, a[0], network.RelType(a[1]), a[2]); r != nil {
					t.Errorf("%s: got %s, want no %s %s %s (evidence %q)", tc.path, r.ID, a[0], a[1], a[2], r.Evidence)
				}
			}
		})
	}
}

func TestUnitOrganization(t *testing.T) {
	for _, tc := range []struct{ path, id, name, ref, clause string }{
		{realSample, "un-qdi-425-unit-katiba-macina", "Katiba Macina", "QDi.425/katiba-macina",
			"Founder of the Katiba Macina of Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM) (QDe.159)"},
		{fixture, "un-qdi-903-unit-katiba-sud", "Katiba Sud", "QDi.903/katiba-sud", "Founder of the Katiba Sud of Alpha Front (AF) (QDe.901)"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			e := entity(t, mustRead(t, tc.path).Dataset, tc.id)
			if e.Kind != network.Organization || e.Name != tc.name || e.Description != tc.clause ||
				identifier(e, SchemeUnit) != tc.ref || len(e.SourceIDs) != 1 || e.SourceIDs[0] != SourceID {
				t.Errorf("got %+v, want organization %q described by %q, identifier %q, citing the list", e, tc.name, tc.clause, tc.ref)
			}
		})
	}
}

func TestFixtureWarnings(t *testing.T) {
	l := mustRead(t, fixture)
	want := []string{
		"QDi.904: its comment cites QDe.999, which is not on the list; no relationship made",
		"QDe.904: its comment cites QDe.998, which is not on the list; no relationship made",
	}
	if strings.Join(l.Warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings: got %q, want %q", l.Warnings, want)
	}
}

func TestClauseSplitting(t *testing.T) {
	tests := []struct {
		comment string
		want    []string
	}{
		{"Founder of A (QDe.1), executive of B (QDe.2). Eye colour: brown.",
			[]string{"Founder of A (QDe.1)", "executive of B (QDe.2)", "Eye colour: brown"}},
		{"Associated with A (QDe.001), the B (QDe.002), C (QDe.003) and D (QDe.004).",
			[]string{"Associated with A (QDe.001), the B (QDe.002), C (QDe.003) and D (QDe.004)"}},
		{"Associated with A (QDe.001) and led by X (QDi.002).",
			[]string{"Associated with A (QDe.001)", "and led by X (QDi.002)"}},
		{"On 20 Aug. 2013, A merged with B (QDe.002) and established C (QDe.003).",
			[]string{"On 20 Aug. 2013, A merged with B (QDe.002) and established C (QDe.003)"}},
		{"Brother of X (TAi.040) Believed to be in Y.",
			[]string{"Brother of X (TAi.040)", "Believed to be in Y"}},
		{"Formed on January 10, 2015 by X (QDi.001).",
			[]string{"Formed on January 10, 2015 by X (QDi.001)"}},
	}
	for _, tc := range tests {
		t.Run(tc.comment, func(t *testing.T) {
			var got []string
			for _, c := range clauses(tc.comment) {
				got = append(got, strings.TrimRight(tc.comment[c.start:c.end], "."))
			}
			if strings.Join(got, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("clauses(%q): got %q, want %q", tc.comment, got, tc.want)
			}
		})
	}
}
