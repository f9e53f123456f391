package ftm_test

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/loader/ftm"
	"github.com/allegiance/allegiance/network"
)

// entityProps must survive read, export and read again, per entity.
var entityProps = []string{"name", "alias", "weakAlias", "previousName", "birthDate", "birthPlace",
	"deathDate", "nationality", "country", "position", "notes", "topics", "wikidataId"}

// provenanceProps are compared as sets: the reader de-duplicates sources.
var provenanceProps = []string{"sourceUrl", "publisher"}

// relationProps must survive per relationship; the role is "role" or, for
// Family and Associate, "relationship".
var relationProps = []string{"startDate", "endDate"}

var sanctionProps = []string{"authority", "program"}

// exportRaw reads path, exports it and decodes the export.
func exportRaw(tb testing.TB, path string) (*network.Dataset, []byte, map[string]rawLine) {
	tb.Helper()
	d := readFile(tb, path)
	var buf bytes.Buffer
	if err := export.WriteFTM(&buf, d); err != nil {
		tb.Fatalf("WriteFTM: %v", err)
	}
	out := buf.Bytes()
	return d, out, decodeRaw(tb, bytes.NewReader(out))
}

func multiset(vals []string) string {
	s := append([]string(nil), vals...)
	sort.Strings(s)
	return fmt.Sprintf("%q", s)
}

func set(vals []string) string {
	m := map[string]bool{}
	var s []string
	for _, v := range vals {
		if !m[v] {
			m[v] = true
			s = append(s, v)
		}
	}
	return multiset(s)
}

func role(l rawLine) []string {
	return append(append([]string(nil), l.Properties["role"]...), l.Properties["relationship"]...)
}

func TestFTMRoundTripProperties(t *testing.T) {
	for _, path := range []string{openSanctionsFile, richFile} {
		t.Run(path, func(t *testing.T) {
			orig := readRaw(t, path)
			_, _, back := exportRaw(t, path)
			if len(back) != len(orig) {
				t.Errorf("got %d lines back, want %d", len(back), len(orig))
			}
			for id, o := range orig {
				b, ok := back[id]
				if !ok {
					t.Errorf("%s: missing from the export", id)
					continue
				}
				var multi, sets []string
				switch o.Schema {
				case "Person", "Organization", "LegalEntity", "Company":
					multi = entityProps
					if b.Schema != o.Schema {
						t.Errorf("%s: got schema %s, want %s", id, b.Schema, o.Schema)
					}
				case "Sanction":
					multi = sanctionProps
				default:
					multi = relationProps
					if got, want := multiset(role(b)), multiset(role(o)); got != want {
						t.Errorf("%s role: got %s, want %s", id, got, want)
					}
				}
				sets = provenanceProps
				for _, p := range multi {
					if got, want := multiset(b.Properties[p]), multiset(o.Properties[p]); got != want {
						t.Errorf("%s %s: got %s, want %s", id, p, got, want)
					}
				}
				for _, p := range sets {
					if got, want := set(b.Properties[p]), set(o.Properties[p]); got != want {
						t.Errorf("%s %s: got %s, want %s", id, p, got, want)
					}
				}
			}
		})
	}
}

func TestFTMRoundTripDataset(t *testing.T) {
	for _, path := range []string{openSanctionsFile, richFile, "testdata/unsourced.jsonl"} {
		t.Run(path, func(t *testing.T) {
			first, out, _ := exportRaw(t, path)
			again, err := ftm.Read(path, bytes.NewReader(out))
			if err != nil {
				t.Fatalf("reading the export back: %v", err)
			}
			assertSameDataset(t, again, first)
		})
	}
}

// TestFTMExportOurTypes checks that relationships of types FtM lacks, and
// their roles, come back from an export of a dataset not read from FtM.
func TestFTMExportOurTypes(t *testing.T) {
	src := []string{"s1"}
	d := &network.Dataset{
		Sources: []network.Source{{ID: "s1", Title: "T", Publisher: "P", URL: "https://example.org/s1"}},
		Entities: []network.Entity{
			{ID: "ghaly", Kind: network.Person, Name: "Iyad Ag Ghaly", SourceIDs: src},
			{ID: "zawahiri", Kind: network.Person, Name: "Ayman al-Zawahiri", SourceIDs: src},
			{ID: "aad", Kind: network.Organization, Name: "Ansar al-Dine", SourceIDs: src},
			{ID: "jnim", Kind: network.Organization, Name: "JNIM", SourceIDs: src},
		},
	}
	var want []string
	for i, t := range network.RelTypes {
		r := network.Relationship{ID: fmt.Sprintf("r%d", i), Type: t, From: "aad", To: "jnim", SourceIDs: src,
			Since: network.MustParsePartialDate("2017-03-02")}
		switch t {
		case network.MemberOf, network.LeaderOf, network.Founded, network.EmployedBy:
			r.From = "ghaly"
		case network.FamilyOf, network.PledgedAllegianceTo:
			r.From, r.To = "ghaly", "zawahiri"
		}
		if i%2 == 0 {
			r.Role = "role " + string(t)
		}
		if t == network.MergedInto {
			r.Role = "renamed in all but name" // must not read back as RENAMED_TO
		}
		d.Relationships = append(d.Relationships, r)
		want = append(want, fmt.Sprintf("%s %s %s->%s %q", r.ID, r.Type, r.From, r.To, r.Role))
	}
	var buf bytes.Buffer
	if err := export.WriteFTM(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := ftm.Read("export.jsonl", &buf)
	if err != nil {
		t.Fatalf("reading the export back: %v", err)
	}
	var got []string
	for _, r := range back.Relationships {
		got = append(got, fmt.Sprintf("%s %s %s->%s %q", strings.TrimPrefix(r.ID, "ftm-"), r.Type,
			strings.TrimPrefix(r.From, "ftm-"), strings.TrimPrefix(r.To, "ftm-"), r.Role))
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func assertSameDataset(tb testing.TB, got, want *network.Dataset) {
	tb.Helper()
	if !reflect.DeepEqual(got.Sources, want.Sources) {
		tb.Errorf("sources:\ngot  %+v\nwant %+v", got.Sources, want.Sources)
	}
	if len(got.Entities) != len(want.Entities) {
		tb.Errorf("got %d entities, want %d", len(got.Entities), len(want.Entities))
	}
	for i := range min(len(got.Entities), len(want.Entities)) {
		if !reflect.DeepEqual(got.Entities[i], want.Entities[i]) {
			tb.Errorf("entity %d:\ngot  %+v\nwant %+v", i, got.Entities[i], want.Entities[i])
		}
	}
	if !reflect.DeepEqual(got.Relationships, want.Relationships) {
		tb.Errorf("relationships:\ngot  %+v\nwant %+v", got.Relationships, want.Relationships)
	}
}
