package ftm_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/loader/ftm"
)

// FuzzRead checks that Read never panics, that its only error is a
// *loader.ValidationError, and that whatever it reads survives an export
// and a second read unchanged.
func FuzzRead(f *testing.F) {
	for _, path := range []string{richFile, "testdata/unsourced.jsonl"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","schema":"Person","caption":"C","properties":{"name":["A","C"],"birthDate":["2001-02-03T04:05:06Z"]}}`))
	f.Add([]byte(`{"id":"l","schema":"UnknownLink","properties":{"subject":["a"],"object":["b"],"role":["RIVAL_OF: x"]}}` + "\n" +
		`{"id":"a","schema":"Company","properties":{"name":["A"]}}` + "\n" + `{"id":"b","schema":"Organization","properties":{"name":["B"]}}`))
	f.Add([]byte("{\"id\":\"\xff\"}\n[]\nnull\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ftm.Read("fuzz.jsonl", bytes.NewReader(data))
		if err != nil {
			var ve *loader.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("got %T %v, want a *loader.ValidationError with problems", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := export.WriteFTM(&buf, d); err != nil {
			t.Fatalf("WriteFTM: %v", err)
		}
		again, err := ftm.Read("fuzz.jsonl", &buf)
		if err != nil {
			t.Fatalf("reading the export of %q back: %v", data, err)
		}
		assertSameDataset(t, again, d)
	})
}
