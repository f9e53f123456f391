package graph

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/allegiance/allegiance/network"
)

// ReloadFunc re-reads the served dataset and loads it into the store, and
// returns what the store then holds. A dataset that fails validation is
// EINVALID, as an errors.Join of one error per problem, and changes
// nothing.
type ReloadFunc func(ctx context.Context) (network.Counts, error)

// ReloadTimeout bounds one reload; a load cut short changes nothing.
const ReloadTimeout = 2 * time.Minute

// countsJSON is network.Counts as the admin endpoints answer it.
type countsJSON struct {
	Entities      int `json:"entities"`
	Relationships int `json:"relationships"`
	Sources       int `json:"sources"`
	Designations  int `json:"designations"`
}

// mountAdmin serves POST /admin/reload when cfg.Reload is set, wrapped by
// cfg.AdminWrap, refusing cross-origin browser requests (CSRF).
func mountAdmin(mux *http.ServeMux, cfg HandlerConfig, maxBody int64) {
	if cfg.Reload == nil {
		return
	}
	fail := ErrorWriter(cfg.Log)
	var h http.Handler = reloadHandler(cfg.Reload, fail)
	for i := len(cfg.AdminWrap) - 1; i >= 0; i-- {
		h = cfg.AdminWrap[i](h)
	}
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail(w, r, network.Errorf(network.EFORBIDDEN, "cross-origin requests are not allowed here"))
	}))
	mux.Handle("/admin/reload", withBodyLimit(maxBody, csrf.Handler(h)))
}

// reloadHandler answers POST with the store's new counts, one reload at a
// time:
//
//	{"status": "reloaded", "counts": {"entities": 40, "relationships": 78, "sources": 28, "designations": 3}}
func reloadHandler(reload ReloadFunc, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"errors": []errorJSON{{
				"method " + r.Method + " is not allowed: use POST", map[string]any{"code": CodeBadUserInput}}}})
			return
		}
		mu.Lock()
		defer mu.Unlock()
		ctx, cancel := context.WithTimeout(r.Context(), ReloadTimeout)
		defer cancel()
		c, err := reload(ctx)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "reloaded", "counts": countsJSON(c)})
	})
}
