package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// A list of relationships is answered field by field, each item in its own
// goroutine, and a loader batches only the keys that arrive within its
// wait. So that the ends and sources of a whole list take one store call
// each whatever the scheduling, a resolver returning relationships loads
// them up front, in one LoadAll per kind, when, and only when, the query
// selects them.

// selected reports which of the relationship fields "from", "to" and
// "sources" the current field selects, following path (e.g. "edges") from
// the current field's selection set to the relationships.
func selected(ctx context.Context, path ...string) (ends, sources bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return false, false
	}
	op := graphql.GetOperationContext(ctx)
	sel := fc.Field.Selections
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(op, sel, nil) {
			if f.Name == name {
				next = append(next, f.Selections...)
			}
		}
		sel = next
	}
	for _, f := range graphql.CollectFields(op, sel, nil) {
		switch f.Name {
		case "from", "to":
			ends = true
		case "sources":
			sources = true
		}
	}
	return ends, sources
}

// prefetch loads, in one call each, the ends and the sources of rels that
// the query selects under path.
func (r *Resolver) prefetch(ctx context.Context, rels []*network.Relationship, path ...string) error {
	ends, sources := selected(ctx, path...)
	return r.loadEnds(ctx, rels, ends, sources)
}

// loadEnds loads the ends (if ends) and the sources (if sources) of rels,
// one LoadAll each.
func (r *Resolver) loadEnds(ctx context.Context, rels []*network.Relationship, ends, sources bool) error {
	if !ends && !sources {
		return nil
	}
	var ids, srcs []string
	seen := map[string]bool{}
	for _, rel := range rels {
		if ends {
			for _, id := range []string{rel.From, rel.To} {
				if !seen["e:"+id] {
					seen["e:"+id] = true
					ids = append(ids, id)
				}
			}
		}
		if sources {
			for _, id := range rel.SourceIDs {
				if !seen["s:"+id] {
					seen["s:"+id] = true
					srcs = append(srcs, id)
				}
			}
		}
	}
	l := r.loaders(ctx)
	if len(ids) > 0 {
		if err := l.fetchEntities(ctx, ids); err != nil {
			return err
		}
	}
	if len(srcs) > 0 {
		if err := l.fetchSources(ctx, srcs); err != nil {
			return err
		}
	}
	return nil
}

// prefetchRelationships loads, in one call per distinct set of arguments,
// the relationships that the query selects on the entities ids under path
// (e.g. "nodes"), and then their ends and sources if those are selected
// too, so that a subgraph's nodes' relationships cost one store call
// however the item goroutines are scheduled.
func (r *Resolver) prefetchRelationships(ctx context.Context, ids []string, path ...string) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) || len(ids) == 0 {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	sel := fc.Field.Selections
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(op, sel, nil) {
			if f.Name == name {
				next = append(next, f.Selections...)
			}
		}
		sel = next
	}
	l := r.loaders(ctx)
	for _, f := range graphql.CollectFields(op, sel, []string{"Entity", "Person", "Organization"}) {
		if f.Name != "relationships" {
			continue
		}
		types, dir, asOf, ok := relArgs(f.ArgumentMap(op.Variables))
		if !ok {
			continue // the resolver reports the bad argument
		}
		keys := make([]relKey, len(ids))
		for i, id := range ids {
			keys[i] = relationshipsKey(id, types, dir, asOf)
		}
		if err := l.fetchRelationships(ctx, keys); err != nil {
			return err
		}
		lists, err := l.Relationships.LoadAll(ctx, keys) // all primed: no wait
		if err != nil {
			return err
		}
		var rels []*network.Relationship
		for _, rs := range lists {
			rels = append(rels, rs...)
		}
		ends, sources := false, false
		for _, sub := range graphql.CollectFields(op, f.Selections, nil) {
			ends = ends || sub.Name == "from" || sub.Name == "to"
			sources = sources || sub.Name == "sources"
		}
		if err := r.loadEnds(ctx, rels, ends, sources); err != nil {
			return err
		}
	}
	return nil
}

// relArgs decodes the raw arguments of a relationships field as gqlgen
// decodes them for the resolver, with the same unmarshalers, so that the
// prefetch and the resolver build the same key with relationshipsKey; ok
// is false when one is malformed (the resolver then reports it).
func relArgs(args map[string]any) (types []network.RelType, dir *network.Direction, asOf *network.PartialDate, ok bool) {
	if v, present := args["types"].([]any); present {
		for _, t := range v {
			s, err := graphql.UnmarshalString(t)
			if err != nil || !network.RelType(s).Valid() {
				return nil, nil, nil, false
			}
			types = append(types, network.RelType(s))
		}
	}
	if v := args["direction"]; v != nil {
		s, err := graphql.UnmarshalString(v)
		if err != nil {
			return nil, nil, nil, false
		}
		d := network.Direction(s)
		dir = &d
	}
	if v := args["asOf"]; v != nil {
		d, err := model.UnmarshalPartialDate(v)
		if err != nil {
			return nil, nil, nil, false
		}
		asOf = &d
	}
	return types, dir, asOf, true
}

// prefetchSubgraph readies what a query selects on a subgraph or path:
// its nodes are primed as already read, its edges' ends and sources and
// its nodes' relationships are loaded in one call each.
func (r *Resolver) prefetchSubgraph(ctx context.Context, nodes []*network.Entity, edges []*network.Relationship) error {
	r.prime(ctx, nodes)
	if err := r.prefetch(ctx, edges, "edges"); err != nil {
		return err
	}
	ids := make([]string, 0, len(nodes))
	seen := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if !seen[n.ID] {
			seen[n.ID] = true
			ids = append(ids, n.ID)
		}
	}
	return r.prefetchRelationships(ctx, ids, "nodes")
}
