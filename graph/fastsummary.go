package graph

import (
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/allegiance/allegiance/network"
)

// A neighbourhood whose selection reads nothing but what a
// network.SubgraphSummary holds (what a drawing of the network asks: the
// web explorer's and the benchmark's queries) is answered from
// Store.NeighborhoodSummary, which does not copy whole entities and
// relationships out of the store: for a 500-node, 2,000-edge
// neighbourhood of the embedded store those copies were a third of the
// request's CPU (bench/profiles).

// The fields a summary holds, by type.
var (
	summaryEntityFields = map[fieldKind]bool{fieldTypename: true, fieldID: true, fieldName: true, fieldEntityKind: true}
	summaryEdgeFields   = map[fieldKind]bool{fieldTypename: true, fieldID: true, fieldType: true, fieldSince: true,
		fieldUntil: true, fieldQualifier: true, fieldFrom: true, fieldTo: true}
)

// summarizable reports whether s, a Subgraph's shape, reads nothing a
// network.SubgraphSummary lacks.
func (s *fastShape) summarizable() bool {
	entityOK := func(fields []fastField) bool {
		for _, f := range fields {
			if !summaryEntityFields[f.kind] {
				return false
			}
		}
		return true
	}
	for _, f := range s.fields {
		if !entityOK(f.person) || !entityOK(f.org) {
			return false
		}
		for _, e := range f.edge {
			if !summaryEdgeFields[e.kind] || !entityOK(e.person) || !entityOK(e.org) {
				return false
			}
		}
	}
	return true
}

// endsInside reports whether every edge of g ends at a position in
// g.Nodes, which the writer indexes; when one does not (a store's bug), the
// ordinary way answers.
func endsInside(g *network.SubgraphSummary) bool {
	n := int32(len(g.Nodes))
	for i := range g.Edges {
		if r := &g.Edges[i]; r.From < 0 || r.From >= n || r.To < 0 || r.To >= n {
			return false
		}
	}
	return true
}

// summary returns the writer of g for s, which must be summarizable, or
// nil as subgraph does.
func (s *fastShape) summary(g *network.SubgraphSummary) graphql.Marshaler {
	if !endsInside(g) {
		return nil
	}
	return appendMarshaler(s.summaryJSON(g))
}

// summaryJSON returns the appender of g for s, which must be summarizable.
func (s *fastShape) summaryJSON(g *network.SubgraphSummary) appendFunc {
	return func(b []byte) []byte {
		b = append(b, '{')
		for i := range s.fields {
			f := &s.fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, f.keyJSON...)
			switch f.kind {
			case fieldTypename:
				b = append(b, `"Subgraph"`...)
			case fieldTruncated:
				b = strconv.AppendBool(b, g.Truncated)
			case fieldNodes:
				b = append(b, '[')
				for j := range g.Nodes {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendEntitySummary(b, f, &g.Nodes[j])
				}
				b = append(b, ']')
			case fieldEdges:
				b = appendEdgeSummaries(b, f.edge, g)
			}
		}
		return append(b, '}')
	}
}

// appendEntitySummary appends e with the fields its concrete type gets, as
// appendEntity does.
func appendEntitySummary(b []byte, f *fastField, e *network.EntitySummary) []byte {
	fields, typename := f.org, `"Organization"`
	if e.Kind == network.Person {
		fields, typename = f.person, `"Person"`
	}
	b = append(b, '{')
	for i := range fields {
		ff := &fields[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, ff.keyJSON...)
		switch ff.kind {
		case fieldTypename:
			b = append(b, typename...)
		case fieldID:
			b = appendString(b, e.ID)
		case fieldName:
			b = appendString(b, e.Name)
		case fieldEntityKind:
			b = appendString(b, string(e.Kind))
		}
	}
	return append(b, '}')
}

// appendEdgeSummaries appends the edges of g with the selection fields. An
// end's object is the same bytes for every edge it ends: it is written
// once per from or to field and copied after, as edgeWriter does.
func appendEdgeSummaries(b []byte, fields []fastField, g *network.SubgraphSummary) []byte {
	written := make([][]span, len(fields))
	end := func(b []byte, i int, n int32) []byte {
		if written[i] == nil {
			written[i] = make([]span, len(g.Nodes))
		}
		at := &written[i][n]
		if at.end > 0 {
			return append(b, b[at.start:at.end]...)
		}
		at.start = len(b)
		b = appendEntitySummary(b, &fields[i], &g.Nodes[n])
		at.end = len(b)
		return b
	}
	b = append(b, '[')
	for j := range g.Edges {
		r := &g.Edges[j]
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for i := range fields {
			ff := &fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ff.keyJSON...)
			switch ff.kind {
			case fieldTypename:
				b = append(b, `"Relationship"`...)
			case fieldID:
				b = appendString(b, r.ID)
			case fieldType:
				b = appendString(b, string(r.Type))
			case fieldSince:
				b = appendDate(b, r.Since)
			case fieldUntil:
				b = appendDate(b, r.Until)
			case fieldQualifier:
				b = appendOptional(b, r.Qualifier)
			case fieldFrom:
				b = end(b, i, r.From)
			case fieldTo:
				b = end(b, i, r.To)
			}
		}
		b = append(b, '}')
	}
	return append(b, ']')
}
