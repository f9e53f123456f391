package graph

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
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
//
// Where a resolver knows a whole level's keys up front (prefetch.go), it
// reads them with the fetch methods: one direct store call for the keys not
// yet read, whose results prime the loaders, so that the fields below find
// them cached. Only the loads no resolver foresaw wait for a batch.
type Loaders struct {
	Entities      *dataloadgen.Loader[string, *network.Entity]
	Sources       *dataloadgen.Loader[string, *network.Source]
	Relationships *dataloadgen.Loader[relKey, []*network.Relationship]

	store network.Store
	// mu protects the keys already fetched or primed, which the fetch
	// methods do not read again.
	mu            sync.Mutex
	entitiesRead  map[string]bool
	sourcesRead   map[string]bool
	relationsRead map[relKey]bool
}

// loaderWait is how long a loader gathers keys before it asks the store.
// gqlgen starts the resolvers of a list's items in a burst of goroutines,
// so a short window still catches a whole level in one batch. On an idle
// runtime a sleep this short lasts about 1 ms (measured: 1.1 ms between a
// load and its store call), which is why the foreseen levels use the fetch
// methods instead and never wait.
const loaderWait = 250 * time.Microsecond

// NewLoaders returns fresh loaders over s for one request.
func NewLoaders(s network.Store) *Loaders {
	wait := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		store:         s,
		entitiesRead:  map[string]bool{},
		sourcesRead:   map[string]bool{},
		relationsRead: map[relKey]bool{},
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

// unread returns the keys of keys not in read, once each, and marks them
// read. The caller holds l.mu.
func unread[K comparable](read map[K]bool, keys []K) []K {
	var out []K
	for _, k := range keys {
		if !read[k] {
			read[k] = true
			out = append(out, k)
		}
	}
	return out
}

// fetch reads, in one call of get, the keys of keys not read yet, and
// primes loader with what it returns (nil for an unknown key). A failed
// read unmarks its keys, so that a later load asks again.
func fetch[K comparable, V any](ctx context.Context, mu *sync.Mutex, read map[K]bool, loader *dataloadgen.Loader[K, V],
	keys []K, get func(context.Context, []K) ([]V, error)) error {
	mu.Lock()
	miss := unread(read, keys)
	mu.Unlock()
	if len(miss) == 0 {
		return nil
	}
	vs, err := get(ctx, miss)
	if err != nil {
		mu.Lock()
		for _, k := range miss {
			delete(read, k)
		}
		mu.Unlock()
		return err
	}
	for i, k := range miss {
		loader.Prime(k, vs[i])
	}
	return nil
}

// fetchEntities reads, in one store call, the entities of ids not read yet,
// and primes the loader with them.
func (l *Loaders) fetchEntities(ctx context.Context, ids []string) error {
	return fetch(ctx, &l.mu, l.entitiesRead, l.Entities, ids, l.store.Entities)
}

// fetchSources is fetchEntities for sources.
func (l *Loaders) fetchSources(ctx context.Context, ids []string) error {
	return fetch(ctx, &l.mu, l.sourcesRead, l.Sources, ids, l.store.Sources)
}

// fetchRelationships is fetchEntities for relationship lists: one store
// call per distinct filter among the keys not read yet.
func (l *Loaders) fetchRelationships(ctx context.Context, keys []relKey) error {
	return fetch(ctx, &l.mu, l.relationsRead, l.Relationships, keys, func(ctx context.Context, keys []relKey) ([][]*network.Relationship, error) {
		lists, errs := loadRelationships(ctx, l.store, keys)
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		return lists, nil
	})
}

// primeEntities records entities a traversal already returned as read.
func (l *Loaders) primeEntities(es []*network.Entity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range es {
		if e != nil {
			l.entitiesRead[e.ID] = true
			l.Entities.Prime(e.ID, e)
		}
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
