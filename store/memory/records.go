package memory

import (
	"encoding/binary"
	"reflect"

	"github.com/allegiance/allegiance/network"
)

// entRec is an entity in compact form. The fields every entity has are
// kept inline; the others live in more, which is nil for the many entities
// that have none of them.
type entRec struct {
	// id and name are in tables.text.
	id, name textRef
	aliases  []string
	// more holds every field but the ones above, sources and the four
	// dates; nil when all of them are zero.
	more *network.Entity
	// sources indexes tables.lists.
	sources uint32
	// born, died, founded and dissolved index tables.dates.
	born, died, founded, dissolved uint32
	// lo and hi bound the entity's lifetime as YYYYMMDD integers.
	lo, hi int32
	// kind indexes tables.kinds.
	kind uint8
	live bool
}

// relRec is a relationship in compact form: endpoints are entity indexes,
// dates index tables.dates, and the role, qualifier, evidence, note and
// sources are one shared tables.attrs entry.
type relRec struct {
	// id is in tables.text.
	id           textRef
	from, to     int32
	lo, hi       int32
	since, until uint32
	attrs        uint32
	typ          uint8
	live         bool
}

// relAttrs are the parts of a relationship that many relationships share.
type relAttrs struct {
	role, qualifier, evidence, note string
	sources                         uint32
}

// tables intern the values records share. They only grow: an entry a
// failed load added is unused, never wrong.
type tables struct {
	dates []network.PartialDate
	// dateIdx is keyed by dateKey.
	dateIdx map[int64]uint32
	// lists are the distinct source-id lists; lists[0] is nil.
	lists   [][]string
	listIdx map[string]uint32
	attrs   []relAttrs
	attrIdx map[string]uint32
	kinds   []network.EntityKind
	types   []network.RelType
	// symmetric[t] reports whether types[t] is symmetric.
	symmetric []bool
	key       []byte
	// text holds the records' ids and names.
	text text
}

func newTables() *tables {
	t := &tables{
		dates:   []network.PartialDate{{}},
		dateIdx: map[int64]uint32{dateKey(network.PartialDate{}): 0},
		lists:   [][]string{nil},
		listIdx: map[string]uint32{},
		attrs:   []relAttrs{{}},
		attrIdx: map[string]uint32{},
		kinds:   []network.EntityKind{network.Person, network.Organization},
	}
	t.attrIdx[string(t.attrKey(relAttrs{}))] = 0
	for _, rt := range network.RelTypes {
		t.types = append(t.types, rt)
		t.symmetric = append(t.symmetric, rt.Symmetric())
	}
	return t
}

// dateKey identifies a partial date by the first and last days of the
// interval it denotes: a year, a month and a day never share both, and the
// zero date has its own.
func dateKey(d network.PartialDate) int64 { return int64(d.First())<<32 | int64(d.Last()) }

func (t *tables) date(d network.PartialDate) uint32 {
	k := dateKey(d)
	if i, ok := t.dateIdx[k]; ok {
		return i
	}
	i := uint32(len(t.dates))
	t.dates = append(t.dates, d)
	t.dateIdx[k] = i
	return i
}

// putString appends s to t.key, length first, so that keys are unambiguous.
func (t *tables) putString(s string) {
	t.key = binary.AppendUvarint(t.key, uint64(len(s)))
	t.key = append(t.key, s...)
}

// list interns a source-id list; an empty list is nil, as network's Clone
// makes it.
func (t *tables) list(ids []string) uint32 {
	if len(ids) == 0 {
		return 0
	}
	t.key = append(t.key[:0], 1)
	for _, id := range ids {
		t.putString(id)
	}
	if i, ok := t.listIdx[string(t.key)]; ok {
		return i
	}
	i := uint32(len(t.lists))
	t.lists = append(t.lists, append(make([]string, 0, len(ids)), ids...))
	t.listIdx[string(t.key)] = i
	return i
}

func (t *tables) attrKey(a relAttrs) []byte {
	t.key = binary.AppendUvarint(t.key[:0], uint64(a.sources))
	t.putString(a.role)
	t.putString(a.qualifier)
	t.putString(a.evidence)
	t.putString(a.note)
	return t.key
}

func (t *tables) attr(a relAttrs) uint32 {
	if i, ok := t.attrIdx[string(t.attrKey(a))]; ok {
		return i
	}
	i := uint32(len(t.attrs))
	t.attrs = append(t.attrs, a)
	t.attrIdx[string(t.key)] = i
	return i
}

// kind interns an entity kind; ok is false when there are too many.
func (t *tables) kind(k network.EntityKind) (uint8, bool) {
	for i, x := range t.kinds {
		if x == k {
			return uint8(i), true
		}
	}
	if len(t.kinds) > 255 {
		return 0, false
	}
	t.kinds = append(t.kinds, k)
	return uint8(len(t.kinds) - 1), true
}

