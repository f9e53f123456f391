package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// logLines decodes JSON log output, one record a line.
func logLines(tb testing.TB, b *bytes.Buffer) []map[string]any {
	tb.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// Records logged with a request's context carry its id, once.
func TestLogHandlerAddsRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(LogHandler(LogHandler(slog.NewJSONHandler(&buf, nil))))
	ctx := context.WithValue(context.Background(), requestIDKey{}, "abc123")
	log.ErrorContext(ctx, "with context")
	log.ErrorContext(ctx, "explicit id", "request_id", "abc123")
	log.Error("without context")
	lines := logLines(t, &buf)
	if len(lines) != 3 {
		t.Fatalf("got %d log lines, want 3", len(lines))
	}
	for i, want := range []any{"abc123", "abc123", nil} {
		if got := lines[i]["request_id"]; got != want {
			t.Errorf("line %d (%s): got request_id %v, want %v", i, lines[i]["msg"], got, want)
		}
	}
	if n := strings.Count(buf.String(), `"request_id"`); n != 2 {
		t.Errorf("got request_id %d times in %s, want 2", n, buf.String())
	}
}

// The error presenter logs unexpected errors with the request id, and
// answers INTERNAL.
func TestErrorPresenterLogsRequestID(t *testing.T) {
	var buf bytes.Buffer
	present := ErrorPresenter(slog.New(slog.NewJSONHandler(&buf, nil)))
	ctx := context.WithValue(context.Background(), requestIDKey{}, "abc123")
	gerr := present(ctx, errors.New("driver exploded"))
	if got := gerr.Extensions["code"]; got != CodeInternal {
		t.Errorf("code: got %v, want %s", got, CodeInternal)
	}
	lines := logLines(t, &buf)
	if got := lines[0]["request_id"]; got != "abc123" {
		t.Errorf("request_id: got %v, want abc123", got)
	}
	Recoverer(slog.New(slog.NewJSONHandler(&buf, nil)))(ctx, "boom")
	lines = logLines(t, &buf)
	if got := lines[len(lines)-1]["request_id"]; got != "abc123" {
		t.Errorf("panic log request_id: got %v, want abc123", got)
	}
}
