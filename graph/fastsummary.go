package graph

import (
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/allegiance/allegiance/network"
)

// A neighbourhood whose selection reads nothing but what a
// network.SubgraphSummary holds (what a drawing of the network asks: the
// web explorer's and the benchmark's queries) is answered from
// network.NeighborhoodSummary (the stores' NeighborhoodSummarizer), which does not copy whole entities and
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

// appendEntitySummary appends e with the fields its concrete type gets.
func appendEntitySummary(b []byte, f *fastField, e *network.EntitySummary) []byte {
	return appendEntityValues(b, f, &entityValues{id: e.ID, name: e.Name, kind: e.Kind})
}

// appendEdgeSummaries appends the edges of g with the selection fields.
func appendEdgeSummaries(b []byte, fields []fastField, g *network.SubgraphSummary) []byte {
	w := newEdgeWriter(fields, len(g.Nodes), func(b []byte, f *fastField, n int32) []byte {
		return appendEntitySummary(b, f, &g.Nodes[n])
	})
	b = append(b, '[')
	for j := range g.Edges {
		r := &g.Edges[j]
		if j > 0 {
			b = append(b, ',')
		}
		b = w.append(b, &edgeValues{id: r.ID, typ: r.Type, since: r.Since, until: r.Until, qualifier: r.Qualifier,
			from: r.From, to: r.To})
	}
	return append(b, ']')
}
