// Package server holds what the benchmark servers add to the project's
// own handler: the "direct" endpoint (server b of the suite), which runs
// the same store calls as the GraphQL resolvers, the same Cypher through
// the same Go driver, and answers plain JSON, without GraphQL.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/allegiance/allegiance/network"
)

// drawn is the detail of the traversals: the benchmark's queries select
// only id, name and kind of each node, so the GraphQL fast path asks for
// network.SummaryDetail, and the direct path, to send the same Cypher,
// asks for it too.
const drawn = network.SummaryDetail

// Request is one direct call: an operation and its arguments.
type Request struct {
	Op       string `json:"op"`
	ID       string `json:"id,omitempty"`
	To       string `json:"to,omitempty"`
	Query    string `json:"query,omitempty"`
	Depth    int    `json:"depth,omitempty"`
	Limit    int    `json:"limit,omitempty"`
	MaxDepth int    `json:"maxDepth,omitempty"`
}

// node and edge are the fields the benchmark's GraphQL queries select.
type node struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

type edge struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
	From  *node  `json:"from,omitempty"`
	To    *node  `json:"to,omitempty"`
}

// Direct serves POST /direct: Request in, the answer as JSON out. Like the
// GraphQL resolvers, it fetches the endpoints of returned edges with one
// batched Entities call.
func Direct(s network.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req Request
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		out, err := Run(r.Context(), s, req)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			var ne *network.Error
			status := http.StatusInternalServerError
			if errors.As(err, &ne) && (ne.Code == network.EINVALID || ne.Code == network.ENOTFOUND) {
				status = http.StatusBadRequest
			}
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": out})
	})
}

// Run answers req from s.
func Run(ctx context.Context, s network.Store, req Request) (any, error) {
	switch req.Op {
	case "search":
		hits, err := s.Search(ctx, network.SearchQuery{Query: req.Query, Limit: req.Limit})
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, len(hits))
		for i, h := range hits {
			out[i] = map[string]any{"score": h.Score, "entity": nodeOf(h.Entity)}
		}
		return out, nil
	case "entity":
		es, err := s.Entities(ctx, []string{req.ID})
		if err != nil || es[0] == nil {
			return nil, err
		}
		rels, err := s.RelationshipsOf(ctx, []string{req.ID}, network.RelFilter{Direction: network.Both})
		if err != nil {
			return nil, err
		}
		edges, err := withEnds(ctx, s, rels[0])
		if err != nil {
			return nil, err
		}
		n := nodeOf(es[0])
		return map[string]any{"id": n.ID, "name": n.Name, "kind": n.Kind, "aliases": es[0].Aliases, "relationships": edges}, nil
	case "neighborhood":
		g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: req.ID, Depth: req.Depth, Limit: req.Limit, Detail: drawn})
		if err != nil {
			return nil, err
		}
		return subgraph(ctx, s, g)
	case "shortestPath":
		p, err := s.ShortestPath(ctx, network.PathQuery{From: req.ID, To: req.To, MaxDepth: req.MaxDepth, Detail: drawn})
		if err != nil || p == nil {
			return nil, err
		}
		return path(p), nil
	case "allegianceChains":
		ps, err := s.AllegianceChains(ctx, network.ChainQuery{From: req.ID, MaxDepth: req.MaxDepth, Detail: drawn})
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, len(ps))
		for i, p := range ps {
			out[i] = path(p)
		}
		return out, nil
	case "lineage":
		g, err := s.Lineage(ctx, network.LineageQuery{ID: req.ID, Direction: network.BothLineages, Detail: drawn})
		if err != nil {
			return nil, err
		}
		return subgraph(ctx, s, g)
	}
	return nil, network.Errorf(network.EINVALID, "unknown op %q", req.Op)
}

func nodeOf(e *network.Entity) *node {
	if e == nil {
		return nil
	}
	return &node{ID: e.ID, Name: e.Name, Kind: string(e.Kind)}
}

func edgeOf(r *network.Relationship) edge {
	return edge{ID: r.ID, Type: string(r.Type), Since: r.Since.String(), Until: r.Until.String()}
}

// withEnds resolves the endpoints of rels with one Entities call, as the
// GraphQL entity loader does.
func withEnds(ctx context.Context, s network.Store, rels []*network.Relationship) ([]edge, error) {
	idx := map[string]int{}
	var ids []string
	for _, r := range rels {
		for _, id := range []string{r.From, r.To} {
			if _, ok := idx[id]; !ok {
				idx[id] = len(ids)
				ids = append(ids, id)
			}
		}
	}
	ents, err := s.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]edge, len(rels))
	for i, r := range rels {
		out[i] = edgeOf(r)
		out[i].From, out[i].To = nodeOf(ents[idx[r.From]]), nodeOf(ents[idx[r.To]])
	}
	return out, nil
}

// subgraph shapes g, taking its edges' ends from its nodes, as server a's
// fast path does: a subgraph's edges join nodes it holds. Only if an end
// is missing does it ask the store, with withEnds.
func subgraph(ctx context.Context, s network.Store, g *network.Subgraph) (any, error) {
	nodes := make([]*node, len(g.Nodes))
	byID := make(map[string]*node, len(g.Nodes))
	for i, n := range g.Nodes {
		nodes[i] = nodeOf(n)
		byID[n.ID] = nodes[i]
	}
	edges := make([]edge, len(g.Edges))
	for i, r := range g.Edges {
		from, to := byID[r.From], byID[r.To]
		if from == nil || to == nil {
			all, err := withEnds(ctx, s, g.Edges)
			if err != nil {
				return nil, err
			}
			edges = all
			break
		}
		edges[i] = edgeOf(r)
		edges[i].From, edges[i].To = from, to
	}
	return map[string]any{"truncated": g.Truncated, "nodes": nodes, "edges": edges}, nil
}

func path(p *network.Path) map[string]any {
	nodes := make([]*node, len(p.Nodes))
	for i, n := range p.Nodes {
		nodes[i] = nodeOf(n)
	}
	edges := make([]edge, len(p.Edges))
	for i, r := range p.Edges {
		edges[i] = edgeOf(r)
	}
	return map[string]any{"length": p.Len(), "nodes": nodes, "edges": edges}
}
