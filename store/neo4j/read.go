package neo4j

import (
	"context"
	"sort"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/allegiance/allegiance/network"
)

// Counts implements network.Store.
func (s *Store) Counts(ctx context.Context) (network.Counts, error) {
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (network.Counts, error) {
		return s.counts(ctx, tx)
	})
}

func (s *Store) counts(ctx context.Context, tx driver.ManagedTransaction) (network.Counts, error) {
	recs, err := s.collect(ctx, tx, countAll, map[string]any{"types": network.TypeNames(nil)})
	if err != nil || len(recs) != 1 {
		return network.Counts{}, err
	}
	m := recs[0].AsMap()
	return network.Counts{
		Entities: asInt(m["entities"]), Relationships: asInt(m["relationships"]),
		Sources: asInt(m["sources"]), Designations: asInt(m["designations"]),
	}, nil
}

// Entities implements network.Store.
func (s *Store) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	byID, err := read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (map[string]*network.Entity, error) {
		return s.entities(ctx, tx, entitiesByID, map[string]any{"ids": ids})
	})
	if err != nil {
		return nil, err
	}
	out := make([]*network.Entity, len(ids))
	for i, id := range ids {
		if e := byID[id]; e != nil {
			out[i] = e.Clone()
		}
	}
	return out, nil
}

// entities runs a query returning rows (e, designations) and decodes them,
// keeping the order in which they came in order.
func (s *Store) entities(ctx context.Context, tx driver.ManagedTransaction, query string, params map[string]any) (map[string]*network.Entity, error) {
	recs, err := s.collect(ctx, tx, query, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*network.Entity, len(recs))
	for _, rec := range recs {
		v, _ := rec.Get("e")
		ds, _ := rec.Get("designations")
		var props map[string]any
		switch n := v.(type) {
		case dbtype.Node:
			props = n.Props
		case map[string]any: // entitiesSummaryByID's projection
			props = n
		}
		e := decodeEntity(props, ds)
		out[e.ID] = e
	}
	return out, nil
}

func decodeEntity(p map[string]any, designations any) *network.Entity {
	e := &network.Entity{
		ID:          asString(p["id"]),
		Kind:        network.EntityKind(asString(p["kind"])),
		Name:        asString(p["name"]),
		Aliases:     asStrings(p["aliases"]),
		Description: asString(p["description"]),
		SourceIDs:   asStrings(p["sourceIds"]),
		Born:        asDate(p["born"]),
		Died:        asDate(p["died"]),
		Nationality: asStrings(p["nationality"]),
		Founded:     asDate(p["founded"]),
		Dissolved:   asDate(p["dissolved"]),
		Types:       asStrings(p["types"]),
		Ideologies:  asStrings(p["ideologies"]),
		Areas:       asStrings(p["areas"]),

		WeakAliases:         asStrings(p["weakAliases"]),
		PreviousNames:       asStrings(p["previousNames"]),
		OriginalScriptNames: asStrings(p["originalScriptNames"]),
		Notes:               asStrings(p["notes"]),
		Topics:              asStrings(p["topics"]),
		Countries:           asStrings(p["countries"]),
		Addresses:           asStrings(p["addresses"]),
		BirthDates:          decodeBirthDates(p["birthDatesJson"]),
		BirthPlaces:         asStrings(p["birthPlaces"]),
		Positions:           asStrings(p["positions"]),
	}
	decodeJSON(p["documentsJson"], &e.Documents)
	schemes, values := asStrings(p["identifierSchemes"]), asStrings(p["identifierValues"])
	for i := range schemes {
		if i < len(values) {
			e.Identifiers = append(e.Identifiers, network.Identifier{Scheme: schemes[i], Value: values[i]})
		}
	}
	ds, _ := designations.([]any)
	for _, d := range ds {
		dn, ok := d.(dbtype.Node)
		if !ok {
			continue
		}
		dp := dn.Props
		e.Designations = append(e.Designations, network.Designation{
			ID: asString(dp["id"]), Authority: asString(dp["authority"]), Program: asString(dp["program"]),
			Reference: asString(dp["reference"]), ListedOn: asDate(dp["listedOn"]), Until: asDate(dp["until"]),
			SourceIDs: asStrings(dp["sourceIds"]),
		})
	}
	sort.Slice(e.Designations, func(i, j int) bool { return e.Designations[i].ID < e.Designations[j].ID })
	return e
}

