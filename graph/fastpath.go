package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// The fast path writes the traversal root fields (neighborhood, lineage,
// shortestPath, allegianceChains) in one piece rather than through
// gqlgen's field-by-field marshalling, when every field their query
// selects is a plain value of a subgraph, path, entity or relationship.
// gqlgen resolves and marshals each field of each list item in goroutines
// of its own: drawing a 500-node neighbourhood with its 2,000 edges spent
// 63% of the server's CPU there (bench/profiles).
//
// It is not a second executor. gqlgen decodes the arguments and calls the
// resolver as for any field, inside every field middleware; the resolver
// builds its store query with the one builder of queries.go. fastFields,
// a field middleware itself, only tells the resolver the compiled
// selection (so that it reads summary entities, network.SummaryDetail,
// which is all the selection writes), and turns the resolver's value into
// a graphql.Marshaler that writes the JSON gqlgen would write, byte for
// byte (fastpath_test.go compares them). gqlgen accepts a Marshaler from
// the middleware chain in place of the field's value and writes it into
// the response itself, so errors, complexity and the response buffer are
// gqlgen's as for every other field. Any other selection goes the
// ordinary way.

// fastAnswers counts the root fields the fast path answered.
var fastAnswers atomic.Int64

// FastPathAnswers returns how many root fields the fast path has answered
// in this process, so that tests can tell it applied.
func FastPathAnswers() int64 { return fastAnswers.Load() }

// fastRootTypes are the root fields the fast path writes, with the type
// of their value.
var fastRootTypes = map[string]string{
	"neighborhood": "Subgraph", "lineage": "Subgraph",
	"shortestPath": "Path", "allegianceChains": "Path",
}

// shapeKey carries the compiled selection of the current root field to its
// resolver.
type shapeKey struct{}

// shapeFrom returns the compiled selection fastFields gave the current
// root field, or nil when the ordinary way writes it.
func shapeFrom(ctx context.Context) *fastShape {
	s, _ := ctx.Value(shapeKey{}).(*fastShape)
	return s
}

// fastFields is the field middleware of the fast path (see above).
func fastFields(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Query" || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	typ := fastRootTypes[fc.Field.Name]
	if typ == "" {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	shape := compileShape(oc, fc.Field.Selections, typ)
	if shape == nil {
		return next(ctx)
	}
	res, err := next(context.WithValue(ctx, shapeKey{}, shape))
	if err != nil {
		return res, err
	}
	m, err := shape.answer(res)
	if err != nil || m == nil {
		return res, err
	}
	fastAnswers.Add(1)
	return m, nil
}

// answer returns the writer of a traversal root field's value, or nil
// when gqlgen is to write it.
func (s *fastShape) answer(res any) (graphql.Marshaler, error) {
	var m graphql.Marshaler
	switch v := res.(type) {
	case *model.Subgraph:
		if v == nil {
			return nil, nil
		}
		if v.Summary != nil {
			m = s.summary(v.Summary)
		} else {
			m = s.subgraph(v)
		}
	case *model.Path:
		if v == nil {
			return graphql.Null, nil // no path
		}
		m = s.path(v)
	case []*model.Path:
		m = s.paths(v)
	default:
		return nil, nil
	}
	if m == nil {
		// An edge's end is not among the answer's nodes: the store broke
		// its contract.
		return nil, network.Errorf(network.EINTERNAL, "internal error")
	}
	return m, nil
}

// The traversal resolvers ask the store through these. With a compiled
// selection they read summary entities and prefetch nothing: the fast
// path writes no field beyond them, and nothing is primed into the
// loaders, which other root fields of the request share and which must
// hold whole entities.

// neighborhood answers Query.neighborhood.
func (r *Resolver) neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*model.Subgraph, error) {
	shape := shapeFrom(ctx)
	if shape != nil {
		q.Detail = network.SummaryDetail
		if shape.summarizable() {
			g, err := network.NeighborhoodSummary(ctx, r.Store, q)
			if err != nil {
				return nil, err
			}
			return &model.Subgraph{Summary: g}, nil
		}
	}
	g, err := r.Store.Neighborhood(ctx, q)
	if err != nil {
		return nil, err
	}
	if shape == nil {
		if err := r.prefetchSubgraph(ctx, g.Nodes, g.Edges); err != nil {
			return nil, err
		}
	}
	return model.NewSubgraph(g), nil
}

// lineage answers Query.lineage.
func (r *Resolver) lineage(ctx context.Context, q network.LineageQuery) (*model.Subgraph, error) {
	shape := shapeFrom(ctx)
	if shape != nil {
		q.Detail = network.SummaryDetail
	}
	g, err := r.Store.Lineage(ctx, q)
	if err != nil {
		return nil, err
	}
	if shape == nil {
		if err := r.prefetchSubgraph(ctx, g.Nodes, g.Edges); err != nil {
			return nil, err
		}
	}
	return model.NewSubgraph(g), nil
}

// shortestPath answers Query.shortestPath.
func (r *Resolver) shortestPath(ctx context.Context, q network.PathQuery) (*model.Path, error) {
	shape := shapeFrom(ctx)
	if shape != nil {
		q.Detail = network.SummaryDetail
	}
	p, err := r.Store.ShortestPath(ctx, q)
	if err != nil || p == nil {
		return nil, err
	}
	if shape == nil {
		if err := r.prefetchSubgraph(ctx, p.Nodes, p.Edges); err != nil {
			return nil, err
		}
	}
	return model.NewPath(p), nil
}

// allegianceChains answers Query.allegianceChains.
func (r *Resolver) allegianceChains(ctx context.Context, q network.ChainQuery) ([]*model.Path, error) {
	shape := shapeFrom(ctx)
	if shape != nil {
		q.Detail = network.SummaryDetail
	}
	paths, err := r.Store.AllegianceChains(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Path, len(paths))
	var nodes []*network.Entity
	var edges []*network.Relationship
	for i, p := range paths {
		nodes = append(nodes, p.Nodes...)
		edges = append(edges, p.Edges...)
		out[i] = model.NewPath(p)
	}
	if shape == nil {
		if err := r.prefetchSubgraph(ctx, nodes, edges); err != nil {
			return nil, err
		}
	}
	return out, nil
}
