// Package network is the domain of Allegiance: entities (people and
// organizations), the typed, dated and sourced relationships between them,
// designations, sources, partial dates, the store interfaces and the error
// codes. It imports nothing else of this module; every adapter (stores,
// loader, GraphQL, CLI) imports it.
package network

import (
	"sort"
	"strings"
)

// EntityKind says whether an entity is a person or an organization.
type EntityKind string

// The entity kinds.
const (
	Person       EntityKind = "PERSON"
	Organization EntityKind = "ORGANIZATION"
)

// Valid reports whether k is a known kind.
func (k EntityKind) Valid() bool { return k == Person || k == Organization }

// Identifier is an external identifier such as a UN reference number.
type Identifier struct {
	Scheme string
	Value  string
}

// Source is a cited document. Sources are unique by URL.
type Source struct {
	ID        string
	Title     string
	Publisher string
	Author    string
	Published PartialDate
	URL       string
}

// Designation is a listing of an entity by an authority, e.g. a UN sanctions
// listing or a U.S. Foreign Terrorist Organization designation.
type Designation struct {
	ID        string
	Authority string
	Program   string
	Reference string
	ListedOn  PartialDate
	// Until is the date the listing ended; zero while it is in force.
	Until     PartialDate
	SourceIDs []string
}

// BirthDateType says how exact a DateOfBirth is, as sanctions lists give it.
type BirthDateType string

// The birth date types.
const (
	BirthExact         BirthDateType = "EXACT"
	BirthApproximately BirthDateType = "APPROXIMATELY"
	BirthBetween       BirthDateType = "BETWEEN"
)

// DateOfBirth is one birth date as a source gives it. A person may have
// several; each keeps its type.
type DateOfBirth struct {
	// Type is BirthExact, BirthApproximately or BirthBetween.
	Type BirthDateType
	// Date is the date for EXACT and APPROXIMATELY.
	Date PartialDate
	// From and To bound a BETWEEN range (usually years).
	From, To PartialDate
	// Alias names the alias this birth date belongs to; empty when it
	// belongs to the main identity.
	Alias string
	// Note is the source's note on this date.
	Note string
}

// Document is an identity document a source lists, e.g. a passport.
type Document struct {
	Type     string
	Number   string
	Country  string
	IssuedOn string
	Note     string
}

// Entity is a person or an organization.
type Entity struct {
	ID          string
	Kind        EntityKind
	Name        string
	Aliases     []string
	Description string
	// WeakAliases are low-quality aliases ("Low" on the UN list): searchable
	// but ranked lower, and never used to merge entities.
	WeakAliases []string
	// PreviousNames are names the entity formerly used (f.k.a.): searchable
	// but ranked lower, and never used to merge entities.
	PreviousNames []string
	// OriginalScriptNames are the names in their original script.
	OriginalScriptNames []string
	// Notes are free-text notes from imported sources, kept verbatim.
	Notes []string
	// Topics are FollowTheMoney topics, e.g. "sanction" or "crime.terror".
	Topics []string
	// Countries are the countries the entity is tied to.
	Countries    []string
	Addresses    []string
	Documents    []Document
	Identifiers  []Identifier
	SourceIDs    []string
	Designations []Designation

	// Persons only.
	Born        PartialDate
	Died        PartialDate
	Nationality []string
	// BirthDates are every birth date the sources give, with their types.
	BirthDates  []DateOfBirth
	BirthPlaces []string
	Positions   []string

	// Organizations only.
	Founded    PartialDate
	Dissolved  PartialDate
	Types      []string
	Ideologies []string
	Areas      []string
}

// Start is the beginning of the entity's lifetime (born or founded); zero if
// unknown.
func (e *Entity) Start() PartialDate {
	if e.Kind == Person {
		return e.Born
	}
	return e.Founded
}

// End is the end of the entity's lifetime (died or dissolved); zero if the
// entity still exists or the end is unknown.
func (e *Entity) End() PartialDate {
	if e.Kind == Person {
		return e.Died
	}
	return e.Dissolved
}

// AliveAt reports whether the entity's lifetime overlaps asOf. A zero asOf
// matches everything.
func (e *Entity) AliveAt(asOf PartialDate) bool {
	return Overlaps(e.Start(), e.End(), asOf)
}

// Names returns the name followed by the aliases.
func (e *Entity) Names() []string {
	return append([]string{e.Name}, e.Aliases...)
}

// WeakNames returns the weak aliases, previous names and original-script
// names: searchable, ranked below Names, never grounds for a merge.
func (e *Entity) WeakNames() []string {
	var out []string
	out = append(out, e.WeakAliases...)
	out = append(out, e.PreviousNames...)
	return append(out, e.OriginalScriptNames...)
}

