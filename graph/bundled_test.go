package graph_test

import (
	"context"
	"testing"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/store/memory"
)

// bundledMemory returns an embedded store holding the bundled dataset.
func bundledMemory(tb testing.TB) *memory.Store {
	tb.Helper()
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		tb.Fatalf("reading the bundled dataset: %v", err)
	}
	s := memory.New()
	if _, err := s.Load(context.Background(), ds); err != nil {
		tb.Fatalf("loading the embedded store: %v", err)
	}
	return s
}
