package ftm

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/network/ftmrole"
)

// builder turns the parsed lines into a dataset, reporting to rd.
type builder struct {
	rd       *reader
	ds       network.Dataset
	sources  map[string]bool
	entityAt map[string]int // FtM id -> index in ds.Entities
	ourIDs   map[string]*line
}

func newBuilder(rd *reader) *builder {
	return &builder{rd: rd, sources: map[string]bool{}, entityAt: map[string]int{}, ourIDs: map[string]*line{}}
}

// build reads the entities first, then the relationships and sanctions
// that refer to them, so the order of lines does not matter.
func (b *builder) build() *network.Dataset {
	for _, l := range b.rd.lines {
		if _, ok := entitySchemas[l.schema]; ok {
			b.entity(l)
		}
	}
	for _, l := range b.rd.lines {
		if e, ok := edgeSchemas[l.schema]; ok {
			b.relationship(l, e)
		} else if l.schema == sanctionSchema {
			b.sanction(l)
		}
	}
	b.ds.Sort()
	return &b.ds
}

// ourID returns "ftm-" + slug(l.id), reporting an empty slug or two FtM ids
// with one slug.
func (b *builder) ourID(l *line) string {
	s := slug(l.id)
	if s == "" {
		b.rd.problem(l.no, "id", "id %q has no letters or digits", l.id)
		return ""
	}
	id := "ftm-" + s
	if prev, dup := b.ourIDs[id]; dup {
		b.rd.problem(l.no, "id", "id %q and id %q on line %d both become %q", l.id, prev.id, prev.no, id)
		return ""
	}
	b.ourIDs[id] = l
	return id
}

// date parses a value of prop; a timestamp keeps its day.
func (b *builder) date(l *line, prop, v string) network.PartialDate {
	s := v
	if len(s) > 10 && s[10] == 'T' && validTime(s[11:]) {
		s = s[:10]
	}
	d, err := network.ParsePartialDate(s)
	if err != nil {
		b.rd.problem(l.no, "properties."+prop, "%s", network.ErrorMessage(err))
	}
	return d
}

// validTime loosely checks the time part of an ISO 8601 timestamp.
func validTime(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789:.+-Z", c) {
			return false
		}
	}
	return true
}

// firstDate parses the first value of prop.
func (b *builder) firstDate(l *line, prop string) network.PartialDate {
	if v := l.first(prop); v != "" {
		return b.date(l, prop, v)
	}
	return network.PartialDate{}
}

// order reports an end before a start.
func (b *builder) order(l *line, startProp string, start network.PartialDate, endProp string, end network.PartialDate) {
	if end.Before(start) {
		b.rd.problem(l.no, "properties."+endProp, "%s %s is before %s %s", endProp, end, startProp, start)
	}
}

// cite returns the ids of the sources of l, creating them.
func (b *builder) cite(l *line) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(s network.Source) {
		if !b.sources[s.ID] {
			b.sources[s.ID] = true
			b.ds.Sources = append(b.ds.Sources, s)
		}
		if !seen[s.ID] {
			seen[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	for _, u := range l.props["sourceUrl"] {
		add(network.Source{ID: "ftm-url-" + hash12(u), Title: u, URL: u})
	}
	for _, p := range l.props["publisher"] {
		add(network.Source{ID: "ftm-pub-" + hash12(p), Title: p, Publisher: p})
	}
	if len(ids) == 0 {
		base := filepath.Base(b.rd.file)
		s := slug(base)
		if s == "" {
			s = hash12(base)
		}
		add(network.Source{ID: "ftm-file-" + s, Title: base})
	}
	return ids
}

func (b *builder) entity(l *line) {
	kind := entitySchemas[l.schema]
	p := l.props
	e := network.Entity{ID: b.ourID(l), Kind: kind}
	e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: "ftm", Value: l.id})
	if l.schema != "Person" && l.schema != "Organization" {
		e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: "ftm-schema", Value: l.schema})
	}
	names := p["name"]
	if len(names) == 0 && l.caption != "" {
		names = []string{l.caption}
	}
	if i := indexOf(names, l.caption); i > 0 {
		// OpenSanctions's caption is its choice of display name: put it
		// first, keeping the other names in order.
		names = append(append([]string{names[i]}, names[:i]...), names[i+1:]...)
	}
	if len(names) == 0 {
		b.rd.problem(l.no, "properties.name", "missing: an entity needs a name (or a caption)")
	} else {
		e.Name = names[0]
		e.Aliases = append(e.Aliases, names[1:]...)
	}
	if len(names) > 1 {
		e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: "ftm-names", Value: strconv.Itoa(len(names))})
	}
	e.Aliases = append(e.Aliases, p["alias"]...)
	for _, v := range p["wikidataId"] {
		e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: "wikidata", Value: v})
	}
	for _, v := range p["unscId"] {
		e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: "unsc-ref", Value: v})
	}
	e.WeakAliases = p["weakAlias"]
	e.PreviousNames = p["previousName"]
	e.Notes = p["notes"]
	e.Topics = p["topics"]
	e.Countries = p["country"]
	e.Addresses = p["address"]
	e.Description = l.first("description")
	if kind == network.Person {
		for _, v := range p["birthDate"] {
			e.BirthDates = append(e.BirthDates, network.DateOfBirth{Type: network.BirthExact, Date: b.date(l, "birthDate", v)})
		}
		if len(e.BirthDates) > 0 {
			e.Born = e.BirthDates[0].Date
		}
		e.Died = b.firstDate(l, "deathDate")
		e.BirthPlaces = p["birthPlace"]
		e.Nationality = p["nationality"]
		e.Positions = p["position"]
	} else {
		e.Founded = b.firstDate(l, "incorporationDate")
		e.Dissolved = b.firstDate(l, "dissolutionDate")
		b.order(l, "incorporationDate", e.Founded, "dissolutionDate", e.Dissolved)
	}
	e.SourceIDs = b.cite(l)
	b.entityAt[l.id] = len(b.ds.Entities)
	b.ds.Entities = append(b.ds.Entities, e)
}

