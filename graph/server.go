package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/network"
)

// DefaultTimeout is the default per-request deadline.
const DefaultTimeout = 10 * time.Second

// HandlerConfig configures NewHandler.
type HandlerConfig struct {
	// Timeout is the per-request deadline; every store call gets it, and
	// the Neo4j store passes it on as the transaction timeout.
	Timeout time.Duration
	// Ready reports whether the backing store answers; nil means always.
	Ready func(ctx context.Context) error
}

// NewHandler serves POST and GET /graphql, GET /healthz (the process is up)
// and GET /readyz (the store answers).
func NewHandler(s network.Store, cfg HandlerConfig) http.Handler {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: s}}))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.SetErrorPresenter(PresentError)
	srv.SetRecoverFunc(Recover)

	mux := http.NewServeMux()
	mux.Handle("/graphql", withDeadline(cfg.Timeout, WithLoaders(s, srv)))
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
	return mux
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
