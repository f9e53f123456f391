// Package model holds the GraphQL-facing types that wrap the domain types
// where the API's shape differs from the domain's: the Entity interface and
// its two kinds, nullable strings and the PartialDate scalar.
package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/allegiance/allegiance/network"
)

// Entity is the GraphQL Entity interface: a Person or an Organization.
type Entity interface {
	IsEntity()
	// Domain returns the wrapped domain entity.
	Domain() *network.Entity
}

// NewEntity wraps e as a *Person or *Organization; nil stays nil.
func NewEntity(e *network.Entity) Entity {
	switch {
	case e == nil:
		return nil
	case e.Kind == network.Person:
		return &Person{base{e}}
	default:
		return &Organization{base{e}}
	}
}

// NewEntities wraps each of es, dropping nils.
func NewEntities(es []*network.Entity) []Entity {
	out := make([]Entity, 0, len(es))
	for _, e := range es {
		if e != nil {
			out = append(out, NewEntity(e))
		}
	}
	return out
}

// base holds the fields every entity has; Person and Organization embed it.
type base struct{ e *network.Entity }

// IsEntity marks the GraphQL interface.
func (b base) IsEntity() {}

// Domain returns the wrapped domain entity.
func (b base) Domain() *network.Entity { return b.e }

// ID is the stable slug.
func (b base) ID() string { return b.e.ID }

// Kind is PERSON or ORGANIZATION.
func (b base) Kind() network.EntityKind { return b.e.Kind }

// Name is the primary name.
func (b base) Name() string { return b.e.Name }

// Aliases are the other spellings.
func (b base) Aliases() []string { return nonNil(b.e.Aliases) }

// Description is null when empty.
func (b base) Description() *string { return Optional(b.e.Description) }

// Identifiers are external identifiers.
func (b base) Identifiers() []*network.Identifier {
	out := make([]*network.Identifier, len(b.e.Identifiers))
	for i := range b.e.Identifiers {
		out[i] = &b.e.Identifiers[i]
	}
	return out
}

// WeakAliases are low-quality aliases.
func (b base) WeakAliases() []string { return nonNil(b.e.WeakAliases) }

// PreviousNames are names formerly used.
func (b base) PreviousNames() []string { return nonNil(b.e.PreviousNames) }

// OriginalScriptNames are the names in their original script.
func (b base) OriginalScriptNames() []string { return nonNil(b.e.OriginalScriptNames) }

// Notes are imported free-text notes.
func (b base) Notes() []string { return nonNil(b.e.Notes) }

// Topics are FollowTheMoney topics.
func (b base) Topics() []string { return nonNil(b.e.Topics) }

// Countries are the countries the entity is tied to.
func (b base) Countries() []string { return nonNil(b.e.Countries) }

// Addresses are postal addresses, one line each.
func (b base) Addresses() []string { return nonNil(b.e.Addresses) }

// Documents are identity documents.
func (b base) Documents() []*Document {
	out := make([]*Document, len(b.e.Documents))
	for i, d := range b.e.Documents {
		out[i] = &Document{d}
	}
	return out
}

// Document is an identity document; empty fields are null.
type Document struct{ d network.Document }

// Type is the kind of document, e.g. Passport.
func (d *Document) Type() *string { return Optional(d.d.Type) }

// Number is the document number.
func (d *Document) Number() *string { return Optional(d.d.Number) }

// Country is the issuing country.
func (d *Document) Country() *string { return Optional(d.d.Country) }

// IssuedOn is the issue date as the source writes it.
func (d *Document) IssuedOn() *string { return Optional(d.d.IssuedOn) }

// Note is the source's note.
func (d *Document) Note() *string { return Optional(d.d.Note) }

// DateOfBirth is one birth date; empty fields are null.
type DateOfBirth struct{ d network.DateOfBirth }

// Type is EXACT, APPROXIMATELY or BETWEEN.
func (d *DateOfBirth) Type() network.BirthDateType { return d.d.Type }

// Date is the date for EXACT and APPROXIMATELY.
func (d *DateOfBirth) Date() network.PartialDate { return d.d.Date }

// From is the start of a BETWEEN range.
func (d *DateOfBirth) From() network.PartialDate { return d.d.From }

// To is the end of a BETWEEN range.
func (d *DateOfBirth) To() network.PartialDate { return d.d.To }

