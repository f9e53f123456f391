package export

import (
	"io"

	"github.com/allegiance/allegiance/network"
)

// cytoscapeDoc is a Cytoscape.js elements document, as cytoscape({elements})
// and Cytoscape desktop's .cyjs import read it.
type cytoscapeDoc struct {
	FormatVersion string            `json:"format_version"`
	GeneratedBy   string            `json:"generated_by"`
	Target        string            `json:"target_cytoscapejs_version"`
	Data          map[string]any    `json:"data"`
	Elements      cytoscapeElements `json:"elements"`
}

type cytoscapeElements struct {
	Nodes []cytoscapeElement `json:"nodes"`
	Edges []cytoscapeElement `json:"edges"`
}

type cytoscapeElement struct {
	Data     attrRecord   `json:"data"`
	Position *layoutPoint `json:"position,omitempty"`
}

// writeCytoscape writes g as Cytoscape.js elements JSON: every node's data
// has id and label, every edge's data id, source, target and label, beside
// the attributes of the package doc; nodes carry the layout's position.
// Cytoscape.js keeps nodes and edges in one id space, so a relationship id
// equal to an entity id is EINVALID.
func writeCytoscape(w io.Writer, g *graphDoc) error {
	ids := make(map[string]bool, len(g.nodes))
	doc := cytoscapeDoc{
		FormatVersion: "1.0",
		GeneratedBy:   "allegiance",
		Target:        "~3",
		Data:          map[string]any{"name": "Allegiance"},
		Elements: cytoscapeElements{
			Nodes: make([]cytoscapeElement, len(g.nodes)),
			Edges: make([]cytoscapeElement, len(g.edges)),
		},
	}
	pos := layout(g)
	for i, n := range g.nodes {
		ids[n.id] = true
		p := pos[i]
		doc.Elements.Nodes[i] = cytoscapeElement{
			Data:     withAttrsOf(n.attrs, attrRecord{"id": n.id, "label": n.label}),
			Position: &p,
		}
	}
	for i, e := range g.edges {
		if ids[e.id] {
			return network.Errorf(network.EINVALID, "relationship id %q is also an entity id, which Cytoscape.js cannot tell apart", e.id)
		}
		doc.Elements.Edges[i] = cytoscapeElement{
			Data: withAttrsOf(e.attrs, attrRecord{"id": e.id, "source": e.source, "target": e.target, "label": e.label}),
		}
	}
	return writeIndentedJSON(w, doc)
}
