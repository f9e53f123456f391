package export

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// findJSONKey returns the JSON paths under v where an object has key name.
func findJSONKey(v any, path, name string) []string {
	var found []string
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == name {
				found = append(found, path+"."+k)
			}
			found = append(found, findJSONKey(child, path+"."+k, name)...)
		}
	case []any:
		for i, child := range v {
			found = append(found, findJSONKey(child, path+"["+strconv.Itoa(i)+"]", name)...)
		}
	}
	return found
}

func TestGraphology(t *testing.T) {
	full := smallExportDataset(t)
	directedOnly := smallExportDataset(t)
	directedOnly.Relationships = []network.Relationship{full.Relationships[0], full.Relationships[3]}
	tests := []struct {
		name     string
		d        *network.Dataset
		wantType string
	}{
		{"with symmetric edges", full, "mixed"},
		{"directed edges only", directedOnly, "directed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := writeFormatBytes(t, "graphology", tt.d)
			var g struct {
				Attributes map[string]any `json:"attributes"`
				Options    struct {
					Type  string `json:"type"`
					Multi bool   `json:"multi"`
				} `json:"options"`
				Nodes []struct {
					Key        string         `json:"key"`
					Attributes map[string]any `json:"attributes"`
				} `json:"nodes"`
				Edges []struct {
					Key        string         `json:"key"`
					Source     string         `json:"source"`
					Target     string         `json:"target"`
					Undirected bool           `json:"undirected"`
					Attributes map[string]any `json:"attributes"`
				} `json:"edges"`
			}
			if err := json.Unmarshal(raw, &g); err != nil {
				t.Fatalf("graphology export is not JSON: %v", err)
			}
			if g.Options.Type != tt.wantType || !g.Options.Multi {
				t.Errorf("options: got type %q multi %v, want %q true", g.Options.Type, g.Options.Multi, tt.wantType)
			}
			if len(g.Nodes) != len(tt.d.Entities) || len(g.Edges) != len(tt.d.Relationships) {
				t.Fatalf("got %d nodes and %d edges, want %d and %d", len(g.Nodes), len(g.Edges), len(tt.d.Entities), len(tt.d.Relationships))
			}
			// "type" is reserved by sigma.js: no attribute anywhere, at
			// any depth, may have that name.
			var generic map[string]any
			json.Unmarshal(raw, &generic)
			for _, part := range []string{"attributes", "nodes", "edges"} {
				if paths := findJSONKey(generic[part], part, "type"); len(paths) > 0 {
					t.Errorf("got attributes named \"type\" at %v, want none", paths)
				}
			}
			xs, ys := map[float64]bool{}, map[float64]bool{}
			for _, n := range g.Nodes {
				x, okx := n.Attributes["x"].(float64)
				y, oky := n.Attributes["y"].(float64)
				if !okx || !oky {
					t.Errorf("node %s: got x %v y %v, want numbers", n.Key, n.Attributes["x"], n.Attributes["y"])
				}
				xs[x], ys[y] = true, true
				if n.Attributes["label"] == nil || n.Attributes["kind"] == nil {
					t.Errorf("node %s: got label %v kind %v, want both", n.Key, n.Attributes["label"], n.Attributes["kind"])
				}
			}
			if len(xs) < 2 && len(ys) < 2 {
				t.Errorf("layout: every node at one point (%v, %v), want a spread", xs, ys)
			}
			for _, e := range g.Edges {
				rel := network.RelType(e.Attributes["relType"].(string))
				if e.Undirected != rel.Symmetric() || e.Attributes["undirected"] != rel.Symmetric() {
					t.Errorf("edge %s (%s): got undirected %v (attribute %v), want %v", e.Key, rel, e.Undirected, e.Attributes["undirected"], rel.Symmetric())
				}
			}
		})
	}
}

func TestLayout(t *testing.T) {
	d := smallExportDataset(t)
	g, err := prepareGraph(d)
	if err != nil {
		t.Fatal(err)
	}
	a, b := layout(g), layout(g)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("node %s: got %v then %v, want the same position twice", g.nodes[i].id, a[i], b[i])
		}
		if a[i].X < -layoutSize/2 || a[i].X > layoutSize/2 || a[i].Y < -layoutSize/2 || a[i].Y > layoutSize/2 {
			t.Errorf("node %s: got %v, want inside the %v square", g.nodes[i].id, a[i], layoutSize)
		}
		for j := range i {
			if a[i] == a[j] {
				t.Errorf("nodes %s and %s: both at %v, want distinct positions", g.nodes[i].id, g.nodes[j].id, a[i])
			}
		}
	}
	one := &graphDoc{nodes: g.nodes[:1]}
	if p := layout(one); len(p) != 1 || p[0].X != layoutSize/2 || p[0].Y != 0 {
		t.Errorf("layout of one node: got %v, want [{%v 0}]", p, layoutSize/2)
	}
	if p := layout(&graphDoc{}); len(p) != 0 {
		t.Errorf("layout of no node: got %v, want none", p)
	}
}

func TestCytoscape(t *testing.T) {
	d := smallExportDataset(t)
	var doc struct {
		Elements struct {
			Nodes []struct {
				Data     map[string]any `json:"data"`
				Position *layoutPoint   `json:"position"`
			} `json:"nodes"`
			Edges []struct {
				Data map[string]any `json:"data"`
			} `json:"edges"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(writeFormatBytes(t, "cytoscape", d), &doc); err != nil {
		t.Fatalf("cytoscape export is not JSON: %v", err)
	}
	if len(doc.Elements.Nodes) != len(d.Entities) || len(doc.Elements.Edges) != len(d.Relationships) {
		t.Fatalf("got %d nodes and %d edges, want %d and %d", len(doc.Elements.Nodes), len(doc.Elements.Edges), len(d.Entities), len(d.Relationships))
	}
	ids := map[string]bool{}
	for _, n := range doc.Elements.Nodes {
		id, _ := n.Data["id"].(string)
		ids[id] = true
		if n.Position == nil {
			t.Errorf("node %s: no position", id)
		}
	}
	for _, e := range doc.Elements.Edges {
		src, _ := e.Data["source"].(string)
		tgt, _ := e.Data["target"].(string)
		if !ids[src] || !ids[tgt] {
			t.Errorf("edge %v: source %q or target %q is not a node", e.Data["id"], src, tgt)
		}
	}
	want := map[string]any{
		"id": "person-leader-of-org-day", "source": "person-year", "target": "org-day",
		"relType": "LEADER_OF", "qualifier": "reportedly", "label": "LEADER_OF (reportedly)",
		"since": "2011-12", "until": "2012", "role": "emir", "undirected": false,
	}
	found := false
	for _, e := range doc.Elements.Edges {
		if e.Data["id"] != want["id"] {
			continue
		}
		found = true
		for k, v := range want {
			if e.Data[k] != v {
				t.Errorf("edge %s %s: got %v, want %v", want["id"], k, e.Data[k], v)
			}
		}
	}
	if !found {
		t.Errorf("edge %s: missing", want["id"])
	}
}