// Sources implements network.Store.
func (s *Store) Sources(ctx context.Context, ids []string) ([]*network.Source, error) {
	byID, err := read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (map[string]*network.Source, error) {
		recs, err := s.collect(ctx, tx, sourcesByID, map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		out := make(map[string]*network.Source, len(recs))
		for _, rec := range recs {
			n, _ := rec.Get("s")
			src := decodeSource(n.(dbtype.Node))
			out[src.ID] = src
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*network.Source, len(ids))
	for i, id := range ids {
		if src := byID[id]; src != nil {
			c := *src
			out[i] = &c
		}
	}
	return out, nil
}

func decodeSource(n dbtype.Node) *network.Source {
	p := n.Props
	return &network.Source{
		ID: asString(p["id"]), Title: asString(p["title"]), Publisher: asString(p["publisher"]),
		Author: asString(p["author"]), Published: asDate(p["published"]), URL: asString(p["url"]),
	}
}

// Snapshot implements network.Store. It reads the three parts in one read
// transaction, so they are consistent with each other.
func (s *Store) Snapshot(ctx context.Context) (*network.Dataset, error) {
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (*network.Dataset, error) {
		return s.snapshot(ctx, tx)
	})
}

func (s *Store) snapshot(ctx context.Context, tx driver.ManagedTransaction) (*network.Dataset, error) {
	d := &network.Dataset{}
	entities, err := s.entities(ctx, tx, allEntities, nil)
	if err != nil {
		return nil, err
	}
	for _, e := range entities {
		d.Entities = append(d.Entities, *e)
	}
	recs, err := s.collect(ctx, tx, allSources, nil)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		n, _ := rec.Get("s")
		d.Sources = append(d.Sources, *decodeSource(n.(dbtype.Node)))
	}
	recs, err = s.collect(ctx, tx, allRelationships, map[string]any{"types": network.TypeNames(nil)})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		r, _ := rec.Get("r")
		from, _ := rec.Get("from")
		to, _ := rec.Get("to")
		d.Relationships = append(d.Relationships, *decodeRelationship(r.(dbtype.Relationship), asString(from), asString(to)))
	}
	d.Sort()
	return d, nil
}

// incidentRow is one relationship seen from one of the requested ids.
type incidentRow struct {
	id  string
	rel *network.Relationship
}

func filterParams(ids []string, f network.RelFilter) map[string]any {
	first, last := network.MinDay, network.MaxDay
	if !f.AsOf.IsZero() {
		first, last = f.AsOf.First(), f.AsOf.Last()
	}
	dir := f.Direction
	if dir == "" {
		dir = network.Both
	}
	return map[string]any{
		"ids": ids, "types": network.TypeNames(f.Types), "direction": string(dir),
		"symmetric": []string{string(network.AlliedWith), string(network.RivalOf)},
		"first":     first, "last": last,
	}
}

func (s *Store) incidentRows(ctx context.Context, tx driver.ManagedTransaction, ids []string, f network.RelFilter) ([]incidentRow, error) {
	recs, err := s.collect(ctx, tx, forFilter(incident, incidentAnyTime, f), filterParams(ids, f))
	if err != nil {
		return nil, err
	}
	rows := make([]incidentRow, 0, len(recs))
	for _, rec := range recs {
		m := rec.AsMap()
		rows = append(rows, incidentRow{
			id:  asString(m["id"]),
			rel: decodeRelationship(m["r"].(dbtype.Relationship), asString(m["from"]), asString(m["to"])),
		})
	}
	return rows, nil
}

