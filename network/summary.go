package network

// SubgraphSummary is a subgraph as a drawing of it needs it: each node's
// id, kind and name, and each edge's id, type, period, hedge and ends, the
// ends as positions in Nodes rather than ids. It is what
// NeighborhoodSummary returns, so that a caller that draws the
// network (the GraphQL fast path, a visualization front end) is not
// handed whole entities and relationships it would not read.
type SubgraphSummary struct {
	// Nodes are sorted by id, as Subgraph.Nodes.
	Nodes []EntitySummary
	// Edges are sorted as Subgraph.Edges.
	Edges     []RelationshipSummary
	Truncated bool
}

// EntitySummary is the part of an Entity a drawing shows.
type EntitySummary struct {
	ID   string
	Kind EntityKind
	Name string
}

// RelationshipSummary is the part of a Relationship a drawing shows. The
// source's hedge (Qualifier) is part of it: a drawing must not show a
// reported tie as a plain one.
type RelationshipSummary struct {
	ID   string
	Type RelType
	// From and To are the positions of the ends in SubgraphSummary.Nodes.
	From, To     int32
	Since, Until PartialDate
	Qualifier    string
}

// Summarize returns the summary of g, or false when an edge of g ends
// outside its nodes (a Subgraph a store returns never does).
func Summarize(g *Subgraph) (*SubgraphSummary, bool) {
	out := &SubgraphSummary{
		Nodes:     make([]EntitySummary, len(g.Nodes)),
		Edges:     make([]RelationshipSummary, len(g.Edges)),
		Truncated: g.Truncated,
	}
	at := make(map[string]int32, len(g.Nodes))
	for i, n := range g.Nodes {
		out.Nodes[i] = EntitySummary{ID: n.ID, Kind: n.Kind, Name: n.Name}
		at[n.ID] = int32(i)
	}
	for i, r := range g.Edges {
		from, okFrom := at[r.From]
		to, okTo := at[r.To]
		if !okFrom || !okTo {
			return nil, false
		}
		out.Edges[i] = RelationshipSummary{ID: r.ID, Type: r.Type, From: from, To: to,
			Since: r.Since, Until: r.Until, Qualifier: r.Qualifier}
	}
	return out, true
}
