package ftm_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/loader/ftm"
	"github.com/allegiance/allegiance/network"
)

// openSanctionsFile is the real OpenSanctions extract described in
// /work/shared/data/README.md.
const openSanctionsFile = "../../../shared/data/ftm/opensanctions-terror-examples.jsonl"

const richFile = "testdata/rich.jsonl"

// rawLine is one FtM line decoded without our reader.
type rawLine struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Caption    string              `json:"caption"`
	Properties map[string][]string `json:"properties"`
}

// readRaw decodes every line of an FtM file, by id.
func readRaw(tb testing.TB, path string) map[string]rawLine {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v (the real file comes with the shared data: see /work/shared/data/README.md)", path, err)
	}
	defer f.Close()
	return decodeRaw(tb, f)
}

func decodeRaw(tb testing.TB, r interface{ Read([]byte) (int, error) }) map[string]rawLine {
	tb.Helper()
	out := map[string]rawLine{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l rawLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("decode %q: %v", sc.Text(), err)
		}
		out[l.ID] = l
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func readFile(tb testing.TB, path string) *network.Dataset {
	tb.Helper()
	d, err := ftm.ReadFile(path)
	if err != nil {
		tb.Fatalf("ReadFile(%s): %v", path, err)
	}
	return d
}

func entityByID(d *network.Dataset, id string) *network.Entity {
	for i := range d.Entities {
		if d.Entities[i].ID == id {
			return &d.Entities[i]
		}
	}
	return nil
}

func TestReadOpenSanctions(t *testing.T) {
	raw := readRaw(t, openSanctionsFile)
	d := readFile(t, openSanctionsFile)
	if len(d.Entities) != len(raw) {
		t.Fatalf("got %d entities, want %d (one per line)", len(d.Entities), len(raw))
	}
	for id, l := range raw {
		t.Run(id, func(t *testing.T) {
			e := entityByID(d, "ftm-"+strings.ToLower(id))
			if e == nil {
				t.Fatalf("no entity ftm-%s", strings.ToLower(id))
			}
			wantKind := network.Organization
			if l.Schema == "Person" {
				wantKind = network.Person
			}
			if e.Kind != wantKind {
				t.Errorf("kind: got %s, want %s", e.Kind, wantKind)
			}
			if e.Name != l.Caption {
				t.Errorf("name: got %q, want the caption %q", e.Name, l.Caption)
			}
			if got, want := len(e.Aliases)+1, len(l.Properties["name"])+len(l.Properties["alias"]); got != want {
				t.Errorf("name and aliases: got %d values, want %d", got, want)
			}
			if got, want := len(e.WeakAliases), len(l.Properties["weakAlias"]); got != want {
				t.Errorf("weak aliases: got %d, want %d", got, want)
			}
			if !contains(e.Topics, "crime.terror") {
				t.Errorf("topics: got %v, want crime.terror among them", e.Topics)
			}
			if got, want := len(e.SourceIDs), len(l.Properties["sourceUrl"]); got != want {
				t.Errorf("sources: got %d, want one per sourceUrl (%d)", got, want)
			}
			if got := identifierValue(e, "ftm"); got != id {
				t.Errorf("ftm identifier: got %q, want %q", got, id)
			}
			if bd := l.Properties["birthDate"]; len(bd) > 0 {
				if e.Born.String() != bd[0] || len(e.BirthDates) != len(bd) {
					t.Errorf("birth: got born %s and %d birth dates, want %s and %d", e.Born, len(e.BirthDates), bd[0], len(bd))
				}
			}
		})
	}
}

func identifierValue(e *network.Entity, scheme string) string {
	for _, id := range e.Identifiers {
		if id.Scheme == scheme {
			return id.Value
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestReadRichRelationships(t *testing.T) {
	d := readFile(t, richFile)
	rels := map[string]network.Relationship{}
	for _, r := range d.Relationships {
		rels[r.ID] = r
	}
	tests := []struct {
		id, typ, from, to, role, since, until, qualifier string
	}{
		{"ftm-mem-1", "MEMBER_OF", "ftm-q-person-1", "ftm-org-a", "military commander", "2012-03", "2017-03-02", ""},
		{"ftm-dir-1", "LEADER_OF", "ftm-q-person-1", "ftm-org-b", "emir", "2017-03-02", "", ""},
		{"ftm-emp-1", "EMPLOYED_BY", "ftm-q-person-3", "ftm-org-c", "accountant", "2015", "2016", ""},
		{"ftm-succ-1", "MERGED_INTO", "ftm-org-a", "ftm-org-b", "", "2017-03-02", "2017-03-02", ""},
		{"ftm-succ-2", "RENAMED_TO", "ftm-org-d", "ftm-org-a", "renamed", "2013", "", ""},
		{"ftm-link-1", "ASSOCIATED_WITH", "ftm-q-person-1", "ftm-org-d", "financier", "", "", ""},
		{"ftm-link-2", "PLEDGED_ALLEGIANCE_TO", "ftm-q-person-1", "ftm-q-person-3", "emir", "2017-03-02", "2022-07-31", ""},
		{"ftm-link-3", "ALLIED_WITH", "ftm-org-a", "ftm-org-d", "", "", "", "reportedly"},
		{"ftm-assoc-1", "ASSOCIATED_WITH", "ftm-q-person-1", "ftm-q-person-3", "business partner", "2010", "", ""},
		{"ftm-fam-1", "FAMILY_OF", "ftm-q-person-1", "ftm-q-person-2", "sister", "", "", ""},
	}
	if len(rels) != len(tests) {
		t.Errorf("got %d relationships, want %d", len(rels), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r, ok := rels[tt.id]
			if !ok {
				t.Fatalf("no relationship %s", tt.id)
			}
			got := []string{string(r.Type), r.From, r.To, r.Role, r.Since.String(), r.Until.String(), r.Qualifier}
			want := []string{tt.typ, tt.from, tt.to, tt.role, tt.since, tt.until, tt.qualifier}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("got %q, want %q", got, want)
			}
			if len(r.SourceIDs) == 0 {
				t.Errorf("got no sources, want at least one")
			}
		})
	}
}

func TestReadRichEntities(t *testing.T) {
	d := readFile(t, richFile)
	p := entityByID(d, "ftm-q-person-1")
	if p == nil {
		t.Fatal("no entity ftm-q-person-1")
	}
	if p.Name != "Abu Example" || p.Born.String() != "1970-05-01" || p.Died.String() != "2020-06" {
		t.Errorf("person: got name %q born %s died %s, want Abu Example 1970-05-01 2020-06", p.Name, p.Born, p.Died)
	}
	if got := identifierValue(p, "wikidata"); got != "Q123456" {
		t.Errorf("wikidata: got %q, want Q123456", got)
	}
	if len(p.Designations) != 1 || p.Designations[0].Reference != "QDi.999" || p.Designations[0].ListedOn.String() != "2013-02-25" {
		t.Errorf("designations: got %+v, want one with reference QDi.999 listed 2013-02-25", p.Designations)
	}
	b := entityByID(d, "ftm-org-b")
	if b == nil || b.Kind != network.Organization || identifierValue(b, "ftm-schema") != "LegalEntity" {
		t.Fatalf("org-b: got %+v, want an organization with ftm-schema LegalEntity", b)
	}
	if len(b.Designations) != 1 || b.Designations[0].ListedOn.String() != "2018-09-05" || b.Designations[0].Until.String() != "2024-01-01" {
		t.Errorf("org-b designations: got %+v, want one listed 2018-09-05 (its startDate) until 2024-01-01", b.Designations)
	}
	if a := entityByID(d, "ftm-org-a"); a == nil || a.Founded.String() != "2011-12" || a.Dissolved.String() != "2017-03-02" {
		t.Errorf("org-a: got %+v, want founded 2011-12 dissolved 2017-03-02", a)
	}
	urls := map[string]int{}
	for _, s := range d.Sources {
		if s.URL != "" {
			urls[s.URL]++
		}
	}
	for u, n := range urls {
		if n != 1 {
			t.Errorf("url %s: got %d sources, want 1 (sources are unique by url)", u, n)
		}
	}
}

func TestReadUnsourcedCitesTheFile(t *testing.T) {
	d := readFile(t, "testdata/unsourced.jsonl")
	if len(d.Entities) != 1 || len(d.Entities[0].SourceIDs) != 1 {
		t.Fatalf("got %+v, want one entity citing one source", d.Entities)
	}
	if len(d.Sources) != 1 || d.Sources[0].ID != d.Entities[0].SourceIDs[0] || d.Sources[0].Title != "unsourced.jsonl" {
		t.Errorf("got sources %+v, want the file's own source titled unsourced.jsonl", d.Sources)
	}
}

func TestReadErrors(t *testing.T) {
	person := `{"id":"p1","schema":"Person","properties":{"name":["P"]}}`
	org := `{"id":"o1","schema":"Organization","properties":{"name":["O"]}}`
	tests := []struct {
		name  string
		input string
		line  int
		field string
	}{
		{"not json", "{nope", 1, ""},
		{"not an object", `["a"]`, 1, ""},
		{"null", `null`, 1, ""},
		{"missing id", `{"schema":"Person","properties":{"name":["P"]}}`, 1, "id"},
		{"id not a string", `{"id":3,"schema":"Person","properties":{"name":["P"]}}`, 1, "id"},
		{"missing schema", `{"id":"p1","properties":{"name":["P"]}}`, 1, "schema"},
		{"unknown schema", `{"id":"a1","schema":"Vessel","properties":{"name":["Boat"]}}`, 1, "schema"},
		{"property not a list", `{"id":"p1","schema":"Person","properties":{"name":"P"}}`, 1, "properties.name"},
		{"properties not an object", `{"id":"p1","schema":"Person","properties":[1]}`, 1, "properties"},
		{"no name", `{"id":"p1","schema":"Person","properties":{}}`, 1, "properties.name"},
		{"bad birth date", `{"id":"p1","schema":"Person","properties":{"name":["P"],"birthDate":["2013-02-30"]}}`, 1, "properties.birthDate"},
		{"bad start date", person + "\n" + org + "\n" + `{"id":"m","schema":"Membership","properties":{"member":["p1"],"organization":["o1"],"startDate":["soon"]}}`, 3, "properties.startDate"},
		{"end before start", person + "\n" + org + "\n" + `{"id":"m","schema":"Membership","properties":{"member":["p1"],"organization":["o1"],"startDate":["2015"],"endDate":["2014"]}}`, 3, "properties.endDate"},
		{"absent member", org + "\n" + `{"id":"m","schema":"Membership","properties":{"member":["p9"],"organization":["o1"]}}`, 2, "properties.member"},
		{"missing organization", person + "\n" + `{"id":"m","schema":"Membership","properties":{"member":["p1"]}}`, 2, "properties.organization"},
		{"reference to a relationship", person + "\n" + org + "\n" + `{"id":"m","schema":"Membership","properties":{"member":["p1"],"organization":["o1"]}}` + "\n" + `{"id":"s","schema":"Sanction","properties":{"entity":["m"]}}`, 4, "properties.entity"},
		{"duplicate id", person + "\n" + person, 2, "id"},
		{"ids with one slug", person + "\n" + `{"id":"P1","schema":"Person","properties":{"name":["Q"]}}`, 2, "id"},
		{"self link", person + "\n" + `{"id":"l","schema":"UnknownLink","properties":{"subject":["p1"],"object":["p1"]}}`, 2, "properties.object"},
		{"invalid utf-8", person + "\n" + "{\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"\xff\"]}}", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ftm.Read("in.jsonl", strings.NewReader(tt.input))
			if d != nil {
				t.Errorf("got a dataset, want none on error")
			}
			var ve *loader.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Read(%q): got %v, want a *loader.ValidationError", tt.input, err)
			}
			if network.ErrorCode(err) != network.EINVALID {
				t.Errorf("got code %q, want %q", network.ErrorCode(err), network.EINVALID)
			}
			for _, p := range ve.Problems {
				if p.File == "in.jsonl" && p.Line == tt.line && p.Field == tt.field {
					return
				}
			}
			t.Errorf("Read(%q): got problems %v, want one at in.jsonl:%d field %q", tt.input, ve.Problems, tt.line, tt.field)
		})
	}
}

func TestReadLineOrderIrrelevant(t *testing.T) {
	lines := []string{
		`{"id":"m","schema":"Membership","properties":{"member":["p1"],"organization":["o1"],"sourceUrl":["https://example.org/a"]}}`,
		`{"id":"p1","schema":"Person","properties":{"name":["P"],"sourceUrl":["https://example.org/a"]}}`,
		`{"id":"o1","schema":"Organization","properties":{"name":["O"],"publisher":["X"]}}`,
	}
	forward, err := ftm.Read("f", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	backward, err := ftm.Read("f", strings.NewReader(lines[2]+"\n"+lines[1]+"\n"+lines[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(forward.Relationships) != 1 || len(backward.Relationships) != 1 || len(forward.Sources) != 2 {
		t.Fatalf("got %d and %d relationships and %d sources, want 1, 1 and 2", len(forward.Relationships), len(backward.Relationships), len(forward.Sources))
	}
	assertSameDataset(t, forward, backward)
}

func TestReadFileMissing(t *testing.T) {
	_, err := ftm.ReadFile("testdata/no-such-file.jsonl")
	var ve *loader.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].File != "testdata/no-such-file.jsonl" {
		t.Errorf("got %v, want one problem naming testdata/no-such-file.jsonl", err)
	}
}
