package neo4j

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

// warmHeavyForms runs each heavy form it warms without an error: it only
// logs errors, so a statement it could not run would go unnoticed.
func TestWarmHeavyFormsRun(t *testing.T) {
	var logged bytes.Buffer
	s := openTest(t)
	s.log = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s.warmHeavyForms(context.Background())
	if logged.Len() > 0 {
		t.Errorf("warmHeavyForms: got log %q, want none", logged.String())
	}
}
