// Package resolve makes one entity of the records that describe the same
// real person or organization, so that a network loaded from several
// sources (the curated dataset, the UN list, FollowTheMoney files) has one
// node per entity.
//
// Resolution runs in a fixed order:
//
//  1. Shared identifiers: records that share a UN reference number
//     (unsc-ref), a FollowTheMoney id (ftm) or a Wikidata QID (wikidata)
//     are the same entity, without review.
//  2. Exact normalized names: records of the same kind whose name or alias
//     is identical after normalization, and whose birth dates do not
//     contradict each other, are proposed as candidates (Candidates). A
//     person reviews them; nothing is merged on a name.
//  3. Reviewed decisions (data/resolution/*.yaml) are applied on every
//     load: an accepted pair folds Merge into Keep.
//
// Weak aliases, previous names and fuzzy matches are never grounds for a
// merge or even a candidate: "f.k.a. GSPC" on AQIM must not make the GSPC
// and AQIM one entity.
package resolve

import (
	"sort"

	"github.com/allegiance/allegiance/network"
)

// StrongSchemes are the identifier schemes whose equality is proof enough
// that two records are one entity.
var StrongSchemes = map[string]bool{"unsc-ref": true, "ftm": true, "wikidata": true}

// Merge is one record folded into another.
type Merge struct {
	Into, From string
	// Reason is "decision" or the shared identifier, e.g. "unsc-ref QDi.316".
	Reason string
}

// Report says what Apply did.
type Report struct {
	Merges []Merge
	// Conflicts are merges refused because the two records are of
	// different kinds.
	Conflicts []string
	// DroppedSelfLoops are relationships that joined two records of one
	// entity.
	DroppedSelfLoops []string
}

// Apply returns the dataset to load on top of existing (a store's Snapshot)
// so that the store ends up resolved: incoming entities that are one entity
// with an existing or another incoming entity are folded into one record
// under the kept id; existing records folded away are put in
// DeleteEntities and their relationships are rewritten onto the kept id;
// relationship endpoints are rewritten the same way. The kept record keeps
// its name, description and dates; the others' names become aliases and
// every list (aliases, identifiers, designations, sources, ...) is the
// union. Applying the same input twice gives the same store.
func Apply(existing, incoming *network.Dataset, decisions []Decision) (*network.Dataset, Report) {
	r := newResolver(existing, incoming)
	var rep Report
	r.unionIdentifiers(&rep)
	for _, d := range decisions {
		if d.Decision == Accept {
			r.unionDecision(d, &rep)
		}
	}
	return r.output(&rep), rep
}

type record struct {
	e        *network.Entity
	existing bool
}

type resolver struct {
	existing, incoming *network.Dataset
	// records holds the incoming record when an id is in both.
	records  map[string]*record
	stored   map[string]*network.Entity
	parent   map[string]string
	keepIDs  map[string]bool // ids named as Keep by an accepted decision
	redirect map[string]string
}

func newResolver(existing, incoming *network.Dataset) *resolver {
	r := &resolver{
		existing: existing, incoming: incoming,
		records: map[string]*record{}, stored: map[string]*network.Entity{},
		parent: map[string]string{}, keepIDs: map[string]bool{}, redirect: map[string]string{},
	}
	for i := range existing.Entities {
		e := &existing.Entities[i]
		r.records[e.ID] = &record{e: e, existing: true}
		r.stored[e.ID] = e
	}
	for i := range incoming.Entities {
		e := &incoming.Entities[i]
		r.records[e.ID] = &record{e: e}
	}
	return r
}

func (r *resolver) find(id string) string {
	for r.parent[id] != "" && r.parent[id] != id {
		id = r.parent[id]
	}
	return id
}

// union joins the groups of a and b unless their kinds differ.
func (r *resolver) union(a, b, reason string, rep *Report) {
	ra, rb := r.find(a), r.find(b)
	if ra == rb {
		return
	}
	ka, kb := r.records[a].e.Kind, r.records[b].e.Kind
	if ka != kb {
		rep.Conflicts = append(rep.Conflicts, a+" ("+string(ka)+") and "+b+" ("+string(kb)+"): "+reason+", but of different kinds; not merged")
		return
	}
	r.parent[rb] = ra
	rep.Merges = append(rep.Merges, Merge{Into: a, From: b, Reason: reason})
}