// relType interns a relationship type; ok is false when there are too many.
func (t *tables) relType(rt network.RelType) (uint8, bool) {
	for i, x := range t.types {
		if x == rt {
			return uint8(i), true
		}
	}
	if len(t.types) > 255 {
		return 0, false
	}
	t.types = append(t.types, rt)
	t.symmetric = append(t.symmetric, rt.Symmetric())
	return uint8(len(t.types) - 1), true
}

// compactEntity turns e into a record, copying every slice. old is the
// record e replaces, or nil: its id, and its name if unchanged, are kept
// where they are in text rather than added again.
func (t *tables) compactEntity(e *network.Entity, old *entRec) (entRec, bool) {
	kind, ok := t.kind(e.Kind)
	lo, hi := network.Bounds(e.Start(), e.End())
	id, name := t.reuse(old, e.ID, e.Name)
	r := entRec{
		id: id, name: name, aliases: cloneStrings(e.Aliases),
		sources: t.list(e.SourceIDs),
		born:    t.date(e.Born), died: t.date(e.Died), founded: t.date(e.Founded), dissolved: t.date(e.Dissolved),
		lo: int32(lo), hi: int32(hi), kind: kind, live: true,
	}
	rest := *e
	rest.ID, rest.Kind, rest.Name, rest.Aliases, rest.SourceIDs = "", "", "", nil, nil
	rest.Born, rest.Died, rest.Founded, rest.Dissolved = network.PartialDate{}, network.PartialDate{}, network.PartialDate{}, network.PartialDate{}
	if !reflect.ValueOf(rest).IsZero() {
		r.more = rest.Clone()
	}
	return r, ok
}

// entity returns a copy of r the caller may keep and change.
func (t *tables) entity(r *entRec) *network.Entity {
	c := entCopier{t: t}
	e := &network.Entity{}
	c.share(e, r)
	c.alloc()
	c.own(e)
	return e
}

// entities returns copies of the entities the indexes idx name, in that
// order, that the caller may keep and change; a negative index gives nil.
// At network.SummaryDetail they have only the fields it promises.
// The copies are allocated together: the entities in one array and their
// lists in one backing array per element type, each list a window of it
// capped at its length, so that an append to one copies it out instead of
// writing into the next. The caller holds mu.
func (s *Store) entities(idx []int32, detail network.Detail) []*network.Entity {
	n := 0
	for _, e := range idx {
		if e >= 0 {
			n++
		}
	}
	c := entCopier{t: s.t, summary: detail == network.SummaryDetail}
	ents := make([]network.Entity, n)
	out := make([]*network.Entity, len(idx))
	n = 0
	for i, e := range idx {
		if e >= 0 {
			out[i] = &ents[n]
			c.share(out[i], &s.ents[e])
			n++
		}
	}
	c.alloc()
	for i := range ents {
		c.own(&ents[i])
	}
	return out
}

// entCopier copies entity records out in two passes: share sets each
// entity to its record, sharing the record's lists, and counts their
// elements; alloc makes backing arrays that hold them all; own replaces
// each entity's lists with copies carved out of those arrays.
type entCopier struct {
	t *tables
	// summary is set to copy only what network.SummaryDetail promises.
	summary bool
	strs    []string
	docs    []network.Document
	ids     []network.Identifier
	dobs    []network.DateOfBirth
	desigs  []network.Designation
	// The element counts share summed.
	nStrs, nDocs, nIDs, nDobs, nDesigs int
}

// share sets e, which must be zero, to r, sharing r's lists: e must not
// leave the store before own has copied them. It sets only the fields r
// has, each on its own, rather than copy r.more whole: the fewer pointers
// it writes, the less it pays the garbage collector's write barrier.
func (c *entCopier) share(e *network.Entity, r *entRec) {
	c.t.fillCore(e, r)
	e.Aliases = r.aliases
	c.nStrs += len(e.Aliases)
	m := r.more
	if m != nil && m.Description != "" {
		e.Description = m.Description
	}
	if c.summary {
		return
	}
	e.SourceIDs = c.t.lists[r.sources]
	c.nStrs += len(e.SourceIDs)
	if m == nil {
		return
	}
	// m has every field but those set above (see compactEntity).
	dst := stringLists(e)
	for i, l := range stringLists(m) {
		if len(*l) > 0 {
			*dst[i] = *l
			c.nStrs += len(*l)
		}
	}
	if len(m.Documents) > 0 {
		e.Documents = m.Documents
		c.nDocs += len(m.Documents)
	}
	if len(m.Identifiers) > 0 {
		e.Identifiers = m.Identifiers
		c.nIDs += len(m.Identifiers)
	}
	if len(m.BirthDates) > 0 {
		e.BirthDates = m.BirthDates
		c.nDobs += len(m.BirthDates)
	}
	if m.Designations != nil {
		e.Designations = m.Designations
		c.nDesigs += len(m.Designations)
		for i := range m.Designations {
			c.nStrs += len(m.Designations[i].SourceIDs)
		}
	}
}

