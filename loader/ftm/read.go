// Package ftm reads FollowTheMoney (FtM) entities, one JSON object a line
// ({"id","schema","properties":{prop:[values]}}) as OpenSanctions exports
// them, into a network.Dataset.
//
// # Entities
//
// Person becomes a network.Person; Organization, LegalEntity and Company
// become a network.Organization. The entity id is "ftm-" followed by a slug
// of the FtM id (lower-cased, each run of characters other than a-z and 0-9
// becoming one "-"); the FtM id itself is kept as the identifier
// {ftm, id}. Two FtM ids with the same slug are a problem. Two identifiers
// exist only so that an export gives back the same FtM entity:
// {ftm-schema, LegalEntity|Company} keeps a schema our two kinds cannot
// tell apart, and {ftm-names, N} says that the first N-1 aliases were FtM
// "name" values (the first name is the entity's Name) and the rest "alias"
// values. Aliases are kept verbatim, duplicates included, for the same
// reason.
//
// Properties: name (the first is the Name, the others aliases; when the
// line's "caption" is one of the names it is the Name instead, since
// OpenSanctions puts its chosen display name there, and a caption stands in
// for a missing name), alias, weakAlias,
// previousName, birthDate (each a network.DateOfBirth of type EXACT; Born is
// the first), birthPlace, deathDate (Died; the first only), nationality,
// country, position, notes, topics, address, description (the first only),
// wikidataId (identifier scheme "wikidata"), unscId (scheme "unsc-ref", as the UN list importer writes it, so that resolution links the two), and for
// organizations incorporationDate and dissolutionDate (Founded and
// Dissolved, the first of each). Every other property is ignored.
//
// # Relationships
//
// Membership (member, organization) is MEMBER_OF; Directorship (director,
// organization) LEADER_OF; Employment (employee, employer) EMPLOYED_BY;
// Family (person, relative) FAMILY_OF; Associate (person, associate) and
// UnknownLink (subject, object) ASSOCIATED_WITH; Succession (predecessor,
// successor) MERGED_INTO or RENAMED_TO. The relationship id is "ftm-" and
// the slug of the FtM id. startDate and endDate are Since and Until (an
// Interval's "date" alone gives Since = Until, an event); role is Role
// (Family's and Associate's "relationship", else their role); summary is
// Note; description is Evidence; status is the Qualifier when it is one
// network.ValidQualifier accepts. Where FtM allows several values and we
// keep one (role, dates, summary, description), the first is kept.
//
// The type comes from the role for two schemas:
//   - UnknownLink: a role that is one of network.RelTypes, or starts with
//     one followed by ": ", gives that type, and the rest (after ": ") is
//     the Role. This is how an export carries the types FtM lacks
//     (PLEDGED_ALLEGIANCE_TO, ALLIED_WITH, FOUNDED, …): role
//     "PLEDGED_ALLEGIANCE_TO: emir" reads back as PLEDGED_ALLEGIANCE_TO with
//     Role "emir". Any other role gives ASSOCIATED_WITH with that Role.
//   - Succession: a role of "MERGED_INTO" or "RENAMED_TO" (optionally with
//     ": " and a Role) gives that type; otherwise the role, or the summary
//     when there is no role, containing "renam" (any case: "renamed",
//     "renaming") gives RENAMED_TO; anything else MERGED_INTO.
//
// Sanction (entity, authority, program, authorityId or unscId, listingDate
// or else startDate, endDate) becomes a network.Designation of its entity,
// with id "ftm-" and the slug of the FtM id.
//
// # Sources
//
// Every sourceUrl value is a network.Source with that URL (its title is
// the URL, its id "ftm-url-" and 12 hex digits of the URL's SHA-256), so
// sources stay unique by URL. Every publisher value is a source of its own
// with that publisher ("ftm-pub-" and the hash of the name). An entity,
// relationship or sanction cites all of them. One that has neither cites
// the file itself: a source titled with the file's base name, id
// "ftm-file-" and a slug of that name, so that every fact keeps a source.
//
// # Errors
//
// Lines may come in any order: a relationship may precede the entities it
// joins. Everything is read before anything is returned, and every problem
// of the file is reported in one *loader.ValidationError naming the file,
// the line and the field ("id", "schema", "properties.member", …): a line
// that is not valid UTF-8 or JSON or not an object, a missing id or
// schema, a duplicate id, an unsupported schema, a property that is not a
// list of strings, a bad date, a reference to an entity absent from the
// file, a relationship from an entity to itself, and an end before its
// start. A date is YYYY, YYYY-MM or YYYY-MM-DD; a timestamp
// (YYYY-MM-DDThh:mm:ss…) is accepted and keeps its day only. On error no
// dataset is returned.
package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"unicode/utf8"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// line is one parsed FtM entity and where it was read.
type line struct {
	no      int
	id      string
	schema  string
	caption string
	props   map[string][]string
}

