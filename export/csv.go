package export

import (
	"encoding/csv"
	"io"
	"sort"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// csvNodeHeader is the header of the nodes file. Its column names follow
// neo4j-admin database import; loader/csvimport reads the same columns in
// any order.
var csvNodeHeader = []string{
	"id:ID", ":LABEL", "name", "aliases:string[]", "weakAliases:string[]", "previousNames:string[]",
	"originalScriptNames:string[]", "description", "born", "died", "nationality:string[]",
	"birthDates:string[]", "birthPlaces:string[]", "positions:string[]", "founded", "dissolved",
	"types:string[]", "ideologies:string[]", "areas:string[]", "countries:string[]",
	"addresses:string[]", "notes:string[]", "topics:string[]", "identifiers:string[]",
	"title", "publisher", "author", "published", "url",
	"entity", "authority", "program", "reference", "listedOn", "until",
	"sources:string[]",
}

// csvRelHeader is the header of the relationships file.
var csvRelHeader = []string{
	":START_ID", ":END_ID", ":TYPE", "id", "role", "since", "until", "qualifier", "evidence", "note", "sources:string[]",
}

// WriteCSV writes d as two CSV files in the conventions of neo4j-admin
// database import, which loader/csvimport reads back without loss (except
// as noted below).
//
// The nodes file holds one row per entity (:LABEL Person or Organization),
// each followed by one row per designation of it (:LABEL Designation, its
// entity in the entity column), then one row per source (:LABEL Source,
// with title, publisher, author, published and url). Entities and sources
// are sorted by id. Every row has every column of csvNodeHeader; a column
// that does not apply to a row's label is empty. The relationships file has
// one row per relationship, sorted by id.
//
// A column named NAME:string[] holds a list: items are separated by ";",
// and a ";" or "\" inside an item is written "\;" or "\\". sources lists
// source ids; identifiers lists "scheme:value" items (a scheme containing
// ":" is EINVALID); birthDates lists "DATE" (EXACT), "~DATE"
// (APPROXIMATELY) and "FROM/TO" (BETWEEN) items. Dates are written as the
// sources give them.
//
// Not written: a birth date's alias and note, identity documents, and empty
// strings in lists. The reader trims spaces around values, so leading and
// trailing spaces are lost too. Cells are written as they are: a value that
// begins with "=", "+", "-" or "@" may be taken for a formula by a
// spreadsheet, which the export does not guard against, because prefixing
// it would change the value.
func WriteCSV(nodes, rels io.Writer, d *network.Dataset) error {
	nw := csv.NewWriter(nodes)
	if err := nw.Write(csvNodeHeader); err != nil {
		return err
	}
	entities := make([]*network.Entity, len(d.Entities))
	for i := range d.Entities {
		entities[i] = &d.Entities[i]
	}
	sort.SliceStable(entities, func(i, j int) bool { return entities[i].ID < entities[j].ID })
	for _, e := range entities {
		row, err := csvEntityRow(e)
		if err != nil {
			return err
		}
		if err := nw.Write(row); err != nil {
			return err
		}
		for i := range e.Designations {
			if err := nw.Write(csvDesignationRow(e, &e.Designations[i])); err != nil {
				return err
			}
		}
	}
	sources := make([]*network.Source, len(d.Sources))
	for i := range d.Sources {
		sources[i] = &d.Sources[i]
	}
	sort.SliceStable(sources, func(i, j int) bool { return sources[i].ID < sources[j].ID })
	for _, s := range sources {
		if err := nw.Write(csvSourceRow(s)); err != nil {
			return err
		}
	}
	nw.Flush()
	if err := nw.Error(); err != nil {
		return err
	}

	rw := csv.NewWriter(rels)
	if err := rw.Write(csvRelHeader); err != nil {
		return err
	}
	rs := make([]*network.Relationship, len(d.Relationships))
	for i := range d.Relationships {
		rs[i] = &d.Relationships[i]
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	for _, r := range rs {
		if err := rw.Write([]string{
			r.From, r.To, string(r.Type), r.ID, r.Role, r.Since.String(), r.Until.String(),
			r.Qualifier, r.Evidence, r.Note, csvList(r.SourceIDs),
		}); err != nil {
			return err
		}
	}
	rw.Flush()
	return rw.Error()
}

// csvRow builds a nodes row by column name.
type csvRow map[string]string

func (c csvRow) cells() []string {
	out := make([]string, len(csvNodeHeader))
	for i, h := range csvNodeHeader {
		out[i] = c[h]
	}
	return out
}

func csvEntityRow(e *network.Entity) ([]string, error) {
	label := "Organization"
	if e.Kind == network.Person {
		label = "Person"
	}
	ids := make([]string, len(e.Identifiers))
	for i, id := range e.Identifiers {
		if strings.Contains(id.Scheme, ":") {
			return nil, network.Errorf(network.EINVALID, "entity %q: identifier scheme %q contains \":\", which the CSV export cannot write", e.ID, id.Scheme)
		}
		ids[i] = id.Scheme + ":" + id.Value
	}
	births := make([]string, len(e.BirthDates))
	for i, b := range e.BirthDates {
		switch b.Type {
		case network.BirthBetween:
			births[i] = b.From.String() + "/" + b.To.String()
		case network.BirthApproximately:
			births[i] = "~" + b.Date.String()
		default:
			births[i] = b.Date.String()
		}
	}
	return csvRow{
		"id:ID": e.ID, ":LABEL": label, "name": e.Name,
		"aliases:string[]":             csvList(e.Aliases),
		"weakAliases:string[]":         csvList(e.WeakAliases),
		"previousNames:string[]":       csvList(e.PreviousNames),
		"originalScriptNames:string[]": csvList(e.OriginalScriptNames),
		"description":                  e.Description,
		"born":                         e.Born.String(),
		"died":                         e.Died.String(),
		"nationality:string[]":         csvList(e.Nationality),
		"birthDates:string[]":          csvList(births),
		"birthPlaces:string[]":         csvList(e.BirthPlaces),
		"positions:string[]":           csvList(e.Positions),
		"founded":                      e.Founded.String(),
		"dissolved":                    e.Dissolved.String(),
		"types:string[]":               csvList(e.Types),
		"ideologies:string[]":          csvList(e.Ideologies),
		"areas:string[]":               csvList(e.Areas),
		"countries:string[]":           csvList(e.Countries),
		"addresses:string[]":           csvList(e.Addresses),
		"notes:string[]":               csvList(e.Notes),
		"topics:string[]":              csvList(e.Topics),
		"identifiers:string[]":         csvList(ids),
		"sources:string[]":             csvList(e.SourceIDs),
	}.cells(), nil
}

func csvDesignationRow(e *network.Entity, d *network.Designation) []string {
	return csvRow{
		"id:ID": d.ID, ":LABEL": "Designation", "entity": e.ID,
		"authority": d.Authority, "program": d.Program, "reference": d.Reference,
		"listedOn": d.ListedOn.String(), "until": d.Until.String(),
		"sources:string[]": csvList(d.SourceIDs),
	}.cells()
}

func csvSourceRow(s *network.Source) []string {
	return csvRow{
		"id:ID": s.ID, ":LABEL": "Source", "title": s.Title, "publisher": s.Publisher,
		"author": s.Author, "published": s.Published.String(), "url": s.URL,
	}.cells()
}

// csvList joins items with ";", escaping ";" and "\" inside them and
// leaving empty items out.
func csvList(items []string) string {
	var b strings.Builder
	for _, it := range items {
		if it == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		for _, r := range it {
			if r == ';' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
