package graph

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// RequestStats describes one GraphQL request once it is answered, for
// metrics (see HandlerConfig.Observe).
type RequestStats struct {
	// Operation is the name of the operation run: "" when it has none, or
	// when the request named none and its document could not be read.
	Operation string
	// Duration runs from when the request reaches the endpoint (after the
	// CORS and body-size checks, before the Wrap handlers) to the end of
	// the response.
	Duration time.Duration
	// ErrorCodes holds the extensions.code of each error of the response.
	ErrorCodes []string
}

type statsKey struct{}

// requestStats is filled in while a request runs; the response interceptor
// and the HTTP wrapper may run on different goroutines.
type requestStats struct {
	mu    sync.Mutex
	stats RequestStats
}

// withStats times each request and hands its stats to observe.
func withStats(observe func(RequestStats), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs := &requestStats{}
		start := time.Now()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), statsKey{}, rs)))
		rs.mu.Lock()
		st := rs.stats
		rs.mu.Unlock()
		st.Duration = time.Since(start)
		observe(st)
	})
}

// recordErrorCodes adds error codes to the stats of ctx's request, for an
// error response written outside gqlgen (such as by a Wrap handler).
func recordErrorCodes(ctx context.Context, codes ...string) {
	if rs, _ := ctx.Value(statsKey{}).(*requestStats); rs != nil {
		rs.mu.Lock()
		rs.stats.ErrorCodes = append(rs.stats.ErrorCodes, codes...)
		rs.mu.Unlock()
	}
}

// statsCollector is a gqlgen extension that records the operation name and
// the error codes of every response, including the ones refused before
// execution (parse, validation and limit errors).
type statsCollector struct{}

var (
	_ graphql.HandlerExtension    = statsCollector{}
	_ graphql.ResponseInterceptor = statsCollector{}
)

// ExtensionName implements graphql.HandlerExtension.
func (statsCollector) ExtensionName() string { return "RequestStats" }

// Validate implements graphql.HandlerExtension.
func (statsCollector) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (statsCollector) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	rs, _ := ctx.Value(statsKey{}).(*requestStats)
	if rs == nil || resp == nil {
		return resp
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		switch {
		case oc.Operation != nil:
			rs.stats.Operation = oc.Operation.Name
		case oc.OperationName != "":
			if isName(oc.OperationName) {
				rs.stats.Operation = oc.OperationName
			}
		default:
			// The document did not validate: name the operation if the
			// document parses and holds only one.
			if doc, err := parser.ParseQuery(&ast.Source{Input: oc.RawQuery}); err == nil && len(doc.Operations) == 1 {
				rs.stats.Operation = doc.Operations[0].Name
			}
		}
	}
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		rs.stats.ErrorCodes = append(rs.stats.ErrorCodes, code)
	}
	return resp
}

// isName reports whether s is a GraphQL name, /[_A-Za-z][_0-9A-Za-z]*/.
func isName(s string) bool {
	for i, c := range s {
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