func (r *resolver) unionIdentifiers(rep *Report) {
	first := map[network.Identifier]string{}
	for _, id := range sortedKeys(r.records) {
		for _, ident := range r.records[id].e.Identifiers {
			if !StrongSchemes[ident.Scheme] {
				continue
			}
			if other, ok := first[ident]; ok {
				r.union(other, id, ident.Scheme+" "+ident.Value, rep)
			} else {
				first[ident] = id
			}
		}
	}
}

func (r *resolver) unionDecision(d Decision, rep *Report) {
	_, haveKeep := r.records[d.Keep]
	_, haveMerge := r.records[d.Merge]
	switch {
	case haveKeep && haveMerge:
		r.keepIDs[d.Keep] = true
		r.union(d.Keep, d.Merge, "decision", rep)
	case haveKeep:
		// The merged record is not loaded (any more): relationships that
		// still name it, e.g. from a reloaded list, go to Keep.
		r.keepIDs[d.Keep] = true
		r.redirect[d.Merge] = d.Keep
	}
}

// canonical picks the id a group keeps: one a decision keeps, else an
// existing id, else the smallest.
func (r *resolver) canonical(members []string) string {
	best := members[0]
	rank := func(id string) int {
		switch {
		case r.keepIDs[id]:
			return 0
		case r.stored[id] != nil:
			return 1
		}
		return 2
	}
	for _, id := range members[1:] {
		if rank(id) < rank(best) || (rank(id) == rank(best) && id < best) {
			best = id
		}
	}
	return best
}

func (r *resolver) output(rep *Report) *network.Dataset {
	groups := map[string][]string{}
	for _, id := range sortedKeys(r.records) {
		root := r.find(id)
		groups[root] = append(groups[root], id)
	}
	canon := map[string]string{}
	out := &network.Dataset{Sources: append([]network.Source(nil), r.incoming.Sources...)}
	deleted := map[string]bool{}
	for _, members := range groups {
		keep := r.canonical(members)
		touched := false
		for _, id := range members {
			canon[id] = keep
			if !r.records[id].existing || len(members) > 1 {
				touched = true
			}
		}
		if !touched {
			continue // an existing record nothing new concerns
		}
		out.Entities = append(out.Entities, r.fold(keep, members))
		for _, id := range members {
			if id != keep && r.stored[id] != nil {
				deleted[id] = true
				out.DeleteEntities = append(out.DeleteEntities, id)
			}
		}
	}
	for from, to := range r.redirect {
		if _, ok := canon[from]; !ok {
			canon[from] = canon[to]
		}
	}
	rewrite := func(rel network.Relationship) {
		rel.SourceIDs = append([]string(nil), rel.SourceIDs...)
		if c, ok := canon[rel.From]; ok {
			rel.From = c
		}
		if c, ok := canon[rel.To]; ok {
			rel.To = c
		}
		if rel.From == rel.To {
			rep.DroppedSelfLoops = append(rep.DroppedSelfLoops, rel.ID)
			out.DeleteRelationships = append(out.DeleteRelationships, rel.ID)
			return
		}
		out.Relationships = append(out.Relationships, rel)
	}
	incomingRel := map[string]bool{}
	for _, rel := range r.incoming.Relationships {
		incomingRel[rel.ID] = true
		rewrite(rel)
	}
	for _, rel := range r.existing.Relationships {
		if !incomingRel[rel.ID] && (deleted[rel.From] || deleted[rel.To]) {
			rewrite(rel)
		}
	}
	out.DeleteEntities = append(out.DeleteEntities, r.incoming.DeleteEntities...)
	out.DeleteRelationships = append(out.DeleteRelationships, r.incoming.DeleteRelationships...)
	sort.Strings(out.DeleteEntities)
	sort.Strings(out.DeleteRelationships)
	out.Sort()
	return out
}

// fold merges the records of members into one entity with id keep. The
// kept id's incoming record, if any, is the base; then its stored record;
// then the others in id order.
func (r *resolver) fold(keep string, members []string) network.Entity {
	var order []*network.Entity
	if rec := r.records[keep]; !rec.existing {
		order = append(order, rec.e)
		if st := r.stored[keep]; st != nil {
			order = append(order, st)
		}
	} else {
		order = append(order, rec.e)
	}
	for _, id := range members {
		if id == keep {
			continue
		}
		order = append(order, r.records[id].e)
		if st := r.stored[id]; st != nil && st != r.records[id].e {
			order = append(order, st)
		}
	}
	base := *order[0].Clone()
	base.ID = keep
	for _, other := range order[1:] {
		foldInto(&base, other)
	}
	return base
}

func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
