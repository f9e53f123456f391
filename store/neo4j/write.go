package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
)

// batchSize is the number of rows sent per UNWIND. A staged load commits
// each batch on its own (stage.go), as the bench's hand-tuned ceiling does
// with batches of the same size; a merging load sends its batches in one
// transaction, where a larger batch saves round trips.
const batchSize = 10_000

// EnsureSchema creates the uniqueness constraints and the full-text index,
// then waits for every index to come online.
func (s *Store) EnsureSchema(ctx context.Context) error {
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	for _, stmt := range append(schemaStatements, awaitIndexes) {
		if _, err := s.collect(ctx, autocommit{sess}, stmt, map[string]any{"seconds": 300}); err != nil {
			return s.translate(ctx, err)
		}
	}
	if !s.endpointsGiven.Load() {
		if _, err := s.collect(ctx, autocommit{sess}, endpointIDs, map[string]any{"types": network.TypeNames(nil)}); err != nil {
			return s.translate(ctx, err)
		}
		s.endpointsGiven.Store(true)
	}
	return nil
}

// Load implements network.Writer. It creates the schema, then writes the
// dataset so that readers see all of it or, if it fails, none of it:
//   - Into a database that holds no entity, source or designation (as after
//     Reset), a dataset whose ids are unique is staged (stage.go): written
//     with CREATE in batches that commit one by one, under labels no reader
//     matches, then published by one transaction that gives the nodes
//     their labels.
//   - Any other load is one write transaction of batched MERGE statements.
//     Merging on ids makes a second load of the same data change nothing.
func (s *Store) Load(ctx context.Context, d *network.Dataset) (network.Counts, error) {
	if err := s.EnsureSchema(ctx); err != nil {
		return network.Counts{}, err
	}
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	staged := false
	if len(d.DeleteRelationships) == 0 && len(d.DeleteEntities) == 0 && uniqueIDs(d) {
		var err error
		if staged, err = s.stageLoad(ctx, sess, d); err != nil {
			return network.Counts{}, s.translate(ctx, err)
		}
	}
	if !staged {
		_, err := sess.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
			return nil, s.mergeDataset(ctx, tx, d)
		})
		if err != nil {
			return network.Counts{}, s.translate(ctx, err)
		}
	}
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (network.Counts, error) {
		return s.loadedCounts(ctx, tx)
	})
}

// step is one query and the rows it is sent in batches.
type step struct {
	query string
	rows  []map[string]any
	// ends are the keys of rows that hold entity ids, which the staging
	// path replaces by element ids.
	ends []string
}

// writeQueries are the queries of one way of writing: merge* or stage*.
type writeQueries struct {
	sources, persons, organizations, designations string
	relationships                                 map[network.RelType]string
}

var (
	mergeQueries = writeQueries{mergeSources, mergePersons, mergeOrganizations, mergeDesignations, mergeRelationship}
	stageQueries = writeQueries{stageSources, stagePersons, stageOrganizations, stageDesignations, stageRelationship}
)

// mergeDataset removes what d deletes, then merges d in batches inside tx.
// loadSteps runs here, inside the transaction function, so that a retry
// starts again from fresh rows.
func (s *Store) mergeDataset(ctx context.Context, tx driver.ManagedTransaction, d *network.Dataset) error {
	if len(d.DeleteRelationships) > 0 {
		if _, err := s.collect(ctx, tx, deleteRelationships, map[string]any{"ids": d.DeleteRelationships, "types": network.TypeNames(nil)}); err != nil {
			return err
		}
	}
	if len(d.DeleteEntities) > 0 {
		if _, err := s.collect(ctx, tx, deleteEntities, map[string]any{"ids": d.DeleteEntities}); err != nil {
			return err
		}
	}
	return writeSteps(loadSteps(d, mergeQueries), nil, nil, func(query string, params map[string]any) ([]*driver.Record, error) {
		return s.collect(ctx, tx, query, params)
	})
}

