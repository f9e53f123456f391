package graph

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/graph/model"
	"github.com/allegiance/allegiance/network"
)

// benchNeighborhoodQuery is the query of the suite's depth-2 neighbourhood
// (bench/), whose answer at scale M is ~500 nodes and ~2,000 edges.
const benchNeighborhoodQuery = `query($id: ID!, $depth: Int) { neighborhood(id: $id, depth: $depth, limit: 500) {
	truncated nodes { id name kind } edges { id type since until from { id name } to { id name } } } }`

// BenchmarkFastPathSubgraph measures the fast path's serialization alone
// (no store, no HTTP): the writer of a 500-node, 2,000-edge subgraph
// writing into a fresh buffer, as gqlgen's executor does per request.
func BenchmarkFastPathSubgraph(b *testing.B) {
	g := model.NewSubgraph(syntheticSubgraph(500, 2000))
	shape := compileRootShape(b, benchNeighborhoodQuery, "Subgraph")
	var size int
	b.ReportAllocs()
	for b.Loop() {
		m := shape.subgraph(g)
		if m == nil {
			b.Fatal("subgraph: got nil, want a writer")
		}
		var buf bytes.Buffer
		m.MarshalGQL(&buf)
		size = buf.Len()
	}
	b.SetBytes(int64(size))
}

// BenchmarkFastPathSummary measures the same for the summary of the
// subgraph, which the fast path writes when the selection allows (as the
// benchmark's does).
func BenchmarkFastPathSummary(b *testing.B) {
	g, ok := network.Summarize(syntheticSubgraph(500, 2000))
	if !ok {
		b.Fatal("Summarize: an edge ends outside the nodes")
	}
	shape := compileRootShape(b, benchNeighborhoodQuery, "Subgraph")
	if !shape.summarizable() {
		b.Fatalf("%s: not summarizable, want it to be", benchNeighborhoodQuery)
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		shape.summary(g).MarshalGQL(&buf)
		size = buf.Len()
	}
	b.SetBytes(int64(size))
}

// BenchmarkSpliceResponse measures writing the response around the data of
// the same subgraph.
func BenchmarkSpliceResponse(b *testing.B) {
	g := model.NewSubgraph(syntheticSubgraph(500, 2000))
	shape := compileRootShape(b, benchNeighborhoodQuery, "Subgraph")
	var buf bytes.Buffer
	shape.subgraph(g).MarshalGQL(&buf)
	resp := &graphql.Response{Data: buf.Bytes()}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := spliceResponse(resp); !ok {
			b.Fatal("spliceResponse: got ok false, want true")
		}
	}
}

// compileRootShape compiles the selection of query's first root field as
// fastAnswer does, for a type of "Subgraph" or "Path".
func compileRootShape(tb testing.TB, query, typ string) *fastShape {
	tb.Helper()
	doc, errs := gqlparser.LoadQuery(NewExecutableSchema(Config{}).Schema(), query)
	if errs != nil {
		tb.Fatalf("loading %s: %v", query, errs)
	}
	op := doc.Operations[0]
	oc := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: op, Variables: map[string]any{}}
	root, ok := op.SelectionSet[0].(*ast.Field)
	if !ok {
		tb.Fatalf("%s: the first root selection is not a field", query)
	}
	shape := compileShape(oc, root.SelectionSet, typ)
	if shape == nil {
		tb.Fatalf("%s: compileShape returned nil, want a shape", query)
	}
	return shape
}

// syntheticSubgraph returns a subgraph of n entities and m relationships
// among them, with names, dates and optional fields mixed as in the bundled
// data: mostly ASCII, some transliterated names with diacritics.
func syntheticSubgraph(n, m int) *network.Subgraph {
	names := []string{"Iyad Ag Ghaly", "Amadou Kouffa", "Jamāʿat Nuṣrat al-Islām wal-Muslimīn",
		"Katibat Macina", "Al-Qaeda in the Islamic Maghreb", "Ansar Dine", "Mokhtar Belmokhtar",
		"Islamic State in the Greater Sahara", "Adnan Abu Walid al-Sahrawi", `Abu "the Elder"`}
	dates := []string{"2012", "2015-03", "2017-03-02", "1998", "2020-11"}
	g := &network.Subgraph{Truncated: true}
	for i := range n {
		kind := network.Organization
		if i%3 == 0 {
			kind = network.Person
		}
		g.Nodes = append(g.Nodes, &network.Entity{
			ID:          fmt.Sprintf("entity-%04d", i),
			Kind:        kind,
			Name:        fmt.Sprintf("%s %d", names[i%len(names)], i),
			Aliases:     []string{fmt.Sprintf("alias %d", i)},
			Description: fmt.Sprintf("Synthetic entity %d of the benchmark.", i),
		})
	}
	for i := range m {
		r := &network.Relationship{
			ID:   fmt.Sprintf("rel-%05d", i),
			Type: network.RelTypes[i%len(network.RelTypes)],
			From: g.Nodes[i%n].ID,
			To:   g.Nodes[(i*7+1)%n].ID,
		}
		if i%4 != 0 {
			r.Since = network.MustParsePartialDate(dates[i%len(dates)])
		}
		if i%3 == 0 {
			r.Until = network.MustParsePartialDate(dates[(i+2)%len(dates)])
		}
		if i%5 == 0 {
			r.Role, r.Qualifier = "commander", "reportedly"
		}
		g.Edges = append(g.Edges, r)
	}
	return g
}
