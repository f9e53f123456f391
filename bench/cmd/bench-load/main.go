// Command bench-load empties a Neo4j database and writes a generated
// network into it with the project's loader (neo4j.Store.Load):
//
//	go run ./bench/cmd/bench-load -scale S -seed 1 -neo4j-uri bolt://127.0.0.1:7703
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/allegiance/allegiance/bench/gen"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

func main() {
	scale := flag.String("scale", "S", "T, S, M or L")
	seed := flag.Uint64("seed", 1, "seed")
	uri := flag.String("neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j to empty and load")
	flag.Parse()
	if err := run(*scale, *seed, *uri); err != nil {
		fmt.Fprintln(os.Stderr, "bench-load:", err)
		os.Exit(1)
	}
}

func run(scale string, seed uint64, uri string) error {
	sc, err := gen.ParseScale(scale)
	if err != nil {
		return err
	}
	d, err := gen.GenerateScale(sc, seed)
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: uri}, nil)
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	if err := s.Reset(ctx); err != nil {
		return err
	}
	start := time.Now()
	c, err := s.Load(ctx, d)
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Printf("loaded scale %s: %+v in %v (%.0f relationships/s)\n", sc, c, el.Round(time.Millisecond), float64(c.Relationships)/el.Seconds())
	return nil
}
