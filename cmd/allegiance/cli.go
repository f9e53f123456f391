package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/internal/hugepages"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/metrics"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
	"github.com/allegiance/allegiance/web"
)

var errHelp = errors.New("help requested")

const usage = `usage:
  allegiance serve   [--addr 127.0.0.1:8080] [--neo4j-uri URI] [--format F] [--data PATH...] [--timeout 10s]
  allegiance load    [--neo4j-uri URI] [--replace] [--format F] [PATH...]
  allegiance export  --format graphml|gexf|cytoscape|graphology|csv|ftm [--root ID --depth N] [--as-of D] [--out FILE]
  allegiance resolve [--neo4j-uri URI] [--format F PATH...] [--out data/resolution/review.yaml]
  allegiance keys    hash < KEY | new --id NAME [--role reader|editor]

Import formats (--format of serve, load, resolve): native (the YAML of
data/FORMAT.md, the default), unsc (the UN Security Council consolidated
list XML), ftm (FollowTheMoney JSON lines), csv (neo4j-admin import style
nodes and relationships files). Every load applies the accepted
entity-resolution decisions (--resolution DIR, default the bundled
data/resolution).

serve authenticates with --keys-file, --jwt-secret-file and/or --jwks-file;
without them it listens on a loopback address only, unless --insecure.

Without a Neo4j URI, serve uses the embedded store and load validates only.
Environment: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
`

// Main is the program: ParseFlags reads the command line, Run does the
// command (for serve: starts listening and returns), Close releases
// everything.
type Main struct {
	Command   string
	Addr      string
	Neo4j     neo4jstore.Config
	DataPaths []string
	Timeout   time.Duration
	Replace   bool
	// Handler holds the server's limits and switches (serve only).
	Handler graph.HandlerConfig
	// Auth names serve's credential sources. With none, serve listens on
	// a loopback address only, unless Insecure.
	Auth     auth.Config
	Insecure bool
	// Format is the import format of serve --data, load and resolve, or
	// the export format of export.
	Format string
	// ResolutionDir holds the entity-resolution decisions; empty means the
	// bundled data/resolution.
	ResolutionDir string
	// Export holds the export command's flags.
	Export exportCommand
	// Out is where export and resolve write; "" means standard output for
	// export and data/resolution/review.yaml for resolve.
	Out string
	// Keys is the keys command's subcommand and flags.
	Keys keysCommand
	// Stdin is what `keys hash` reads; nil means os.Stdin.
	Stdin io.Reader
	// HugePageHeap is the least heap, in bytes, that serve puts on huge
	// pages once the embedded store is loaded (see hugePages).
	HugePageHeap uint64

	Stdout, Stderr io.Writer
	Log            *slog.Logger

	neo4j *neo4jstore.Store
	// store is what serve serves.
	store    network.Store
	server   *http.Server
	listener net.Listener
}

// NewMain returns a Main writing to the process's standard streams.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Timeout: graph.DefaultTimeout, HugePageHeap: minHugeHeap}
}

