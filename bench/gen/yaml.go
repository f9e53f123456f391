package gen

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// relationshipsPerFile bounds the size of each relationships-NNNN.yaml.
const relationshipsPerFile = 100_000

// WriteDir writes d into dir in the dataset format of data/FORMAT.md:
// sources.yaml, entities.yaml and relationships-NNNN.yaml, so that
// `allegiance serve --data DIR` and `allegiance load --data DIR` read it.
func WriteDir(dir string, d *network.Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "sources.yaml"), func(w io.Writer) {
		fmt.Fprintln(w, "# Synthetic benchmark data (bench/gen): not real sources.")
		fmt.Fprintln(w, "sources:")
		for _, s := range d.Sources {
			fmt.Fprintf(w, "  - id: %s\n    title: %s\n    publisher: %s\n    published: %s\n    url: %s\n",
				q(s.ID), q(s.Title), q(s.Publisher), q(s.Published.String()), q(s.URL))
		}
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "entities.yaml"), func(w io.Writer) {
		fmt.Fprintln(w, "# Synthetic benchmark data (bench/gen): not real people or groups.")
		fmt.Fprintln(w, "entities:")
		for i := range d.Entities {
			writeEntity(w, &d.Entities[i])
		}
	}); err != nil {
		return err
	}
	for lo := 0; lo < len(d.Relationships); lo += relationshipsPerFile {
		hi := min(lo+relationshipsPerFile, len(d.Relationships))
		name := filepath.Join(dir, fmt.Sprintf("relationships-%04d.yaml", lo/relationshipsPerFile))
		if err := writeFile(name, func(w io.Writer) {
			fmt.Fprintln(w, "# Synthetic benchmark data (bench/gen).")
			fmt.Fprintln(w, "relationships:")
			for i := lo; i < hi; i++ {
				writeRelationship(w, &d.Relationships[i])
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, fill func(io.Writer)) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// q quotes a string as a YAML double-quoted scalar (the generator's text
// is ASCII, where Go's and YAML's escapes agree).
func q(s string) string { return strconv.Quote(s) }

func list(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = q(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func optDate(w io.Writer, key string, d network.PartialDate) {
	if !d.IsZero() {
		fmt.Fprintf(w, "    %s: %s\n", key, q(d.String()))
	}
}

func writeEntity(w io.Writer, e *network.Entity) {
	fmt.Fprintf(w, "  - id: %s\n    kind: %s\n    name: %s\n    aliases: %s\n    sources: %s\n",
		q(e.ID), strings.ToLower(string(e.Kind)), q(e.Name), list(e.Aliases), list(e.SourceIDs))
	if e.Kind == network.Person {
		optDate(w, "born", e.Born)
		optDate(w, "died", e.Died)
		return
	}
	optDate(w, "founded", e.Founded)
	optDate(w, "dissolved", e.Dissolved)
	fmt.Fprintf(w, "    types: %s\n    areas: %s\n", list(e.Types), list(e.Areas))
}

func writeRelationship(w io.Writer, r *network.Relationship) {
	fmt.Fprintf(w, "  - id: %s\n    type: %s\n    from: %s\n    to: %s\n    sources: %s\n",
		q(r.ID), r.Type, q(r.From), q(r.To), list(r.SourceIDs))
	if r.Role != "" {
		fmt.Fprintf(w, "    role: %s\n", q(r.Role))
	}
	if r.Qualifier != "" {
		fmt.Fprintf(w, "    qualifier: %s\n", q(r.Qualifier))
	}
	optDate(w, "since", r.Since)
	optDate(w, "until", r.Until)
}
