package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/loader/csvimport"
	"github.com/allegiance/allegiance/loader/ftm"
	"github.com/allegiance/allegiance/loader/unsc"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/resolve"
)

// Import formats of --format.
const (
	formatNative = "native"
	formatUNSC   = "unsc"
	formatFTM    = "ftm"
	formatCSV    = "csv"
)

var importFormats = []string{formatNative, formatUNSC, formatFTM, formatCSV}

// writableStore is a store a load writes to.
type writableStore interface {
	network.Store
	network.Writer
}

// imported is what the files of one load hold, read and validated before
// anything is written.
type imported struct {
	what string
	ds   *network.Dataset
	// list is set for the unsc format: a reload is reconciled against
	// what the store holds.
	list *unsc.List
}

// readImport reads paths in format. Everything is parsed and validated
// first, so a bad file writes nothing.
func readImport(format string, paths []string) (*imported, error) {
	what := strings.Join(paths, ", ")
	switch format {
	case formatNative, "":
		ds, err := loader.ReadFiles(paths...)
		return &imported{what: what, ds: ds}, err
	case formatUNSC:
		if len(paths) != 1 {
			return nil, network.Errorf(network.EINVALID, "--format unsc takes one list file (a newer list supersedes an older one), got %d", len(paths))
		}
		list, err := unsc.ReadFile(paths[0])
		if err != nil {
			return nil, err
		}
		return &imported{what: what, ds: list.Dataset, list: list}, nil
	case formatFTM:
		all := &network.Dataset{}
		for _, p := range paths {
			ds, err := ftm.ReadFile(p)
			if err != nil {
				return nil, err
			}
			all.Sources = append(all.Sources, ds.Sources...)
			all.Entities = append(all.Entities, ds.Entities...)
			all.Relationships = append(all.Relationships, ds.Relationships...)
		}
		return &imported{what: what, ds: dedupeSources(all)}, nil
	case formatCSV:
		ds, err := csvimport.Read(paths...)
		return &imported{what: what, ds: ds}, err
	}
	return nil, network.Errorf(network.EINVALID, "unknown --format %q (want one of %s)", format, strings.Join(importFormats, ", "))
}

// dedupeSources keeps the first of sources with the same id, so that files
// citing the same source can be loaded together.
func dedupeSources(d *network.Dataset) *network.Dataset {
	seen := map[string]bool{}
	out := d.Sources[:0]
	for _, s := range d.Sources {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	d.Sources = out
	return d
}

// decisions reads the entity-resolution decisions: from --resolution when
// given, else the bundled ones.
func (m *Main) decisions() ([]resolve.Decision, error) {
	if m.ResolutionDir != "" {
		return resolve.ReadDecisions(os.DirFS(m.ResolutionDir), ".")
	}
	sub, err := fs.Sub(data.Resolution, "resolution")
	if err != nil {
		return nil, err
	}
	return resolve.ReadDecisions(sub, ".")
}

// importReport says what one import did.
type importReport struct {
	written  network.Counts
	after    network.Counts
	list     *unsc.Report
	resolved resolve.Report
	warnings []string
}

// importInto writes im into s in one Load: a UN list is first reconciled
// against what s holds, then entity resolution folds records that are one
// entity. Either all of it is written or none of it.
func (m *Main) importInto(ctx context.Context, s writableStore, im *imported) (*importReport, error) {
	decided, err := m.decisions()
	if err != nil {
		return nil, err
	}
	prev, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	rep := &importReport{}
	incoming := im.ds
	if im.list != nil {
		var lr unsc.Report
		incoming, lr = unsc.Reconcile(prev, im.list)
		rep.list, rep.warnings = &lr, im.list.Warnings
	}
	out, rr := resolve.Apply(prev, incoming, decided)
	rep.resolved, rep.written = rr, out.Counts()
	if rep.after, err = s.Load(ctx, out); err != nil {
		return nil, err
	}
	return rep, nil
}

// describe writes a report of an import for the command line.
func (r *importReport) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wrote %s; the store now holds %s", formatCounts(r.written), formatCounts(r.after))
	if r.list != nil {
		fmt.Fprintf(&b, "\nlist: %d added, %d changed, %d removed (delisted), %d unchanged",
			len(r.list.Added), len(r.list.Changed), len(r.list.Removed), len(r.list.Unchanged))
		for _, kind := range []struct {
			name string
			refs []string
		}{{"added", r.list.Added}, {"changed", r.list.Changed}, {"removed", r.list.Removed}} {
			if len(kind.refs) > 0 && len(kind.refs) <= 50 {
				fmt.Fprintf(&b, "\n  %s: %s", kind.name, strings.Join(kind.refs, " "))
			}
		}
	}
	fmt.Fprintf(&b, "\nresolution: %d merges", len(r.resolved.Merges))
	for _, mg := range r.resolved.Merges {
		fmt.Fprintf(&b, "\n  %s <- %s (%s)", mg.Into, mg.From, mg.Reason)
	}
	for _, c := range r.resolved.Conflicts {
		fmt.Fprintf(&b, "\n  refused: %s", c)
	}
	for _, w := range r.warnings {
		fmt.Fprintf(&b, "\nwarning: %s", w)
	}
	return b.String()
}
