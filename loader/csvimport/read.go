// Package csvimport reads a network from CSV files in the column
// conventions of neo4j-admin database import: the analyst's spreadsheet,
// and what export.WriteCSV writes.
//
// # Files
//
// Read takes any number of files and tells them apart by their header: a
// file with a :START_ID column holds relationships, any other holds nodes.
// Columns may come in any order; a column of type IGNORE (e.g.
// "comments:IGNORE") is skipped; any other unknown column is a problem, so
// that a misspelt column is not silently dropped. A column is named
// NAME or NAME:TYPE, TYPE being string, string[] (a list) or one of the
// neo4j-admin fields ID, LABEL, START_ID, END_ID, TYPE (an ID space in
// brackets, as in "id:ID(Entity)", is accepted and ignored). Lists are
// split on ";"; "\;" is a semicolon inside an item and "\\" a backslash.
// Values are trimmed of surrounding spaces, empty list items dropped, and a
// UTF-8 byte-order mark at the start of a file is skipped.
//
// # Nodes
//
// Each row's :LABEL is Person, Organization, Source or Designation (any
// case; a neo4j-admin label list such as "Entity;Person" is accepted, the
// label Entity being ignored). Columns, with the required ones marked *:
//   - every row: id:ID*, :LABEL*;
//   - Person and Organization: name*, sources:string[]*, aliases,
//     weakAliases, previousNames, originalScriptNames, description,
//     countries, addresses, notes, topics, identifiers ("scheme:value"
//     items);
//   - Person only: born, died, nationality, birthDates ("DATE" is EXACT,
//     "~DATE" APPROXIMATELY, "FROM/TO" BETWEEN), birthPlaces, positions;
//   - Organization only: founded, dissolved, types, ideologies, areas;
//   - Source: title*, publisher, author, published, url;
//   - Designation: entity* (the id of the entity it lists), authority*,
//     sources:string[]*, program, reference, listedOn, until.
//
// A value in a column that does not apply to the row's label is a problem.
//
// # Relationships
//
// Columns :START_ID*, :END_ID*, :TYPE* (one of network.RelTypes, any case),
// id, role, since, until, qualifier, evidence, note and sources:string[]*.
// A row without an id gets START-TYPE-END (the type lower-cased with
// hyphens), with "-2", "-3", … appended when that id is taken.
//
// # Sources
//
// Every fact must have a source, so an entity, designation or relationship
// without one is a problem. An item of a sources list is either the id of a
// Source row or an http(s) URL. A URL that is some Source row's url cites
// that source; any other URL becomes a source of its own, titled with the
// URL, with id "src-" and the first 12 hex digits of the URL's SHA-256, so
// that sources stay unique by URL. export.WriteCSV writes every source as a
// Source row and cites them by id, so its output reads back without loss.
//
// # Errors
//
// Every file is read completely before anything is returned, and every
// problem is reported in one *loader.ValidationError naming the file, the
// line of the CSV record and the column header: a row with the wrong number
// of columns, an unknown :LABEL or :TYPE, a bad or impossible date, an end
// before its start, a missing required column or value, an unknown column,
// a duplicate id (ids share one namespace, as in the YAML format), a
// reference to an unknown entity or source, invalid UTF-8, and malformed
// CSV. On error no dataset is returned. Unlike the YAML loader, Read does
// not check the endpoint kinds of relationship types.
package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/allegiance/allegiance/network"
)

// input is one file's name and contents.
type input struct {
	name string
	data []byte
}

// Read reads the CSV files at paths (nodes and relationships files, in any
// order and number) into one dataset.
func Read(paths ...string) (*network.Dataset, error) {
	r := newReader()
	if len(paths) == 0 {
		r.problem("", 0, "", "no files given: want a nodes file and a relationships file")
	}
	var inputs []input
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			r.problem(p, 0, "", "cannot read: %v", err)
			continue
		}
		inputs = append(inputs, input{p, b})
	}
	return r.read(inputs)
}

// column is one parsed header column.
type column struct {
	header string // as written
	key    string // "name", or ":ID", ":LABEL", …
	ignore bool
}

// row is one record, its values by column key, and where it was read.
type row struct {
	file   string
	line   int
	values map[string]string
	header map[string]string // key -> header as written
}

// get returns the trimmed value of key.
func (w *row) get(key string) string { return strings.TrimSpace(w.values[key]) }

