package network

import (
	"context"
	"unicode/utf8"
)

// Documented maxima of the query arguments. A request over one of them is
// refused with ELIMIT; a zero or negative value is EINVALID.
const (
	MaxSearchLimit       = 100
	MaxNeighborhoodDepth = 4
	MaxNeighborhoodLimit = 5000
	MaxPathDepth         = 10
	MaxChainDepth        = 12
	// MaxSearchQueryLength bounds a search query, in characters: ranking
	// costs time in proportion to the query's words.
	MaxSearchQueryLength = 500
	// MaxLineageNodes caps a lineage subgraph; beyond it the result is
	// marked truncated.
	MaxLineageNodes = 5000
	// MaxChains caps the number of allegiance chains returned.
	MaxChains = 1000
)

// Store reads the network. The embedded in-memory store and the Neo4j store
// both implement it and pass one contract suite.
//
// Every method may also return EUNAVAILABLE when the backing database cannot
// be reached and EINTERNAL for anything unexpected.
type Store interface {
	// Entities returns the entities with the given ids, in the same order;
	// an unknown id gives nil at its position.
	Entities(ctx context.Context, ids []string) ([]*Entity, error)

	// Sources returns the sources with the given ids, in the same order; an
	// unknown id gives nil at its position.
	Sources(ctx context.Context, ids []string) ([]*Source, error)

	// RelationshipsOf returns, for each of ids, the relationships matching
	// f, sorted by id. With f.AsOf set it keeps only relationships in force
	// then whose other endpoint exists then. An unknown id gives an empty
	// list.
	RelationshipsOf(ctx context.Context, ids []string, f RelFilter) ([][]*Relationship, error)

	// Search finds entities by name or alias, best first. It returns
	// EINVALID for an empty query and ELIMIT for a limit over
	// MaxSearchLimit.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)

	// Neighborhood returns the entities within q.Depth hops of q.ID and the
	// relationships among them. It returns ENOTFOUND for an unknown id,
	// EINVALID or ELIMIT for bad arguments.
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (*Subgraph, error)

	// ShortestPath returns the shortest undirected path, or nil when there
	// is none within q.MaxDepth. Among several it returns the one whose
	// node-id sequence is lexicographically smallest. It returns ENOTFOUND
	// for an unknown id, EINVALID or ELIMIT for bad arguments.
	ShortestPath(ctx context.Context, q PathQuery) (*Path, error)

	// AllegianceChains follows PLEDGED_ALLEGIANCE_TO and AFFILIATE_OF
	// outward from q.From and returns every maximal simple path, sorted by
	// node-id sequence. It returns ENOTFOUND for an unknown id, EINVALID or
	// ELIMIT for bad arguments.
	AllegianceChains(ctx context.Context, q ChainQuery) ([]*Path, error)

	// Lineage follows MERGED_INTO, RENAMED_TO and SPLIT_FROM from q.ID
	// towards predecessors, successors or both. It returns ENOTFOUND for an
	// unknown id.
	Lineage(ctx context.Context, q LineageQuery) (*Subgraph, error)

	// Counts returns the number of entities, relationships, sources and
	// designations stored.
	Counts(ctx context.Context) (Counts, error)

	// Snapshot returns the whole network, sorted by id. Exports of the
	// whole network, entity resolution and list reloads read it.
	Snapshot(ctx context.Context) (*Dataset, error)
}

// NeighborhoodSummarizer is an optional extension of Store, as the
// optional interfaces of database/sql/driver are: a store implements it
// when it can summarize a neighbourhood more cheaply than by building it
// whole. Call the function NeighborhoodSummary, which uses it when the
// store has it and otherwise summarizes Neighborhood's answer.
type NeighborhoodSummarizer interface {
	// NeighborhoodSummary returns the summary of what Neighborhood returns
	// for q (Summarize), ignoring q.Detail, with the same errors: ENOTFOUND
	// for an unknown id, EINVALID or ELIMIT for bad arguments, and, as
	// every Store method, EUNAVAILABLE or EINTERNAL.
	NeighborhoodSummary(ctx context.Context, q NeighborhoodQuery) (*SubgraphSummary, error)
}

