package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/network"
)

// DefaultTimeout is the default per-request deadline.
const DefaultTimeout = 10 * time.Second

// HandlerConfig configures NewHandler. The zero value of each field is a
// safe default.
type HandlerConfig struct {
	// Timeout is the per-request deadline; every store call gets it, and
	// the Neo4j store passes it on as the transaction timeout.
	Timeout time.Duration
	// Ready reports whether the backing store answers; nil means always.
	Ready func(ctx context.Context) error
	// Limits bound what one request may ask; zero fields take the
	// documented defaults.
	Limits Limits
	// DisableIntrospection turns introspection off, for production.
	DisableIntrospection bool
	// DisableFastPath makes gqlgen write every traversal field by field
	// (see fastpath.go); tests compare the two.
	DisableFastPath bool
	// CORSOrigins lists the origins browsers may call the API from; empty
	// allows none (same-origin only).
	CORSOrigins []string
	// Wrap, if set, wraps the GraphQL endpoint: authentication and
	// metrics plug in here, outermost first.
	Wrap []func(http.Handler) http.Handler
	// Reload, if set, is served at POST /admin/reload: it re-reads the
	// dataset and loads it into the store (see ReloadFunc).
	Reload ReloadFunc
	// AdminWrap wraps the /admin endpoints as Wrap wraps /graphql:
	// authentication requiring the editor role plugs in here.
	AdminWrap []func(http.Handler) http.Handler
	// Log receives request logs; nil means slog.Default(). Records logged
	// with a request's context carry its request_id (see LogHandler).
	Log *slog.Logger
	// Metrics, if set, is served at GET /metrics.
	Metrics http.Handler
	// Observe, if set, is told about every request to /graphql once it is
	// answered: its operation name, duration and error codes.
	Observe func(RequestStats)
	// Routes are further handlers served beside /graphql, keyed by
	// http.ServeMux pattern (e.g. "GET /export/{format}"). Those marked
	// Protected are wrapped by Wrap, as /graphql is; the others (static
	// pages) are public.
	Routes []Route
}

// Route is one extra handler of HandlerConfig.Routes.
type Route struct {
	Pattern   string
	Handler   http.Handler
	Protected bool
}

// NewHandler serves POST and GET /graphql, GET /healthz (the process is up)
// and GET /readyz (the store answers), GET /metrics if cfg.Metrics is set,
// and POST /admin/reload if cfg.Reload is set.
func NewHandler(s network.Store, cfg HandlerConfig) http.Handler {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.Log = slog.New(LogHandler(cfg.Log.Handler()))
	lim := cfg.Limits.withDefaults()
	res := &Resolver{Store: s}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: res, Complexity: complexity()}))
	srv.AddTransport(HTTPTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if !cfg.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(shapeLimits{lim})
	srv.Use(extension.FixedComplexityLimit(lim.MaxComplexity))
	if cfg.Observe != nil {
		srv.Use(statsCollector{})
	}
	if !cfg.DisableFastPath {
		srv.AroundFields(fastFields)
	}
	srv.SetErrorPresenter(ErrorPresenter(cfg.Log))
	srv.SetRecoverFunc(Recoverer(cfg.Log))

	var api http.Handler = WithLoaders(s, srv)
	api = withDeadline(cfg.Timeout, api)
	for i := len(cfg.Wrap) - 1; i >= 0; i-- {
		api = cfg.Wrap[i](api)
	}
	if cfg.Observe != nil {
		api = withStats(cfg.Observe, api)
	}
	api = withBodyLimit(lim.MaxBodyBytes, api)
	api = withCORS(cfg.CORSOrigins, api)

	mux := http.NewServeMux()
	mux.Handle("/graphql", api)
	for _, rt := range cfg.Routes {
		h := rt.Handler
		if rt.Protected {
			h = withDeadline(cfg.Timeout, h)
			for i := len(cfg.Wrap) - 1; i >= 0; i-- {
				h = cfg.Wrap[i](h)
			}
		}
		mux.Handle(rt.Pattern, h)
	}
	mountAdmin(mux, cfg, lim.MaxBodyBytes)
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if cfg.Ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := cfg.Ready(ctx); err != nil {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	return withRequestLog(cfg.Log, mux)
}

func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
