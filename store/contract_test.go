// Package store_test is the contract suite: the same table of cases runs
// against the embedded store (store=memory) and a real Neo4j
// (store=neo4j), both loaded with the bundled dataset.
package store_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

// bundled reads the bundled dataset.
func bundled(tb testing.TB) *network.Dataset {
	tb.Helper()
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		tb.Fatalf("reading the bundled dataset: %v", err)
	}
	return ds
}

// openNeo4j connects to the Neo4j that NEO4J_URI names. A missing Neo4j is
// a failure, never a skip: run the suite with tools/test.sh, which starts
// one.
func openNeo4j() (*neo4jstore.Store, error) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		return nil, errors.New("NEO4J_URI is not set: run the tests with tools/test.sh, which starts Neo4j")
	}
	return neo4jstore.Open(context.Background(), neo4jstore.Config{
		URI: uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"),
	}, nil)
}

var (
	neo4jOnce   sync.Once
	neo4jLoaded *neo4jstore.Store
	neo4jErr    error
)

// loadedNeo4j returns a Neo4j store emptied and loaded with the bundled
// dataset, shared by the read-only cases. Every caller fails the same way
// when Neo4j cannot be had.
func loadedNeo4j(tb testing.TB) *neo4jstore.Store {
	tb.Helper()
	neo4jOnce.Do(func() {
		ds, err := loader.ReadFS(data.FS, "data")
		if err != nil {
			neo4jErr = err
			return
		}
		s, err := openNeo4j()
		if err != nil {
			neo4jErr = err
			return
		}
		ctx := context.Background()
		if neo4jErr = s.Reset(ctx); neo4jErr == nil {
			_, neo4jErr = s.Load(ctx, ds)
		}
		neo4jLoaded = s
	})
	if neo4jErr != nil {
		tb.Fatalf("Neo4j: %v", neo4jErr)
	}
	return neo4jLoaded
}

func loadedMemory(tb testing.TB) *memory.Store {
	tb.Helper()
	s := memory.New()
	if _, err := s.Load(context.Background(), bundled(tb)); err != nil {
		tb.Fatalf("loading memory store: %v", err)
	}
	return s
}

type namedStore struct {
	name  string
	store network.Store
}

// both returns the two stores, each loaded with the bundled dataset.
func both(tb testing.TB) []namedStore {
	tb.Helper()
	return []namedStore{{"store=memory", loadedMemory(tb)}, {"store=neo4j", loadedNeo4j(tb)}}
}

// forEachStore runs f as a subtest for each store.
func forEachStore(t *testing.T, f func(t *testing.T, s network.Store)) {
	t.Helper()
	for _, ns := range both(t) {
		t.Run(ns.name, func(t *testing.T) { f(t, ns.store) })
	}
}

func date(s string) network.PartialDate { return network.MustParsePartialDate(s) }

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func entityIDs(es []*network.Entity) []string {
	return ids(es, func(e *network.Entity) string {
		if e == nil {
			return "<nil>"
		}
		return e.ID
	})
}

func relIDs(rs []*network.Relationship) []string {
	return ids(rs, func(r *network.Relationship) string { return r.ID })
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

func wantCode(t *testing.T, call string, err error, code string) {
	t.Helper()
	var e *network.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: got error %v, want code %q", call, err, code)
	}
}
