package neo4j

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// A neighbourhood drawn at network.SummaryDetail read its root, each
// level's neighbour ids, the relationships among them, and then, in a
// statement of its own, the summaries of every entity it kept. The
// neighbors statement now returns the summaries of the ids it returns
// (neighborsSummaryTail), and summarizing answers the final Entities call
// from them: a round trip fewer per neighbourhood, for the same reads.

// neighborsSummaryTail replaces neighborsTail in the summary variants: it
// reads each kept id's entity, by index seek, as entitiesSummaryByID does.
// OPTIONAL, so that the light form's heavyMark, which no entity has, comes
// through (hubs.go).
const neighborsSummaryTail = neighborsCut + `
OPTIONAL MATCH (n:Entity {id: id}) USING INDEX SEEK n:Entity(id)
RETURN id, n ` + summaryFields + ` AS e
ORDER BY id`

// neighborSummaryVariants caches the summary variant of each form of the
// neighbors statement (with or without the window, typed or not).
var neighborSummaryVariants sync.Map // string → string

// withNeighborSummaries returns the variant of a neighbors statement that
// also returns the summaries of its ids. The variant carries the plain
// statement's name.
func withNeighborSummaries(q string) string {
	if v, ok := neighborSummaryVariants.Load(q); ok {
		return v.(string)
	}
	v := strings.Replace(q, neighborsTail, neighborsSummaryTail, 1)
	typedPlain.Store(v, plainQuery(q))
	neighborSummaryVariants.Store(q, v)
	return v
}

// summarizing is txAdjacency for a neighbourhood at SummaryDetail: its
// Neighbors keep the summaries of the ids they return, and its Entities
// answers from those when it has them all.
type summarizing struct {
	txAdjacency
	// seen holds the summaries read so far, by id; a Neighborhood call
	// runs its levels one after the other, never at once.
	seen map[string]*network.Entity
}

func (a *summarizing) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	query := withNeighborSummaries(forFilter(neighbors, neighborsAnyTime, f))
	out, recs, err := a.neighbors(ctx, query, ids, exclude, f, limit)
	for i, rec := range recs {
		if props, ok := rec.AsMap()["e"].(map[string]any); ok {
			a.seen[out[i]] = decodeEntity(props, nil)
		}
	}
	return out, err
}

func (a *summarizing) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	out := make([]*network.Entity, len(ids))
	for i, id := range ids {
		e, ok := a.seen[id]
		if !ok {
			es, err := a.txAdjacency.Entities(ctx, ids)
			for _, e := range es {
				if e != nil {
					a.seen[e.ID] = summaryCopy(e)
				}
			}
			return es, err
		}
		out[i] = summaryCopy(e)
	}
	return out, nil
}

// summaryCopy copies the fields of e that network.SummaryDetail promises,
// so that each caller gets entities of its own.
func summaryCopy(e *network.Entity) *network.Entity {
	return &network.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: slices.Clone(e.Aliases),
		Description: e.Description, Born: e.Born, Died: e.Died, Founded: e.Founded, Dissolved: e.Dissolved}
}
