// Package neo4j is the Neo4j store: it writes the network with batched,
// parameterized UNWIND/MERGE Cypher and answers queries with Cypher, using
// the shared traversal algorithms of package network where they need one
// round trip per level.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/allegiance/allegiance/network"
)

// Config says how to reach Neo4j. The environment variables NEO4J_URI,
// NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE, the names Neo4j's own
// tools use, map onto it in package main.
type Config struct {
	URI      string // bolt://, neo4j://, bolt+s:// or neo4j+s://
	Username string // empty: no authentication
	Password string
	// Database names the database; empty: the user's home database (the
	// server's default), whose name Open asks for once.
	Database string
	// AcquireTimeout (default 3 s) bounds the wait for a connection, so
	// that requests fail fast while Neo4j is down instead of the driver's
	// one minute. It also bounds every read while Neo4j is known to be
	// unavailable (see Store.read).
	AcquireTimeout time.Duration
	// Observer, if set, is told about every query the store runs.
	Observer Observer
	// InFlight, if set, is called with +1 when a read transaction begins
	// (before it waits for a pooled connection) and with -1 when it ends.
	// The running sum is the number of connections the store's reads hold
	// or wait for: the driver has no public pool statistics.
	InFlight func(delta int)
	// WarmPlans, if set, has Open start planning the neighbours statement's
	// heavy forms in the background (warmHeavyForms in hubs.go), so that
	// the first neighbourhood to meet a hub does not wait for it. A server
	// sets it; a load or a test gains nothing from it.
	WarmPlans bool
}

// Observer is told about every query the store runs: its text (always one
// of the named constants of cypher.go), how long running it and collecting
// its records took, and its error.
type Observer func(query string, elapsed time.Duration, err error)

// Store is a network.Store and network.Writer backed by Neo4j.
type Store struct {
	driver   driver.DriverWithContext
	database string
	log      *slog.Logger
	observe  Observer
	inFlight func(delta int)
	// failFast bounds each read while unavailable is set.
	failFast time.Duration
	// unavailable is set when a call finds Neo4j unavailable and cleared
	// when a read succeeds.
	unavailable atomic.Bool
	// endpointsGiven is set once EnsureSchema has run endpointIDs: it
	// scans every relationship, so it runs once per Store.
	endpointsGiven atomic.Bool
	// warmCancel stops warmHeavyForms, and warmDone is closed when it has
	// returned (Close waits for it).
	warmCancel context.CancelFunc
	warmDone   chan struct{}
}

// maxRetryTime is how long the driver retries a transaction after a
// transient or connection error (default 30 s). After one second it gives
// up, so that an outage is reported in about two seconds: the first
// attempt, the driver's ~2 s back-off, and a second attempt.
const maxRetryTime = time.Second

// livenessCheckAfter is how long a pooled connection may sit idle before
// it is checked (one round trip, bounded by AcquireTimeout) before use: a
// connection that a Neo4j restart or a firewall broke is then replaced
// instead of failing or hanging a query.
const livenessCheckAfter = 10 * time.Second

var (
	_ network.Store                  = (*Store)(nil)
	_ network.NeighborhoodSummarizer = (*Store)(nil)
	_ network.Writer                 = (*Store)(nil)
	_ network.Adjacency              = (*Store)(nil)
)

// Open connects to Neo4j and checks that it answers. It returns
// EUNAVAILABLE when it cannot reach the server.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	auth := driver.NoAuth()
	if cfg.Username != "" {
		auth = driver.BasicAuth(cfg.Username, cfg.Password, "")
	}
	if cfg.AcquireTimeout == 0 {
		cfg.AcquireTimeout = 3 * time.Second
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
		c.SocketConnectTimeout = cfg.AcquireTimeout
		c.MaxTransactionRetryTime = maxRetryTime
		c.ConnectionLivenessCheckTimeout = livenessCheckAfter
	})
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "bad Neo4j URI %q: %v", cfg.URI, err)
	}
	s := &Store{driver: d, database: cfg.Database, log: log, observe: cfg.Observer, inFlight: cfg.InFlight, failFast: cfg.AcquireTimeout}
	if err := d.VerifyConnectivity(ctx); err != nil {
		d.Close(ctx)
		return nil, network.Errorf(network.EUNAVAILABLE, "cannot reach Neo4j at %s: %v", cfg.URI, err)
	}
	if s.database == "" {
		name, err := s.homeDatabase(ctx)
		if err != nil {
			d.Close(ctx)
			return nil, network.Errorf(network.EUNAVAILABLE, "cannot ask Neo4j at %s for its default database: %v", cfg.URI, err)
		}
		s.database = name
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), warmTimeout)
	s.warmCancel, s.warmDone = cancel, make(chan struct{})
	go func() {
		defer close(s.warmDone)
		defer cancel()
		if cfg.WarmPlans {
			s.warmHeavyForms(wctx)
		}
	}()
	return s, nil
}

// homeDatabase asks the server for the name of the user's home database,
// once, so that every session names it: a session without a database name
// makes the driver resolve it again.
func (s *Store) homeDatabase(ctx context.Context) (string, error) {
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	recs, err := s.collect(ctx, autocommit{sess}, databaseName, nil)
	if err != nil {
		return "", err
	}
	if len(recs) != 1 {
		return "", fmt.Errorf("%s: got %d records, want 1", QueryName(databaseName), len(recs))
	}
	name, _ := recs[0].Get("name")
	if asString(name) == "" {
		return "", fmt.Errorf("%s: got no name", QueryName(databaseName))
	}
	return asString(name), nil
}

