package main

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"
)

// Serving requests and closing leaves no goroutine behind: not the HTTP
// server's, not the dataloaders' nor the Neo4j sessions'. (The driver
// keeps no goroutine while idle, so this does not check that it is
// closed; a server left running is caught.)
func TestNoGoroutineLeak(t *testing.T) {
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			m := mainServing(t, store.uri)
			for name, q := range exampleQueries {
				if _, r := post(t, m.URL(), q, nil); len(r.Errors) != 0 {
					t.Fatalf("%s: %v", name, r.Errors)
				}
			}
			if err := m.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			// Idle keep-alive connections of the test's own HTTP client are
			// not the server's goroutines.
			http.DefaultClient.CloseIdleConnections()
			goleak.VerifyNone(t, before)
		})
	}
}