// ParseFlags reads the command and its flags. The Neo4j settings default to
// NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE.
func (m *Main) ParseFlags(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stderr, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return errHelp
	}
	m.Command = args[0]
	fs := flag.NewFlagSet("allegiance "+m.Command, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.Neo4j.URI, "neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j URI, e.g. bolt://127.0.0.1:7687 (default $NEO4J_URI)")
	fs.StringVar(&m.Neo4j.Username, "neo4j-username", os.Getenv("NEO4J_USERNAME"), "Neo4j user (default $NEO4J_USERNAME)")
	fs.StringVar(&m.Neo4j.Password, "neo4j-password", os.Getenv("NEO4J_PASSWORD"), "Neo4j password (default $NEO4J_PASSWORD)")
	fs.StringVar(&m.Neo4j.Database, "neo4j-database", os.Getenv("NEO4J_DATABASE"), "Neo4j database (default $NEO4J_DATABASE or the server's default)")
	switch m.Command {
	case "serve":
		fs.StringVar(&m.Addr, "addr", "127.0.0.1:8080", "address to listen on")
		fs.DurationVar(&m.Timeout, "timeout", graph.DefaultTimeout, "per-request deadline")
		data := fs.String("data", "", "comma-separated files to serve: native files or directories replace the bundled dataset; files of another --format are imported on top of it")
		m.importFlags(fs)
		lim := &m.Handler.Limits
		fs.IntVar(&lim.MaxComplexity, "max-complexity", graph.DefaultLimits.MaxComplexity, "largest estimated query cost")
		fs.IntVar(&lim.MaxDepth, "max-depth", graph.DefaultLimits.MaxDepth, "deepest selection nesting")
		fs.IntVar(&lim.MaxAliases, "max-aliases", graph.DefaultLimits.MaxAliases, "most aliased fields in one operation")
		fs.IntVar(&lim.MaxOperations, "max-operations", graph.DefaultLimits.MaxOperations, "most operations in one document")
		fs.Int64Var(&lim.MaxBodyBytes, "max-body-bytes", graph.DefaultLimits.MaxBodyBytes, "largest request body")
		fs.IntVar(&lim.MaxTokens, "max-tokens", graph.DefaultLimits.MaxTokens, "most lexical tokens in one document")
		introspection := fs.Bool("introspection", true, "allow schema introspection (turn off in production)")
		cors := fs.String("cors-origins", "", "comma-separated origins browsers may call the API from (default: none)")
		m.authFlags(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *data != "" {
			m.DataPaths = strings.Split(*data, ",")
		}
		m.Handler.DisableIntrospection = !*introspection
		if *cors != "" {
			m.Handler.CORSOrigins = strings.Split(*cors, ",")
		}
		m.DataPaths = append(m.DataPaths, fs.Args()...)
	case "load":
		fs.BoolVar(&m.Replace, "replace", false, "delete everything in the database before loading")
		m.importFlags(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		m.DataPaths = fs.Args()
	case "export":
		if err := m.parseExport(fs, args[1:]); err != nil {
			return err
		}
	case "resolve":
		m.importFlags(fs)
		fs.StringVar(&m.Out, "out", "data/resolution/review.yaml", "the review file to write")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		m.DataPaths = fs.Args()
	case "keys":
		if err := m.parseKeys(fs, args[1:]); err != nil {
			return err
		}
	default:
		fmt.Fprint(m.Stderr, usage)
		return fmt.Errorf("unknown command %q", m.Command)
	}
	if m.Timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	return nil
}

// Run does the command. For serve it returns once the server listens.
func (m *Main) Run(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.New(slog.NewJSONHandler(m.Stderr, nil))
	}
	switch m.Command {
	case "load":
		return m.runLoad(ctx)
	case "serve":
		return m.runServe(ctx)
	case "keys":
		return m.runKeys()
	case "export":
		return m.runExport(ctx)
	case "resolve":
		return m.runResolve(ctx)
	}
	return fmt.Errorf("unknown command %q", m.Command)
}

// importFlags adds the flags of every command that imports files.
func (m *Main) importFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.Format, "format", formatNative, "format of the files: "+strings.Join(importFormats, ", "))
	fs.StringVar(&m.ResolutionDir, "resolution", "", "directory of entity-resolution decisions (default: the bundled data/resolution)")
}

// bundled reads the bundled dataset.
func bundled() (*imported, error) {
	ds, err := loader.ReadFS(data.FS, "data")
	return &imported{what: "the bundled dataset", ds: ds}, err
}

// imports reads what serve and resolve start from: the native files given,
// or the bundled dataset followed by the files of another format.
func (m *Main) imports() ([]*imported, error) {
	native := m.Format == "" || m.Format == formatNative
	if native && len(m.DataPaths) > 0 {
		im, err := readImport(formatNative, m.DataPaths)
		return []*imported{im}, err
	}
	b, err := bundled()
	if err != nil || native {
		return []*imported{b}, err
	}
	im, err := readImport(m.Format, m.DataPaths)
	return []*imported{b, im}, err
}

func (m *Main) openNeo4j(ctx context.Context) error {
	s, err := neo4jstore.Open(ctx, m.Neo4j, m.Log)
	if err != nil {
		return err
	}
	m.neo4j = s
	return nil
}

func (m *Main) runLoad(ctx context.Context) error {
	var im *imported
	var err error
	if len(m.DataPaths) == 0 && (m.Format == "" || m.Format == formatNative) {
		im, err = bundled()
	} else {
		im, err = readImport(m.Format, m.DataPaths)
	}
	if err != nil {
		return err
	}
	if m.Neo4j.URI == "" {
		fmt.Fprintf(m.Stdout, "validated %s: would write %s (no Neo4j URI given, nothing written)\n", im.what, formatCounts(im.ds.Counts()))
		return nil
	}
	if err := m.openNeo4j(ctx); err != nil {
		return err
	}
	start := time.Now()
	if m.Replace {
		if err := m.neo4j.Reset(ctx); err != nil {
			return err
		}
	}
	rep, err := m.importInto(ctx, m.neo4j, im)
	if err != nil && m.Replace {
		// Reset has committed: the load's own failure leaves nothing
		// behind it, but nothing of before either.
		return fmt.Errorf("load failed after --replace had emptied the database, which now holds nothing: %w", err)
	}
	if err != nil {
		return fmt.Errorf("load failed, the database is unchanged: %w", err)
	}
	fmt.Fprintf(m.Stdout, "loaded %s into %s in %s: %s\n", im.what, m.Neo4j.URI, time.Since(start).Round(time.Millisecond), rep.describe())
	return nil
}