// NeighborhoodSummary returns the summary of what s.Neighborhood returns
// for q, ignoring q.Detail, with the same errors. It calls s's own
// NeighborhoodSummary when s implements NeighborhoodSummarizer; otherwise
// it asks Neighborhood for SummaryDetail entities and summarizes them,
// returning EINTERNAL should an edge end outside the nodes.
func NeighborhoodSummary(ctx context.Context, s Store, q NeighborhoodQuery) (*SubgraphSummary, error) {
	if ns, ok := s.(NeighborhoodSummarizer); ok {
		return ns.NeighborhoodSummary(ctx, q)
	}
	q.Detail = SummaryDetail
	g, err := s.Neighborhood(ctx, q)
	if err != nil {
		return nil, err
	}
	sum, ok := Summarize(g)
	if !ok {
		return nil, Errorf(EINTERNAL, "neighbourhood of %q: an edge ends outside its nodes", q.ID)
	}
	return sum, nil
}

// Writer replaces or updates the network. A failed Load leaves the store as
// it was.
type Writer interface {
	// Load first removes d.DeleteRelationships and d.DeleteEntities, then
	// writes d, merging on ids: loading the same dataset twice leaves the
	// same store and the same counts. It returns EINVALID when d refers to
	// ids that are neither in d nor in the store.
	Load(ctx context.Context, d *Dataset) (Counts, error)
}

// SearchQuery is the input of Store.Search.
type SearchQuery struct {
	Query string
	Kinds []EntityKind
	Limit int
}

// Detail says how much of each entity a traversal returns.
type Detail uint8

const (
	// FullDetail returns whole entities. It is the zero value.
	FullDetail Detail = iota
	// SummaryDetail returns, of each entity, at least its ID, Kind, Name,
	// Aliases, Description, Born, Died, Founded and Dissolved; the other
	// fields may be empty. It serves callers that draw or list the
	// entities (the GraphQL fast path), so that a store need not read the
	// rest. Relationships are whole either way.
	SummaryDetail
)

// NeighborhoodQuery is the input of Store.Neighborhood.
type NeighborhoodQuery struct {
	ID    string
	Depth int
	Types []RelType
	AsOf  PartialDate
	// Limit counts nodes, nearest first, then by id.
	Limit  int
	Detail Detail
}

// PathQuery is the input of Store.ShortestPath.
type PathQuery struct {
	From, To string
	Types    []RelType
	MaxDepth int
	AsOf     PartialDate
	Detail   Detail
}

// ChainQuery is the input of Store.AllegianceChains.
type ChainQuery struct {
	From     string
	AsOf     PartialDate
	MaxDepth int
	Detail   Detail
}

// LineageQuery is the input of Store.Lineage.
type LineageQuery struct {
	ID        string
	Direction LineageDirection
	AsOf      PartialDate
	Detail    Detail
}

func checkRange(name string, v, max int) error {
	if v < 1 {
		return Errorf(EINVALID, "%s must be at least 1, got %d", name, v)
	}
	if v > max {
		return Errorf(ELIMIT, "%s may be at most %d, got %d", name, max, v)
	}
	return nil
}

func checkTypes(types []RelType) error {
	for _, t := range types {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown relationship type %q", t)
		}
	}
	return nil
}

// Validate checks q against the documented maxima.
func (q SearchQuery) Validate() error {
	if n := utf8.RuneCountInString(q.Query); n > MaxSearchQueryLength {
		return Errorf(ELIMIT, "the search query may be at most %d characters, got %d", MaxSearchQueryLength, n)
	}
	if normalize(q.Query) == "" {
		return Errorf(EINVALID, "search query has no letters or digits")
	}
	for _, k := range q.Kinds {
		if !k.Valid() {
			return Errorf(EINVALID, "unknown entity kind %q", k)
		}
	}
	return checkRange("limit", q.Limit, MaxSearchLimit)
}

// Validate checks q against the documented maxima.
func (q NeighborhoodQuery) Validate() error {
	if err := checkRange("depth", q.Depth, MaxNeighborhoodDepth); err != nil {
		return err
	}
	if err := checkRange("limit", q.Limit, MaxNeighborhoodLimit); err != nil {
		return err
	}
	return checkTypes(q.Types)
}

// Validate checks q against the documented maxima.
func (q PathQuery) Validate() error {
	if err := checkRange("maxDepth", q.MaxDepth, MaxPathDepth); err != nil {
		return err
	}
	return checkTypes(q.Types)
}

// Validate checks q against the documented maxima.
func (q ChainQuery) Validate() error {
	return checkRange("maxDepth", q.MaxDepth, MaxChainDepth)
}

// Validate checks q's direction.
func (q LineageQuery) Validate() error {
	switch q.Direction {
	case Predecessors, Successors, BothLineages:
		return nil
	}
	return Errorf(EINVALID, "unknown lineage direction %q", q.Direction)
}
