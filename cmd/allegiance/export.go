package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/resolve"
	"github.com/allegiance/allegiance/store/memory"
)

// exportCommand holds the export command's flags.
type exportCommand struct {
	Root  string
	Depth int
	AsOf  network.PartialDate
	// Data are native dataset paths to export instead of the bundled
	// dataset when no Neo4j is configured.
	Data []string
}

func (m *Main) parseExport(fs *flag.FlagSet, args []string) error {
	fs.StringVar(&m.Format, "format", "", "export format: "+strings.Join(export.Formats, ", "))
	fs.StringVar(&m.Export.Root, "root", "", "export the neighbourhood of this entity id instead of the whole network")
	fs.IntVar(&m.Export.Depth, "depth", 1, "hops from --root")
	asOf := fs.String("as-of", "", "only what held on this date, e.g. 2012 or 2017-03")
	fs.StringVar(&m.Out, "out", "", "file to write (default: standard output; for csv, a directory for nodes.csv and relationships.csv)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m.Export.Data = fs.Args()
	if !slices.Contains(export.Formats, m.Format) {
		return fmt.Errorf("export: --format must be one of %s", strings.Join(export.Formats, ", "))
	}
	if m.Format == "csv" && m.Out == "" {
		return errors.New("export: --format csv writes two files: give --out DIR")
	}
	if *asOf != "" {
		d, err := network.ParsePartialDate(*asOf)
		if err != nil {
			return fmt.Errorf("export: --as-of: %w", err)
		}
		m.Export.AsOf = d
	}
	return nil
}

// exportStore is the store export reads: Neo4j when configured, else the
// embedded store loaded with the bundled dataset (or the native files
// given), resolved as serve resolves it.
func (m *Main) exportStore(ctx context.Context) (network.Store, error) {
	if m.Neo4j.URI != "" {
		if err := m.openNeo4j(ctx); err != nil {
			return nil, err
		}
		return m.neo4j, nil
	}
	m.DataPaths, m.Format = m.Export.Data, formatNative
	return m.embedded(ctx)
}

// embedded loads what m.imports names into a new embedded store.
func (m *Main) embedded(ctx context.Context) (*memory.Store, error) {
	ims, err := m.imports()
	if err != nil {
		return nil, err
	}
	mem := memory.New()
	for _, im := range ims {
		if _, err := m.importInto(ctx, mem, im); err != nil {
			return nil, err
		}
	}
	return mem, nil
}

func (m *Main) runExport(ctx context.Context) error {
	format := m.Format
	s, err := m.exportStore(ctx)
	if err != nil {
		return err
	}
	d, err := export.Subgraph(ctx, s, m.Export.Root, m.Export.Depth, m.Export.AsOf)
	if err != nil {
		return err
	}
	if format == "csv" {
		return writeCSVDir(m.Out, d)
	}
	var w io.Writer = m.Stdout
	if m.Out != "" {
		f, err := os.Create(m.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := export.Write(w, format, d); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && m.Out != "" {
		return f.Close()
	}
	return nil
}

func writeCSVDir(dir string, d *network.Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	nodes, err := os.Create(filepath.Join(dir, "nodes.csv"))
	if err != nil {
		return err
	}
	defer nodes.Close()
	rels, err := os.Create(filepath.Join(dir, "relationships.csv"))
	if err != nil {
		return err
	}
	defer rels.Close()
	if err := export.WriteCSV(nodes, rels, d); err != nil {
		return err
	}
	return errors.Join(nodes.Close(), rels.Close())
}

// runResolve proposes entity-resolution candidates: it loads what serve
// would serve (or reads Neo4j), then writes every undecided pair of
// same-kind records sharing an exact normalized name to the review file,
// keeping the decisions already written in it.
func (m *Main) runResolve(ctx context.Context) error {
	var s network.Store
	if m.Neo4j.URI != "" {
		if err := m.openNeo4j(ctx); err != nil {
			return err
		}
		if len(m.DataPaths) > 0 {
			im, err := readImport(m.Format, m.DataPaths)
			if err != nil {
				return err
			}
			if _, err := m.importInto(ctx, m.neo4j, im); err != nil {
				return err
			}
		}
		s = m.neo4j
	} else {
		mem, err := m.embedded(ctx)
		if err != nil {
			return err
		}
		s = mem
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	decided, err := m.decisions()
	if err != nil {
		return err
	}
	// The review file's own entries are kept as they are, whatever their
	// decision; only the other files' entries count as decided elsewhere.
	var kept []resolve.Decision
	if b, err := os.ReadFile(m.Out); err == nil {
		if kept, err = resolve.ParseDecisions(m.Out, b); err != nil {
			return err
		}
	}
	candidates := resolve.Candidates(snap, append(decided, kept...))
	out, err := resolve.WriteDecisions(append(kept, candidates...))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(m.Out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(m.Out, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "wrote %s: %d new candidate pair(s) to review, %d kept from before\n", m.Out, len(candidates), len(kept))
	return nil
}
