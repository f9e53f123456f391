package neo4j

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
)

// slowQuery runs for minutes unless something stops it. It exists only in
// this test: the store itself never sends anything but its named queries.
const slowQuery = `UNWIND range(1, 5000000000) AS x WITH x WHERE x % 7919 = 7920 RETURN count(x) AS n`

// txTimeout hands Neo4j the time left before the request's deadline, so
// that Neo4j itself stops a slow transaction. Here the client waits without
// any deadline of its own: only the server-side timeout can end the query.
func TestTransactionTimeoutStopsQueryOnServer(t *testing.T) {
	s := openTest(t)
	request, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	sess := s.session(context.Background(), driver.AccessModeRead)
	defer sess.Close(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := sess.ExecuteRead(context.Background(), func(tx driver.ManagedTransaction) (any, error) {
			return s.collect(context.Background(), tx, slowQuery, nil)
		}, txTimeout(request))
		done <- err
	}()
	select {
	case err := <-done:
		var dbErr *driver.Neo4jError
		if !errors.As(err, &dbErr) || !strings.Contains(dbErr.Code, "TransactionTimedOut") {
			t.Fatalf("slow read with a 500ms request deadline: got %v, want Neo4j's transaction timeout", err)
		}
		if got := network.ErrorCode(s.translate(context.Background(), err)); got != network.EUNAVAILABLE {
			t.Errorf("translate(%v): got code %q, want %q", err, got, network.EUNAVAILABLE)
		}
		t.Logf("Neo4j stopped the query %v after it started (deadline 500ms)", time.Since(start).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatal("slow read with a 500ms request deadline still running after 10 s: the timeout did not reach Neo4j")
	}
}

// Through the store's own read path the caller also gets UNAVAILABLE soon
// after the deadline.
func TestDeadlineEndsRead(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := read(ctx, s, func(ctx context.Context, tx driver.ManagedTransaction) (int, error) {
		_, err := s.collect(ctx, tx, slowQuery, nil)
		return 0, err
	})
	if got := network.ErrorCode(err); got != network.EUNAVAILABLE {
		t.Fatalf("slow read with a 500ms deadline: got %v, want code %q", err, network.EUNAVAILABLE)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("slow read with a 500ms deadline: returned after %v, want soon after the deadline", elapsed)
	}
}
