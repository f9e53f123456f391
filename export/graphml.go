package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// xmlWriter writes XML text, keeping the first error so that callers check it
// once at the end.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func newXMLWriter(w io.Writer) *xmlWriter { return &xmlWriter{w: bufio.NewWriter(w)} }

// raw writes markup as is.
func (x *xmlWriter) raw(parts ...string) {
	for _, p := range parts {
		if x.err == nil {
			_, x.err = x.w.WriteString(p)
		}
	}
}

// text writes s escaped as element content.
func (x *xmlWriter) text(s string) { x.raw(escapeXML(s, "")) }

// attr writes ` name="value"` with value escaped, or ` name='value'`
// when value has double quotes and no single ones (JSON text), so that it
// stays readable.
func (x *xmlWriter) attr(name, value string) {
	quote := "\""
	if strings.Contains(value, `"`) && !strings.Contains(value, "'") {
		quote = "'"
	}
	x.raw(" ", name, "=", quote, escapeXML(value, quote), quote)
}

// escapeXML escapes s for XML content (quote "") or for an attribute value
// delimited by quote, where tabs and line breaks must be character
// references to survive attribute-value normalisation. Characters XML cannot carry
// (most control characters, invalid UTF-8) become U+FFFD. Unlike
// xml.EscapeText it leaves quotes alone in content, so that JSON values
// stay readable.
func escapeXML(s string, quote string) string {
	attr := quote != ""
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && quote == `"`:
			b.WriteString("&quot;")
		case r == '\'' && quote == "'":
			b.WriteString("&apos;")
		case r == '\r':
			b.WriteString("&#xD;")
		case (r == '\n' || r == '\t') && attr:
			fmt.Fprintf(&b, "&#x%X;", r)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20, r == utf8.RuneError, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (x *xmlWriter) flush() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

// graphmlKeyID is the id of the <key> declaring field name for nodes
// ("n_") or edges ("e_").
func graphmlKeyID(prefix, name string) string { return prefix + "_" + name }

func graphmlType(f attrField) string {
	if f.typ == boolAttr {
		return "boolean"
	}
	return "string"
}

// writeGraphML writes g as GraphML: every <key> first, then one directed
// graph whose symmetric edges carry undirected=true.
func writeGraphML(w io.Writer, g *graphDoc) error {
	x := newXMLWriter(w)
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	x.raw(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns"`,
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
		` xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`, "\n")
	declare := func(domain, prefix string, fields []attrField) {
		for _, f := range fields {
			x.raw("  <key")
			x.attr("id", graphmlKeyID(prefix, f.name))
			x.attr("for", domain)
			x.attr("attr.name", f.name)
			x.attr("attr.type", graphmlType(f))
			x.raw("/>\n")
		}
	}
	label := []attrField{{"label", textAttr}}
	declare("node", "n", append(label, nodeAttrFields...))
	declare("edge", "e", append(label, edgeAttrFields...))
	x.raw(`  <graph id="allegiance" edgedefault="directed">`, "\n")
	data := func(prefix string, f attrField, v any) {
		s, err := xmlValue(f, v)
		if err != nil && x.err == nil {
			x.err = err
		}
		x.raw(`      <data key="`, graphmlKeyID(prefix, f.name), `">`)
		x.text(s)
		x.raw("</data>\n")
	}
	for _, n := range g.nodes {
		x.raw("    <node")
		x.attr("id", n.id)
		x.raw(">\n")
		data("n", attrField{"label", textAttr}, n.label)
		for _, f := range nodeAttrFields {
			if v, ok := n.attrs[f.name]; ok {
				data("n", f, v)
			}
		}
		x.raw("    </node>\n")
	}
	for _, e := range g.edges {
		x.raw("    <edge")
		x.attr("id", e.id)
		x.attr("source", e.source)
		x.attr("target", e.target)
		x.raw(">\n")
		data("e", attrField{"label", textAttr}, e.label)
		for _, f := range edgeAttrFields {
			if v, ok := e.attrs[f.name]; ok {
				data("e", f, v)
			}
		}
		x.raw("    </edge>\n")
	}
	x.raw("  </graph>\n</graphml>\n")
	return x.flush()
}
