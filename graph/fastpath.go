package graph

import (
	"context"
	"strconv"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// The fast path answers the traversal root fields (neighborhood, lineage,
// shortestPath, allegianceChains) without gqlgen's field-by-field
// execution, when every field their query selects is a plain value of a
// subgraph, path, entity or relationship. gqlgen resolves and marshals each
// field of each list item in goroutines of its own: drawing a 500-node
// neighbourhood with its 2,000 edges spent 63% of the server's CPU there
// (bench/profiles). The fast path asks the store what the resolver would
// ask, then writes the
// JSON gqlgen would write, byte for byte (fastpath_test.go compares them),
// reading only summary entities (network.SummaryDetail).
// Any other selection, and any error, goes the ordinary way.

// fastAnswers counts the root fields the fast path answered.
var fastAnswers atomic.Int64

// FastPathAnswers returns how many root fields the fast path has answered
// in this process, so that tests can tell it applied.
func FastPathAnswers() int64 { return fastAnswers.Load() }

// fastRoot returns the root-field interceptor of the fast path.
func fastRoot(r *Resolver) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		m, err := r.fastAnswer(ctx)
		if m != nil {
			fastAnswers.Add(1)
			return attachInserts(ctx, m)
		}
		if err != nil {
			// The ordinary way reports it, from the resolver, without
			// asking the store a second time.
			ctx = context.WithValue(ctx, fastErrKey{}, err)
		}
		return next(ctx)
	}
}

// fastErrKey carries the store error the fast path met to the resolver.
type fastErrKey struct{}

// fastPathErr returns the store error the fast path met for this root
// field, if any: the resolver returns it instead of asking again (an
// unavailable Neo4j would otherwise make the request wait twice).
func fastPathErr(ctx context.Context) error {
	err, _ := ctx.Value(fastErrKey{}).(error)
	return err
}

// fastAnswer answers the current root field, or returns nil when the fast
// path does not apply; err is the store's error when asking it failed.
func (r *Resolver) fastAnswer(ctx context.Context) (m graphql.Marshaler, err error) {
	rf := graphql.GetRootFieldContext(ctx)
	if rf == nil || !graphql.HasOperationContext(ctx) {
		return nil, nil
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return nil, nil
	}
	f := rf.Field
	var shape *fastShape
	switch f.Name {
	case "neighborhood", "lineage":
		shape = compileShape(oc, f.Selections, "Subgraph")
	case "shortestPath", "allegianceChains":
		shape = compileShape(oc, f.Selections, "Path")
	default:
		return nil, nil
	}
	if shape == nil {
		return nil, nil
	}
	args := f.ArgumentMap(oc.Variables)
	// The store is asked as the resolvers ask it (schema.resolvers.go), but
	// for summary entities: the fast path writes no entity field beyond
	// them. Nothing is primed into the loaders, which other root fields of
	// the request share and which must hold whole entities.
	switch f.Name {
	case "neighborhood":
		id, ok1 := argString(args, "id")
		depth, ok2 := argInt(args, "depth")
		types, ok3 := argTypes(args)
		asOf, ok4 := argDate(args)
		limit, ok5 := argInt(args, "limit")
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			return nil, nil
		}
		q := network.NeighborhoodQuery{ID: id, Depth: orDefault(depth, 1), Types: types,
			AsOf: date(asOf), Limit: orDefault(limit, 500), Detail: network.SummaryDetail}
		if shape.summarizable() {
			g, err := r.Store.NeighborhoodSummary(ctx, q)
			if err != nil {
				return nil, err
			}
			return shape.summary(g), nil
		}
		g, err := r.Store.Neighborhood(ctx, q)
		if err != nil {
			return nil, err // the ordinary way reports it
		}
		return shape.subgraph(model.NewSubgraph(g)), nil
	case "lineage":
		id, ok1 := argString(args, "id")
		dir, ok2 := args["direction"].(string)
		asOf, ok3 := argDate(args)
		if !(ok1 && ok2 && ok3) {
			return nil, nil
		}
		g, err := r.Store.Lineage(ctx, network.LineageQuery{ID: id, Direction: network.LineageDirection(dir), AsOf: date(asOf),
			Detail: network.SummaryDetail})
		if err != nil {
			return nil, err
		}
		return shape.subgraph(model.NewSubgraph(g)), nil
	case "shortestPath":
		from, ok1 := argString(args, "from")
		to, ok2 := argString(args, "to")
		types, ok3 := argTypes(args)
		maxDepth, ok4 := argInt(args, "maxDepth")
		asOf, ok5 := argDate(args)
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			return nil, nil
		}
		p, err := r.Store.ShortestPath(ctx, network.PathQuery{From: from, To: to, Types: types, MaxDepth: orDefault(maxDepth, 6),
			AsOf: date(asOf), Detail: network.SummaryDetail})
		if err != nil {
			return nil, err
		}
		if p == nil {
			return graphql.Null, nil
		}
		return shape.path(model.NewPath(p)), nil
	default: // allegianceChains
		from, ok1 := argString(args, "from")
		asOf, ok2 := argDate(args)
		maxDepth, ok3 := argInt(args, "maxDepth")
		if !(ok1 && ok2 && ok3) {
			return nil, nil
		}
		ps, err := r.Store.AllegianceChains(ctx, network.ChainQuery{From: from, AsOf: date(asOf), MaxDepth: orDefault(maxDepth, 8),
			Detail: network.SummaryDetail})
		if err != nil {
			return nil, err
		}
		out := make([]*model.Path, len(ps))
		for i, p := range ps {
			out[i] = model.NewPath(p)
		}
		return shape.paths(out), nil
	}
}