// writeSteps sends the rows of steps in batches through send, each with
// the parameters extra, and checks that every row was written: a row whose
// entity is missing is dropped by MATCH, and the load is refused instead
// of written in part. When elementIDs is not nil, the steps find entities
// by element id: writeSteps fills it from what the entity steps return and
// rewrites the later steps' rows with it before they are sent.
func writeSteps(steps []step, extra, elementIDs map[string]string, send func(query string, params map[string]any) ([]*driver.Record, error)) error {
	for _, st := range steps {
		for lo := 0; lo < len(st.rows); lo += batchSize {
			hi := min(lo+batchSize, len(st.rows))
			batch := st.rows[lo:hi]
			if elementIDs != nil {
				toElementIDs(batch, st.ends, elementIDs)
			}
			params := map[string]any{"rows": batch}
			for k, v := range extra {
				params[k] = v
			}
			recs, err := send(st.query, params)
			if err != nil {
				return err
			}
			if n, _ := recs[0].Get("written"); len(recs) != 1 || asInt(n) != hi-lo {
				return network.Errorf(network.EINVALID, "%d of %d rows refer to entities that are neither in the dataset nor in the database", hi-lo-asInt(n), hi-lo)
			}
			if elementIDs != nil {
				if err := recordElementIDs(recs[0], batch, elementIDs); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// toElementIDs replaces, in each row, the entity ids under the keys ends
// by the element ids the entities were created with. An id that is not
// there becomes "", which no node has: MATCH drops the row and the count
// check refuses the load.
func toElementIDs(rows []map[string]any, ends []string, elementIDs map[string]string) {
	for _, row := range rows {
		for _, k := range ends {
			id, _ := row[k].(string)
			row[k] = elementIDs[id]
		}
	}
}

// recordElementIDs adds the element ids a staging step returned, in row
// order, for the ids of its rows. Steps that create no entity return none.
func recordElementIDs(rec *driver.Record, rows []map[string]any, elementIDs map[string]string) error {
	v, ok := rec.Get("elementIds")
	if !ok {
		return nil
	}
	eids, _ := v.([]any)
	if len(eids) != len(rows) {
		return fmt.Errorf("staging step: got %d element ids for %d rows", len(eids), len(rows))
	}
	for i, row := range rows {
		id, _ := row["id"].(string)
		eid, _ := eids[i].(string)
		elementIDs[id] = eid
	}
	return nil
}

// holdsNothing says whether the database, as r sees it, holds no entity,
// source or designation. No relationship of ours exists without an entity.
func (s *Store) holdsNothing(ctx context.Context, r runner) (bool, error) {
	recs, err := s.collect(ctx, r, storedNodes, nil)
	if err != nil {
		return false, err
	}
	if len(recs) != 1 {
		return false, fmt.Errorf("%s: got %d records, want 1", QueryName(storedNodes), len(recs))
	}
	n, _ := recs[0].Get("nodes")
	return asInt(n) == 0, nil
}

// loadedCounts counts what the database holds, from the count store.
func (s *Store) loadedCounts(ctx context.Context, tx driver.ManagedTransaction) (network.Counts, error) {
	recs, err := s.collect(ctx, tx, loadedCounts, nil)
	if err != nil {
		return network.Counts{}, err
	}
	if len(recs) != 1 {
		return network.Counts{}, fmt.Errorf("%s: got %d records, want 1", QueryName(loadedCounts), len(recs))
	}
	m := recs[0].AsMap()
	return network.Counts{
		Entities: asInt(m["entities"]), Relationships: asInt(m["relationships"]),
		Sources: asInt(m["sources"]), Designations: asInt(m["designations"]),
	}, nil
}

// uniqueIDs says whether no two entities, sources, designations or
// relationships of d share an id. The loaders refuse such datasets, but
// CREATE would then write two nodes where MERGE writes one, so the fast
// path checks again.
func uniqueIDs(d *network.Dataset) bool {
	designations := 0
	for i := range d.Entities {
		designations += len(d.Entities[i].Designations)
	}
	// One set per kind of record: ids need only be unique within a label.
	seen := [4]map[string]struct{}{
		make(map[string]struct{}, len(d.Sources)),
		make(map[string]struct{}, len(d.Entities)),
		make(map[string]struct{}, designations),
		make(map[string]struct{}, len(d.Relationships)),
	}
	add := func(kind int, id string) bool {
		if _, dup := seen[kind][id]; dup {
			return false
		}
		seen[kind][id] = struct{}{}
		return true
	}
	for i := range d.Sources {
		if !add(0, d.Sources[i].ID) {
			return false
		}
	}
	for i := range d.Entities {
		e := &d.Entities[i]
		if !add(1, e.ID) {
			return false
		}
		for _, des := range e.Designations {
			if !add(2, des.ID) {
				return false
			}
		}
	}
	for i := range d.Relationships {
		if !add(3, d.Relationships[i].ID) {
			return false
		}
	}
	return true
}

// loadSteps shapes d into rows for the queries of qs, in the order they
// must run: sources, entities, designations, then relationships by type.
func loadSteps(d *network.Dataset, qs writeQueries) []step {
	var persons, orgs, designations []map[string]any
	for i := range d.Entities {
		e := &d.Entities[i]
		if e.Kind == network.Person {
			persons = append(persons, entityRow(e))
		} else {
			orgs = append(orgs, entityRow(e))
		}
		for _, des := range e.Designations {
			designations = append(designations, map[string]any{"entity": e.ID, "props": designationRow(des)})
		}
	}
	sources := make([]map[string]any, len(d.Sources))
	for i, src := range d.Sources {
		sources[i] = sourceRow(src)
	}
	byType := map[network.RelType][]map[string]any{}
	for i := range d.Relationships {
		r := &d.Relationships[i]
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": relationshipRow(r)})
	}
	steps := []step{
		{qs.sources, sources, nil},
		{qs.persons, persons, nil},
		{qs.organizations, orgs, nil},
		{qs.designations, designations, []string{"entity"}},
	}
	for _, t := range network.RelTypes {
		if q, ok := qs.relationships[t]; ok && len(byType[t]) > 0 {
			steps = append(steps, step{q, byType[t], []string{"from", "to"}})
		}
	}
	return steps
}

func entityRow(e *network.Entity) map[string]any {
	lo, hi := network.Bounds(e.Start(), e.End())
	row := map[string]any{
		"id":          e.ID,
		"kind":        string(e.Kind),
		"name":        e.Name,
		"aliases":     nonNil(e.Aliases),
		"aliasText":   strings.Join(e.Aliases, " | "),
		"searchText":  strings.Join(network.SearchTerms(e), " "),
		"description": e.Description,
		"sourceIds":   nonNil(e.SourceIDs),

		"lifeFrom": lo,
		"lifeTo":   hi,
	}
	schemes := make([]string, len(e.Identifiers))
	values := make([]string, len(e.Identifiers))
	for i, id := range e.Identifiers {
		schemes[i], values[i] = id.Scheme, id.Value
	}
	row["identifierSchemes"], row["identifierValues"] = schemes, values
	// Fields only imported records have are written only when set: a
	// property per empty list would cost every curated entity memory in
	// the load.
	setList(row, "weakAliases", e.WeakAliases)
	setList(row, "previousNames", e.PreviousNames)
	setList(row, "originalScriptNames", e.OriginalScriptNames)
	setList(row, "notes", e.Notes)
	setList(row, "topics", e.Topics)
	setList(row, "countries", e.Countries)
	setList(row, "addresses", e.Addresses)
	if len(e.Documents) > 0 {
		row["documentsJson"] = encodeJSON(e.Documents)
	}
	if e.Kind == network.Person {
		setDate(row, "born", e.Born)
		setDate(row, "died", e.Died)
		row["nationality"] = nonNil(e.Nationality)
		if len(e.BirthDates) > 0 {
			row["birthDatesJson"] = encodeJSON(birthDateRows(e.BirthDates))
		}
		setList(row, "birthPlaces", e.BirthPlaces)
		setList(row, "positions", e.Positions)
	} else {
		setDate(row, "founded", e.Founded)
		setDate(row, "dissolved", e.Dissolved)
		row["types"] = nonNil(e.Types)
		row["ideologies"] = nonNil(e.Ideologies)
		row["areas"] = nonNil(e.Areas)
	}
	return row
}

// birthDate is how a network.DateOfBirth is stored, inside the
// birthDatesJson property: Neo4j properties cannot hold maps.
type birthDate struct {
	Type  string `json:"type"`
	Date  string `json:"date,omitempty"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Alias string `json:"alias,omitempty"`
	Note  string `json:"note,omitempty"`
}

func birthDateRows(ds []network.DateOfBirth) []birthDate {
	out := make([]birthDate, len(ds))
	for i, d := range ds {
		out[i] = birthDate{Type: string(d.Type), Date: d.Date.String(), From: d.From.String(), To: d.To.String(), Alias: d.Alias, Note: d.Note}
	}
	return out
}

func decodeBirthDates(v any) []network.DateOfBirth {
	var rows []birthDate
	decodeJSON(v, &rows)
	var out []network.DateOfBirth
	for _, r := range rows {
		d := network.DateOfBirth{Type: network.BirthDateType(r.Type), Alias: r.Alias, Note: r.Note}
		d.Date, _ = network.ParsePartialDate(r.Date)
		d.From, _ = network.ParsePartialDate(r.From)
		d.To, _ = network.ParsePartialDate(r.To)
		out = append(out, d)
	}
	return out
}

// encodeJSON stores a list of structs as one JSON string property; an empty
// list is stored as "".
func encodeJSON[T any](v []T) string {
	if len(v) == 0 {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "" // plain structs of strings always marshal
	}
	return string(b)
}

func decodeJSON(v any, into any) {
	if s, ok := v.(string); ok && s != "" {
		_ = json.Unmarshal([]byte(s), into) // written by encodeJSON only
	}
}

func designationRow(d network.Designation) map[string]any {
	row := map[string]any{
		"id": d.ID, "authority": d.Authority, "program": d.Program,
		"reference": d.Reference, "sourceIds": nonNil(d.SourceIDs),
	}
	setDate(row, "listedOn", d.ListedOn)
	setDate(row, "until", d.Until)
	return row
}

func sourceRow(src network.Source) map[string]any {
	row := map[string]any{"id": src.ID, "title": src.Title, "publisher": src.Publisher, "author": src.Author, "url": src.URL}
	setDate(row, "published", src.Published)
	return row
}

func relationshipRow(r *network.Relationship) map[string]any {
	lo, hi := network.Bounds(r.Since, r.Until)
	row := map[string]any{
		"id": r.ID, "role": r.Role, "qualifier": r.Qualifier, "evidence": r.Evidence,
		"note": r.Note, "sourceIds": nonNil(r.SourceIDs), "fromDay": lo, "toDay": hi,
		// The endpoints' ids, for the ordered-neighbour indexes (hubs.go).
		"fromId": r.From, "toId": r.To,
	}
	setDate(row, "since", r.Since)
	setDate(row, "until", r.Until)
	return row
}

func setDate(row map[string]any, key string, d network.PartialDate) {
	if !d.IsZero() {
		row[key] = d.String()
	}
}

func setList(row map[string]any, key string, v []string) {
	if len(v) > 0 {
		row[key] = v
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Reset deletes everything in the database. Tests use it, and so does
// `allegiance load --replace`.
func (s *Store) Reset(ctx context.Context) error {
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	for _, q := range []string{deleteAllRelationships, deleteAllNodes} {
		if _, err := s.collect(ctx, autocommit{sess}, q, nil); err != nil {
			return s.translate(ctx, err)
		}
	}
	return nil
}
