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
	id      string
	name    string
	aliases []string
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
	id           string
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

// compactEntity turns e into a record, copying every slice.
func (t *tables) compactEntity(e *network.Entity) (entRec, bool) {
	kind, ok := t.kind(e.Kind)
	lo, hi := network.Bounds(e.Start(), e.End())
	r := entRec{
		id: e.ID, name: e.Name, aliases: cloneStrings(e.Aliases),
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
	var e *network.Entity
	if r.more != nil {
		e = r.more.Clone()
	} else {
		e = &network.Entity{}
	}
	t.fillCore(e, r)
	e.Aliases = cloneStrings(r.aliases)
	e.SourceIDs = cloneStrings(t.lists[r.sources])
	return e
}

func (t *tables) fillCore(e *network.Entity, r *entRec) {
	e.ID, e.Kind, e.Name = r.id, t.kinds[r.kind], r.name
	e.Born, e.Died, e.Founded, e.Dissolved = t.dates[r.born], t.dates[r.died], t.dates[r.founded], t.dates[r.dissolved]
}

// names fills e with what search ranking reads of r, sharing r's slices:
// for internal use only.
func (t *tables) names(e *network.Entity, r *entRec) {
	e.ID, e.Kind, e.Name, e.Aliases = r.id, t.kinds[r.kind], r.name, r.aliases
	if r.more != nil {
		e.WeakAliases, e.PreviousNames, e.OriginalScriptNames = r.more.WeakAliases, r.more.PreviousNames, r.more.OriginalScriptNames
	}
}

// compactRel turns r into a record with the given endpoints.
func (t *tables) compactRel(r *network.Relationship, from, to int32) (relRec, bool) {
	typ, ok := t.relType(r.Type)
	lo, hi := network.Bounds(r.Since, r.Until)
	return relRec{
		id: r.ID, from: from, to: to, lo: int32(lo), hi: int32(hi),
		since: t.date(r.Since), until: t.date(r.Until),
		attrs: t.attr(relAttrs{role: r.Role, qualifier: r.Qualifier, evidence: r.Evidence, note: r.Note, sources: t.list(r.SourceIDs)}),
		typ:   typ, live: true,
	}, ok
}

// sameNames reports whether a and b have the same searchable names.
func sameNames(a *entRec, b *entRec) bool {
	if a.name != b.name || !equalStrings(a.aliases, b.aliases) || (a.more == nil) != (b.more == nil) {
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
