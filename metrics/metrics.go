// Package metrics is the Prometheus adapter: it counts and times GraphQL
// requests by operation name, counts errors by extensions.code, times Neo4j
// queries by query name and gauges the Neo4j transactions in flight, and
// serves all of it, with the Go runtime and process collectors, in the
// Prometheus text format. Each Metrics has its own registry, so several
// servers can run in one process.
package metrics

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The label values that stand for something other than a name.
const (
	// Anonymous labels a request whose operation has no name.
	Anonymous = "anonymous"
	// Other labels the operation names past MaxOperationNames.
	Other = "other"
)

// MaxOperationNames bounds the distinct operation labels. Clients choose
// operation names, so past this many every new name counts as Other.
const MaxOperationNames = 200

// maxNameLen truncates longer operation names.
const maxNameLen = 64

// latencyBuckets go from 0.5 ms to about 16 s, past the default 10 s
// request deadline.
var latencyBuckets = prometheus.ExponentialBuckets(0.0005, 2, 16)

// Metrics holds the collectors of one server and the registry they are
// registered with.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	queries     *prometheus.HistogramVec
	queryErrors *prometheus.CounterVec
	inFlight    prometheus.Gauge

	mu  sync.Mutex
	ops map[string]bool // the operation labels handed out so far
}

// New returns Metrics registered with a fresh registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "allegiance_graphql_requests_total",
			Help: "GraphQL requests answered, by operation name (\"anonymous\" when unnamed, \"other\" past the label limit).",
		}, []string{"operation"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "allegiance_graphql_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, from the start of GraphQL handling to the last byte written, by operation name.",
			Buckets: latencyBuckets,
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "allegiance_graphql_errors_total",
			Help: "GraphQL errors returned to clients, by extensions.code.",
		}, []string{"code"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "allegiance_neo4j_query_duration_seconds",
			Help:    "Time to run one Cypher query and collect its records, by query name (the constant's name in store/neo4j/cypher.go).",
			Buckets: latencyBuckets,
		}, []string{"query"}),
		queryErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "allegiance_neo4j_query_errors_total",
			Help: "Cypher queries that failed, by query name.",
		}, []string{"query"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "allegiance_neo4j_transactions_in_flight",
			Help: "Neo4j read transactions begun and not yet ended, including those still waiting for a connection. " +
				"Each holds one connection of the driver's pool (at most 100 by default) while it runs; the driver publishes no pool statistics of its own.",
		}),
		ops: map[string]bool{},
	}
	m.reg.MustRegister(m.requests, m.latency, m.errors, m.queries, m.queryErrors, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry the collectors are registered with, for
// adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest records one answered GraphQL request: its operation name
// ("" when unnamed), how long it took, and the extensions.code of each of
// its errors.
func (m *Metrics) ObserveRequest(operation string, elapsed time.Duration, codes []string) {
	op := m.operationLabel(operation)
	m.requests.WithLabelValues(op).Inc()
	m.latency.WithLabelValues(op).Observe(elapsed.Seconds())
	for _, c := range codes {
		if c == "" {
			c = "UNKNOWN"
		}
		m.errors.WithLabelValues(c).Inc()
	}
}

// ObserveQuery records one Neo4j query by name; its signature, with a
// query name for the query text, is that of the Neo4j store's Observer.
func (m *Metrics) ObserveQuery(name string, elapsed time.Duration, err error) {
	m.queries.WithLabelValues(name).Observe(elapsed.Seconds())
	if err != nil {
		m.queryErrors.WithLabelValues(name).Inc()
	}
}

// AddInFlight adds delta to the Neo4j transactions in flight; it is the
// Neo4j store's InFlight hook.
func (m *Metrics) AddInFlight(delta int) {
	m.inFlight.Add(float64(delta))
}

// operationLabel bounds the label values clients can create.
func (m *Metrics) operationLabel(name string) string {
	if name == "" {
		return Anonymous
	}
	if len(name) > maxNameLen {
		name = name[:maxNameLen]
	}
	name = strings.ToValidUTF8(name, "?")
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ops[name] {
		return name
	}
	if len(m.ops) >= MaxOperationNames {
		return Other
	}
	m.ops[name] = true
	return name
}
