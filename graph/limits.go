package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/allegiance/allegiance/network"
)

// Limits bound the shape and cost of one request. A request over any of them
// is refused with LIMIT_EXCEEDED before anything runs.
type Limits struct {
	// MaxComplexity bounds the estimated cost: each field costs 1, and the
	// traversal fields multiply their selection's cost by their limit,
	// depth and fan-out arguments (see complexity).
	MaxComplexity int
	// MaxDepth bounds how deeply selections nest.
	MaxDepth int
	// MaxAliases bounds the aliased fields in one operation.
	MaxAliases int
	// MaxOperations bounds the operations in one document.
	MaxOperations int
	// MaxBodyBytes bounds the request body.
	MaxBodyBytes int64
	// MaxTokens bounds the lexical tokens of a document, checked before it
	// is parsed: validation takes time quadratic in the fields of one
	// selection set. The introspection query has 150 tokens.
	MaxTokens int
}

// DefaultLimits are the documented defaults.
var DefaultLimits = Limits{
	MaxComplexity: 100_000,
	MaxDepth:      15,
	MaxAliases:    30,
	MaxOperations: 10,
	MaxBodyBytes:  1 << 20,
	MaxTokens:     2000,
}

func (l Limits) withDefaults() Limits {
	if l.MaxComplexity == 0 {
		l.MaxComplexity = DefaultLimits.MaxComplexity
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxAliases == 0 {
		l.MaxAliases = DefaultLimits.MaxAliases
	}
	if l.MaxOperations == 0 {
		l.MaxOperations = DefaultLimits.MaxOperations
	}
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = DefaultLimits.MaxBodyBytes
	}
	if l.MaxTokens == 0 {
		l.MaxTokens = DefaultLimits.MaxTokens
	}
	return l
}

// relationshipFanOut is the number of relationships assumed per entity when
// costing Entity.relationships.
const relationshipFanOut = 50

func or(p *int, def int) int {
	if p == nil {
		return def
	}
	return max(*p, 1)
}

// complexity costs the traversal fields: their selection's cost times what
// their arguments let them return.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Search = func(child int, _ string, _ []network.EntityKind, limit *int) int {
		return 1 + child*or(limit, defaultSearchLimit)
	}
	c.Query.Neighborhood = func(child int, _ string, depth *int, _ []network.RelType, _ *network.PartialDate, limit *int) int {
		return 1 + child*or(limit, defaultNeighborhoodLimit)*or(depth, defaultNeighborhoodDepth)
	}
	c.Query.ShortestPath = func(child int, _, _ string, _ []network.RelType, maxDepth *int, _ *network.PartialDate) int {
		return 1 + child*(or(maxDepth, defaultPathMaxDepth)+1)
	}
	c.Query.AllegianceChains = func(child int, _ string, _ *network.PartialDate, maxDepth *int) int {
		return 1 + child*or(maxDepth, defaultChainMaxDepth)*10
	}
	c.Query.Lineage = func(child int, _ string, _ *network.LineageDirection, _ *network.PartialDate) int {
		return 1 + child*100
	}
	c.Query.Members = func(child int, _ string, _ []network.RelType, _ *network.PartialDate) int {
		return 1 + child*100
	}
	rels := func(child int, _ []network.RelType, _ *network.Direction, _ *network.PartialDate) int {
		return 1 + child*relationshipFanOut
	}
	c.Person.Relationships = rels
	c.Organization.Relationships = rels
	return c
}

// shapeLimits refuses documents with too many tokens or operations, and
// operations nested too deeply or with too many aliases.
type shapeLimits struct{ l Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = shapeLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (shapeLimits) ExtensionName() string { return "ShapeLimits" }

// Validate implements graphql.HandlerExtension.
func (shapeLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator: it
// counts the document's tokens before gqlgen parses and validates it. A
// lexical error ends the count; the parser reports it.
func (s shapeLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	lex := lexer.New(&ast.Source{Input: p.Query})
	for n := 0; ; n++ {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil
		}
		if n == s.l.MaxTokens {
			return limitError("the document has more than %d tokens", s.l.MaxTokens)
		}
	}
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (s shapeLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if n := len(op.Doc.Operations); n > s.l.MaxOperations {
		return limitError("the document has %d operations; at most %d are allowed", n, s.l.MaxOperations)
	}
	w := shapeWalker{fragments: op.Doc.Fragments, memo: map[string]shape{}, busy: map[string]bool{}}
	sh := w.measure(op.Operation.SelectionSet)
	if sh.depth > s.l.MaxDepth {
		return limitError("the query nests %d levels deep; at most %d are allowed", sh.depth, s.l.MaxDepth)
	}
	// Every expanded field costs at least 1, so a document expanding to more
	// fields than MaxComplexity is over the limit. Checking it here, in one
	// memoized pass, refuses fragment bombs before gqlgen's complexity
	// calculation and field collection expand them exponentially.
	if sh.fields > s.l.MaxComplexity {
		return limitError("the query expands to %d fields; its complexity is over %d", sh.fields, s.l.MaxComplexity)
	}
	if sh.aliases > s.l.MaxAliases {
		return limitError("the query uses %d aliases; at most %d are allowed", sh.aliases, s.l.MaxAliases)
	}
	return nil
}

func limitError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": CodeLimitExceeded}}
}

// shape is the nesting depth of a selection set, and the number of aliased
// fields and of all fields it expands to.
type shape struct{ depth, aliases, fields int }

// countCap keeps alias and field counts from overflowing on documents that
// spread a fragment exponentially often; anything this large is refused
// anyway.
const countCap = 1 << 30

// shapeWalker measures selection sets, measuring each fragment once, so that
// neither a fragment cycle nor exponential re-use of fragments costs more
// than one pass over the document.
type shapeWalker struct {
	fragments ast.FragmentDefinitionList
	memo      map[string]shape
	busy      map[string]bool
}

func (w *shapeWalker) measure(set ast.SelectionSet) shape {
	var out shape
	add := func(sh shape, extraDepth int) {
		out.depth = max(out.depth, sh.depth+extraDepth)
		out.aliases = min(out.aliases+sh.aliases, countCap)
		out.fields = min(out.fields+sh.fields, countCap)
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				out.aliases = min(out.aliases+1, countCap)
			}
			out.fields = min(out.fields+1, countCap)
			add(w.measure(s.SelectionSet), 1)
		case *ast.InlineFragment:
			add(w.measure(s.SelectionSet), 0)
		case *ast.FragmentSpread:
			add(w.fragment(s.Name), 0)
		}
	}
	return out
}

func (w *shapeWalker) fragment(name string) shape {
	if sh, ok := w.memo[name]; ok {
		return sh
	}
	f := w.fragments.ForName(name)
	if f == nil || w.busy[name] {
		return shape{} // unknown or cyclic: validation reports it
	}
	w.busy[name] = true
	sh := w.measure(f.SelectionSet)
	w.busy[name] = false
	w.memo[name] = sh
	return sh
}
