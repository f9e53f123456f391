//go:build bench

package suite

import (
	"context"
	"fmt"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

// ceilingBatch is the ceiling's rows per UNWIND, each batch its own
// transaction.
const ceilingBatch = 10_000

// entityProps shapes an entity as the project's loader does
// (store/neo4j/write.go entityRow), so both loaders write the same
// properties.
func entityProps(e *network.Entity) map[string]any {
	lo, hi := network.Bounds(e.Start(), e.End())
	empty := []string{}
	row := map[string]any{
		"id": e.ID, "kind": string(e.Kind), "name": e.Name, "aliases": orEmpty(e.Aliases),
		"aliasText": strings.Join(e.Aliases, " | "), "searchText": strings.Join(network.SearchTerms(e), " "),
		"description": e.Description, "sourceIds": orEmpty(e.SourceIDs),
		"weakAliases": empty, "previousNames": empty, "originalScriptNames": empty, "notes": empty,
		"topics": empty, "countries": empty, "addresses": empty, "documentsJson": "",
		"identifierSchemes": empty, "identifierValues": empty, "lifeFrom": lo, "lifeTo": hi,
	}
	date := func(k string, d network.PartialDate) {
		if !d.IsZero() {
			row[k] = d.String()
		}
	}
	if e.Kind == network.Person {
		date("born", e.Born)
		date("died", e.Died)
		row["nationality"], row["birthDatesJson"], row["birthPlaces"], row["positions"] = orEmpty(e.Nationality), "", empty, empty
	} else {
		date("founded", e.Founded)
		date("dissolved", e.Dissolved)
		row["types"], row["ideologies"], row["areas"] = orEmpty(e.Types), orEmpty(e.Ideologies), orEmpty(e.Areas)
	}
	return row
}

// relProps shapes a relationship as relationshipRow does.
func relProps(r *network.Relationship) map[string]any {
	lo, hi := network.Bounds(r.Since, r.Until)
	row := map[string]any{
		"id": r.ID, "role": r.Role, "qualifier": r.Qualifier, "evidence": r.Evidence, "note": r.Note,
		"sourceIds": orEmpty(r.SourceIDs), "fromDay": lo, "toDay": hi,
		"fromId": r.From, "toId": r.To,
	}
	if !r.Since.IsZero() {
		row["since"] = r.Since.String()
	}
	if !r.Until.IsZero() {
		row["until"] = r.Until.String()
	}
	return row
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeBatches sends rows in batches of ceilingBatch, each batch its own
// transaction. got, if not nil, receives each batch with its one record.
func writeBatches(ctx context.Context, drv driver.DriverWithContext, query string, rows []map[string]any, got func([]map[string]any, *driver.Record) error) error {
	sess := drv.NewSession(ctx, driver.SessionConfig{AccessMode: driver.AccessModeWrite, DatabaseName: "neo4j"})
	defer sess.Close(ctx)
	for lo := 0; lo < len(rows); lo += ceilingBatch {
		batch := rows[lo:min(lo+ceilingBatch, len(rows))]
		rec, err := sess.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, query, map[string]any{"rows": batch})
			if err != nil {
				return nil, err
			}
			return res.Single(ctx)
		})
		if err != nil {
			return err
		}
		if got != nil {
			if err := got(batch, rec.(*driver.Record)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ceilingEntities creates the schema, the sources and the entities with
// CREATE, in large batches, one transaction each. It returns each entity's
// element id, by which ceilingLoad finds the endpoints: an element id seek
// is cheaper than a seek in the id index (the project's loader found the
// same, see store/neo4j createPersons).
func ceilingEntities(ctx context.Context, s *neo4jstore.Store, drv driver.DriverWithContext, d *network.Dataset) (map[string]string, error) {
	if err := s.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	sources := make([]map[string]any, len(d.Sources))
	for i, src := range d.Sources {
		sources[i] = map[string]any{"id": src.ID, "title": src.Title, "publisher": src.Publisher, "author": src.Author, "url": src.URL, "published": src.Published.String()}
	}
	var persons, orgs []map[string]any
	for i := range d.Entities {
		e := &d.Entities[i]
		if e.Kind == network.Person {
			persons = append(persons, entityProps(e))
		} else {
			orgs = append(orgs, entityProps(e))
		}
	}
	if err := writeBatches(ctx, drv, `UNWIND $rows AS row CREATE (s:Source) SET s = row RETURN count(*) AS n`, sources, nil); err != nil {
		return nil, err
	}
	eids := make(map[string]string, len(d.Entities))
	record := func(batch []map[string]any, rec *driver.Record) error {
		v, _ := rec.Get("eids")
		list, _ := v.([]any)
		if len(list) != len(batch) {
			return fmt.Errorf("ceiling: got %d element ids for %d rows", len(list), len(batch))
		}
		for i, row := range batch {
			eids[row["id"].(string)] = list[i].(string)
		}
		return nil
	}
	for _, q := range []string{
		`UNWIND $rows AS row CREATE (e:Entity:Person) SET e = row RETURN collect(elementId(e)) AS eids`,
		`UNWIND $rows AS row CREATE (e:Entity:Organization) SET e = row RETURN collect(elementId(e)) AS eids`,
	} {
		rows := persons
		if strings.Contains(q, "Organization") {
			rows = orgs
		}
		if err := writeBatches(ctx, drv, q, rows, record); err != nil {
			return nil, err
		}
	}
	return eids, nil
}

// ceilingLoad is the best hand-tuned UNWIND load we know for an emptied
// database: constraints first, CREATE instead of MERGE, rows pre-shaped,
// endpoints found by element id, large batches of one type each, each
// batch its own transaction.
func ceilingLoad(ctx context.Context, s *neo4jstore.Store, drv driver.DriverWithContext, d *network.Dataset) error {
	eids, err := ceilingEntities(ctx, s, drv, d)
	if err != nil {
		return err
	}
	byType := map[network.RelType][]map[string]any{}
	for i := range d.Relationships {
		r := &d.Relationships[i]
		byType[r.Type] = append(byType[r.Type], map[string]any{"from": eids[r.From], "to": eids[r.To], "props": relProps(r)})
	}
	for _, t := range network.RelTypes {
		q := fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:Entity) WHERE elementId(a) = row.from
MATCH (b:Entity) WHERE elementId(b) = row.to
CREATE (a)-[r:%s]->(b) SET r = row.props
RETURN count(*) AS n`, t)
		if err := writeBatches(ctx, drv, q, byType[t], nil); err != nil {
			return err
		}
	}
	return nil
}

// naiveSample takes every k-th relationship, n in all, so that every type
// appears.
func naiveSample(d *network.Dataset, n int) []*network.Relationship {
	step := max(1, len(d.Relationships)/n)
	var out []*network.Relationship
	for i := 0; i < len(d.Relationships) && len(out) < n; i += step {
		out = append(out, &d.Relationships[i])
	}
	return out
}

// naiveLoad is what a newcomer writes: one MERGE per relationship, each in
// its own transaction (the entities are already there).
func naiveLoad(ctx context.Context, drv driver.DriverWithContext, rels []*network.Relationship) error {
	for _, r := range rels {
		q := fmt.Sprintf(`MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MERGE (a)-[r:%s {id: $id}]->(b) SET r += $props`, r.Type)
		params := map[string]any{"from": r.From, "to": r.To, "id": r.ID, "props": relProps(r)}
		if _, err := driver.ExecuteQuery(ctx, drv, q, params, driver.EagerResultTransformer,
			driver.ExecuteQueryWithDatabase("neo4j"), driver.ExecuteQueryWithWritersRouting()); err != nil {
			return err
		}
	}
	return nil
}
