package unsc

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/allegiance/allegiance/loader"
)

// FuzzRead: Read never panics, and fails only with a *loader.ValidationError.
func FuzzRead(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	bad, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.xml"))
	for _, p := range append(seeds, bad...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<CONSOLIDATED_LIST dateGenerated="2024-01-01"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER><COMMENTS1>Founder and leader of the Katiba X of Y (QDi.001), merged with Z (QDe.002) and established W (QDe.003)</COMMENTS1></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Read("fuzz.xml", bytes.NewReader(data))
		if err != nil {
			var ve *loader.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || l != nil {
				t.Fatalf("Read: got %v (%T) and list %v, want a *loader.ValidationError with problems and no list", err, err, l)
			}
			return
		}
		// What parses reconciles, against nothing and against itself.
		d, _ := Reconcile(nil, l)
		Reconcile(d, l)
	})
}
