package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"testing"
)

// graphmlDoc is what the GraphML tests read of an export: keys in
// document order, and each element's data by attribute name.
type graphmlDoc struct {
	keys  map[string]xml.StartElement // by id
	nodes map[string]map[string]string
	edges map[string]map[string]string
	// directed is the graph's edgedefault.
	directed string
}

// parseGraphML reads an export with encoding/xml. It fails when a <data>
// refers to a key not declared before it or declared for the other domain,
// or when a key comes after the first node or edge.
func parseGraphML(b []byte) (graphmlDoc, error) {
	doc := graphmlDoc{keys: map[string]xml.StartElement{}, nodes: map[string]map[string]string{}, edges: map[string]map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	attr := func(el xml.StartElement, name string) string {
		for _, a := range el.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	var owner map[string]string // data of the current node or edge
	var domain string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return doc, fmt.Errorf("not well-formed XML: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "key":
			if len(doc.nodes)+len(doc.edges) > 0 {
				return doc, fmt.Errorf("key %q: declared after the first node or edge", attr(el, "id"))
			}
			doc.keys[attr(el, "id")] = el.Copy()
		case "graph":
			doc.directed = attr(el, "edgedefault")
		case "node":
			owner, domain = map[string]string{}, "node"
			doc.nodes[attr(el, "id")] = owner
		case "edge":
			owner, domain = map[string]string{"source": attr(el, "source"), "target": attr(el, "target")}, "edge"
			doc.edges[attr(el, "id")] = owner
		case "data":
			id := attr(el, "key")
			key, ok := doc.keys[id]
			if !ok {
				return doc, fmt.Errorf("data with key %q: no <key> declared before it", id)
			}
			if attr(key, "for") != domain {
				return doc, fmt.Errorf("data with key %q on a %s: the key is for %q", id, domain, attr(key, "for"))
			}
			var text string
			if err := dec.DecodeElement(&text, &el); err != nil {
				return doc, fmt.Errorf("data %q: %v", id, err)
			}
			owner[attr(key, "attr.name")] = text
		}
	}
	return doc, nil
}

func TestGraphMLKeysAndValues(t *testing.T) {
	d := smallExportDataset(t)
	doc, err := parseGraphML(writeFormatBytes(t, "graphml", d))
	if err != nil {
		t.Fatalf("parsing the GraphML export: %v", err)
	}
	if doc.directed != "directed" {
		t.Errorf("edgedefault: got %q, want directed", doc.directed)
	}
	for id, key := range doc.keys {
		var typ string
		for _, a := range key.Attr {
			if a.Name.Local == "attr.type" {
				typ = a.Value
			}
		}
		if typ != "string" && typ != "boolean" {
			t.Errorf("key %s: got attr.type %q, want string or boolean", id, typ)
		}
	}
	if len(doc.nodes) != len(d.Entities) || len(doc.edges) != len(d.Relationships) {
		t.Fatalf("got %d nodes and %d edges, want %d and %d", len(doc.nodes), len(doc.edges), len(d.Entities), len(d.Relationships))
	}

	nodeTests := []struct {
		node, attr, want string
	}{
		{"person-year", "label", "Person Year"},
		{"person-year", "kind", "person"},
		{"person-year", "aliases", "P. Year; Year"},
		{"person-year", "born", "1954"},
		{"person-year", "died", "2012-02"},
		{"org-day", "kind", "organization"},
		{"org-day", "founded", "2011-12-05"},
		{"org-day", "sourceIds", "src-a; src-b"},
		{"org-month", "dissolved", "2017-03-02"},
	}
	for _, tt := range nodeTests {
		if got := doc.nodes[tt.node][tt.attr]; got != tt.want {
			t.Errorf("node %s %s: got %q, want %q", tt.node, tt.attr, got, tt.want)
		}
	}
	edgeTests := []struct {
		edge, attr, want string
	}{
		{"org-day-allied-with-org-month", "undirected", "true"},
		{"org-month-rival-of-org-open", "undirected", "true"},
		{"person-leader-of-org-day", "undirected", "false"},
		{"org-open-supported-org-day", "undirected", "false"},
		{"person-leader-of-org-day", "relType", "LEADER_OF"},
		{"person-leader-of-org-day", "role", "emir"},
		{"person-leader-of-org-day", "since", "2011-12"},
		{"person-leader-of-org-day", "until", "2012"},
		{"person-leader-of-org-day", "qualifier", "reportedly"},
		{"person-leader-of-org-day", "label", "LEADER_OF (reportedly)"},
		{"person-leader-of-org-day", "evidence", `He "reportedly" led it <then>.`},
		{"person-leader-of-org-day", "source", "person-year"},
		{"person-leader-of-org-day", "target", "org-day"},
		{"org-day-allied-with-org-month", "since", "2013"},
	}
	for _, tt := range edgeTests {
		if got := doc.edges[tt.edge][tt.attr]; got != tt.want {
			t.Errorf("edge %s %s: got %q, want %q", tt.edge, tt.attr, got, tt.want)
		}
	}

	// sources is JSON that resolves each cited id to its title and URL.
	var sources []sourceJSON
	raw := doc.edges["person-leader-of-org-day"]["sources"]
	if err := json.Unmarshal([]byte(raw), &sources); err != nil {
		t.Fatalf("edge sources %q: not JSON: %v", raw, err)
	}
	want := sourceJSON{ID: "src-a", Title: `A <report> & "notes"`, Publisher: "Example Press", Published: "2015-02", URL: "https://example.org/a?x=1&y=2"}
	if len(sources) != 1 || sources[0] != want {
		t.Errorf("edge sources: got %+v, want [%+v]", sources, want)
	}
	var designations []designationJSON
	if err := json.Unmarshal([]byte(doc.nodes["org-day"]["designations"]), &designations); err != nil {
		t.Fatalf("designations: not JSON: %v", err)
	}
	if len(designations) != 1 || designations[0].ListedOn != "2013-02-25" || len(designations[0].Sources) != 1 || designations[0].Sources[0].URL != "https://example.org/b" {
		t.Errorf("designations: got %+v, want one listed 2013-02-25 citing https://example.org/b", designations)
	}
}

func TestParseGraphMLCatchesLateKeys(t *testing.T) {
	// The checker the tests above rely on must catch a key used before it
	// is declared, or declared for the other domain.
	tests := []struct{ name, doc string }{
		{"key after use", `<graphml><graph edgedefault="directed"><node id="a"><data key="n_label">A</data></node></graph>` +
			`<key id="n_label" for="node" attr.name="label" attr.type="string"/></graphml>`},
		{"key for edges used on a node", `<graphml><key id="e_label" for="edge" attr.name="label" attr.type="string"/>` +
			`<graph edgedefault="directed"><node id="a"><data key="e_label">A</data></node></graph></graphml>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseGraphML([]byte(tt.doc)); err == nil {
				t.Errorf("parseGraphML(%s): got no error, want one", tt.doc)
			}
		})
	}
}
