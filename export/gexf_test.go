package export

import (
	"encoding/xml"
	"testing"
)

// gexfFile is the part of a GEXF export the tests read.
type gexfFile struct {
	XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		Mode            string `xml:"mode,attr"`
		TimeFormat      string `xml:"timeformat,attr"`
		DefaultEdgeType string `xml:"defaultedgetype,attr"`
		Attributes      []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []gexfItem `xml:"nodes>node"`
		Edges []gexfItem `xml:"edges>edge"`
	} `xml:"graph"`
}

type gexfItem struct {
	ID        string `xml:"id,attr"`
	Label     string `xml:"label,attr"`
	Type      string `xml:"type,attr"`
	Kind      string `xml:"kind,attr"`
	AttValues []struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	} `xml:"attvalues>attvalue"`
	Spells []struct {
		Start *string `xml:"start,attr"`
		End   *string `xml:"end,attr"`
	} `xml:"spells>spell"`
}

func (it gexfItem) value(name string) string {
	for _, a := range it.AttValues {
		if a.For == name {
			return a.Value
		}
	}
	return ""
}

// spell renders an item's spells as "start..end", "-" for an open end,
// "none" without a spell.
func (it gexfItem) spell() string {
	if len(it.Spells) == 0 {
		return "none"
	}
	if len(it.Spells) > 1 {
		return "several"
	}
	s, e := "-", "-"
	if it.Spells[0].Start != nil {
		s = *it.Spells[0].Start
	}
	if it.Spells[0].End != nil {
		e = *it.Spells[0].End
	}
	return s + ".." + e
}

func TestGEXFDynamic(t *testing.T) {
	d := smallExportDataset(t)
	var f gexfFile
	if err := xml.Unmarshal(writeFormatBytes(t, "gexf", d), &f); err != nil {
		t.Fatalf("GEXF export: %v", err)
	}
	g := f.Graph
	if f.Version != "1.3" || g.Mode != "dynamic" || g.TimeFormat != "date" || g.DefaultEdgeType != "directed" {
		t.Errorf("got version %q mode %q timeformat %q defaultedgetype %q, want 1.3 dynamic date directed", f.Version, g.Mode, g.TimeFormat, g.DefaultEdgeType)
	}
	declared := map[string]map[string]bool{}
	for _, as := range g.Attributes {
		declared[as.Class] = map[string]bool{}
		for _, a := range as.Attrs {
			declared[as.Class][a.ID] = true
			if a.Title == "type" {
				t.Errorf("%s attribute %q: titled \"type\", want no such attribute", as.Class, a.ID)
			}
		}
	}
	for class, items := range map[string][]gexfItem{"node": g.Nodes, "edge": g.Edges} {
		for _, it := range items {
			for _, a := range it.AttValues {
				if !declared[class][a.For] {
					t.Errorf("%s %s: value for undeclared attribute %q", class, it.ID, a.For)
				}
			}
		}
	}

	nodes := map[string]gexfItem{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	nodeTests := []struct{ id, spell string }{
		{"person-year", "1954-01-01..2012-02-29"}, // born 1954, died 2012-02: closed
		{"org-day", "2011-12-05..-"},              // founded, not dissolved: open
		{"org-month", "2013-02-01..2017-03-02"},   // founded 2013-02, dissolved 2017-03-02
		{"org-open", "none"},                      // no dates: always there
	}
	for _, tt := range nodeTests {
		n, ok := nodes[tt.id]
		if !ok {
			t.Errorf("node %s: missing", tt.id)
			continue
		}
		if got := n.spell(); got != tt.spell {
			t.Errorf("node %s spell: got %s, want %s", tt.id, got, tt.spell)
		}
	}
	if got := nodes["person-year"].Label; got != "Person Year" {
		t.Errorf("node person-year label: got %q, want %q", got, "Person Year")
	}
	if got := nodes["person-year"].value("died"); got != "2012-02" {
		t.Errorf("node person-year died: got %q, want the date as written, 2012-02", got)
	}

	edges := map[string]gexfItem{}
	for _, e := range g.Edges {
		edges[e.ID] = e
	}
	edgeTests := []struct {
		id, spell, label, undirected string
	}{
		{"person-leader-of-org-day", "2011-12-01..2012-12-31", "LEADER_OF (reportedly)", "false"},
		{"org-day-allied-with-org-month", "2013-01-01..-", "ALLIED_WITH", "true"},
		{"org-month-rival-of-org-open", "none", "RIVAL_OF", "true"},
		{"org-open-supported-org-day", "none", "SUPPORTED", "false"},
	}
	for _, tt := range edgeTests {
		e, ok := edges[tt.id]
		if !ok {
			t.Errorf("edge %s: missing", tt.id)
			continue
		}
		if got := e.spell(); got != tt.spell {
			t.Errorf("edge %s spell: got %s, want %s", tt.id, got, tt.spell)
		}
		if e.Label != tt.label || e.value("undirected") != tt.undirected {
			t.Errorf("edge %s: got label %q undirected %q, want %q %q", tt.id, e.Label, e.value("undirected"), tt.label, tt.undirected)
		}
		if e.Type != "" {
			t.Errorf("edge %s: got type %q, want none (every edge follows defaultedgetype)", tt.id, e.Type)
		}
	}
	if got := edges["person-leader-of-org-day"].value("qualifier"); got != "reportedly" {
		t.Errorf("edge qualifier: got %q, want reportedly", got)
	}
}