// ref resolves the entity property prop of l to our entity id.
func (b *builder) ref(l *line, prop string) string {
	field := "properties." + prop
	vals := l.props[prop]
	switch {
	case len(vals) == 0:
		b.rd.problem(l.no, field, "missing: a %s needs its %s", l.schema, prop)
		return ""
	case len(vals) > 1:
		b.rd.problem(l.no, field, "want one entity, got %d", len(vals))
		return ""
	}
	target, ok := b.rd.byID[vals[0]]
	if !ok {
		b.rd.problem(l.no, field, "refers to %q, which is not in the file", vals[0])
		return ""
	}
	if _, isEntity := entitySchemas[target.schema]; !isEntity {
		b.rd.problem(l.no, field, "refers to %q on line %d, a %s, not a person or organization", vals[0], target.no, target.schema)
		return ""
	}
	if i, ok := b.entityAt[target.id]; ok {
		return b.ds.Entities[i].ID
	}
	return ""
}

func (b *builder) relationship(l *line, sch edge) {
	role := l.first(sch.role)
	if role == "" && sch.role != "role" {
		role = l.first("role")
	}
	r := network.Relationship{
		ID:       b.ourID(l),
		Type:     sch.rel,
		From:     b.ref(l, sch.from),
		To:       b.ref(l, sch.to),
		Role:     role,
		Note:     l.first("summary"),
		Evidence: l.first("description"),
	}
	switch l.schema {
	case "UnknownLink":
		r.Type, r.Role = ftmrole.UnknownLinkType(role)
	case "Succession":
		r.Type, r.Role = ftmrole.SuccessionType(role, r.Note)
	}
	if q := l.first("status"); network.ValidQualifier(q) {
		r.Qualifier = q
	}
	r.Since = b.firstDate(l, "startDate")
	r.Until = b.firstDate(l, "endDate")
	if r.Since.IsZero() && r.Until.IsZero() {
		r.Since = b.firstDate(l, "date")
		r.Until = r.Since
	}
	b.order(l, "startDate", r.Since, "endDate", r.Until)
	if r.From != "" && r.From == r.To {
		b.rd.problem(l.no, "properties."+sch.to, "relationship from %q to itself", l.first(sch.from))
	}
	r.SourceIDs = b.cite(l)
	b.ds.Relationships = append(b.ds.Relationships, r)
}

func (b *builder) sanction(l *line) {
	target := b.ref(l, "entity")
	d := network.Designation{
		ID:        b.ourID(l),
		Authority: l.first("authority"),
		Program:   l.first("program"),
		Reference: l.first("authorityId"),
		ListedOn:  b.firstDate(l, "listingDate"),
		Until:     b.firstDate(l, "endDate"),
	}
	if d.Reference == "" {
		d.Reference = l.first("unscId")
	}
	startProp := "listingDate"
	if d.ListedOn.IsZero() {
		d.ListedOn = b.firstDate(l, "startDate")
		startProp = "startDate"
	}
	b.order(l, startProp, d.ListedOn, "endDate", d.Until)
	d.SourceIDs = b.cite(l)
	if target == "" {
		return
	}
	i := b.entityAt[l.props["entity"][0]]
	b.ds.Entities[i].Designations = append(b.ds.Entities[i].Designations, d)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
