package unsc

import (
	"regexp"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// record is one INDIVIDUAL or ENTITY as mapped, with what the relationship
// extraction needs.
type record struct {
	ref     string // REFERENCE_NUMBER, e.g. "QDi.316"
	line    int
	comment string // COMMENTS1, trimmed
	entity  network.Entity
}

var (
	refPattern = regexp.MustCompile(`^[A-Z]{2,3}[ie]\.[0-9]{1,4}$`)
	yearRange  = regexp.MustCompile(`^([0-9]{4})\s*-\s*([0-9]{4})$`)
)

// EntityID returns the entity id of a reference number: "QDi.316" gives
// "un-qdi-316".
func EntityID(ref string) string {
	return "un-" + strings.ToLower(strings.ReplaceAll(ref, ".", "-"))
}

// designationID is the id of the UN designation of the record ref.
func designationID(ref string) string { return EntityID(ref) + "-unsc" }

// record maps one INDIVIDUAL or ENTITY node; problems are recorded and the
// record skipped.
func (p *parser) record(n *node) {
	before := len(p.problems)
	person := n.name == "INDIVIDUAL"
	f := func(child string) string { return n.name + "/" + child }
	lineOf := func(child string) int {
		if c := n.child(child); c != nil {
			return c.line
		}
		return n.line
	}

	ref := n.val("REFERENCE_NUMBER")
	switch {
	case ref == "":
		p.problem(lineOf("REFERENCE_NUMBER"), f("REFERENCE_NUMBER"), "missing: every record needs its reference number")
	case !refPattern.MatchString(ref):
		p.problem(lineOf("REFERENCE_NUMBER"), f("REFERENCE_NUMBER"), "malformed reference number %q: want e.g. QDi.316", ref)
	}
	for _, r := range p.records {
		if ref != "" && r.ref == ref {
			p.problem(lineOf("REFERENCE_NUMBER"), f("REFERENCE_NUMBER"), "duplicate reference number %q (already used at line %d)", ref, r.line)
		}
	}
	dataID := n.val("DATAID")
	if dataID == "" {
		p.problem(lineOf("DATAID"), f("DATAID"), "missing")
	}
	var parts []string
	for _, c := range []string{"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"} {
		if !person && c != "FIRST_NAME" {
			break
		}
		if s := n.val(c); s != "" {
			parts = append(parts, strings.Join(strings.Fields(s), " "))
		}
	}
	name := strings.Join(parts, " ")
	if name == "" {
		p.problem(lineOf("FIRST_NAME"), f("FIRST_NAME"), "missing: the record has no name")
	}
	listedOn := p.date(n, "LISTED_ON", f("LISTED_ON"))

	e := network.Entity{
		ID:        EntityID(ref),
		Kind:      network.Organization,
		Name:      name,
		Topics:    []string{"sanction"},
		SourceIDs: []string{SourceID},
		Identifiers: []network.Identifier{
			{Scheme: SchemeRef, Value: ref},
			{Scheme: SchemeDataID, Value: dataID},
		},
	}
	if person {
		e.Kind = network.Person
	}
	for _, o := range n.all("NAME_ORIGINAL_SCRIPT") {
		e.OriginalScriptNames = addUnique(e.OriginalScriptNames, strings.TrimSpace(o.text.String()))
	}
	comment := n.val("COMMENTS1")
	if comment != "" {
		e.Notes = append(e.Notes, comment)
	}
	p.aliases(n, &e, person)
	e.Nationality = uniq(n.values("NATIONALITY"))
	for _, a := range n.all(n.name + "_ADDRESS") {
		e.Addresses = addUnique(e.Addresses, joinParts(a, "STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE"))
	}
	if person {
		p.births(n, &e)
		p.documents(n, &e)
		e.Positions = uniq(append(n.values("DESIGNATION"), n.values("TITLE")...))
	}
	d := network.Designation{
		ID:        designationID(ref),
		Authority: Authority,
		Program:   n.val("UN_LIST_TYPE"),
		Reference: ref,
		ListedOn:  listedOn,
		Until:     p.date(n, "DELISTED_ON", f("DELISTED_ON")),
		SourceIDs: []string{SourceID},
	}
	e.Designations = []network.Designation{d}
	if len(p.problems) > before {
		return
	}
	p.records = append(p.records, &record{ref: ref, line: n.line, comment: comment, entity: e})
}

// aliases sorts the aliases by QUALITY and collects an alias's own birth
// date and place.
func (p *parser) aliases(n *node, e *network.Entity, person bool) {
	tag := n.name + "_ALIAS"
	for _, a := range n.all(tag) {
		name := strings.Join(strings.Fields(a.val("ALIAS_NAME")), " ")
		quality := a.val("QUALITY")
		if name != "" {
			switch quality {
			case "Low":
				e.WeakAliases = addUnique(e.WeakAliases, name)
			case "f.k.a.":
				e.PreviousNames = addUnique(e.PreviousNames, name)
			default: // "Good", "a.k.a." and anything unqualified
				e.Aliases = addUnique(e.Aliases, name)
			}
		}
		if note := a.val("NOTE"); note != "" && name != "" {
			e.Notes = addUnique(e.Notes, "alias "+name+": "+note)
		}
		if !person {
			continue
		}
		if c := a.child("DATE_OF_BIRTH"); c != nil {
			if dob, ok := p.aliasBirthDate(c, tag+"/DATE_OF_BIRTH"); ok {
				dob.Alias = name
				e.BirthDates = appendBirth(e.BirthDates, dob)
			}
		}
		place := joinValues(a.val("CITY_OF_BIRTH"), a.val("COUNTRY_OF_BIRTH"))
		if place != "" && name != "" {
			place += " (alias: " + name + ")"
		}
		e.BirthPlaces = addUnique(e.BirthPlaces, place)
	}
}

// aliasBirthDate reads an alias's DATE_OF_BIRTH: "YYYY-MM-DD" or "YYYY"
// (EXACT), "YYYY - YYYY" (BETWEEN); empty and "null" give nothing.
func (p *parser) aliasBirthDate(c *node, field string) (network.DateOfBirth, bool) {
	s := strings.TrimSpace(c.text.String())
	if s == "" || s == "null" {
		return network.DateOfBirth{}, false
	}
	if m := yearRange.FindStringSubmatch(s); m != nil {
		f, err1 := parseDate(m[1], 4)
		t, err2 := parseDate(m[2], 4)
		if err1 != nil || err2 != nil {
			p.problem(c.line, field, "bad date %q: want YYYY-MM-DD, YYYY or YYYY - YYYY", s)
			return network.DateOfBirth{}, false
		}
		return network.DateOfBirth{Type: network.BirthBetween, From: f, To: t}, true
	}
	d, err := parseDate(s, 0)
	if err != nil {
		p.problem(c.line, field, "bad date %q: want YYYY-MM-DD, YYYY or YYYY - YYYY", s)
		return network.DateOfBirth{}, false
	}
	return network.DateOfBirth{Type: network.BirthExact, Date: d}, true
}

// births reads INDIVIDUAL_DATE_OF_BIRTH and INDIVIDUAL_PLACE_OF_BIRTH.
func (p *parser) births(n *node, e *network.Entity) {
	const tag = "INDIVIDUAL/INDIVIDUAL_DATE_OF_BIRTH"
	var main []network.DateOfBirth
	for _, b := range n.all("INDIVIDUAL_DATE_OF_BIRTH") {
		dob := network.DateOfBirth{Type: network.BirthDateType(b.val("TYPE_OF_DATE")), Note: b.val("NOTE")}
		date := p.date(b, "DATE", tag+"/DATE")
		year := p.yearOf(b, "YEAR", tag)
		if date.IsZero() {
			date = year
		}
		switch dob.Type {
		case network.BirthExact, network.BirthApproximately:
			dob.Date = date
		case network.BirthBetween:
			dob.From = p.yearOf(b, "FROM_YEAR", tag)
			dob.To = p.yearOf(b, "TO_YEAR", tag)
		case "":
			if date.IsZero() {
				continue // an empty placeholder
			}
			dob.Type, dob.Date = network.BirthExact, date
		default:
			p.problem(lineOf(b, "TYPE_OF_DATE"), tag+"/TYPE_OF_DATE", "unknown type %q: want EXACT, APPROXIMATELY or BETWEEN", dob.Type)
			continue
		}
		if dob.Date.IsZero() && dob.From.IsZero() && dob.To.IsZero() && dob.Note == "" {
			continue
		}
		main = append(main, dob)
	}
	for _, dob := range main {
		if dob.Type == network.BirthExact && !dob.Date.IsZero() {
			e.Born = dob.Date
			break
		}
	}
	// The main identity's dates come first, then the aliases'.
	aliasDates := e.BirthDates
	e.BirthDates = nil
	for _, d := range append(main, aliasDates...) {
		e.BirthDates = appendBirth(e.BirthDates, d)
	}
	var places []string
	for _, b := range n.all("INDIVIDUAL_PLACE_OF_BIRTH") {
		places = addUnique(places, joinParts(b, "STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"))
	}
	for _, pl := range e.BirthPlaces {
		places = addUnique(places, pl)
	}
	e.BirthPlaces = places
}

// documents reads INDIVIDUAL_DOCUMENT.
func (p *parser) documents(n *node, e *network.Entity) {
	for _, d := range n.all("INDIVIDUAL_DOCUMENT") {
		doc := network.Document{
			Type:    d.val("TYPE_OF_DOCUMENT"),
			Number:  d.val("NUMBER"),
			Country: d.val("ISSUING_COUNTRY"),
			Note:    d.val("NOTE"),
		}
		if t2 := d.val("TYPE_OF_DOCUMENT2"); t2 != "" {
			if doc.Type == "" {
				doc.Type = t2
			} else {
				doc.Type += " (" + t2 + ")"
			}
		}
		if doc.Country == "" {
			doc.Country = d.val("COUNTRY_OF_ISSUE")
		}
		if issued := p.date(d, "DATE_OF_ISSUE", "INDIVIDUAL/INDIVIDUAL_DOCUMENT/DATE_OF_ISSUE"); !issued.IsZero() {
			doc.IssuedOn = issued.String()
		}
		if city := d.val("CITY_OF_ISSUE"); city != "" {
			doc.Note = strings.Join(nonEmpty("issued in "+city, doc.Note), "; ")
		}
		if doc == (network.Document{}) {
			continue
		}
		if !containsDoc(e.Documents, doc) {
			e.Documents = append(e.Documents, doc)
		}
	}
}

// date parses the child called name: YYYY-MM-DD, optionally followed by a
// time-zone offset as the list sometimes writes ("2015-03-27-04:00").
// Empty is the zero date.
func (p *parser) date(n *node, name, field string) network.PartialDate {
	c := n.child(name)
	if c == nil {
		return network.PartialDate{}
	}
	s := strings.TrimSpace(c.text.String())
	if s == "" {
		return network.PartialDate{}
	}
	day := s
	if len(s) > 10 && (s[10] == '-' || s[10] == '+' || s[10] == 'Z' || s[10] == 'T') {
		day = s[:10]
	}
	d, err := parseDate(day, 10)
	if err != nil {
		p.problem(c.line, field, "bad date %q: want YYYY-MM-DD", s)
	}
	return d
}

// yearOf parses the child called name as a year.
func (p *parser) yearOf(n *node, name, tag string) network.PartialDate {
	c := n.child(name)
	if c == nil {
		return network.PartialDate{}
	}
	s := strings.TrimSpace(c.text.String())
	if s == "" {
		return network.PartialDate{}
	}
	d, err := parseDate(s, 4)
	if err != nil {
		p.problem(c.line, tag+"/"+name, "bad year %q: want YYYY", s)
	}
	return d
}

// parseDate parses s as a partial date of exactly length want (0: any).
func parseDate(s string, want int) (network.PartialDate, error) {
	if want != 0 && len(s) != want {
		return network.PartialDate{}, network.Errorf(network.EINVALID, "want %d characters", want)
	}
	return network.ParsePartialDate(s)
}

func lineOf(n *node, child string) int {
	if c := n.child(child); c != nil {
		return c.line
	}
	return n.line
}

// joinParts joins the non-empty trimmed children of n with ", ".
func joinParts(n *node, children ...string) string {
	vals := make([]string, len(children))
	for i, c := range children {
		vals[i] = strings.Join(strings.Fields(n.val(c)), " ")
	}
	return joinValues(vals...)
}

func joinValues(vals ...string) string { return strings.Join(nonEmpty(vals...), ", ") }

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// addUnique appends s to list unless it is empty or already there.
func addUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func uniq(list []string) []string {
	var out []string
	for _, s := range list {
		out = addUnique(out, s)
	}
	return out
}

func appendBirth(list []network.DateOfBirth, d network.DateOfBirth) []network.DateOfBirth {
	for _, x := range list {
		if x == d {
			return list
		}
	}
	return append(list, d)
}

func containsDoc(list []network.Document, d network.Document) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}
