package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// serve puts the embedded store on huge pages once loaded when the heap
// reaches Main.HugePageHeap, and leaves it alone below that; a system set
// to THP "never" is left alone either way, and the log says so.
func TestServeHugePages(t *testing.T) {
	setting, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		t.Fatalf("reading the THP setting: %v", err)
	}
	collapsed, refused := "embedded store on huge pages", "huge pages refused"
	want := collapsed
	if strings.Contains(string(setting), "[never]") {
		want = refused
	}
	tests := []struct {
		name string
		heap uint64
		want string // "" for neither message
	}{
		{"heap over the floor", 1, want},
		{"default floor, bundled dataset", NewMain().HugePageHeap, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, log := NewMain(), &syncBuffer{}
			m.Stdout, m.Stderr = log, log
			m.HugePageHeap = tt.heap
			if err := m.ParseFlags(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}); err != nil {
				t.Fatalf("ParseFlags: %v", err)
			}
			m.Neo4j.URI = ""
			if err := m.Run(context.Background()); err != nil {
				t.Fatalf("Run(serve): %v\n%s", err, log)
			}
			t.Cleanup(func() {
				if err := m.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			got := log.String()
			for _, msg := range []string{collapsed, refused} {
				if has := strings.Contains(got, msg); has != (msg == tt.want) {
					t.Errorf("HugePageHeap %d: log has %q: got %v, want %v\n%s", tt.heap, msg, has, msg == tt.want, got)
				}
			}
		})
	}
}