// Alias is the alias the date belongs to.
func (d *DateOfBirth) Alias() *string { return Optional(d.d.Alias) }

// Note is the source's note.
func (d *DateOfBirth) Note() *string { return Optional(d.d.Note) }

// Person is a person entity.
type Person struct{ base }

// BirthDates are every birth date the sources give.
func (p *Person) BirthDates() []*DateOfBirth {
	out := make([]*DateOfBirth, len(p.e.BirthDates))
	for i, d := range p.e.BirthDates {
		out[i] = &DateOfBirth{d}
	}
	return out
}

// BirthPlaces are places of birth.
func (p *Person) BirthPlaces() []string { return nonNil(p.e.BirthPlaces) }

// Positions are posts held, as the sources word them.
func (p *Person) Positions() []string { return nonNil(p.e.Positions) }

// Born is the birth date.
func (p *Person) Born() network.PartialDate { return p.e.Born }

// Died is the date of death.
func (p *Person) Died() network.PartialDate { return p.e.Died }

// Nationality lists nationalities.
func (p *Person) Nationality() []string { return nonNil(p.e.Nationality) }

// Organization is an organization entity.
type Organization struct{ base }

// Founded is the founding date.
func (o *Organization) Founded() network.PartialDate { return o.e.Founded }

// Dissolved is the date the organization ended.
func (o *Organization) Dissolved() network.PartialDate { return o.e.Dissolved }

// Types are the kinds of organization.
func (o *Organization) Types() []string { return nonNil(o.e.Types) }

// Ideologies are the ideologies and affiliations.
func (o *Organization) Ideologies() []string { return nonNil(o.e.Ideologies) }

// Areas are the areas of operation.
func (o *Organization) Areas() []string { return nonNil(o.e.Areas) }

// SearchHit is one search result.
type SearchHit struct {
	Entity Entity
	Score  float64
}

// Subgraph is a set of nodes and the edges among them.
type Subgraph struct {
	Nodes     []Entity
	Edges     []*network.Relationship
	Truncated bool
	// Summary, when set, holds the answer instead of the fields above: the
	// fast path (graph/fastpath.go) writes it, for selections that read
	// nothing a summary lacks.
	Summary *network.SubgraphSummary
}

// NewSubgraph wraps g.
func NewSubgraph(g *network.Subgraph) *Subgraph {
	edges := g.Edges
	if edges == nil {
		edges = []*network.Relationship{}
	}
	return &Subgraph{Nodes: NewEntities(g.Nodes), Edges: edges, Truncated: g.Truncated}
}

// Path is a walk: Edges[i] joins Nodes[i] and Nodes[i+1].
type Path struct {
	Nodes  []Entity
	Edges  []*network.Relationship
	Length int
}

// NewPath wraps p; nil stays nil.
func NewPath(p *network.Path) *Path {
	if p == nil {
		return nil
	}
	edges := p.Edges
	if edges == nil {
		edges = []*network.Relationship{}
	}
	return &Path{Nodes: NewEntities(p.Nodes), Edges: edges, Length: p.Len()}
}

// Member is one answer to the members query.
type Member struct {
	Entity       Entity
	Relationship *network.Relationship
	Unit         Entity
}

// NewMembers wraps ms.
func NewMembers(ms []network.Member) []*Member {
	out := make([]*Member, len(ms))
	for i, m := range ms {
		out[i] = &Member{Entity: NewEntity(m.Entity), Relationship: m.Relationship, Unit: NewEntity(m.Unit)}
	}
	return out
}

// Optional returns nil for "" and &s otherwise.
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MarshalPartialDate writes d as written, or null when unknown.
func MarshalPartialDate(d network.PartialDate) graphql.Marshaler {
	if d.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalPartialDate reads "2011", "2011-12" or "2017-03-02"; anything
// else is an EINVALID error.
func UnmarshalPartialDate(v any) (network.PartialDate, error) {
	s, ok := v.(string)
	if !ok {
		return network.PartialDate{}, network.Errorf(network.EINVALID, "PartialDate must be a string such as \"2011\", \"2011-12\" or \"2017-03-02\", got %s", fmt.Sprint(v))
	}
	return network.ParsePartialDate(s)
}

// Designations are the entity's listings.
func (b base) Designations() []*network.Designation {
	out := make([]*network.Designation, len(b.e.Designations))
	for i := range b.e.Designations {
		out[i] = &b.e.Designations[i]
	}
	return out
}
