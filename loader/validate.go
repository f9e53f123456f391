package loader

import "github.com/allegiance/allegiance/network"

// validate checks what spans records: unique ids, references, sources.
func (r *reader) validate() {
	// Ids share one namespace so that COVERAGE.md and error messages can
	// name any fact unambiguously.
	type place struct {
		what string
		loc  located
	}
	seen := map[string]place{}
	claim := func(id, what string, loc located) {
		if id == "" {
			return
		}
		if p, dup := seen[id]; dup {
			file, line := loc.at("id")
			pf, pl := p.loc.at("id")
			r.problem(file, line, "id", "duplicate id %q (already used by a %s at %s:%d)", id, p.what, pf, pl)
			return
		}
		seen[id] = place{what, loc}
	}
	sources := map[string]bool{}
	urls := map[string]located{}
	for i, s := range r.ds.Sources {
		loc := r.sourceAt[i]
		claim(s.ID, "source", loc)
		sources[s.ID] = true
		if s.URL == "" {
			continue
		}
		if prev, dup := urls[s.URL]; dup {
			file, line := loc.at("url")
			pf, pl := prev.at("url")
			r.problem(file, line, "url", "url already used by the source at %s:%d: sources are unique by url", pf, pl)
			continue
		}
		urls[s.URL] = loc
	}
	cites := func(loc located, ids []string) {
		for _, id := range ids {
			if !sources[id] {
				file, line := loc.at("sources")
				r.problem(file, line, "sources", "unknown source id %q", id)
			}
		}
	}
	kinds := map[string]network.EntityKind{}
	next := 0 // index into designationAt, read in the same order
	for i, e := range r.ds.Entities {
		loc := r.entityAt[i]
		claim(e.ID, "entity", loc)
		kinds[e.ID] = e.Kind
		cites(loc, e.SourceIDs)
		for _, d := range e.Designations {
			dloc := r.designationAt[next]
			next++
			claim(d.ID, "designation", dloc)
			cites(dloc, d.SourceIDs)
		}
	}
	for i, rel := range r.ds.Relationships {
		loc := r.relAt[i]
		claim(rel.ID, "relationship", loc)
		cites(loc, rel.SourceIDs)
		wantFrom, wantTo, fixed := rel.Type.EndpointKinds()
		want := [2]network.EntityKind{wantFrom, wantTo}
		for j, end := range []struct{ field, id string }{{"from", rel.From}, {"to", rel.To}} {
			if end.id == "" {
				continue
			}
			k, ok := kinds[end.id]
			file, line := loc.at(end.field)
			switch {
			case !ok:
				r.problem(file, line, end.field, "unknown entity id %q", end.id)
			case fixed && k != "" && k != want[j]:
				r.problem(file, line, end.field, "%s needs a %s here, but %q is a %s",
					rel.Type, lower(want[j]), end.id, lower(k))
			}
		}
	}
}

func lower(k network.EntityKind) string {
	if k == network.Person {
		return "person"
	}
	return "organization"
}