// Close stops the warming of plans, if it still runs, and closes the
// driver.
func (s *Store) Close(ctx context.Context) error {
	s.warmCancel()
	<-s.warmDone
	return s.driver.Close(ctx)
}

// Ping checks that Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.translate(ctx, s.driver.VerifyConnectivity(ctx))
}

func (s *Store) session(ctx context.Context, mode driver.AccessMode) driver.SessionWithContext {
	return s.driver.NewSession(ctx, driver.SessionConfig{AccessMode: mode, DatabaseName: s.database})
}

// txTimeout passes the request deadline to Neo4j as the transaction timeout
// so that a slow query is cancelled on the server too.
func txTimeout(ctx context.Context) func(*driver.TransactionConfig) {
	return func(c *driver.TransactionConfig) {
		if dl, ok := ctx.Deadline(); ok {
			if d := time.Until(dl); d > 0 {
				c.Timeout = d
			} else {
				c.Timeout = time.Millisecond
			}
		}
	}
}

// read runs fn in a read transaction with the request's deadline, and
// gives fn the context to run its queries with. While Neo4j is known to be
// unavailable the read gets failFast at most: a restarting Neo4j accepts
// connections well before it answers them, and requests would otherwise
// wait out their whole deadline.
func read[T any](ctx context.Context, s *Store, fn func(ctx context.Context, tx driver.ManagedTransaction) (T, error)) (T, error) {
	if s.unavailable.Load() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.failFast)
		defer cancel()
	}
	if s.inFlight != nil {
		s.inFlight(1)
		defer s.inFlight(-1)
	}
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	v, err := sess.ExecuteRead(ctx, func(tx driver.ManagedTransaction) (any, error) { return fn(ctx, tx) }, txTimeout(ctx))
	if err != nil {
		var zero T
		return zero, s.translate(ctx, err)
	}
	s.unavailable.Store(false)
	return v.(T), nil
}

// runner is a transaction or a session: anything that runs Cypher.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (driver.ResultWithContext, error)
}

// autocommit runs each query of a session in its own transaction; schema
// statements and CALL { } IN TRANSACTIONS need that.
type autocommit struct{ driver.SessionWithContext }

// Run implements runner.
func (a autocommit) Run(ctx context.Context, cypher string, params map[string]any) (driver.ResultWithContext, error) {
	return a.SessionWithContext.Run(ctx, cypher, params)
}

// collect runs one named query and collects its records. Every query the
// store sends for a caller goes through here, so the Observer sees them
// all (warmHeavyForms, which answers no caller, does not).
func (s *Store) collect(ctx context.Context, r runner, query string, params map[string]any) ([]*driver.Record, error) {
	if p := profileFrom(ctx); p != nil {
		return s.collectProfiled(ctx, p, r, query, params)
	}
	start := time.Now()
	res, err := r.Run(ctx, query, params)
	var recs []*driver.Record
	if err == nil {
		recs, err = res.Collect(ctx)
	}
	if s.observe != nil {
		s.observe(query, time.Since(start), err)
	}
	return recs, err
}

// collectProfiled is collect under Profiling: it runs the query with
// PROFILE and adds the plan's figures to p.
func (s *Store) collectProfiled(ctx context.Context, p *Profile, r runner, query string, params map[string]any) ([]*driver.Record, error) {
	res, err := r.Run(ctx, "PROFILE "+query, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	p.add(profiled(QueryName(query), sum.Profile()))
	return recs, nil
}

// translate is the one place driver errors become domain errors. Details go
// to the log; the client sees only the code and a safe message.
func (s *Store) translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var e *network.Error
	if errors.As(err, &e) {
		return e
	}
	var (
		dbErr  *driver.Neo4jError
		netErr net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return network.Errorf(network.EUNAVAILABLE, "the request deadline passed before Neo4j answered")
	case errors.Is(err, context.Canceled):
		return network.Errorf(network.EUNAVAILABLE, "the request was cancelled")
	case errors.As(err, &dbErr) && dbErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration":
		return network.Errorf(network.EUNAVAILABLE, "the request deadline passed before Neo4j answered")
	// Connection and pool errors, the driver giving up its retries, a
	// connection cut mid-answer, and Neo4j's transient errors (database
	// starting or stopping, transaction terminated by a shutdown).
	case driver.IsConnectivityError(err), driver.IsTransactionExecutionLimit(err),
		errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &dbErr) && (dbErr.Code == "Neo.ClientError.Security.Unauthorized" || dbErr.Classification() == "TransientError"):
		s.unavailable.Store(true)
		s.log.WarnContext(ctx, "neo4j unavailable", "err", err)
		return network.Errorf(network.EUNAVAILABLE, "the database is unavailable")
	}
	s.log.ErrorContext(ctx, "neo4j error", "err", err)
	return network.Errorf(network.EINTERNAL, "internal error")
}

// asInt reads an integer property.
func asInt(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case int:
		return n
	}
	return 0
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func asStrings(v any) []string {
	items, _ := v.([]any)
	if len(items) == 0 {
		return nil
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, fmt.Sprint(it))
	}
	return out
}

func asDate(v any) network.PartialDate {
	s := asString(v)
	if s == "" {
		return network.PartialDate{}
	}
	d, err := network.ParsePartialDate(s)
	if err != nil {
		return network.PartialDate{}
	}
	return d
}
