package loader_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// fuzzSeeds adds the good and bad loader fixtures and a few odd documents.
// The bundled dataset is left out: its 50 KB files stall the fuzzer, which
// spends its time minimizing them.
func fuzzSeeds(f *testing.F) {
	f.Helper()
	for _, pattern := range []string{"../testdata/*.yaml", "../testdata/bad/*.yaml", "../testdata/good/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatalf("Glob(%s): %v", pattern, err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatalf("ReadFile(%s): %v", file, err)
			}
			f.Add(b)
		}
	}
	// The good fixtures as one file of two documents: a dataset that loads.
	var whole []byte
	for _, file := range []string{"../testdata/good/01-sources-and-entities.yaml", "../testdata/good/02-relationships.yaml"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatalf("ReadFile(%s): %v", file, err)
		}
		whole = append(append(whole, "\n---\n"...), b...)
	}
	f.Add(whole)
	for _, s := range []string{
		"", "\x00", "\xff\xfe", "---\n---\n", "[]", "sources: 1", "entities: [1, [2], {a: b}]",
		"a: &x [*x]", "entities:\n  - &e {id: a}\n  - *e\n", "sources:\n\t- id: x\n",
		"relationships:\n  - {id: r, type: MEMBER_OF, from: a, to: a, sources: [s], since: \"2017-02-30\"}\n",
		"entities:\n  - {id: \"іyad\", kind: person, name: \"x\\0y\", sources: [s]}\n",
		"x: !!binary AAAA\n", "? [a]\n: b\n", "{a: {b: {c: {d: {e: [[[[[[]]]]]]}}}}}",
	} {
		f.Add([]byte(s))
	}
}

// FuzzReadYAML: ReadFiles never panics on any file; every error is a
// *loader.ValidationError with code EINVALID whose problems name the file;
// and a dataset it accepts loads into the embedded store.
func FuzzReadYAML(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		file := filepath.Join(t.TempDir(), "input.yaml")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		ds, err := loader.ReadFiles(file)
		if err == nil {
			if ds == nil {
				t.Fatalf("ReadFiles(%q): got no dataset and no error", b)
			}
			if _, err := memory.New().Load(context.Background(), ds); err != nil {
				t.Fatalf("ReadFiles(%q) accepted a dataset that memory.Load refuses: %v", b, err)
			}
			return
		}
		var verr *loader.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("ReadFiles(%q): got error of type %T, want *loader.ValidationError", b, err)
		}
		if code := network.ErrorCode(err); code != network.EINVALID {
			t.Fatalf("ReadFiles(%q): got code %q, want %q", b, code, network.EINVALID)
		}
		if len(verr.Problems) == 0 {
			t.Fatalf("ReadFiles(%q): got a ValidationError with no problems, want at least one", b)
		}
		for _, p := range verr.Problems {
			if p.File != file {
				t.Fatalf("ReadFiles(%q): got a problem in file %q (%v), want every problem in %q", b, p.File, p, file)
			}
			if p.Line < 0 {
				t.Fatalf("ReadFiles(%q): got problem %v with line %d, want a line >= 0", b, p, p.Line)
			}
		}
	})
}
