// Package graph is the GraphQL API: gqlgen's generated executor plus thin
// resolvers that delegate to a network.Store through per-request
// dataloaders.
package graph

//go:generate sh -c "cd .. && go tool gqlgen generate --config gqlgen.yml"

import "github.com/allegiance/allegiance/network"

// Resolver holds the resolvers' dependencies, and nothing else.
type Resolver struct {
	Store network.Store
}
