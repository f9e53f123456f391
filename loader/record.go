package loader

import (
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/network"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// record reads the fields of one YAML mapping, reporting problems to r.
type record struct {
	r      *reader
	file   string
	kind   string // "source", "entity", "relationship", "designation"
	node   *yaml.Node
	values map[string]*yaml.Node
	loc    located
}

func (r *reader) record(file, kind string, n *yaml.Node, allowed ...string) *record {
	rec := &record{r: r, file: file, kind: kind, node: n, values: map[string]*yaml.Node{},
		loc: located{file: file, line: n.Line, fields: map[string]int{}}}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !ok[k.Value]:
			r.problem(file, k.Line, k.Value, "unknown %s field", kind)
		case rec.values[k.Value] != nil:
			r.problem(file, k.Line, k.Value, "field given twice")
		default:
			rec.values[k.Value] = v
			rec.loc.fields[k.Value] = k.Line
		}
	}
	return rec
}

func (c *record) problem(field, format string, args ...any) {
	file, line := c.loc.at(field)
	c.r.problem(file, line, field, format, args...)
}

// str returns a scalar field; required ones must be present and non-empty.
func (c *record) str(field string, required bool) string {
	v := c.values[field]
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		if required {
			c.problem(field, "missing required field")
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		c.problem(field, "want a single value")
		return ""
	}
	if required && v.Value == "" {
		c.problem(field, "must not be empty")
	}
	return v.Value
}

// id returns the record's id field, checked as a slug.
func (c *record) id() string {
	id := c.str("id", true)
	if id != "" && !slugRE.MatchString(id) {
		c.problem("id", "%q is not a slug (lower-case letters, digits and single hyphens)", id)
	}
	return id
}

// list returns a list-of-strings field.
func (c *record) list(field string, required bool) []string {
	v := c.values[field]
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		if required {
			c.problem(field, "missing required field: give at least one")
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		c.problem(field, "want a list")
		return nil
	}
	var out []string
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			c.r.problem(c.file, item.Line, field, "want a non-empty string in the list")
			continue
		}
		out = append(out, item.Value)
	}
	if required && len(out) == 0 {
		c.problem(field, "must list at least one")
	}
	return out
}

// date returns a partial-date field.
func (c *record) date(field string) network.PartialDate {
	s := c.str(field, false)
	if s == "" {
		return network.PartialDate{}
	}
	d, err := network.ParsePartialDate(s)
	if err != nil {
		c.problem(field, "%s", network.ErrorMessage(err))
	}
	return d
}

// forbid reports fields that make no sense for this record.
func (c *record) forbid(why string, fields ...string) {
	for _, f := range fields {
		if c.values[f] != nil {
			c.problem(f, "not allowed %s", why)
		}
	}
}

func (r *reader) source(file string, n *yaml.Node) {
	c := r.record(file, "source", n, "id", "title", "publisher", "author", "published", "url")
	r.ds.Sources = append(r.ds.Sources, network.Source{
		ID:        c.id(),
		Title:     c.str("title", true),
		Publisher: c.str("publisher", false),
		Author:    c.str("author", false),
		Published: c.date("published"),
		URL:       c.str("url", false),
	})
	r.sourceAt = append(r.sourceAt, c.loc)
}

var personOnly = []string{"born", "died", "nationality"}
var organizationOnly = []string{"founded", "dissolved", "types", "ideologies", "areas"}

