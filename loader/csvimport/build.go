package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// Row labels.
const (
	labelPerson       = "Person"
	labelOrganization = "Organization"
	labelSource       = "Source"
	labelDesignation  = "Designation"
)

func keys(ks ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

// listColumns are the columns holding lists.
var listColumns = keys("aliases", "weakAliases", "previousNames", "originalScriptNames", "countries",
	"addresses", "notes", "topics", "identifiers", "sources", "nationality", "birthDates",
	"birthPlaces", "positions", "types", "ideologies", "areas")

var entityColumns = []string{":ID", ":LABEL", "name", "aliases", "weakAliases", "previousNames", "originalScriptNames",
	"description", "countries", "addresses", "notes", "topics", "identifiers", "sources"}

// allowedFor gives the node columns that may hold a value for each label.
var allowedFor = map[string]map[string]bool{
	labelPerson:       keys(append([]string{"born", "died", "nationality", "birthDates", "birthPlaces", "positions"}, entityColumns...)...),
	labelOrganization: keys(append([]string{"founded", "dissolved", "types", "ideologies", "areas"}, entityColumns...)...),
	labelSource:       keys(":ID", ":LABEL", "title", "publisher", "author", "published", "url"),
	labelDesignation:  keys(":ID", ":LABEL", "entity", "authority", "program", "reference", "listedOn", "until", "sources"),
}

// requiredFor gives the columns a file needs when it has rows of a label.
var requiredFor = map[string][]string{
	labelPerson:       {"name", "sources"},
	labelOrganization: {"name", "sources"},
	labelSource:       {"title"},
	labelDesignation:  {"entity", "authority", "sources"},
}

var nodeColumns = func() map[string]bool {
	m := map[string]bool{}
	for _, cols := range allowedFor {
		for c := range cols {
			m[c] = true
		}
	}
	return m
}()

var relColumns = keys(":START_ID", ":END_ID", ":TYPE", "id", "role", "since", "until", "qualifier", "evidence", "note", "sources")

// canonical is each column's header as export.WriteCSV writes it.
var canonical = func() map[string]string {
	m := map[string]string{":ID": "id:ID", ":LABEL": ":LABEL", ":START_ID": ":START_ID", ":END_ID": ":END_ID", ":TYPE": ":TYPE"}
	for _, set := range []map[string]bool{nodeColumns, relColumns} {
		for k := range set {
			if _, ok := m[k]; ok {
				continue
			}
			m[k] = k
			if listColumns[k] {
				m[k] = k + ":string[]"
			}
		}
	}
	return m
}()

func columnList(set map[string]bool) string {
	var names []string
	for k := range set {
		names = append(names, canonical[k])
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// reader accumulates the rows, the dataset and the problems of one run.
type reader struct {
	problems         []loader.Problem
	nodeRows         []*row
	relRows          []*row
	ds               network.Dataset
	ids              map[string]string // id -> where it was first used
	sources          map[string]bool
	sourceByURL      map[string]string
	entityAt         map[string]int
	pendingRelations []pending
}

// pending is a relationship whose id is derived after every explicit id is
// known.
type pending struct {
	index int
	w     *row
}

func newReader() *reader {
	return &reader{ids: map[string]string{}, sources: map[string]bool{}, sourceByURL: map[string]string{}, entityAt: map[string]int{}}
}

func (r *reader) problem(file string, line int, field, format string, args ...any) {
	r.problems = append(r.problems, loader.Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *reader) rowProblem(w *row, key, format string, args ...any) {
	r.problem(w.file, w.line, w.field(key), format, args...)
}

// read parses every input, then builds the dataset.
func (r *reader) read(inputs []input) (*network.Dataset, error) {
	for _, in := range inputs {
		r.parseFile(in)
	}
	labels := make([]string, len(r.nodeRows))
	for i, w := range r.nodeRows {
		labels[i] = r.label(w)
	}
	for i, w := range r.nodeRows {
		if labels[i] == labelSource {
			r.source(w)
		}
	}
	for i, w := range r.nodeRows {
		if labels[i] == labelPerson || labels[i] == labelOrganization {
			r.entity(w, labels[i])
		}
	}
	for i, w := range r.nodeRows {
		if labels[i] == labelDesignation {
			r.designation(w)
		}
	}
	for _, w := range r.relRows {
		r.relationship(w)
	}
	r.deriveRelationshipIDs()
	if len(r.problems) > 0 {
		sort.SliceStable(r.problems, func(i, j int) bool {
			a, b := r.problems[i], r.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, &loader.ValidationError{Problems: r.problems}
	}
	r.ds.Sort()
	return &r.ds, nil
}

// parseLabel returns the row's label, or "" when it is not one of ours.
func parseLabel(v string) string {
	var found []string
	for _, l := range strings.Split(v, ";") {
		l = strings.TrimSpace(l)
		if l == "" || strings.EqualFold(l, "Entity") {
			continue
		}
		found = append(found, l)
	}
	if len(found) != 1 {
		return ""
	}
	for _, l := range []string{labelPerson, labelOrganization, labelSource, labelDesignation} {
		if strings.EqualFold(found[0], l) {
			return l
		}
	}
	return ""
}

func (r *reader) label(w *row) string {
	v := w.get(":LABEL")
	l := parseLabel(v)
	if l == "" {
		if v == "" {
			r.rowProblem(w, ":LABEL", "missing required value")
		} else {
			r.rowProblem(w, ":LABEL", "unknown label %q (want Person, Organization, Source or Designation)", v)
		}
		return ""
	}
	for k, v := range w.values {
		if strings.TrimSpace(v) != "" && nodeColumns[k] && !allowedFor[l][k] {
			r.rowProblem(w, k, "not allowed for a %s", l)
		}
	}
	return l
}

// checkNodeColumns reports, once per file, a column the file's labels need.
func (r *reader) checkNodeColumns(file string, headers map[string]string, rows []*row) {
	needed := map[string]bool{}
	for _, w := range rows {
		for _, c := range requiredFor[parseLabel(w.get(":LABEL"))] {
			needed[c] = true
		}
	}
	var missing []string
	for c := range needed {
		if _, ok := headers[c]; !ok {
			missing = append(missing, c)
		}
	}
	sort.Strings(missing)
	for _, c := range missing {
		r.problem(file, 1, canonical[c], "missing required column for the file's rows")
	}
}

// claim records id as used by w, reporting an empty or duplicate id.
func (r *reader) claim(w *row, key, id string) string {
	if id == "" {
		r.rowProblem(w, key, "missing required value")
		return ""
	}
	if prev, dup := r.ids[id]; dup {
		r.rowProblem(w, key, "duplicate id %q (already used at %s)", id, prev)
		return ""
	}
	r.ids[id] = fmt.Sprintf("%s:%d", w.file, w.line)
	return id
}

// required returns the value of key, reporting an empty one.
func (r *reader) required(w *row, key string) string {
	v := w.get(key)
	if v == "" {
		r.rowProblem(w, key, "missing required value")
	}
	return v
}

// list splits the list in column key.
func (r *reader) list(w *row, key string) []string {
	return splitList(w.values[key])
}

// splitList splits s on ";", honouring "\;" and "\\", trimming items and
// dropping empty ones.
func splitList(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == ';' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i++
		case c == ';':
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return out
}

// date parses the partial date in column key.
func (r *reader) date(w *row, key string) network.PartialDate {
	return r.parseDate(w, key, w.get(key))
}

func (r *reader) parseDate(w *row, key, s string) network.PartialDate {
	if s == "" {
		return network.PartialDate{}
	}
	d, err := network.ParsePartialDate(s)
	if err != nil {
		r.rowProblem(w, key, "%s", network.ErrorMessage(err))
	}
	return d
}

// order reports an end before its start.
func (r *reader) order(w *row, startKey string, start network.PartialDate, endKey string, end network.PartialDate) {
	if end.Before(start) {
		r.rowProblem(w, endKey, "%s %s is before %s %s", endKey, end, startKey, start)
	}
}

// cite resolves the row's sources list.
func (r *reader) cite(w *row) []string {
	items := r.list(w, "sources")
	if len(items) == 0 {
		r.rowProblem(w, "sources", "missing: every fact needs a source (a Source row's id or a URL)")
		return nil
	}
	var ids []string
	for _, it := range items {
		switch {
		case r.sources[it]:
			ids = append(ids, it)
		case strings.HasPrefix(it, "http://") || strings.HasPrefix(it, "https://"):
			id, ok := r.sourceByURL[it]
			if !ok {
				h := sha256.Sum256([]byte(it))
				id = "src-" + hex.EncodeToString(h[:6])
				r.sourceByURL[it] = id
				r.sources[id] = true
				r.ds.Sources = append(r.ds.Sources, network.Source{ID: id, Title: it, URL: it})
			}
			ids = append(ids, id)
		default:
			r.rowProblem(w, "sources", "unknown source %q (neither a Source row's id nor an http(s) URL)", it)
		}
	}
	return ids
}

func (r *reader) source(w *row) {
	s := network.Source{
		ID:        r.claim(w, ":ID", w.get(":ID")),
		Title:     r.required(w, "title"),
		Publisher: w.get("publisher"),
		Author:    w.get("author"),
		Published: r.date(w, "published"),
		URL:       w.get("url"),
	}
	if s.URL != "" {
		if prev, dup := r.sourceByURL[s.URL]; dup {
			r.rowProblem(w, "url", "url already used by source %q: sources are unique by url", prev)
		} else {
			r.sourceByURL[s.URL] = s.ID
		}
	}
	r.sources[s.ID] = true
	r.ds.Sources = append(r.ds.Sources, s)
}

func (r *reader) entity(w *row, label string) {
	e := network.Entity{
		ID:                  r.claim(w, ":ID", w.get(":ID")),
		Kind:                network.Organization,
		Name:                r.required(w, "name"),
		Aliases:             r.list(w, "aliases"),
		WeakAliases:         r.list(w, "weakAliases"),
		PreviousNames:       r.list(w, "previousNames"),
		OriginalScriptNames: r.list(w, "originalScriptNames"),
		Description:         w.get("description"),
		Countries:           r.list(w, "countries"),
		Addresses:           r.list(w, "addresses"),
		Notes:               r.list(w, "notes"),
		Topics:              r.list(w, "topics"),
		Born:                r.date(w, "born"),
		Died:                r.date(w, "died"),
		Nationality:         r.list(w, "nationality"),
		BirthPlaces:         r.list(w, "birthPlaces"),
		Positions:           r.list(w, "positions"),
		Founded:             r.date(w, "founded"),
		Dissolved:           r.date(w, "dissolved"),
		Types:               r.list(w, "types"),
		Ideologies:          r.list(w, "ideologies"),
		Areas:               r.list(w, "areas"),
	}
	if label == labelPerson {
		e.Kind = network.Person
	}
	r.order(w, "born", e.Born, "died", e.Died)
	r.order(w, "founded", e.Founded, "dissolved", e.Dissolved)
	for _, it := range r.list(w, "identifiers") {
		scheme, value, ok := strings.Cut(it, ":")
		if !ok || strings.TrimSpace(scheme) == "" || strings.TrimSpace(value) == "" {
			r.rowProblem(w, "identifiers", "identifier %q: want scheme:value", it)
			continue
		}
		e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: scheme, Value: value})
	}
	for _, it := range r.list(w, "birthDates") {
		e.BirthDates = append(e.BirthDates, r.birthDate(w, it))
	}
	e.SourceIDs = r.cite(w)
	if e.ID != "" {
		r.entityAt[e.ID] = len(r.ds.Entities)
	}
	r.ds.Entities = append(r.ds.Entities, e)
}

// birthDate parses "DATE", "~DATE" or "FROM/TO".
func (r *reader) birthDate(w *row, it string) network.DateOfBirth {
	if rest, ok := strings.CutPrefix(it, "~"); ok {
		return network.DateOfBirth{Type: network.BirthApproximately, Date: r.parseDate(w, "birthDates", strings.TrimSpace(rest))}
	}
	if from, to, ok := strings.Cut(it, "/"); ok {
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if from == "" && to == "" {
			r.rowProblem(w, "birthDates", "birth date range %q has neither end", it)
		}
		return network.DateOfBirth{Type: network.BirthBetween, From: r.parseDate(w, "birthDates", from), To: r.parseDate(w, "birthDates", to)}
	}
	return network.DateOfBirth{Type: network.BirthExact, Date: r.parseDate(w, "birthDates", it)}
}

func (r *reader) designation(w *row) {
	d := network.Designation{
		ID:        r.claim(w, ":ID", w.get(":ID")),
		Authority: r.required(w, "authority"),
		Program:   w.get("program"),
		Reference: w.get("reference"),
		ListedOn:  r.date(w, "listedOn"),
		Until:     r.date(w, "until"),
	}
	r.order(w, "listedOn", d.ListedOn, "until", d.Until)
	d.SourceIDs = r.cite(w)
	entity := r.required(w, "entity")
	if entity == "" {
		return
	}
	i, ok := r.entityAt[entity]
	if !ok {
		r.rowProblem(w, "entity", "unknown entity id %q", entity)
		return
	}
	r.ds.Entities[i].Designations = append(r.ds.Entities[i].Designations, d)
}

func (r *reader) relationship(w *row) {
	rel := network.Relationship{
		ID:        w.get("id"),
		Type:      network.RelType(strings.ToUpper(r.required(w, ":TYPE"))),
		From:      r.endpoint(w, ":START_ID"),
		To:        r.endpoint(w, ":END_ID"),
		Role:      w.get("role"),
		Since:     r.date(w, "since"),
		Until:     r.date(w, "until"),
		Qualifier: w.get("qualifier"),
		Evidence:  w.get("evidence"),
		Note:      w.get("note"),
		SourceIDs: r.cite(w),
	}
	if rel.Type != "" && !rel.Type.Valid() {
		r.rowProblem(w, ":TYPE", "unknown relationship type %q (want one of %s)", w.get(":TYPE"), strings.Join(network.TypeNames(nil), ", "))
	}
	if !network.ValidQualifier(rel.Qualifier) {
		r.rowProblem(w, "qualifier", "unknown qualifier %q (want one of %v)", rel.Qualifier, network.Qualifiers)
	}
	if rel.From != "" && rel.From == rel.To {
		r.rowProblem(w, ":END_ID", "relationship from %q to itself", rel.From)
	}
	r.order(w, "since", rel.Since, "until", rel.Until)
	if rel.ID != "" {
		r.claim(w, "id", rel.ID)
	} else {
		r.pendingRelations = append(r.pendingRelations, pending{len(r.ds.Relationships), w})
	}
	r.ds.Relationships = append(r.ds.Relationships, rel)
}

// endpoint returns the entity id in column key, reporting an unknown one.
func (r *reader) endpoint(w *row, key string) string {
	id := r.required(w, key)
	if id == "" {
		return ""
	}
	if _, ok := r.entityAt[id]; !ok {
		r.rowProblem(w, key, "unknown entity id %q", id)
	}
	return id
}

// deriveRelationshipIDs gives START-TYPE-END ids to relationships without
// one, once every explicit id is claimed.
func (r *reader) deriveRelationshipIDs() {
	for _, p := range r.pendingRelations {
		rel := &r.ds.Relationships[p.index]
		base := rel.From + "-" + strings.ReplaceAll(strings.ToLower(string(rel.Type)), "_", "-") + "-" + rel.To
		id := base
		for n := 2; r.ids[id] != ""; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		rel.ID = r.claim(p.w, "id", id)
	}
}