// Clone returns a deep copy of e.
func (e *Entity) Clone() *Entity {
	c := *e
	c.Aliases = cloneStrings(e.Aliases)
	c.WeakAliases = cloneStrings(e.WeakAliases)
	c.PreviousNames = cloneStrings(e.PreviousNames)
	c.OriginalScriptNames = cloneStrings(e.OriginalScriptNames)
	c.Notes = cloneStrings(e.Notes)
	c.Topics = cloneStrings(e.Topics)
	c.Countries = cloneStrings(e.Countries)
	c.Addresses = cloneStrings(e.Addresses)
	c.Documents = append([]Document(nil), e.Documents...)
	c.BirthDates = append([]DateOfBirth(nil), e.BirthDates...)
	c.BirthPlaces = cloneStrings(e.BirthPlaces)
	c.Positions = cloneStrings(e.Positions)
	c.Identifiers = append([]Identifier(nil), e.Identifiers...)
	c.SourceIDs = cloneStrings(e.SourceIDs)
	c.Nationality = cloneStrings(e.Nationality)
	c.Types = cloneStrings(e.Types)
	c.Ideologies = cloneStrings(e.Ideologies)
	c.Areas = cloneStrings(e.Areas)
	if e.Designations != nil {
		c.Designations = make([]Designation, len(e.Designations))
		for i, d := range e.Designations {
			d.SourceIDs = cloneStrings(d.SourceIDs)
			c.Designations[i] = d
		}
	}
	return &c
}

// Relationship is a typed, dated and sourced edge between two entities.
type Relationship struct {
	ID   string
	Type RelType
	From string
	To   string
	Role string
	// Since and Until bound the period the relationship covers; an event
	// has Since == Until, and a zero Until means it is still in force.
	Since PartialDate
	Until PartialDate
	// Qualifier keeps the source's hedge ("reportedly", "allegedly",
	// "claimed", "believed", "suspected"); empty when stated plainly. A
	// relationship extracted from free text starts with DerivedFromText,
	// followed by any hedge, joined by "; " (see ValidQualifier).
	Qualifier string
	Evidence  string
	Note      string
	SourceIDs []string
}

// ActiveAt reports whether the relationship's period overlaps asOf. A zero
// asOf matches everything.
func (r *Relationship) ActiveAt(asOf PartialDate) bool {
	return Overlaps(r.Since, r.Until, asOf)
}

// Other returns the endpoint of r that is not id.
func (r *Relationship) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// Clone returns a deep copy of r.
func (r *Relationship) Clone() *Relationship {
	c := *r
	c.SourceIDs = cloneStrings(r.SourceIDs)
	return &c
}

// Qualifiers are the hedges a relationship may carry.
var Qualifiers = []string{"reportedly", "allegedly", "claimed", "believed", "suspected"}

// DerivedFromText is the qualifier of a relationship an importer extracted
// from a free-text clause; the clause itself is its Evidence.
const DerivedFromText = "derived from text"

// ValidQualifier reports whether q is empty, one of Qualifiers, or a
// "; "-joined list whose parts are DerivedFromText, one of Qualifiers, or
// a dating hedge starting "as of " (e.g. "as of November 2023").
func ValidQualifier(q string) bool {
	if q == "" {
		return true
	}
	for _, part := range strings.Split(q, "; ") {
		ok := part == DerivedFromText || (strings.HasPrefix(part, "as of ") && len(part) > len("as of "))
		for _, h := range Qualifiers {
			ok = ok || part == h
		}
		if !ok {
			return false
		}
	}
	return true
}

// Dataset is a whole network as read by the loader and written to a store.
type Dataset struct {
	Sources       []Source
	Entities      []Entity
	Relationships []Relationship
	// DeleteEntities and DeleteRelationships are ids a Writer removes, in
	// the same transaction and before writing the rest. Deleting an entity
	// also deletes its designations and relationships. Importers use them
	// when a reloaded list drops derived facts or resolution merges one
	// entity into another; unknown ids are ignored.
	DeleteEntities      []string
	DeleteRelationships []string
}

// Sort orders the sources, entities and relationships by id.
func (d *Dataset) Sort() {
	sort.Slice(d.Sources, func(i, j int) bool { return d.Sources[i].ID < d.Sources[j].ID })
	sort.Slice(d.Entities, func(i, j int) bool { return d.Entities[i].ID < d.Entities[j].ID })
	sort.Slice(d.Relationships, func(i, j int) bool { return d.Relationships[i].ID < d.Relationships[j].ID })
}

// Counts are the sizes of a dataset or a store.
type Counts struct {
	Entities      int
	Relationships int
	Sources       int
	Designations  int
}

// Counts returns the sizes of d.
func (d *Dataset) Counts() Counts {
	c := Counts{Entities: len(d.Entities), Relationships: len(d.Relationships), Sources: len(d.Sources)}
	for _, e := range d.Entities {
		c.Designations += len(e.Designations)
	}
	return c
}

// SearchHit is one search result.
type SearchHit struct {
	Entity *Entity
	Score  float64
}

// Subgraph is a set of entities and the relationships among them, both
// sorted by id.
type Subgraph struct {
	Nodes     []*Entity
	Edges     []*Relationship
	Truncated bool
}

// Sort orders nodes and edges by id.
func (g *Subgraph) Sort() {
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].ID < g.Nodes[j].ID })
	sort.Slice(g.Edges, func(i, j int) bool { return g.Edges[i].ID < g.Edges[j].ID })
}

// Path is a walk through the network: Edges[i] joins Nodes[i] and
// Nodes[i+1].
type Path struct {
	Nodes []*Entity
	Edges []*Relationship
}

// Len is the number of edges in p.
func (p *Path) Len() int { return len(p.Edges) }

// NodeIDs returns the ids of p's nodes in order.
func (p *Path) NodeIDs() []string {
	ids := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = n.ID
	}
	return ids
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
