package export

import (
	"io"
	"strconv"

	"github.com/allegiance/allegiance/network"
)

// gexfNamespace is the XML namespace of GEXF 1.3.
const gexfNamespace = "http://gexf.net/1.3"

func gexfType(f attrField) string {
	if f.typ == boolAttr {
		return "boolean"
	}
	return "string"
}

// writeGEXF writes g as a dynamic GEXF 1.3 graph with date time format.
// Nodes and edges carry their lifetimes as one spell each (see the package
// doc); all edges are directed and the symmetric ones carry
// undirected=true.
func writeGEXF(w io.Writer, g *graphDoc) error {
	x := newXMLWriter(w)
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	x.raw(`<gexf xmlns="`, gexfNamespace, `" version="1.3">`, "\n")
	x.raw("  <meta>\n    <creator>Allegiance</creator>\n",
		"    <description>A network of people and organizations with dated, sourced relationships.</description>\n",
		"  </meta>\n")
	x.raw(`  <graph mode="dynamic" timeformat="date" defaultedgetype="directed">`, "\n")
	declare := func(class string, fields []attrField) {
		x.raw(`    <attributes class="`, class, `" mode="static">`, "\n")
		for _, f := range fields {
			x.raw("      <attribute")
			x.attr("id", f.name)
			x.attr("title", f.name)
			x.attr("type", gexfType(f))
			x.raw("/>\n")
		}
		x.raw("    </attributes>\n")
	}
	declare("node", nodeAttrFields)
	declare("edge", edgeAttrFields)
	attvalues := func(fields []attrField, rec attrRecord) {
		x.raw("        <attvalues>\n")
		for _, f := range fields {
			v, ok := rec[f.name]
			if !ok {
				continue
			}
			s, err := xmlValue(f, v)
			if err != nil && x.err == nil {
				x.err = err
			}
			x.raw("          <attvalue")
			x.attr("for", f.name)
			x.attr("value", s)
			x.raw("/>\n")
		}
		x.raw("        </attvalues>\n")
	}
	spells := func(start, end network.PartialDate) {
		if start.IsZero() && end.IsZero() {
			return
		}
		x.raw("        <spells>\n          <spell")
		if !start.IsZero() {
			x.attr("start", xsdStart(start))
		}
		if !end.IsZero() {
			x.attr("end", xsdEnd(end))
		}
		x.raw("/>\n        </spells>\n")
	}

	x.raw(`    <nodes count="`, strconv.Itoa(len(g.nodes)), `">`, "\n")
	for _, n := range g.nodes {
		x.raw("      <node")
		x.attr("id", n.id)
		x.attr("label", n.label)
		x.raw(">\n")
		attvalues(nodeAttrFields, n.attrs)
		spells(n.start, n.end)
		x.raw("      </node>\n")
	}
	x.raw("    </nodes>\n")
	x.raw(`    <edges count="`, strconv.Itoa(len(g.edges)), `">`, "\n")
	for _, e := range g.edges {
		x.raw("      <edge")
		x.attr("id", e.id)
		x.attr("source", e.source)
		x.attr("target", e.target)
		x.attr("label", e.label)
		// kind tells Gephi's multigraph apart the parallel edges of
		// different relationship types.
		if e.relType != "" {
			x.attr("kind", e.relType)
		}
		x.raw(">\n")
		attvalues(edgeAttrFields, e.attrs)
		spells(e.since, e.until)
		x.raw("      </edge>\n")
	}
	x.raw("    </edges>\n  </graph>\n</gexf>\n")
	return x.flush()
}
