// Command allegiance loads the network of extremist groups into a store and
// serves it over GraphQL.
//
//	allegiance serve [--addr 127.0.0.1:8080] [--neo4j-uri URI] [--data PATH...] [--timeout 10s]
//	allegiance load [--neo4j-uri URI] [--replace] [PATH...]
//
// With no Neo4j URI (flag or NEO4J_URI), serve uses the embedded in-memory
// store and the bundled dataset, and load only validates.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain()
	if err := m.ParseFlags(ctx, os.Args[1:]); errors.Is(err, errHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		m.Close()
		os.Exit(1)
	}
	if m.Command == "serve" {
		<-ctx.Done()
		// Drain in-flight requests; a second signal stops at once.
		stop()
		fmt.Fprintln(m.Stderr, "shutting down")
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