func decodeRelationship(r dbtype.Relationship, from, to string) *network.Relationship {
	p := r.Props
	return &network.Relationship{
		ID: asString(p["id"]), Type: network.RelType(r.Type), From: from, To: to,
		Role: asString(p["role"]), Since: asDate(p["since"]), Until: asDate(p["until"]),
		Qualifier: asString(p["qualifier"]), Evidence: asString(p["evidence"]), Note: asString(p["note"]),
		SourceIDs: asStrings(p["sourceIds"]),
	}
}

// RelationshipsOf implements network.Store.
func (s *Store) RelationshipsOf(ctx context.Context, ids []string, f network.RelFilter) ([][]*network.Relationship, error) {
	rows, err := read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]incidentRow, error) {
		return s.incidentRows(ctx, tx, ids, f)
	})
	if err != nil {
		return nil, err
	}
	byID := map[string][]*network.Relationship{}
	for _, r := range rows {
		byID[r.id] = append(byID[r.id], r.rel)
	}
	out := make([][]*network.Relationship, len(ids))
	for i, id := range ids {
		rs := byID[id]
		sort.Slice(rs, func(a, b int) bool { return rs[a].ID < rs[b].ID })
		if rs == nil {
			rs = []*network.Relationship{}
		}
		out[i] = rs
	}
	return out, nil
}

// Incident implements network.Adjacency.
func (s *Store) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	rows, err := read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]incidentRow, error) {
		return s.incidentRows(ctx, tx, ids, f)
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(rows))
	out := make([]*network.Relationship, 0, len(rows))
	for _, r := range rows {
		if !seen[r.rel.ID] {
			seen[r.rel.ID] = true
			out = append(out, r.rel)
		}
	}
	return out, nil
}

// searchCandidateFactor is how many full-text candidates are ranked per hit
// asked for.
const searchCandidateFactor = 20

// Search implements network.Store: the full-text index proposes candidates,
// network.RankHits ranks them as every store does.
func (s *Store) Search(ctx context.Context, q network.SearchQuery) ([]network.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	params := map[string]any{
		"query":      network.FullTextQuery(q.Query),
		"candidates": max(200, q.Limit*searchCandidateFactor),
		"kinds":      kinds,
	}
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]network.SearchHit, error) {
		recs, err := s.collect(ctx, tx, searchCandidates, params)
		if err != nil {
			return nil, err
		}
		candidates := make([]*network.Entity, len(recs))
		for i, rec := range recs {
			m := rec.AsMap()
			candidates[i] = &network.Entity{
				ID: asString(m["id"]), Kind: network.EntityKind(asString(m["kind"])), Name: asString(m["name"]),
				Aliases: asStrings(m["aliases"]), WeakAliases: asStrings(m["weakAliases"]),
				PreviousNames: asStrings(m["previousNames"]), OriginalScriptNames: asStrings(m["originalScriptNames"]),
			}
		}
		hits := network.RankHits(q, candidates)
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.Entity.ID
		}
		full, err := s.entities(ctx, tx, entitiesByID, map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		out := hits[:0]
		for _, h := range hits {
			if e := full[h.Entity.ID]; e != nil {
				out = append(out, network.SearchHit{Entity: e, Score: h.Score})
			}
		}
		return out, nil
	})
}

// Neighborhood implements network.Store: one read transaction, with one
// Cypher round trip per level (only ids travel), one for the
// relationships among the kept nodes and one for the nodes.
func (s *Store) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (*network.Subgraph, error) {
		a := txAdjacency{s, tx, q.Detail}
		if q.Detail == network.SummaryDetail {
			return network.BuildNeighborhood(ctx, &summarizing{txAdjacency: a, seen: map[string]*network.Entity{}}, q)
		}
		return network.BuildNeighborhood(ctx, a, q)
	})
}

