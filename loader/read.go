// Package loader reads dataset files (YAML, see data/FORMAT.md), validates
// them completely before anything is written, and writes the result to a
// store. Every problem names its file, line and field, and all problems are
// reported in one run.
package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/network"
)

// located remembers where a record and each of its fields were read.
type located struct {
	file   string
	line   int
	fields map[string]int
}

func (l located) at(field string) (string, int) {
	if n, ok := l.fields[field]; ok {
		return l.file, n
	}
	return l.file, l.line
}

// reader accumulates the dataset and the problems of one run.
type reader struct {
	ds       network.Dataset
	problems []Problem
	// where each record (by kind and index) was read.
	sourceAt, entityAt, relAt []located
	designationAt             []located // in the order designations were read
}

func (r *reader) problem(file string, line int, field, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// ReadFiles reads the dataset at paths from the operating system; a
// directory stands for every *.yaml file in it, sorted by name.
func ReadFiles(paths ...string) (*network.Dataset, error) {
	var files []string
	r := &reader{}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			r.problem(p, 0, "", "cannot read: %v", unwrapPathError(err))
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(p, "*.yaml"))
		if len(matches) == 0 {
			r.problem(p, 0, "", "directory has no *.yaml files")
		}
		sort.Strings(matches)
		files = append(files, matches...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			r.problem(f, 0, "", "cannot read: %v", unwrapPathError(err))
			continue
		}
		r.parse(f, b)
	}
	return r.finish()
}

// ReadFS reads every *.yaml file at the top of fsys, sorted by name, naming
// them prefix/NAME in problems.
func ReadFS(fsys fs.FS, prefix string) (*network.Dataset, error) {
	r := &reader{}
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil || len(names) == 0 {
		r.problem(prefix, 0, "", "no *.yaml files")
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			r.problem(path.Join(prefix, n), 0, "", "cannot read: %v", err)
			continue
		}
		r.parse(path.Join(prefix, n), b)
	}
	return r.finish()
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func (r *reader) finish() (*network.Dataset, error) {
	r.validate()
	if len(r.problems) > 0 {
		sort.SliceStable(r.problems, func(i, j int) bool {
			a, b := r.problems[i], r.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, &ValidationError{Problems: r.problems}
	}
	return &r.ds, nil
}

// parse reads every YAML document of one file.
func (r *reader) parse(file string, b []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for docs := 0; ; docs++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			if docs == 0 {
				r.problem(file, 0, "", "file is empty")
			}
			return
		}
		if err != nil {
			line := 0
			msg := err.Error()
			// yaml.v3 reports "yaml: line N: ..."
			if _, e := fmt.Sscanf(msg, "yaml: line %d:", &line); e == nil {
				msg = strings.TrimSpace(msg[strings.Index(msg[6:], ":")+7:])
			}
			r.problem(file, line, "", "not valid YAML: %s", msg)
			return
		}
		r.document(file, &doc)
	}
}

// document reads one document's top-level mapping.
func (r *reader) document(file string, doc *yaml.Node) {
	if len(doc.Content) == 0 {
		return
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		r.problem(file, top.Line, "", "want a mapping with keys sources, entities, relationships")
		return
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		var each func(file string, n *yaml.Node)
		switch key.Value {
		case "sources":
			each = r.source
		case "entities":
			each = r.entity
		case "relationships":
			each = r.relationship
		default:
			r.problem(file, key.Line, key.Value, "unknown top-level key (want sources, entities or relationships)")
			continue
		}
		r.eachMapping(file, key.Value, val, func(item *yaml.Node) { each(file, item) })
	}
}
