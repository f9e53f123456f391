package csvimport_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/loader/csvimport"
	"github.com/allegiance/allegiance/network"
)

func read(tb testing.TB, paths ...string) *network.Dataset {
	tb.Helper()
	d, err := csvimport.Read(paths...)
	if err != nil {
		tb.Fatalf("Read(%v): %v", paths, err)
	}
	return d
}

func entity(d *network.Dataset, id string) *network.Entity {
	for i := range d.Entities {
		if d.Entities[i].ID == id {
			return &d.Entities[i]
		}
	}
	return nil
}

func TestReadGood(t *testing.T) {
	d := read(t, "testdata/nodes.csv", "testdata/relationships.csv")
	g := entity(d, "iyad-ag-ghaly")
	if g == nil {
		t.Fatal("no entity iyad-ag-ghaly")
	}
	if want := []string{"Iyad ag Ghali", "Ghaly", "Abu; Fadl"}; !reflect.DeepEqual(g.Aliases, want) {
		t.Errorf("aliases: got %q, want %q", g.Aliases, want)
	}
	if want := []network.Identifier{{Scheme: "un-sc", Value: "QDi.316"}}; !reflect.DeepEqual(g.Identifiers, want) {
		t.Errorf("identifiers: got %v, want %v", g.Identifiers, want)
	}
	var types []network.BirthDateType
	for _, b := range g.BirthDates {
		types = append(types, b.Type)
	}
	if want := []network.BirthDateType{network.BirthExact, network.BirthApproximately, network.BirthBetween}; !reflect.DeepEqual(types, want) {
		t.Errorf("birth date types: got %v, want %v", types, want)
	}
	if len(g.Designations) != 1 || g.Designations[0].ID != "ghaly-un" || g.Designations[0].ListedOn.String() != "2013-02-25" {
		t.Errorf("designations: got %+v, want ghaly-un listed 2013-02-25", g.Designations)
	}
	if g.Kind != network.Person || g.Born.String() != "1954" {
		t.Errorf("got kind %s born %s, want PERSON 1954", g.Kind, g.Born)
	}
	for _, id := range []string{"ansar-al-dine", "jnim"} {
		if e := entity(d, id); e == nil || e.Kind != network.Organization {
			t.Errorf("%s: got %+v, want an organization", id, e)
		}
	}
	if len(d.Sources) != 2 {
		t.Fatalf("got %d sources, want 2 (cep and the URL cited inline)", len(d.Sources))
	}
	if got := g.SourceIDs; len(got) != 2 || got[0] != "cep" || !strings.HasPrefix(got[1], "src-") {
		t.Errorf("sources: got %v, want cep and a src- id for the inline URL", got)
	}
	if aad := entity(d, "ansar-al-dine"); aad == nil || !reflect.DeepEqual(aad.SourceIDs, g.SourceIDs[1:]) {
		t.Errorf("the same inline URL must cite the same source: got %v, want %v", aad.SourceIDs, g.SourceIDs[1:])
	}
	got := map[string]string{}
	for _, r := range d.Relationships {
		got[r.ID] = strings.Join([]string{string(r.Type), r.From, r.To, r.Role, r.Since.String(), r.Until.String(), r.Qualifier}, "|")
	}
	want := map[string]string{
		"ghaly-founded-aad":                     "FOUNDED|iyad-ag-ghaly|ansar-al-dine||2011-12||",
		"iyad-ag-ghaly-leader-of-ansar-al-dine": "LEADER_OF|iyad-ag-ghaly|ansar-al-dine|leader|2011-12|2017-03-02|",
		"ansar-al-dine-merged-into-jnim":        "MERGED_INTO|ansar-al-dine|jnim||2017-03-02|2017-03-02|reportedly",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("relationships:\ngot  %v\nwant %v", got, want)
	}
	if again := read(t, "testdata/relationships.csv", "testdata/nodes.csv"); !reflect.DeepEqual(again, d) {
		t.Errorf("reading the files in the other order gives another dataset")
	}
}