func (r *reader) entity(file string, n *yaml.Node) {
	c := r.record(file, "entity", n, "id", "kind", "name", "aliases", "description", "identifiers",
		"sources", "born", "died", "nationality", "founded", "dissolved", "types", "ideologies", "areas", "designations")
	e := network.Entity{
		ID:          c.id(),
		Name:        c.str("name", true),
		Aliases:     c.list("aliases", false),
		Description: c.str("description", false),
		SourceIDs:   c.list("sources", true),
		Born:        c.date("born"),
		Died:        c.date("died"),
		Nationality: c.list("nationality", false),
		Founded:     c.date("founded"),
		Dissolved:   c.date("dissolved"),
		Types:       c.list("types", false),
		Ideologies:  c.list("ideologies", false),
		Areas:       c.list("areas", false),
	}
	switch k := c.str("kind", true); k {
	case "person":
		e.Kind = network.Person
		c.forbid("for a person", organizationOnly...)
		c.order("born", e.Born, "died", e.Died)
	case "organization":
		e.Kind = network.Organization
		c.forbid("for an organization", personOnly...)
		c.order("founded", e.Founded, "dissolved", e.Dissolved)
	case "":
	default:
		c.problem("kind", "unknown kind %q (want person or organization)", k)
	}
	if v := c.values["identifiers"]; v != nil {
		e.Identifiers = r.identifiers(file, v)
	}
	if v := c.values["designations"]; v != nil {
		e.Designations = r.designations(file, v)
	}
	r.ds.Entities = append(r.ds.Entities, e)
	r.entityAt = append(r.entityAt, c.loc)
}

// order reports an end before a start.
func (c *record) order(startField string, start network.PartialDate, endField string, end network.PartialDate) {
	if end.Before(start) {
		c.problem(endField, "%s %s is before %s %s", endField, end, startField, start)
	}
}

// eachMapping calls each for every item of the list v, reporting a v that
// is not a list and items that are not mappings.
func (r *reader) eachMapping(file, field string, v *yaml.Node, each func(item *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		r.problem(file, v.Line, field, "want a list")
		return
	}
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			r.problem(file, item.Line, field, "want a mapping for each item")
			continue
		}
		each(item)
	}
}

func (r *reader) identifiers(file string, v *yaml.Node) []network.Identifier {
	var out []network.Identifier
	r.eachMapping(file, "identifiers", v, func(item *yaml.Node) {
		c := r.record(file, "identifier", item, "scheme", "value")
		out = append(out, network.Identifier{Scheme: c.str("scheme", true), Value: c.str("value", true)})
	})
	return out
}

func (r *reader) designations(file string, v *yaml.Node) []network.Designation {
	var out []network.Designation
	r.eachMapping(file, "designations", v, func(item *yaml.Node) {
		c := r.record(file, "designation", item, "id", "authority", "program", "reference", "listedOn", "until", "sources")
		d := network.Designation{
			ID:        c.id(),
			Authority: c.str("authority", true),
			Program:   c.str("program", false),
			Reference: c.str("reference", false),
			ListedOn:  c.date("listedOn"),
			Until:     c.date("until"),
			SourceIDs: c.list("sources", true),
		}
		c.order("listedOn", d.ListedOn, "until", d.Until)
		r.designationAt = append(r.designationAt, c.loc)
		out = append(out, d)
	})
	return out
}

func (r *reader) relationship(file string, n *yaml.Node) {
	c := r.record(file, "relationship", n, "id", "type", "from", "to", "role", "since", "until",
		"qualifier", "evidence", "note", "sources")
	rel := network.Relationship{
		ID:        c.id(),
		Type:      network.RelType(c.str("type", true)),
		From:      c.str("from", true),
		To:        c.str("to", true),
		Role:      c.str("role", false),
		Since:     c.date("since"),
		Until:     c.date("until"),
		Qualifier: c.str("qualifier", false),
		Evidence:  c.str("evidence", false),
		Note:      c.str("note", false),
		SourceIDs: c.list("sources", true),
	}
	if rel.Type != "" && !rel.Type.Valid() {
		c.problem("type", "unknown relationship type %q", rel.Type)
	}
	if rel.Qualifier != "" && !network.ValidQualifier(rel.Qualifier) {
		c.problem("qualifier", "unknown qualifier %q (want one of %v)", rel.Qualifier, network.Qualifiers)
	}
	if rel.From != "" && rel.From == rel.To {
		c.problem("to", "relationship from %q to itself", rel.From)
	}
	c.order("since", rel.Since, "until", rel.Until)
	r.ds.Relationships = append(r.ds.Relationships, rel)
	r.relAt = append(r.relAt, c.loc)
}
