package graph

// The loads the field resolvers share: entities, sources and relationships
// through the request's dataloaders.

import (
	"context"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// entity loads one entity through the request's dataloader. A missing
// entity is null for Query.entity, and an internal error where the store
// itself refers to it (a relationship endpoint).
func (r *Resolver) entity(ctx context.Context, id string, mustExist bool) (model.Entity, error) {
	e, err := r.loaders(ctx).Entities.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if e == nil && mustExist {
		return nil, network.Errorf(network.EINTERNAL, "internal error")
	}
	return model.NewEntity(e), nil
}

// fetchEntity reads a root field's entity without waiting for a batch, and
// the relationships (with their ends and sources) the query selects on it.
func (r *Resolver) fetchEntity(ctx context.Context, id string) error {
	if err := r.loaders(ctx).fetchEntities(ctx, []string{id}); err != nil {
		return err
	}
	return r.prefetchRelationships(ctx, []string{id})
}

// sources loads sources through the request's dataloader, skipping unknown
// ids.
func (r *Resolver) sources(ctx context.Context, ids []string) ([]*network.Source, error) {
	srcs, err := r.loaders(ctx).Sources.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*network.Source, 0, len(srcs))
	for _, s := range srcs {
		if s != nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// relationships loads one entity's relationships through the request's
// dataloader.
func (r *Resolver) relationships(ctx context.Context, id string, types []network.RelType, dir *network.Direction, asOf *network.PartialDate) ([]*network.Relationship, error) {
	for _, t := range types {
		if !t.Valid() {
			return nil, network.Errorf(network.EINVALID, "unknown relationship type %q", t)
		}
	}
	rels, err := r.loaders(ctx).Relationships.Load(ctx, relationshipsKey(id, types, dir, asOf))
	if err != nil {
		return nil, err
	}
	return rels, r.prefetch(ctx, rels)
}

// prime puts entities a resolver already holds into the request's entity
// loader, so that the from and to of the edges it returns need no second
// store round trip.
func (r *Resolver) prime(ctx context.Context, es []*network.Entity) {
	r.loaders(ctx).primeEntities(es)
}