// alloc makes the backing arrays for the elements share counted. A count
// that came out short would only cost an allocation: carve never writes
// into a window it has handed out.
func (c *entCopier) alloc() {
	c.strs = make([]string, 0, c.nStrs)
	c.docs = make([]network.Document, 0, c.nDocs)
	c.ids = make([]network.Identifier, 0, c.nIDs)
	c.dobs = make([]network.DateOfBirth, 0, c.nDobs)
	c.desigs = make([]network.Designation, 0, c.nDesigs)
}

// own replaces the lists of e, which share set, with copies, as network's
// Clone copies them.
func (c *entCopier) own(e *network.Entity) {
	// share left the lists r lacks nil: those need no write.
	for _, l := range stringLists(e) {
		if len(*l) > 0 {
			*l = carve(&c.strs, *l)
		}
	}
	if len(e.Documents) > 0 {
		e.Documents = carve(&c.docs, e.Documents)
	}
	if len(e.Identifiers) > 0 {
		e.Identifiers = carve(&c.ids, e.Identifiers)
	}
	if len(e.BirthDates) > 0 {
		e.BirthDates = carve(&c.dobs, e.BirthDates)
	}
	if e.Designations != nil {
		ds := carve(&c.desigs, e.Designations)
		if ds == nil {
			// Clone keeps an empty list empty, not nil.
			ds = []network.Designation{}
		}
		for i := range ds {
			ds[i].SourceIDs = carve(&c.strs, ds[i].SourceIDs)
		}
		e.Designations = ds
	}
}

// stringLists points to the string lists of e.
func stringLists(e *network.Entity) [15]*[]string {
	return [15]*[]string{
		&e.Aliases, &e.WeakAliases, &e.PreviousNames, &e.OriginalScriptNames, &e.Notes,
		&e.Topics, &e.Countries, &e.Addresses, &e.SourceIDs, &e.Nationality,
		&e.BirthPlaces, &e.Positions, &e.Types, &e.Ideologies, &e.Areas,
	}
}

// carve appends s to *buf and returns the window of *buf holding it,
// capped at its length so that an append to the window copies it out
// instead of writing into what follows; like network's Clone it gives nil
// for an empty list.
func carve[T any](buf *[]T, s []T) []T {
	if len(s) == 0 {
		return nil
	}
	lo := len(*buf)
	*buf = append(*buf, s...)
	return (*buf)[lo:len(*buf):len(*buf)]
}

// reuse returns the positions in text of id and name: old's where old is
// a record with the same id and name, new ones otherwise.
func (t *tables) reuse(old *entRec, id, name string) (textRef, textRef) {
	if old == nil {
		return t.text.put(id), t.text.put(name)
	}
	if t.text.get(old.name) == name {
		return old.id, old.name
	}
	return old.id, t.text.put(name)
}

func (t *tables) fillCore(e *network.Entity, r *entRec) {
	e.ID, e.Kind, e.Name = t.text.get(r.id), t.kinds[r.kind], t.text.get(r.name)
	e.Born, e.Died, e.Founded, e.Dissolved = t.dates[r.born], t.dates[r.died], t.dates[r.founded], t.dates[r.dissolved]
}

// names fills e with what search ranking reads of r, sharing r's slices:
// for internal use only.
func (t *tables) names(e *network.Entity, r *entRec) {
	e.ID, e.Kind, e.Name, e.Aliases = t.text.get(r.id), t.kinds[r.kind], t.text.get(r.name), r.aliases
	if r.more != nil {
		e.WeakAliases, e.PreviousNames, e.OriginalScriptNames = r.more.WeakAliases, r.more.PreviousNames, r.more.OriginalScriptNames
	}
}

// compactRel turns r into a record with the given endpoints. old is the
// record r replaces, or nil: its id is kept where it is in text.
func (t *tables) compactRel(r *network.Relationship, from, to int32, old *relRec) (relRec, bool) {
	typ, ok := t.relType(r.Type)
	lo, hi := network.Bounds(r.Since, r.Until)
	var id textRef
	if old != nil {
		id = old.id
	} else {
		id = t.text.put(r.ID)
	}
	return relRec{
		id: id, from: from, to: to, lo: int32(lo), hi: int32(hi),
		since: t.date(r.Since), until: t.date(r.Until),
		attrs: t.attr(relAttrs{role: r.Role, qualifier: r.Qualifier, evidence: r.Evidence, note: r.Note, sources: t.list(r.SourceIDs)}),
		typ:   typ, live: true,
	}, ok
}

// sameNames reports whether a and b have the same searchable names.
func (t *tables) sameNames(a *entRec, b *entRec) bool {
	if t.text.get(a.name) != t.text.get(b.name) || !equalStrings(a.aliases, b.aliases) || (a.more == nil) != (b.more == nil) {
		return false
	}
	if a.more == nil {
		return true
	}
	return equalStrings(a.more.WeakAliases, b.more.WeakAliases) &&
		equalStrings(a.more.PreviousNames, b.more.PreviousNames) &&
		equalStrings(a.more.OriginalScriptNames, b.more.OriginalScriptNames)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// cloneStrings copies s; like network's Clone it gives nil for an empty
// list.
func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append(make([]string, 0, len(s)), s...)
}
