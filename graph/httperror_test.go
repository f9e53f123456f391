package graph

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// ErrorWriter answers each domain code with its HTTP status and GraphQL
// code, one entry per joined error, and hides anything else as INTERNAL.
func TestErrorWriter(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		wantStatus int
		wantCodes  []string
	}{
		{"unauthenticated", network.Errorf(network.EUNAUTHENTICATED, "missing credentials"), 401, []string{CodeUnauthenticated}},
		{"forbidden", network.Errorf(network.EFORBIDDEN, "this needs the editor role"), 403, []string{CodeForbidden}},
		{"invalid", network.Errorf(network.EINVALID, "bad"), 400, []string{CodeBadUserInput}},
		{"unavailable", network.Errorf(network.EUNAVAILABLE, "down"), 503, []string{CodeUnavailable}},
		{"two problems", errors.Join(network.Errorf(network.EINVALID, "a"), network.Errorf(network.EINVALID, "b")), 400, []string{CodeBadUserInput, CodeBadUserInput}},
		{"not a domain error", errors.New("driver: connection reset"), 500, []string{CodeInternal}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			ErrorWriter(slog.New(slog.DiscardHandler))(rec, httptest.NewRequest("POST", "/admin/reload", nil), c.err)
			var body struct {
				Errors []errorJSON `json:"errors"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("ErrorWriter(%v): bad JSON %q: %v", c.err, rec.Body.Bytes(), err)
			}
			var codes []string
			for _, e := range body.Errors {
				code, _ := e.Extensions["code"].(string)
				codes = append(codes, code)
			}
			if rec.Code != c.wantStatus || !slices.Equal(codes, c.wantCodes) {
				t.Errorf("ErrorWriter(%v): got %d %v, want %d %v", c.err, rec.Code, codes, c.wantStatus, c.wantCodes)
			}
			if c.wantStatus == 500 && strings.Contains(rec.Body.String(), c.err.Error()) {
				t.Errorf("ErrorWriter(%v): got %s, want the cause kept out of the answer", c.err, rec.Body.String())
			}
		})
	}
}
