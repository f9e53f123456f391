// Command bench-server serves the project's GraphQL handler
// (graph.NewHandler) at /graphql and the direct endpoint
// (bench/server.Direct) at /direct, over Neo4j or over the embedded store
// holding a generated network. The benchmark suite starts it pinned to
// the servers' core and reads its URL from the first line of stdout.
//
//	bench-server -store neo4j -neo4j-uri bolt://127.0.0.1:7703
//	bench-server -store memory -scale S -seed 1
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/bench/server"
	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/internal/hugepages"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-server:", err)
		os.Exit(1)
	}
}

func run() error {
	kind := flag.String("store", "memory", "memory or neo4j")
	uri := flag.String("neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j to serve (it must hold the data already)")
	scale := flag.String("scale", "S", "scale of the generated network the memory store holds")
	seed := flag.Uint64("seed", 1, "seed of the generated network")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	withPprof := flag.Bool("pprof", false, "also serve net/http/pprof at /debug/pprof/, for the profiles BENCHMARKS.md cites")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	var s network.Store
	switch *kind {
	case "neo4j":
		n, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: *uri, WarmPlans: true}, log)
		if err != nil {
			return err
		}
		defer n.Close(context.Background())
		s = n
	case "memory":
		sc, err := gen.ParseScale(*scale)
		if err != nil {
			return err
		}
		d, err := gen.GenerateScale(sc, *seed)
		if err != nil {
			return err
		}
		m := memory.New()
		if _, err := m.Load(ctx, d); err != nil {
			return err
		}
		// As allegiance serve does with a large embedded store.
		if _, err := hugepages.Collapse(); err != nil {
			log.Warn("huge pages refused", "err", err)
		}
		s = m
	default:
		return fmt.Errorf("unknown store %q", *kind)
	}
	h := graph.NewHandler(s, graph.HandlerConfig{
		Log:    log,
		Routes: []graph.Route{{Pattern: "POST /direct", Handler: server.Direct(s), Protected: true}},
	})
	if *withPprof {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		mux.Handle("/", h)
		h = mux
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