// writeTemp writes content to a file in dir and returns its path.
func writeTemp(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestReadErrors(t *testing.T) {
	const nodes = "id:ID,:LABEL,name,sources:string[]\np1,Person,One,https://example.org/a\np3,Person,Three,https://example.org/a\n"
	tests := []struct {
		name  string
		files map[string]string // name -> content; "" content means use testdata
		file  string
		line  int
		field string
	}{
		{"bad date", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 2, "born"},
		{"unknown label", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 3, ":LABEL"},
		{"no source", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 4, "sources:string[]"},
		{"too few columns", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 5, "born"},
		{"missing name", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 6, "name"},
		{"unknown source id", map[string]string{"testdata/bad-nodes.csv": ""}, "testdata/bad-nodes.csv", 6, "sources:string[]"},
		{"missing required column", map[string]string{"testdata/missing-columns.csv": ""}, "testdata/missing-columns.csv", 1, "name"},
		{"unknown endpoint", map[string]string{"n.csv": nodes, "testdata/bad-rels.csv": ""}, "testdata/bad-rels.csv", 2, ":END_ID"},
		{"unknown type", map[string]string{"n.csv": nodes, "testdata/bad-rels.csv": ""}, "testdata/bad-rels.csv", 3, ":TYPE"},
		{"until before since", map[string]string{"n.csv": nodes, "testdata/bad-rels.csv": ""}, "testdata/bad-rels.csv", 4, "until"},
		{"relationship without source", map[string]string{"n.csv": nodes, "testdata/bad-rels.csv": ""}, "testdata/bad-rels.csv", 5, "sources:string[]"},
		{"too many columns", map[string]string{"n.csv": nodes + "p4,Person,Four,https://example.org/a,extra\n"}, "n.csv", 4, ""},
		{"missing :TYPE column", map[string]string{"n.csv": nodes, "r.csv": ":START_ID,:END_ID,sources:string[]\np1,p3,https://example.org/a\n"}, "r.csv", 1, ":TYPE"},
		{"unknown column", map[string]string{"n.csv": "id:ID,:LABEL,name,sources:string[],nickname\np1,Person,One,https://example.org/a,x\n"}, "n.csv", 1, "nickname"},
		{"column not for the label", map[string]string{"n.csv": "id:ID,:LABEL,name,founded,sources:string[]\np1,Person,One,2001,https://example.org/a\n"}, "n.csv", 2, "founded"},
		{"duplicate id", map[string]string{"n.csv": nodes + "p1,Organization,Again,https://example.org/a\n"}, "n.csv", 4, "id:ID"},
		{"invalid utf-8", map[string]string{"n.csv": "id:ID,:LABEL,name,sources:string[]\np1,Person,\xff,https://example.org/a\n"}, "n.csv", 2, "name"},
		{"malformed csv", map[string]string{"n.csv": "id:ID,:LABEL,name,sources:string[]\np1,Person,\"One,https://example.org/a\n"}, "n.csv", 2, ""},
		{"empty file", map[string]string{"n.csv": ""}, "n.csv", 0, ""},
		{"bad qualifier", map[string]string{"n.csv": nodes, "r.csv": ":START_ID,:END_ID,:TYPE,qualifier,sources:string[]\np1,p3,ALLIED_WITH,maybe,https://example.org/a\n"}, "r.csv", 2, "qualifier"},
		{"missing file", map[string]string{"testdata/no-such.csv": ""}, "testdata/no-such.csv", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for name, content := range tt.files {
				if strings.HasPrefix(name, "testdata/") {
					paths = append(paths, name)
					continue
				}
				paths = append(paths, writeTemp(t, dir, name, content))
			}
			want := tt.file
			if !strings.HasPrefix(want, "testdata/") {
				want = filepath.Join(dir, want)
			}
			d, err := csvimport.Read(paths...)
			if d != nil {
				t.Errorf("got a dataset, want none on error")
			}
			var ve *loader.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Read(%v): got %v, want a *loader.ValidationError", tt.files, err)
			}
			if network.ErrorCode(err) != network.EINVALID {
				t.Errorf("got code %q, want %q", network.ErrorCode(err), network.EINVALID)
			}
			for _, p := range ve.Problems {
				if p.File == want && p.Line == tt.line && p.Field == tt.field {
					return
				}
			}
			t.Errorf("Read(%v): got problems\n%v\nwant one at %s:%d field %q", tt.files, ve, tt.file, tt.line, tt.field)
		})
	}
}

func TestSplitListEscapes(t *testing.T) {
	d := read(t, writeTemp(t, t.TempDir(), "n.csv",
		"id:ID,:LABEL,name,aliases:string[],sources:string[]\n"+
			`p1,Person,One,"a\;b; c\\d ;;\x;",https://example.org/a`+"\n"))
	if want := []string{"a;b", `c\d`, `\x`}; !reflect.DeepEqual(d.Entities[0].Aliases, want) {
		t.Errorf("got %q, want %q", d.Entities[0].Aliases, want)
	}
}