// field names key in problems: the header as written, or the canonical one.
func (w *row) field(key string) string {
	if h, ok := w.header[key]; ok {
		return h
	}
	return canonical[key]
}

// parseFile reads one file's records, classifying it by its header.
func (r *reader) parseFile(in input) {
	data := bytes.TrimPrefix(in.data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		r.problem(in.name, 0, "", "file is empty: want a header row")
		return
	}
	if err != nil {
		r.csvError(in.name, err)
		return
	}
	cols, ok := r.header(in.name, head)
	if !ok {
		return
	}
	isRels := false
	for _, c := range cols {
		isRels = isRels || c.key == ":START_ID"
	}
	allowed, required := nodeColumns, []string{":ID", ":LABEL"}
	if isRels {
		allowed, required = relColumns, []string{":START_ID", ":END_ID", ":TYPE", "sources"}
	}
	headers := map[string]string{}
	for _, c := range cols {
		if c.ignore {
			continue
		}
		if !allowed[c.key] {
			r.problem(in.name, 1, c.header, "unknown column (want one of %s, or NAME:IGNORE)", columnList(allowed))
			continue
		}
		headers[c.key] = c.header
	}
	for _, k := range required {
		if _, ok := headers[k]; !ok {
			r.problem(in.name, 1, canonical[k], "missing required column")
		}
	}
	var rows []*row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			r.csvError(in.name, err)
			return
		}
		line, _ := cr.FieldPos(0)
		if w := r.record(in.name, line, cols, headers, rec); w != nil {
			rows = append(rows, w)
		}
	}
	if isRels {
		r.relRows = append(r.relRows, rows...)
		return
	}
	r.nodeRows = append(r.nodeRows, rows...)
	r.checkNodeColumns(in.name, headers, rows)
}

func (r *reader) csvError(file string, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.problem(file, pe.Line, "", "malformed CSV: %v", pe.Err)
		return
	}
	r.problem(file, 0, "", "cannot read: %v", err)
}

// header parses the header row.
func (r *reader) header(file string, head []string) ([]column, bool) {
	cols := make([]column, len(head))
	seen := map[string]bool{}
	ok := true
	for i, h := range head {
		if !utf8.ValidString(h) {
			r.problem(file, 1, fmt.Sprintf("column %d", i+1), "not valid UTF-8")
			ok = false
			continue
		}
		h = strings.TrimSpace(h)
		name, typ := h, ""
		if j := strings.LastIndex(h, ":"); j >= 0 {
			name, typ = strings.TrimSpace(h[:j]), strings.TrimSpace(h[j+1:])
		}
		if k := strings.Index(typ, "("); k >= 0 && strings.HasSuffix(typ, ")") {
			typ = typ[:k] // an ID space: id:ID(Entity)
		}
		c := column{header: h, key: name}
		switch strings.ToUpper(typ) {
		case "", "STRING", "STRING[]":
		case "IGNORE":
			c.ignore = true
		case "ID", "LABEL", "START_ID", "END_ID", "TYPE":
			c.key = ":" + strings.ToUpper(typ)
		default:
			r.problem(file, 1, h, "unknown column type %q (want string, string[], IGNORE, ID, LABEL, START_ID, END_ID or TYPE)", typ)
			ok = false
		}
		if c.key == "" && !c.ignore {
			r.problem(file, 1, fmt.Sprintf("column %d", i+1), "column has no name")
			ok = false
		}
		if !c.ignore && seen[c.key] {
			r.problem(file, 1, h, "column given twice")
			ok = false
		}
		seen[c.key] = true
		cols[i] = c
	}
	return cols, ok
}

// record checks one record's shape and encoding.
func (r *reader) record(file string, line int, cols []column, headers map[string]string, rec []string) *row {
	if len(rec) != len(cols) {
		field := ""
		if len(rec) < len(cols) {
			field = cols[len(rec)].header
		}
		r.problem(file, line, field, "want %d columns as in the header, got %d", len(cols), len(rec))
		return nil
	}
	w := &row{file: file, line: line, values: map[string]string{}, header: headers}
	ok := true
	for i, v := range rec {
		if cols[i].ignore {
			continue
		}
		if !utf8.ValidString(v) {
			r.problem(file, line, cols[i].header, "not valid UTF-8")
			ok = false
			continue
		}
		w.values[cols[i].key] = v
	}
	if !ok {
		return nil
	}
	return w
}
