package unsc

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// builder turns the parsed records into a dataset.
type builder struct {
	byRef    map[string]*record
	kinds    map[string]network.EntityKind
	seen     map[string]int // "from|TYPE|to" → index in rels
	warned   map[string]bool
	units    []network.Entity
	rels     []network.Relationship
	warnings []string
}

// build assembles the list once every record parsed cleanly.
func (p *parser) build() *List {
	b := &builder{
		byRef:  map[string]*record{},
		kinds:  map[string]network.EntityKind{},
		seen:   map[string]int{},
		warned: map[string]bool{},
	}
	for _, r := range p.records {
		b.byRef[r.ref] = r
		b.kinds[r.entity.ID] = r.entity.Kind
	}
	for _, r := range p.records {
		b.comment(r)
	}
	ds := &network.Dataset{Sources: []network.Source{p.source()}}
	for _, r := range p.records {
		ds.Entities = append(ds.Entities, r.entity)
	}
	ds.Entities = append(ds.Entities, b.units...)
	ds.Relationships = b.rels
	ds.Sort()
	return &List{Generated: p.generated, Dataset: ds, Warnings: b.warnings}
}

// edge is one relationship a clause states, before its endpoint kinds are
// checked.
type edge struct {
	typ      network.RelType
	from, to string
	role     string
	// subject and object are the record and the cited record: the ends of
	// the ASSOCIATED_WITH the edge falls back to when the kinds do not fit.
	subject, object string
	undated         bool // a unit's PART_OF: the clause dates the other edge
	date            network.PartialDate
}

// comment extracts the relationships of one record's COMMENTS1.
func (b *builder) comment(r *record) {
	s := r.comment
	for _, cl := range clauses(s) {
		t := s[cl.start:cl.end]
		evidence := strings.TrimRight(strings.TrimSpace(t), " \n\t.,;")
		if !refRe.MatchString(t) {
			continue
		}
		ms := findCues(t)
		qual := qualifier(t)
		refs := refRe.FindAllStringIndex(t, -1)
		var edges []edge
		// A merger "merged with B and established C" names its successor
		// with a founding verb after the merger.
		successor, mergedWith := "", false
		for _, loc := range refs {
			if m := governing(ms, loc[0]); m != nil && m.cue.kind == cueMergedWith {
				mergedWith = true
			} else if m != nil && m.cue.founds && mergedWith && successor == "" {
				successor = normRef(t[loc[0]:loc[1]])
			}
		}
		for k, loc := range refs {
			ref := normRef(t[loc[0]:loc[1]])
			if ref == r.ref || !b.present(r.ref, ref) {
				continue
			}
			// A date dates the edges of a reference when it comes before the
			// next reference: "Joined X (QDe.115) in September 2016".
			window := len(t)
			if k+1 < len(refs) {
				window = refs[k+1][0]
			}
			date, n0 := clauseDate(t[:window]), len(edges)
			rec, obj := r.entity.ID, EntityID(ref)
			m := governing(ms, loc[0])
			if m != nil && (relativeRe.MatchString(t[:m.start]+" "+t[m.end:loc[0]]) || verbRe.MatchString(t[m.end:loc[0]])) {
				m = nil // the phrase is about someone else, or another statement begins
			}
			switch {
			case m == nil:
				edges = append(edges, edge{typ: network.AssociatedWith, from: rec, to: obj, subject: rec, object: obj})
			case ref == successor:
				// the merger below covers it
			case m.cue.kind == cueMergerBetween:
				edges = append(edges, edge{typ: network.MergedInto, from: obj, to: rec, subject: rec, object: obj})
			case m.cue.kind == cueMergedWith:
				if successor == "" || b.byRef[successor] == nil {
					edges = append(edges, edge{typ: network.AssociatedWith, from: rec, to: obj, subject: rec, object: obj})
					continue
				}
				succ := EntityID(successor)
				edges = append(edges,
					edge{typ: network.MergedInto, from: rec, to: succ, subject: rec, object: succ},
					edge{typ: network.MergedInto, from: obj, to: succ, subject: rec, object: obj})
			default:
				target := obj
				if !m.cue.passive && unitTypes(m.cue.types) && b.kinds[obj] == network.Organization && !refRe.MatchString(t[m.end:loc[0]]) {
					if u := unitRe.FindStringSubmatch(t[m.end:loc[0]]); u != nil {
						unit := b.unit(r, strings.Join(strings.Fields(u[1]), " "), evidence)
						edges = append(edges, edge{typ: network.PartOf, from: unit, to: obj, subject: unit, object: obj, undated: true})
						target = unit
					}
				}
				for _, typ := range m.cue.types {
					e := edge{typ: typ, from: rec, to: target, role: m.role, subject: rec, object: target}
					if m.cue.passive {
						e.from, e.to = target, rec
					}
					edges = append(edges, e)
				}
			}
			for i := n0; i < len(edges); i++ {
				edges[i].date = date
			}
		}
		for _, e := range edges {
			b.add(e, qual, evidence)
		}
	}
}

