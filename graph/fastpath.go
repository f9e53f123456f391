package graph

import (
	"context"
	"io"
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
			return m
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
		g, err := r.Store.Neighborhood(ctx, network.NeighborhoodQuery{ID: id, Depth: orDefault(depth, 1), Types: types,
			AsOf: date(asOf), Limit: orDefault(limit, 500), Detail: network.SummaryDetail})
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

// fastField is one selected field: its name, its response key as written
// (quoted, with its colon), and the selections of nodes, from and to (per
// concrete entity type) and of edges.
type fastField struct {
	name    string
	keyJSON string
	person  []fastField // nodes, from, to: the fields a Person gets
	org     []fastField // the fields an Organization gets
	edge    []fastField // edges
}

var (
	subgraphFields = map[string]bool{"__typename": true, "nodes": true, "edges": true, "truncated": true}
	pathFields     = map[string]bool{"__typename": true, "nodes": true, "edges": true, "length": true}
	entityFields   = map[string]bool{"__typename": true, "id": true, "name": true, "kind": true, "description": true, "aliases": true}
	edgeFields     = map[string]bool{"__typename": true, "id": true, "type": true, "since": true, "until": true,
		"role": true, "qualifier": true, "evidence": true, "note": true, "from": true, "to": true}
)

func newFastField(f graphql.CollectedField) fastField {
	return fastField{name: f.Name, keyJSON: strconv.Quote(f.Alias) + ":"}
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
		if !allowed[f.Name] || len(f.Arguments) > 0 {
			return nil
		}
		ff := newFastField(f)
		switch f.Name {
		case "nodes":
			var ok bool
			if ff.person, ff.org, ok = compileEntity(oc, f.Selections); !ok {
				return nil
			}
		case "edges":
			var ok bool
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
			if !entityFields[f.Name] || len(f.Arguments) > 0 {
				return nil, false
			}
			out = append(out, newFastField(f))
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
		if !edgeFields[f.Name] || len(f.Arguments) > 0 {
			return nil, false
		}
		ff := newFastField(f)
		if f.Name == "from" || f.Name == "to" {
			var ok bool
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
	return s.object(g.Nodes, g.Edges, func(w io.Writer, name string) {
		switch name {
		case "__typename":
			graphql.MarshalString("Subgraph").MarshalGQL(w)
		case "truncated":
			graphql.MarshalBoolean(g.Truncated).MarshalGQL(w)
		}
	})
}

// path returns the writer of p, or nil as subgraph does.
func (s *fastShape) path(p *model.Path) graphql.Marshaler {
	return s.object(p.Nodes, p.Edges, func(w io.Writer, name string) {
		switch name {
		case "__typename":
			graphql.MarshalString("Path").MarshalGQL(w)
		case "length":
			graphql.MarshalInt(p.Length).MarshalGQL(w)
		}
	})
}

// paths returns the writer of a list of paths, or nil as subgraph does.
func (s *fastShape) paths(ps []*model.Path) graphql.Marshaler {
	items := make([]graphql.Marshaler, len(ps))
	for i, p := range ps {
		if items[i] = s.path(p); items[i] == nil {
			return nil
		}
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, "[")
		for i, m := range items {
			if i > 0 {
				io.WriteString(w, ",")
			}
			m.MarshalGQL(w)
		}
		io.WriteString(w, "]")
	})
}

// object writes a Subgraph or Path; own writes the fields that are
// neither nodes nor edges.
func (s *fastShape) object(nodes []model.Entity, edges []*network.Relationship, own func(io.Writer, string)) graphql.Marshaler {
	byID := make(map[string]*network.Entity, len(nodes))
	for _, n := range nodes {
		e := n.Domain()
		byID[e.ID] = e
	}
	for _, e := range edges {
		if byID[e.From] == nil || byID[e.To] == nil {
			return nil
		}
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, "{")
		for i, f := range s.fields {
			if i > 0 {
				io.WriteString(w, ",")
			}
			io.WriteString(w, f.keyJSON)
			switch f.name {
			case "nodes":
				io.WriteString(w, "[")
				for j, n := range nodes {
					if j > 0 {
						io.WriteString(w, ",")
					}
					writeEntity(w, f, n.Domain())
				}
				io.WriteString(w, "]")
			case "edges":
				io.WriteString(w, "[")
				for j, e := range edges {
					if j > 0 {
						io.WriteString(w, ",")
					}
					writeEdge(w, f.edge, e, byID)
				}
				io.WriteString(w, "]")
			default:
				own(w, f.name)
			}
		}
		io.WriteString(w, "}")
	})
}

// writeEntity writes e with the fields its concrete type gets.
func writeEntity(w io.Writer, f fastField, e *network.Entity) {
	fields, typename := f.org, "Organization"
	if e.Kind == network.Person {
		fields, typename = f.person, "Person"
	}
	io.WriteString(w, "{")
	for i, ff := range fields {
		if i > 0 {
			io.WriteString(w, ",")
		}
		io.WriteString(w, ff.keyJSON)
		switch ff.name {
		case "__typename":
			graphql.MarshalString(typename).MarshalGQL(w)
		case "id":
			graphql.MarshalID(e.ID).MarshalGQL(w)
		case "name":
			graphql.MarshalString(e.Name).MarshalGQL(w)
		case "kind":
			graphql.MarshalString(string(e.Kind)).MarshalGQL(w)
		case "description":
			optional(w, e.Description)
		case "aliases":
			io.WriteString(w, "[")
			for j, a := range e.Aliases {
				if j > 0 {
					io.WriteString(w, ",")
				}
				graphql.MarshalString(a).MarshalGQL(w)
			}
			io.WriteString(w, "]")
		}
	}
	io.WriteString(w, "}")
}

// writeEdge writes one relationship; byID holds its ends.
func writeEdge(w io.Writer, fields []fastField, r *network.Relationship, byID map[string]*network.Entity) {
	io.WriteString(w, "{")
	for i, ff := range fields {
		if i > 0 {
			io.WriteString(w, ",")
		}
		io.WriteString(w, ff.keyJSON)
		switch ff.name {
		case "__typename":
			graphql.MarshalString("Relationship").MarshalGQL(w)
		case "id":
			graphql.MarshalID(r.ID).MarshalGQL(w)
		case "type":
			graphql.MarshalString(string(r.Type)).MarshalGQL(w)
		case "since":
			model.MarshalPartialDate(r.Since).MarshalGQL(w)
		case "until":
			model.MarshalPartialDate(r.Until).MarshalGQL(w)
		case "role":
			optional(w, r.Role)
		case "qualifier":
			optional(w, r.Qualifier)
		case "evidence":
			optional(w, r.Evidence)
		case "note":
			optional(w, r.Note)
		case "from":
			writeEntity(w, ff, byID[r.From])
		case "to":
			writeEntity(w, ff, byID[r.To])
		}
	}
	io.WriteString(w, "}")
}

// optional writes a nullable string: null when empty, as model.Optional.
func optional(w io.Writer, s string) {
	if s == "" {
		graphql.Null.MarshalGQL(w)
		return
	}
	graphql.MarshalString(s).MarshalGQL(w)
}