// NeighborhoodSummary implements network.NeighborhoodSummarizer:
// Neighborhood with summary entities, summarized, as network's
// NeighborhoodSummary would do without it. Neo4j's round trips cost far
// more than the entities a summary leaves out, so this store has no
// shorter way.
func (s *Store) NeighborhoodSummary(ctx context.Context, q network.NeighborhoodQuery) (*network.SubgraphSummary, error) {
	q.Detail = network.SummaryDetail
	g, err := s.Neighborhood(ctx, q)
	if err != nil {
		return nil, err
	}
	sum, ok := network.Summarize(g)
	if !ok {
		return nil, network.Errorf(network.EINTERNAL, "neighbourhood of %q: an edge ends outside its nodes", q.ID)
	}
	return sum, nil
}

// Neighbors implements network.Adjacency.
func (s *Store) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]string, error) {
		return txAdjacency{s: s, tx: tx}.Neighbors(ctx, ids, exclude, f, limit)
	})
}

// Among implements network.Adjacency.
func (s *Store) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]*network.Relationship, error) {
		return txAdjacency{s: s, tx: tx}.Among(ctx, ids, f)
	})
}

// txAdjacency is network.Adjacency inside one read transaction, so that a
// traversal's round trips share it instead of opening one each.
type txAdjacency struct {
	s  *Store
	tx driver.ManagedTransaction
	// detail says how much of each entity Entities reads.
	detail network.Detail
}

func (a txAdjacency) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	query := entitiesByID
	if a.detail == network.SummaryDetail {
		query = entitiesSummaryByID
	}
	byID, err := a.s.entities(ctx, a.tx, query, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make([]*network.Entity, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

func (a txAdjacency) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	rows, err := a.s.incidentRows(ctx, a.tx, ids, f)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(rows))
	out := make([]*network.Relationship, 0, len(rows))
	for _, r := range rows {
		if !seen[r.rel.ID] {
			seen[r.rel.ID] = true
			out = append(out, r.rel)
		}
	}
	return out, nil
}

func neighborParams(ids, exclude []string, f network.RelFilter, limit int) map[string]any {
	p := filterParams(ids, f)
	p["skip"] = append(append([]string(nil), ids...), exclude...)
	p["limit"] = limit
	perStream := limit + len(ids) + len(exclude) // see hubs.go
	p["perStream"], p["heavy"] = perStream, max(perStream, heavyDegree)
	return p
}

func (a txAdjacency) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	out, _, err := a.neighbors(ctx, forFilter(neighbors, neighborsAnyTime, f), ids, exclude, f, limit)
	return out, err
}

// neighbors runs a light form of the neighbors statement and, when it
// says the frontier holds a heavy node, the heavy form (hubs.go). It
// returns the ids it gave, and its records for any other column.
func (a txAdjacency) neighbors(ctx context.Context, query string, ids, exclude []string, f network.RelFilter, limit int) ([]string, []*driver.Record, error) {
	params := neighborParams(ids, exclude, f, limit)
	recs, err := a.s.collect(ctx, a.tx, query, params)
	if err == nil && len(recs) > 0 && recordID(recs[0]) == heavyMark {
		recs, err = a.s.collect(ctx, a.tx, heavyForm(query), params)
	}
	if err != nil {
		return nil, nil, err
	}
	out := make([]string, len(recs))
	for i, rec := range recs {
		out[i] = recordID(rec)
	}
	return out, recs, nil
}

// recordID is a record's id column.
func recordID(rec *driver.Record) string {
	id, _ := rec.Get("id")
	return asString(id)
}

func (a txAdjacency) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	recs, err := a.s.collect(ctx, a.tx, forFilter(among, amongAnyTime, f), filterParams(ids, f))
	if err != nil {
		return nil, err
	}
	out := make([]*network.Relationship, 0, len(recs))
	for _, rec := range recs {
		r, _ := rec.Get("r")
		from, _ := rec.Get("from")
		to, _ := rec.Get("to")
		out = append(out, decodeRelationship(r.(dbtype.Relationship), asString(from), asString(to)))
	}
	return out, nil
}

