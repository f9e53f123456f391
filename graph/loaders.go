package graph

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/allegiance/allegiance/network"
)

// relKey asks for one entity's relationships under one filter. It is
// comparable so that the dataloader can batch and cache it.
type relKey struct {
	id        string
	types     string // sorted, comma-joined
	direction network.Direction
	asOf      string
}

func (k relKey) filter() network.RelFilter {
	f := network.RelFilter{Direction: k.direction}
	if k.types != "" {
		for _, t := range strings.Split(k.types, ",") {
			f.Types = append(f.Types, network.RelType(t))
		}
	}
	if k.asOf != "" {
		f.AsOf, _ = network.ParsePartialDate(k.asOf)
	}
	return f
}

func newRelKey(id string, types []network.RelType, dir network.Direction, asOf network.PartialDate) relKey {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	slices.Sort(names)
	return relKey{id: id, types: strings.Join(slices.Compact(names), ","), direction: dir, asOf: asOf.String()}
}

// Loaders batch and cache the store reads of one request, so that a query
// touching many entities makes one store call per level, not one per field.
type Loaders struct {
	Entities      *dataloadgen.Loader[string, *network.Entity]
	Sources       *dataloadgen.Loader[string, *network.Source]
	Relationships *dataloadgen.Loader[relKey, []*network.Relationship]
}

// loaderWait is how long a loader gathers keys before it asks the store.
// gqlgen starts the resolvers of a list's items in a burst of goroutines,
// so a short window still catches a whole level in one batch; every stage
// of a nested query pays it once.
const loaderWait = 250 * time.Microsecond

// NewLoaders returns fresh loaders over s for one request.
func NewLoaders(s network.Store) *Loaders {
	wait := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		Entities: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*network.Entity, []error) {
			es, err := s.Entities(ctx, ids)
			return es, batchErr(err)
		}, wait),
		Sources: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*network.Source, []error) {
			ss, err := s.Sources(ctx, ids)
			return ss, batchErr(err)
		}, wait),
		Relationships: dataloadgen.NewLoader(func(ctx context.Context, keys []relKey) ([][]*network.Relationship, []error) {
			return loadRelationships(ctx, s, keys)
		}, wait),
	}
}

// loadRelationships groups keys by filter and asks the store once per
// group.
func loadRelationships(ctx context.Context, s network.Store, keys []relKey) ([][]*network.Relationship, []error) {
	out := make([][]*network.Relationship, len(keys))
	errs := make([]error, len(keys))
	groups := map[relKey][]int{}
	for i, k := range keys {
		g := k
		g.id = ""
		groups[g] = append(groups[g], i)
	}
	for g, idx := range groups {
		ids := make([]string, len(idx))
		for j, i := range idx {
			ids[j] = keys[i].id
		}
		rels, err := s.RelationshipsOf(ctx, ids, g.filter())
		for j, i := range idx {
			if err != nil {
				errs[i] = err
			} else {
				out[i] = rels[j]
			}
		}
	}
	return out, errs
}

// batchErr gives a failed batch's error to every key of it. dataloadgen
// hands a lone error to every caller; n errors without n values would make
// it report a bug in the fetch function instead.
func batchErr(err error) []error {
	if err == nil {
		return nil
	}
	return []error{err}
}

type loadersKey struct{}

// WithLoaders is HTTP middleware that gives each request its own loaders.
func WithLoaders(s network.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders, or fresh ones when the middleware
// was not installed (as in direct executor tests).
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.Store)
}
