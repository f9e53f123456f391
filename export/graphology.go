package export

import (
	"encoding/json"
	"io"
	"math"
)

// Layout parameters (see the package doc). Graphs of more nodes than
// layoutForceMaxNodes keep the circle: the force iterations cost the square
// of the node count.
const (
	layoutForceMaxNodes = 1000
	layoutIterations    = 60
	layoutSize          = 1000.0 // the layout fits a square this wide
	layoutGravity       = 1.0    // the pull to the centre, relative to an edge's pull
)

// layoutPoint is a node position.
type layoutPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// layout places g's nodes: evenly on a circle in id order, then, for up to
// layoutForceMaxNodes nodes, layoutIterations Fruchterman-Reingold steps
// with linear cooling and a pull to the centre, clamped to the layoutSize
// square centred on the origin. Coordinates are rounded to three decimals. It is deterministic.
func layout(g *graphDoc) []layoutPoint {
	n := len(g.nodes)
	pos := make([]layoutPoint, n)
	half := layoutSize / 2
	for i := range pos {
		a := 2 * math.Pi * float64(i) / float64(n)
		pos[i] = layoutPoint{half * math.Cos(a), half * math.Sin(a)}
	}
	if n > 1 && n <= layoutForceMaxNodes {
		forceLayout(g, pos)
	}
	for i := range pos {
		pos[i] = layoutPoint{round3(pos[i].X), round3(pos[i].Y)}
	}
	return pos
}

// forceLayout runs the Fruchterman-Reingold iterations on pos in place.
func forceLayout(g *graphDoc, pos []layoutPoint) {
	n := len(pos)
	index := make(map[string]int, n)
	for i, nd := range g.nodes {
		index[nd.id] = i
	}
	k := math.Sqrt(layoutSize * layoutSize / float64(n))
	half := layoutSize / 2
	disp := make([]layoutPoint, n)
	// delta returns the vector from b to a and its length, never zero.
	delta := func(a, b int) (dx, dy, dist float64) {
		dx, dy = pos[a].X-pos[b].X, pos[a].Y-pos[b].Y
		dist = math.Hypot(dx, dy)
		if dist < 0.01 {
			dx, dy, dist = 0.01, 0, 0.01
		}
		return dx, dy, dist
	}
	for it := 0; it < layoutIterations; it++ {
		temp := layoutSize / 10 * (1 - float64(it)/layoutIterations)
		for i := range disp {
			disp[i] = layoutPoint{}
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy, dist := delta(i, j)
				f := k * k / dist / dist
				disp[i].X += dx * f
				disp[i].Y += dy * f
				disp[j].X -= dx * f
				disp[j].Y -= dy * f
			}
		}
		for _, e := range g.edges {
			s, t := index[e.source], index[e.target]
			if s == t {
				continue
			}
			dx, dy, dist := delta(s, t)
			f := dist / k
			disp[s].X -= dx * f
			disp[s].Y -= dy * f
			disp[t].X += dx * f
			disp[t].Y += dy * f
		}
		for i := range pos {
			// Gravity pulls every node toward the centre as an edge to it
			// would, so that loose nodes do not pile up on the frame.
			r := math.Hypot(pos[i].X, pos[i].Y) / k * layoutGravity
			disp[i].X -= pos[i].X * r
			disp[i].Y -= pos[i].Y * r
			d := math.Hypot(disp[i].X, disp[i].Y)
			if d > 0 {
				step := math.Min(d, temp) / d
				pos[i].X += disp[i].X * step
				pos[i].Y += disp[i].Y * step
			}
			pos[i].X = math.Max(-half, math.Min(half, pos[i].X))
			pos[i].Y = math.Max(-half, math.Min(half, pos[i].Y))
		}
	}
}

func round3(v float64) float64 {
	r := math.Round(v*1000) / 1000
	if r == 0 {
		return 0 // no "-0" in the output
	}
	return r
}

// graphologyGraph is graphology's serialized graph (Graph.from, import).
type graphologyGraph struct {
	Attributes map[string]any    `json:"attributes"`
	Options    graphologyOptions `json:"options"`
	Nodes      []graphologyNode  `json:"nodes"`
	Edges      []graphologyEdge  `json:"edges"`
}

type graphologyOptions struct {
	Type           string `json:"type"`
	Multi          bool   `json:"multi"`
	AllowSelfLoops bool   `json:"allowSelfLoops"`
}

type graphologyNode struct {
	Key        string     `json:"key"`
	Attributes attrRecord `json:"attributes"`
}

type graphologyEdge struct {
	Key        string     `json:"key"`
	Source     string     `json:"source"`
	Target     string     `json:"target"`
	Attributes attrRecord `json:"attributes"`
	Undirected bool       `json:"undirected,omitempty"`
}

// writeGraphology writes g as graphology's serialized format: a multi
// graph, "mixed" when it has a symmetric (undirected) edge and "directed"
// otherwise, with label, x and y on every node and label on every edge. No
// attribute is named "type" (sigma.js reserves it).
func writeGraphology(w io.Writer, g *graphDoc) error {
	out := graphologyGraph{
		Attributes: map[string]any{"name": "Allegiance"},
		Options:    graphologyOptions{Type: "directed", Multi: true, AllowSelfLoops: true},
		Nodes:      make([]graphologyNode, len(g.nodes)),
		Edges:      make([]graphologyEdge, len(g.edges)),
	}
	pos := layout(g)
	for i, n := range g.nodes {
		attrs := withAttrsOf(n.attrs, attrRecord{"label": n.label, "x": pos[i].X, "y": pos[i].Y})
		out.Nodes[i] = graphologyNode{Key: n.id, Attributes: attrs}
	}
	for i, e := range g.edges {
		if e.undirected {
			out.Options.Type = "mixed"
		}
		attrs := withAttrsOf(e.attrs, attrRecord{"label": e.label})
		out.Edges[i] = graphologyEdge{Key: e.id, Source: e.source, Target: e.target, Attributes: attrs, Undirected: e.undirected}
	}
	return writeIndentedJSON(w, out)
}

// withAttrsOf returns a copy of rec with extra's entries added.
func withAttrsOf(rec, extra attrRecord) attrRecord {
	out := make(attrRecord, len(rec)+len(extra))
	for k, v := range rec {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// writeIndentedJSON writes v indented one space a level, without HTML escaping,
// so that exports stay readable and diffable.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}
