package csvimport_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/store/memory"
)

// TestRoundTripCurated exports the bundled dataset with export.WriteCSV,
// reads it back, loads both into memory stores and compares them.
func TestRoundTripCurated(t *testing.T) {
	ctx := context.Background()
	orig, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		t.Fatalf("reading the bundled dataset: %v", err)
	}
	var nodes, rels bytes.Buffer
	if err := export.WriteCSV(&nodes, &rels, orig); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	dir := t.TempDir()
	back := read(t, writeTemp(t, dir, "nodes.csv", nodes.String()), writeTemp(t, dir, "relationships.csv", rels.String()))

	want, err := memory.New().Load(ctx, orig)
	if err != nil {
		t.Fatalf("loading the original: %v", err)
	}
	backStore := memory.New()
	got, err := backStore.Load(ctx, back)
	if err != nil {
		t.Fatalf("loading what was read back: %v", err)
	}
	if got != want {
		t.Errorf("counts: got %+v, want %+v", got, want)
	}
	if want.Designations == 0 || want.Sources == 0 {
		t.Errorf("the bundled dataset has %+v: want designations and sources to compare", want)
	}

	relSet := func(s *memory.Store) []string {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range snap.Relationships {
			out = append(out, fmt.Sprintf("%s %s %s %s %s %s %q %q", r.ID, r.Type, r.From, r.To, r.Since, r.Until, r.Role, r.Qualifier))
		}
		sort.Strings(out)
		return out
	}
	origStore := memory.New()
	if _, err := origStore.Load(ctx, orig); err != nil {
		t.Fatal(err)
	}
	if g, w := relSet(backStore), relSet(origStore); !reflect.DeepEqual(g, w) {
		t.Errorf("relationships differ:\ngot  %q\nwant %q", g, w)
	}

	// Everything the CSV carries comes back: the whole dataset is equal.
	orig.Sort()
	if !reflect.DeepEqual(back, orig) {
		for i := range min(len(back.Entities), len(orig.Entities)) {
			if !reflect.DeepEqual(back.Entities[i], orig.Entities[i]) {
				t.Errorf("entity %d:\ngot  %+v\nwant %+v", i, back.Entities[i], orig.Entities[i])
			}
		}
		t.Errorf("the dataset read back differs from the bundled one")
	}
}

// TestRoundTripFixture exports the hand-made fixture and reads it back.
func TestRoundTripFixture(t *testing.T) {
	orig := read(t, "testdata/nodes.csv", "testdata/relationships.csv")
	var nodes, rels bytes.Buffer
	if err := export.WriteCSV(&nodes, &rels, orig); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	dir := t.TempDir()
	back := read(t, writeTemp(t, dir, "n.csv", nodes.String()), writeTemp(t, dir, "r.csv", rels.String()))
	if !reflect.DeepEqual(back, orig) {
		t.Errorf("read back:\ngot  %+v\nwant %+v", back, orig)
	}
}