// first returns the first value of prop, or "".
func (l *line) first(prop string) string {
	if v := l.props[prop]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// reader accumulates the lines and problems of one file.
type reader struct {
	file     string
	problems []loader.Problem
	lines    []*line
	byID     map[string]*line
}

func (rd *reader) problem(no int, field, format string, args ...any) {
	rd.problems = append(rd.problems, loader.Problem{File: rd.file, Line: no, Field: field, Message: fmt.Sprintf(format, args...)})
}

// ReadFile reads the FtM file at path.
func ReadFile(path string) (*network.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &loader.ValidationError{Problems: []loader.Problem{{File: path, Message: fmt.Sprintf("cannot read: %v", err)}}}
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads FtM JSON lines from r, naming them name in problems. See the
// package documentation for the mapping.
func Read(name string, r io.Reader) (*network.Dataset, error) {
	rd := &reader{file: name, byID: map[string]*line{}}
	br := bufio.NewReader(r)
	for no := 1; ; no++ {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			rd.parse(no, b)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			rd.problem(no, "", "cannot read: %v", err)
			break
		}
	}
	b := newBuilder(rd)
	ds := b.build()
	if len(rd.problems) > 0 {
		sort.SliceStable(rd.problems, func(i, j int) bool { return rd.problems[i].Line < rd.problems[j].Line })
		return nil, &loader.ValidationError{Problems: rd.problems}
	}
	return ds, nil
}

// parse reads one line into rd.lines, or reports why it cannot.
func (rd *reader) parse(no int, b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return
	}
	if !utf8.Valid(b) {
		rd.problem(no, "", "not valid UTF-8")
		return
	}
	if !json.Valid(b) {
		rd.problem(no, "", "not valid JSON")
		return
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		rd.problem(no, "", "want a JSON object with id, schema and properties")
		return
	}
	l := &line{no: no, props: map[string][]string{}}
	l.id = rd.str(no, obj, "id", true)
	l.schema = rd.str(no, obj, "schema", true)
	l.caption = rd.str(no, obj, "caption", false)
	if l.schema != "" && !knownSchema(l.schema) {
		rd.problem(no, "schema", "unsupported schema %q (want one of %s)", l.schema, schemaList())
		l.schema = ""
	}
	if raw, ok := obj["properties"]; ok {
		rd.properties(l, raw)
	}
	if l.id == "" || l.schema == "" {
		return
	}
	if prev, dup := rd.byID[l.id]; dup {
		rd.problem(no, "id", "duplicate id %q (already on line %d)", l.id, prev.no)
		return
	}
	rd.byID[l.id] = l
	rd.lines = append(rd.lines, l)
}

// str reads a top-level string field.
func (rd *reader) str(no int, obj map[string]json.RawMessage, field string, required bool) string {
	raw, ok := obj[field]
	if !ok || string(raw) == "null" {
		if required {
			rd.problem(no, field, "missing required field")
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		rd.problem(no, field, "want a string")
		return ""
	}
	if required && s == "" {
		rd.problem(no, field, "must not be empty")
	}
	return s
}

// properties reads the properties object: each value a list of strings.
// Empty strings are dropped.
func (rd *reader) properties(l *line, raw json.RawMessage) {
	if string(raw) == "null" {
		return
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(raw, &props); err != nil {
		rd.problem(l.no, "properties", "want an object of lists of strings")
		return
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var vals []*string
		if err := json.Unmarshal(props[k], &vals); err != nil {
			rd.problem(l.no, "properties."+k, "want a list of strings")
			continue
		}
		var out []string
		for _, v := range vals {
			if v == nil {
				rd.problem(l.no, "properties."+k, "want a list of strings, not null")
				continue
			}
			if *v != "" {
				out = append(out, *v)
			}
		}
		if len(out) > 0 {
			l.props[k] = out
		}
	}
}
