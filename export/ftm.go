package export

import (
	"bufio"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/network/ftmrole"
)

// ftmEntity is one line of a FollowTheMoney export.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Caption    string              `json:"caption,omitempty"`
	Properties map[string][]string `json:"properties"`
}

// WriteFTM writes d as FollowTheMoney entities, one JSON object a line:
// the entities sorted by id, each followed by its designations as
// Sanction entities, then the relationships sorted by id. It is the
// inverse of the reader in loader/ftm, whose documentation gives the
// property mapping; what follows is what the export adds.
//
// An entity's FtM id is its identifier "ftm" when it came from FtM, else
// its own id; a relationship's and a designation's is its id without a
// leading "ftm-" (the reader adds it back). The schema is Person, or for an
// organization its identifier "ftm-schema" (LegalEntity, Company) or else
// Organization. The identifier "ftm-names" (N) splits Name and Aliases
// back into N "name" values and the rest "alias".
//
// Relationship types map to Membership (MEMBER_OF), Directorship
// (LEADER_OF), Employment (EMPLOYED_BY, person to organization), Succession
// (MERGED_INTO, RENAMED_TO), Family (FAMILY_OF, between persons) and
// Associate (ASSOCIATED_WITH between persons). Every other type, and a type
// whose ends do not fit its schema, becomes an UnknownLink whose role is the
// type name followed by ": " and the relationship's Role ("TYPE" alone when
// there is no Role), e.g. "PLEDGED_ALLEGIANCE_TO: emir". The role is written
// plain whenever the reader would give back the same type and Role from it
// (an ASSOCIATED_WITH UnknownLink, a Succession), so FtM roles round-trip
// unchanged. Note goes to summary, Evidence to description and the
// Qualifier to status.
//
// Each cited source gives its URL as sourceUrl and its publisher as
// publisher. A source with neither (a title only) cannot be written. What
// FtM has no property for is not written: source titles, authors and
// dates; organization types, ideologies and areas; original-script names;
// documents; identifiers other than wikidata and unsc-ref; and a birth date's
// type, range, alias and note (each birth date's Date is a birthDate).
func WriteFTM(w io.Writer, d *network.Dataset) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	x := newFTMExport(d)
	entities := make([]*network.Entity, len(d.Entities))
	for i := range d.Entities {
		entities[i] = &d.Entities[i]
	}
	sort.SliceStable(entities, func(i, j int) bool { return entities[i].ID < entities[j].ID })
	for _, e := range entities {
		if err := enc.Encode(x.entity(e)); err != nil {
			return err
		}
		for i := range e.Designations {
			if err := enc.Encode(x.sanction(e, &e.Designations[i])); err != nil {
				return err
			}
		}
	}
	rels := make([]*network.Relationship, len(d.Relationships))
	for i := range d.Relationships {
		rels[i] = &d.Relationships[i]
	}
	sort.SliceStable(rels, func(i, j int) bool { return rels[i].ID < rels[j].ID })
	for _, r := range rels {
		if err := enc.Encode(x.relationship(r)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ftmExport holds the lookups of one export.
type ftmExport struct {
	sources map[string]*network.Source
	ids     map[string]string
	kinds   map[string]network.EntityKind
}

func newFTMExport(d *network.Dataset) *ftmExport {
	x := &ftmExport{sources: map[string]*network.Source{}, ids: map[string]string{}, kinds: map[string]network.EntityKind{}}
	for i := range d.Sources {
		x.sources[d.Sources[i].ID] = &d.Sources[i]
	}
	for i := range d.Entities {
		e := &d.Entities[i]
		x.ids[e.ID] = e.ID
		if v := identifier(e, "ftm"); v != "" {
			x.ids[e.ID] = v
		}
		x.kinds[e.ID] = e.Kind
	}
	return x
}

// ref is the FtM id of entity id.
func (x *ftmExport) ref(id string) string {
	if v, ok := x.ids[id]; ok {
		return v
	}
	return id
}

func identifier(e *network.Entity, scheme string) string {
	for _, id := range e.Identifiers {
		if id.Scheme == scheme {
			return id.Value
		}
	}
	return ""
}

// props collects property values, leaving empty ones out.
type props map[string][]string

func (p props) add(name string, vals ...string) {
	for _, v := range vals {
		if v != "" {
			p[name] = append(p[name], v)
		}
	}
}

func (p props) date(name string, d network.PartialDate) {
	if !d.IsZero() {
		p[name] = append(p[name], d.String())
	}
}

// cite writes sourceUrl and publisher for the sources ids.
func (x *ftmExport) cite(p props, ids []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		s := x.sources[id]
		if s == nil {
			continue
		}
		if s.URL != "" && !seen["u"+s.URL] {
			seen["u"+s.URL] = true
			p.add("sourceUrl", s.URL)
		}
		if s.Publisher != "" && !seen["p"+s.Publisher] {
			seen["p"+s.Publisher] = true
			p.add("publisher", s.Publisher)
		}
	}
}

func (x *ftmExport) entity(e *network.Entity) ftmEntity {
	p := props{}
	schema := "Organization"
	if e.Kind == network.Person {
		schema = "Person"
	} else if s := identifier(e, "ftm-schema"); s == "LegalEntity" || s == "Company" {
		schema = s
	}
	names := 1
	if n, err := strconv.Atoi(identifier(e, "ftm-names")); err == nil && n > 1 {
		names = min(n, len(e.Aliases)+1)
	}
	p.add("name", e.Name)
	p.add("name", e.Aliases[:names-1]...)
	p.add("alias", e.Aliases[names-1:]...)
	p.add("weakAlias", e.WeakAliases...)
	p.add("previousName", e.PreviousNames...)
	p.add("notes", e.Notes...)
	p.add("topics", e.Topics...)
	p.add("country", e.Countries...)
	p.add("address", e.Addresses...)
	p.add("description", e.Description)
	for _, id := range e.Identifiers {
		switch id.Scheme {
		case "wikidata":
			p.add("wikidataId", id.Value)
		case "unsc-ref":
			p.add("unscId", id.Value)
		}
	}
	if e.Kind == network.Person {
		for _, b := range e.BirthDates {
			switch {
			case !b.Date.IsZero():
				p.date("birthDate", b.Date)
			case b.Type == network.BirthBetween:
				p.date("birthDate", b.From)
				p.date("birthDate", b.To)
			}
		}
		if len(e.BirthDates) == 0 {
			p.date("birthDate", e.Born)
		}
		p.date("deathDate", e.Died)
		p.add("birthPlace", e.BirthPlaces...)
		p.add("nationality", e.Nationality...)
		p.add("position", e.Positions...)
	} else {
		p.date("incorporationDate", e.Founded)
		p.date("dissolutionDate", e.Dissolved)
	}
	x.cite(p, e.SourceIDs)
	return ftmEntity{ID: x.ref(e.ID), Schema: schema, Caption: e.Name, Properties: p}
}

func (x *ftmExport) sanction(e *network.Entity, d *network.Designation) ftmEntity {
	p := props{}
	p.add("entity", x.ref(e.ID))
	p.add("authority", d.Authority)
	p.add("program", d.Program)
	p.add("authorityId", d.Reference)
	p.date("listingDate", d.ListedOn)
	p.date("endDate", d.Until)
	x.cite(p, d.SourceIDs)
	return ftmEntity{ID: strings.TrimPrefix(d.ID, "ftm-"), Schema: "Sanction", Caption: d.Program, Properties: p}
}

// ftmRole is the role to write so that read gives back r's type and Role.
func ftmRole(r *network.Relationship, read func(role string) (network.RelType, string)) string {
	if t, role := read(r.Role); t == r.Type && role == r.Role {
		return r.Role
	}
	if r.Role == "" {
		return string(r.Type)
	}
	return string(r.Type) + ": " + r.Role
}

// ftmEdge picks the FtM schema, its end properties and role property for
// r.
func (x *ftmExport) ftmEdge(r *network.Relationship) (schema, from, to, roleProp, role string) {
	person := func(id string) bool { return x.kinds[id] == network.Person }
	org := func(id string) bool { return x.kinds[id] == network.Organization }
	known := func(id string) bool { return x.kinds[id] != "" }
	switch {
	case r.Type == network.MemberOf && known(r.From) && org(r.To):
		return "Membership", "member", "organization", "role", r.Role
	case r.Type == network.LeaderOf && known(r.From) && org(r.To):
		return "Directorship", "director", "organization", "role", r.Role
	case r.Type == network.EmployedBy && person(r.From) && known(r.To):
		return "Employment", "employee", "employer", "role", r.Role
	case (r.Type == network.MergedInto || r.Type == network.RenamedTo) && known(r.From) && known(r.To):
		return "Succession", "predecessor", "successor", "role",
			ftmRole(r, func(role string) (network.RelType, string) { return ftmrole.SuccessionType(role, r.Note) })
	case r.Type == network.FamilyOf && person(r.From) && person(r.To):
		return "Family", "person", "relative", "relationship", r.Role
	case r.Type == network.AssociatedWith && person(r.From) && person(r.To):
		return "Associate", "person", "associate", "relationship", r.Role
	}
	return "UnknownLink", "subject", "object", "role", ftmRole(r, ftmrole.UnknownLinkType)
}

func (x *ftmExport) relationship(r *network.Relationship) ftmEntity {
	p := props{}
	schema, from, to, roleProp, role := x.ftmEdge(r)
	p.add(from, x.ref(r.From))
	p.add(to, x.ref(r.To))
	p.add(roleProp, role)
	p.date("startDate", r.Since)
	p.date("endDate", r.Until)
	p.add("summary", r.Note)
	p.add("description", r.Evidence)
	p.add("status", r.Qualifier)
	x.cite(p, r.SourceIDs)
	return ftmEntity{ID: strings.TrimPrefix(r.ID, "ftm-"), Schema: schema, Properties: p}
}