func formatCounts(c network.Counts) string {
	return fmt.Sprintf("%d entities, %d relationships, %d sources, %d designations",
		c.Entities, c.Relationships, c.Sources, c.Designations)
}

func (m *Main) runServe(ctx context.Context) error {
	var store network.Store
	// Every record logged with a request's context, the store's included,
	// carries the request id.
	m.Log = slog.New(graph.LogHandler(m.Log.Handler()))
	cfg := m.Handler
	cfg.Timeout, cfg.Log = m.Timeout, m.Log
	if err := m.configureAuth(ctx, &cfg); err != nil {
		return err
	}
	met := metrics.New()
	cfg.Metrics = met.Handler()
	cfg.Observe = func(r graph.RequestStats) { met.ObserveRequest(r.Operation, r.Duration, r.ErrorCodes) }
	// The explorer and GraphiQL: static pages, public like /healthz.
	for _, p := range web.Patterns() {
		cfg.Routes = append(cfg.Routes, graph.Route{Pattern: p, Handler: web.Handler()})
	}
	observer := m.Neo4j.Observer
	m.Neo4j.Observer = func(query string, elapsed time.Duration, err error) {
		met.ObserveQuery(neo4jstore.QueryName(query), elapsed, err)
		if observer != nil {
			observer(query, elapsed, err)
		}
	}
	m.Neo4j.InFlight = met.AddInFlight
	m.Neo4j.WarmPlans = true
	if m.Neo4j.URI == "" {
		ims, err := m.imports()
		if err != nil {
			return err
		}
		mem := memory.New()
		for _, im := range ims {
			rep, err := m.importInto(ctx, mem, im)
			if err != nil {
				return err
			}
			m.Log.Info("embedded store loaded", "dataset", im.what, "report", rep.describe())
		}
		m.hugePages()
		reload := m.reloader(mem)
		store = mem
		cfg.Reload = func(ctx context.Context) (network.Counts, error) {
			c, err := reload(ctx)
			if err == nil {
				m.hugePages()
			}
			return c, err
		}
	} else {
		if err := m.openNeo4j(ctx); err != nil {
			return err
		}
		c, err := m.neo4j.Counts(ctx)
		if err != nil {
			return err
		}
		// Serve what the database holds; load the dataset first when it is
		// empty or when one was named.
		if c.Entities == 0 || len(m.DataPaths) > 0 {
			ims, err := m.imports()
			if err != nil {
				return err
			}
			for _, im := range ims {
				rep, err := m.importInto(ctx, m.neo4j, im)
				if err != nil {
					return err
				}
				m.Log.Info("loaded into neo4j", "dataset", im.what, "report", rep.describe())
			}
		}
		store, cfg.Ready = m.neo4j, m.neo4j.Ping
		cfg.Reload = m.reloader(m.neo4j)
	}
	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return err
	}
	m.listener = ln
	m.store = store
	cfg.Routes = append(cfg.Routes, graph.Route{Pattern: "GET /export/{format}", Handler: export.Handler(store), Protected: true})
	m.server = &http.Server{Handler: graph.NewHandler(store, cfg), ReadHeaderTimeout: 10 * time.Second}
	go m.server.Serve(ln)
	fmt.Fprintf(m.Stdout, "serving GraphQL at %s/graphql\n", m.URL())
	return nil
}

// URL is the base URL the server listens on, once Run has returned.
func (m *Main) URL() string {
	if m.listener == nil {
		return ""
	}
	return "http://" + m.listener.Addr().String()
}

// Close drains in-flight requests, then closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		errs = append(errs, m.server.Shutdown(ctx))
		m.server = nil
	}
	if m.neo4j != nil {
		errs = append(errs, m.neo4j.Close(context.Background()))
		m.neo4j = nil
	}
	return errors.Join(errs...)
}

// minHugeHeap is the least heap hugePages puts on huge pages by default
// (Main.HugePageHeap). A smaller store is within the TLB's reach anyway
// (the bundled dataset is a few megabytes), and the collapse, a full GC
// and a copy, would only slow the start.
const minHugeHeap = 64 << 20

// hugePages puts the embedded store, which the process's heap now holds,
// on huge pages (see package hugepages) when it is large: its traversals
// then miss the TLB far less. It logs what it did; a refusal costs speed
// only.
func (m *Main) hugePages() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc < m.HugePageHeap {
		return
	}
	start := time.Now()
	rep, err := hugepages.Collapse()
	if err != nil {
		m.Log.Info("huge pages refused; the embedded store keeps 4 KB pages", "err", err)
		return
	}
	m.Log.Info("embedded store on huge pages", "collapsed_mib", rep.Collapsed>>20, "refused_mib", rep.Refused>>20, "took", time.Since(start).Round(time.Millisecond))
}