// argString reads a required string argument.
func argString(args map[string]any, name string) (string, bool) {
	s, ok := args[name].(string)
	return s, ok
}

// argInt reads an Int argument as the resolvers take it: nil when absent
// or null.
func argInt(args map[string]any, name string) (*int, bool) {
	switch v := args[name].(type) {
	case nil:
		return nil, true
	case int64:
		n := int(v)
		return &n, int64(n) == v
	case int:
		return &v, true
	}
	return nil, false
}

// argTypes reads a [RelationshipType!] argument.
func argTypes(args map[string]any) ([]network.RelType, bool) {
	v, present := args["types"]
	if !present || v == nil {
		return nil, true
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]network.RelType, len(list))
	for i, t := range list {
		s, ok := t.(string)
		if !ok || !network.RelType(s).Valid() {
			return nil, false
		}
		out[i] = network.RelType(s)
	}
	return out, true
}

// argDate reads the asOf argument.
func argDate(args map[string]any) (*network.PartialDate, bool) {
	v, present := args["asOf"]
	if !present || v == nil {
		return nil, true
	}
	d, err := model.UnmarshalPartialDate(v)
	if err != nil {
		return nil, false
	}
	return &d, true
}

// fastShape is a compiled selection of a Subgraph or a Path: the fields to
// write, in order, each under its response key.
type fastShape struct {
	fields []fastField
}

// fastField is one selected field: its kind, its response key as written
// (quoted, with its colon), and the selections of nodes, from and to (per
// concrete entity type) and of edges.
type fastField struct {
	kind    fieldKind
	keyJSON string
	person  []fastField // nodes, from, to: the fields a Person gets
	org     []fastField // the fields an Organization gets
	edge    []fastField // edges
}

// fieldKind is a field the fast path writes. The writers switch on it
// rather than on the field's name, which would compare strings for every
// field of every node and edge.
type fieldKind uint8

// The fields the fast path writes; the zero kind is none.
const (
	fieldTypename fieldKind = iota + 1
	fieldNodes
	fieldEdges
	fieldTruncated
	fieldLength
	fieldID
	fieldName
	fieldEntityKind // Entity.kind
	fieldDescription
	fieldAliases
	fieldType
	fieldSince
	fieldUntil
	fieldRole
	fieldQualifier
	fieldEvidence
	fieldNote
	fieldFrom
	fieldTo
)

// The fields the fast path writes, by type.
var (
	subgraphFields = map[string]fieldKind{"__typename": fieldTypename, "nodes": fieldNodes, "edges": fieldEdges,
		"truncated": fieldTruncated}
	pathFields = map[string]fieldKind{"__typename": fieldTypename, "nodes": fieldNodes, "edges": fieldEdges,
		"length": fieldLength}
	entityFields = map[string]fieldKind{"__typename": fieldTypename, "id": fieldID, "name": fieldName,
		"kind": fieldEntityKind, "description": fieldDescription, "aliases": fieldAliases}
	edgeFields = map[string]fieldKind{"__typename": fieldTypename, "id": fieldID, "type": fieldType,
		"since": fieldSince, "until": fieldUntil, "role": fieldRole, "qualifier": fieldQualifier,
		"evidence": fieldEvidence, "note": fieldNote, "from": fieldFrom, "to": fieldTo}
)

// newFastField returns f as written under its response key, or false when
// allowed does not hold it or it takes arguments.
func newFastField(f graphql.CollectedField, allowed map[string]fieldKind) (fastField, bool) {
	kind := allowed[f.Name]
	if kind == 0 || len(f.Arguments) > 0 {
		return fastField{}, false
	}
	return fastField{kind: kind, keyJSON: strconv.Quote(f.Alias) + ":"}, true
}

// compileShape compiles the selection of a Subgraph or Path; nil when a
// field is not one the fast path writes.
func compileShape(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) *fastShape {
	allowed := subgraphFields
	if typ == "Path" {
		allowed = pathFields
	}
	var s fastShape
	for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
		ff, ok := newFastField(f, allowed)
		if !ok {
			return nil
		}
		switch ff.kind {
		case fieldNodes:
			if ff.person, ff.org, ok = compileEntity(oc, f.Selections); !ok {
				return nil
			}
		case fieldEdges:
			if ff.edge, ok = compileEdge(oc, f.Selections); !ok {
				return nil
			}
		}
		s.fields = append(s.fields, ff)
	}
	return &s
}

// compileEntity compiles an Entity selection for each concrete type.
func compileEntity(oc *graphql.OperationContext, sel ast.SelectionSet) (person, org []fastField, ok bool) {
	compile := func(implementors []string) ([]fastField, bool) {
		var out []fastField
		for _, f := range graphql.CollectFields(oc, sel, implementors) {
			ff, ok := newFastField(f, entityFields)
			if !ok {
				return nil, false
			}
			out = append(out, ff)
		}
		return out, true
	}
	var okP, okO bool
	person, okP = compile([]string{"Person", "Entity"})
	org, okO = compile([]string{"Organization", "Entity"})
	return person, org, okP && okO
}

// compileEdge compiles a Relationship selection.
func compileEdge(oc *graphql.OperationContext, sel ast.SelectionSet) ([]fastField, bool) {
	var out []fastField
	for _, f := range graphql.CollectFields(oc, sel, []string{"Relationship"}) {
		ff, ok := newFastField(f, edgeFields)
		if !ok {
			return nil, false
		}
		if ff.kind == fieldFrom || ff.kind == fieldTo {
			if ff.person, ff.org, ok = compileEntity(oc, f.Selections); !ok {
				return nil, false
			}
		}
		out = append(out, ff)
	}
	return out, true
}

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