func unitTypes(types []network.RelType) bool {
	for _, t := range types {
		if t != network.Founded && t != network.LeaderOf && t != network.MemberOf {
			return false
		}
	}
	return true
}

// present reports whether ref is on the list, warning once per citing
// record when it is not.
func (b *builder) present(from, ref string) bool {
	if b.byRef[ref] != nil {
		return true
	}
	key := from + "|" + ref
	if !b.warned[key] {
		b.warned[key] = true
		b.warnings = append(b.warnings, fmt.Sprintf("%s: its comment cites %s, which is not on the list; no relationship made", from, ref))
	}
	return false
}

// unit returns the id of the organization for a unit named in r's
// comment, creating it the first time.
func (b *builder) unit(r *record, name, evidence string) string {
	slug := slugify(name)
	id := r.entity.ID + "-unit-" + slug
	if _, ok := b.kinds[id]; ok {
		return id
	}
	b.kinds[id] = network.Organization
	b.units = append(b.units, network.Entity{
		ID:          id,
		Kind:        network.Organization,
		Name:        name,
		Description: evidence,
		Identifiers: []network.Identifier{{Scheme: SchemeUnit, Value: r.ref + "/" + slug}},
		SourceIDs:   []string{SourceID},
	})
	return id
}

func slugify(s string) string {
	var sb strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			sb.WriteRune(c)
			dash = false
		} else if !dash && sb.Len() > 0 {
			sb.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(sb.String(), "-")
}

// add checks e's endpoint kinds (falling back to ASSOCIATED_WITH between
// the record and the one it cites when they do not fit the type),
// dates it and keeps it unless it repeats one already made.
func (b *builder) add(e edge, qual, evidence string) {
	date := e.date
	if wantFrom, wantTo, ok := e.typ.EndpointKinds(); ok {
		kf, kt := b.kinds[e.from], b.kinds[e.to]
		switch {
		case kf == wantFrom && kt == wantTo:
		default:
			e = edge{typ: network.AssociatedWith, from: e.subject, to: e.object, date: e.date}
		}
	}
	if e.from == e.to {
		return
	}
	rel := network.Relationship{
		ID:        relID(e.from, e.typ, e.to),
		Type:      e.typ,
		From:      e.from,
		To:        e.to,
		Role:      e.role,
		Qualifier: qual,
		Evidence:  evidence,
		SourceIDs: []string{SourceID},
	}
	switch {
	case e.undated || e.typ == network.AssociatedWith || e.typ == network.FamilyOf:
		// the clause does not date an association, a kinship or a unit's place
	case e.typ == network.Founded || e.typ == network.MergedInto:
		rel.Since, rel.Until = date, date
	default:
		rel.Since = date
	}
	// A repeat is dropped, unless it dates what the first statement did
	// not: then its clause becomes the evidence.
	key := e.from + "|" + string(e.typ) + "|" + e.to
	if i, dup := b.seen[key]; dup {
		if b.rels[i].Since.IsZero() && !rel.Since.IsZero() {
			b.rels[i] = rel
		}
		return
	}
	b.seen[key] = len(b.rels)
	b.rels = append(b.rels, rel)
}

// relID is the deterministic id of a derived relationship, e.g.
// "un-qdi-316-founded-un-qde-135".
func relID(from string, t network.RelType, to string) string {
	return from + "-" + strings.ToLower(strings.ReplaceAll(string(t), "_", "-")) + "-" + to
}