// Lineage implements network.Store with one Cypher round trip per level,
// all in one read transaction.
func (s *Store) Lineage(ctx context.Context, q network.LineageQuery) (*network.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (*network.Subgraph, error) {
		a := txAdjacency{s, tx, q.Detail}
		f := network.RelFilter{Types: network.LineageTypes, Direction: network.Both, AsOf: q.AsOf}
		r, err := a.reach(ctx, lineageReach, q.ID, f, map[string]any{"cap": network.MaxLineageNodes + 1})
		if err != nil {
			return nil, err
		}
		return network.BuildLineage(ctx, r, q)
	})
}

// AllegianceChains implements network.Store: one statement reads the
// relationships the walk can meet (chainReach), then the chains are
// enumerated in memory.
func (s *Store) AllegianceChains(ctx context.Context, q network.ChainQuery) ([]*network.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) ([]*network.Path, error) {
		a := txAdjacency{s, tx, q.Detail}
		f := network.RelFilter{Types: network.AllegianceTypes, Direction: network.Outgoing, AsOf: q.AsOf}
		r, err := a.reach(ctx, chainReach[q.MaxDepth], q.From, f, nil)
		if err != nil {
			return nil, err
		}
		return network.BuildAllegianceChains(ctx, r, q)
	})
}

// ShortestPath implements network.Store with Cypher's allShortestPaths.
func (s *Store) ShortestPath(ctx context.Context, q network.PathQuery) (*network.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (*network.Path, error) {
		return s.shortestPath(ctx, txAdjacency{s, tx, q.Detail}, q)
	})
}

// shortestPath checks the ends, runs the shortestPath query and reads the
// path's nodes, all in a's transaction.
func (s *Store) shortestPath(ctx context.Context, a txAdjacency, q network.PathQuery) (*network.Path, error) {
	ends, err := a.Entities(ctx, []string{q.From, q.To})
	if err != nil {
		return nil, err
	}
	for i, id := range []string{q.From, q.To} {
		if ends[i] == nil {
			return nil, network.Errorf(network.ENOTFOUND, "unknown entity id %q", id)
		}
	}
	if !ends[0].AliveAt(q.AsOf) || !ends[1].AliveAt(q.AsOf) {
		return nil, nil
	}
	if q.From == q.To {
		return &network.Path{Nodes: ends[:1]}, nil
	}
	params := filterParams(nil, network.RelFilter{Types: q.Types, AsOf: q.AsOf})
	params["from"], params["to"] = q.From, q.To
	query := shortestPath
	if q.AsOf.IsZero() && everyType(q.Types) {
		query = shortestPathAnyTime // every type, any time: nothing to filter
	}
	if a.detail == network.SummaryDetail {
		query = withSummaries(query)
	}
	recs, err := s.collect(ctx, a.tx, query, params)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	m := recs[0].AsMap()
	var rels []*network.Relationship
	for _, item := range m["rels"].([]any) {
		rm := item.(map[string]any)
		rels = append(rels, decodeRelationship(rm["r"].(dbtype.Relationship), asString(rm["from"]), asString(rm["to"])))
	}
	if len(rels) > q.MaxDepth {
		return nil, nil
	}
	if a.detail == network.SummaryDetail {
		// The path's nodes came with it.
		var nodes []*network.Entity
		for _, n := range m["summaries"].([]any) {
			nodes = append(nodes, decodeEntity(n.(map[string]any), nil))
		}
		return &network.Path{Nodes: nodes, Edges: rels}, nil
	}
	nodes, err := a.Entities(ctx, asStrings(m["nodeIds"]))
	if err != nil {
		return nil, err
	}
	return &network.Path{Nodes: nodes, Edges: rels}, nil
}
