package graph

import (
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// subgraph returns the writer of g, or nil when an edge's end is not
// among its nodes (then the ordinary way answers).
func (s *fastShape) subgraph(g *model.Subgraph) graphql.Marshaler {
	if a := s.subgraphJSON(g); a != nil {
		return appendMarshaler(a)
	}
	return nil
}

// path returns the writer of p, or nil as subgraph does.
func (s *fastShape) path(p *model.Path) graphql.Marshaler {
	if a := s.pathJSON(p); a != nil {
		return appendMarshaler(a)
	}
	return nil
}

// paths returns the writer of a list of paths, or nil as subgraph does.
func (s *fastShape) paths(ps []*model.Path) graphql.Marshaler {
	items := make([]appendFunc, len(ps))
	for i, p := range ps {
		if items[i] = s.pathJSON(p); items[i] == nil {
			return nil
		}
	}
	return appendMarshaler(func(b []byte) []byte {
		b = append(b, '[')
		for i, a := range items {
			if i > 0 {
				b = append(b, ',')
			}
			b = a(b)
		}
		return append(b, ']')
	})
}

// subgraphJSON returns the appender of g, or nil as subgraph does.
func (s *fastShape) subgraphJSON(g *model.Subgraph) appendFunc {
	return s.object(g.Nodes, g.Edges, func(b []byte, kind fieldKind) []byte {
		switch kind {
		case fieldTypename:
			return append(b, `"Subgraph"`...)
		case fieldTruncated:
			return strconv.AppendBool(b, g.Truncated)
		}
		return b
	})
}

// pathJSON returns the appender of p, or nil as subgraph does.
func (s *fastShape) pathJSON(p *model.Path) appendFunc {
	return s.object(p.Nodes, p.Edges, func(b []byte, kind fieldKind) []byte {
		switch kind {
		case fieldTypename:
			return append(b, `"Path"`...)
		case fieldLength:
			return strconv.AppendInt(b, int64(p.Length), 10)
		}
		return b
	})
}

// object returns the appender of a Subgraph or Path, or nil when an edge's
// end is not among the nodes; own appends the fields that are neither
// nodes nor edges.
func (s *fastShape) object(nodes []model.Entity, edges []*network.Relationship, own func([]byte, fieldKind) []byte) appendFunc {
	ents := make([]*network.Entity, len(nodes))
	byID := make(map[string]int32, len(nodes))
	for i, n := range nodes {
		ents[i] = n.Domain()
		byID[ents[i].ID] = int32(i)
	}
	// ends holds the indexes in ents of the from and to of each edge,
	// looked up once.
	ends := make([]int32, 2*len(edges))
	for i, e := range edges {
		from, okFrom := byID[e.From]
		to, okTo := byID[e.To]
		if !okFrom || !okTo {
			return nil
		}
		ends[2*i], ends[2*i+1] = from, to
	}
	return func(b []byte) []byte {
		b = append(b, '{')
		for i := range s.fields {
			f := &s.fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, f.keyJSON...)
			switch f.kind {
			case fieldNodes:
				b = append(b, '[')
				for j, e := range ents {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendEntity(b, f, e)
				}
				b = append(b, ']')
			case fieldEdges:
				w := newEdgeWriter(f.edge, len(ents), func(b []byte, f *fastField, n int32) []byte {
					return appendEntity(b, f, ents[n])
				})
				b = append(b, '[')
				for j, e := range edges {
					if j > 0 {
						b = append(b, ',')
					}
					b = w.append(b, &edgeValues{id: e.ID, typ: e.Type, since: e.Since, until: e.Until, role: e.Role,
						qualifier: e.Qualifier, evidence: e.Evidence, note: e.Note, from: ends[2*j], to: ends[2*j+1]})
				}
				b = append(b, ']')
			default:
				b = own(b, f.kind)
			}
		}
		return append(b, '}')
	}
}

// entityValues are the values of an entity the fast path writes, from a
// whole entity or from a summary (which leaves description and aliases
// empty, and is only written for selections without them).
type entityValues struct {
	id, name    string
	kind        network.EntityKind
	description string
	aliases     []string
}

// appendEntity appends e with the fields its concrete type gets.
func appendEntity(b []byte, f *fastField, e *network.Entity) []byte {
	return appendEntityValues(b, f, &entityValues{e.ID, e.Name, e.Kind, e.Description, e.Aliases})
}

// appendEntityValues appends an entity with the fields its concrete type
// gets.
func appendEntityValues(b []byte, f *fastField, e *entityValues) []byte {
	fields, typename := f.org, `"Organization"`
	if e.kind == network.Person {
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
			b = appendString(b, e.id)
		case fieldName:
			b = appendString(b, e.name)
		case fieldEntityKind:
			b = appendString(b, string(e.kind))
		case fieldDescription:
			b = appendOptional(b, e.description)
		case fieldAliases:
			b = append(b, '[')
			for j, a := range e.aliases {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, a)
			}
			b = append(b, ']')
		}
	}
	return append(b, '}')
}

// edgeValues are the values of a relationship the fast path writes, its
// ends as indexes of the nodes written with it.
type edgeValues struct {
	id                              string
	typ                             network.RelType
	since, until                    network.PartialDate
	role, qualifier, evidence, note string
	from, to                        int32
}

// edgeWriter appends the edges of one selection. The from or to object
// of an entity is the same bytes every time, and in a neighbourhood each
// node ends eight edges on average: each is written once per field and
// copied from the output after.
type edgeWriter struct {
	fields []fastField
	// end appends node n with the selection f.
	end     func(b []byte, f *fastField, n int32) []byte
	nodes   int
	written [][]span // per from or to field, per node: where it was written; nil until used
}

// newEdgeWriter returns the writer of the edges selection fields among
// nodes nodes, which end appends.
func newEdgeWriter(fields []fastField, nodes int, end func(b []byte, f *fastField, n int32) []byte) edgeWriter {
	return edgeWriter{fields: fields, end: end, nodes: nodes, written: make([][]span, len(fields))}
}

// span is where in the output an entity was written; end is 0 until it
// was (an object is never empty).
type span struct{ start, end int }

// append appends one relationship.
func (w *edgeWriter) append(b []byte, r *edgeValues) []byte {
	b = append(b, '{')
	for i := range w.fields {
		ff := &w.fields[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, ff.keyJSON...)
		switch ff.kind {
		case fieldTypename:
			b = append(b, `"Relationship"`...)
		case fieldID:
			b = appendString(b, r.id)
		case fieldType:
			b = appendString(b, string(r.typ))
		case fieldSince:
			b = appendDate(b, r.since)
		case fieldUntil:
			b = appendDate(b, r.until)
		case fieldRole:
			b = appendOptional(b, r.role)
		case fieldQualifier:
			b = appendOptional(b, r.qualifier)
		case fieldEvidence:
			b = appendOptional(b, r.evidence)
		case fieldNote:
			b = appendOptional(b, r.note)
		case fieldFrom:
			b = w.appendEnd(b, i, r.from)
		case fieldTo:
			b = w.appendEnd(b, i, r.to)
		}
	}
	return append(b, '}')
}

// appendEnd appends node n with the selection of field i, copying it when
// it was written before.
func (w *edgeWriter) appendEnd(b []byte, i int, n int32) []byte {
	if w.written[i] == nil {
		w.written[i] = make([]span, w.nodes)
	}
	at := &w.written[i][n]
	if at.end > 0 {
		return append(b, b[at.start:at.end]...)
	}
	at.start = len(b)
	b = w.end(b, &w.fields[i], n)
	at.end = len(b)
	return b
}
