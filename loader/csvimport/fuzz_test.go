package csvimport

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/loader"
)

// FuzzRead checks that reading a nodes and a relationships file never
// panics, that its only error is a *loader.ValidationError, and that what
// it reads survives export.WriteCSV and a second read unchanged.
func FuzzRead(f *testing.F) {
	seed := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add(seed("testdata/nodes.csv"), seed("testdata/relationships.csv"))
	f.Add(seed("testdata/bad-nodes.csv"), seed("testdata/bad-rels.csv"))
	f.Add([]byte("id:ID,:LABEL,name,sources:string[]\np,Person,\"a\nb\",https://x.org/\\;\n"), []byte(":START_ID,:END_ID,:TYPE,sources:string[]\np,p,RIVAL_OF,https://x.org/\n"))
	f.Fuzz(func(t *testing.T, nodes, rels []byte) {
		d, err := newReader().read([]input{{"nodes.csv", nodes}, {"rels.csv", rels}})
		if err != nil {
			var ve *loader.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("got %T %v, want a *loader.ValidationError with problems", err, err)
			}
			return
		}
		var n, r bytes.Buffer
		if err := export.WriteCSV(&n, &r, d); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		again, err := newReader().read([]input{{"nodes.csv", n.Bytes()}, {"rels.csv", r.Bytes()}})
		if err != nil {
			t.Fatalf("reading the export back: %v\n%s\n%s", err, n.String(), r.String())
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatalf("read back:\ngot  %+v\nwant %+v", again, d)
		}
	})
}
