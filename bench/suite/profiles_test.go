//go:build bench

package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/bench/server"
	neo4jstore "github.com/allegiance/allegiance/store/neo4j"
)

// profileDir is where BenchmarkProfiles writes: bench/profiles, committed
// beside BENCHMARKS.md.
var profileDir = filepath.Join("..", "profiles")

// cpuSeconds is how long each server is CPU-profiled per query.
const cpuSeconds = 4

// BenchmarkProfiles writes bench/profiles/: for every query of the suite,
// what Neo4j's PROFILE reports for the statements our store sends and for
// the peer's one statement (database hits), and a CPU profile of servers a
// and d while each answers the query over and over, with the share of
// their CPU each layer takes. It measures no time of its own; run it with
// -benchtime 1x after BenchmarkQuery and bench/peer/capture-cypher.mjs
// (tools/bench-suite.sh does).
func BenchmarkProfiles(b *testing.B) {
	p, _ := gen.PlanFor(scale)
	qs := queries(p.Landmarks())
	ensureLoaded(b)
	s := neo4jStore(b)
	drv := rawDriver(b)
	ctx := context.Background()
	if err := os.MkdirAll(profileDir, 0o755); err != nil {
		b.Fatal(err)
	}
	var md strings.Builder
	fmt.Fprintf(&md, "# Profiles at scale %s\n\n", scale)
	md.WriteString("Written by `BenchmarkProfiles` (bench/suite/profiles_test.go), run by `make bench` after the query benchmarks.\n\n")
	md.WriteString("**Database work.** Neo4j's PROFILE of every statement one request sends: our store's statements (through the direct path b, which sends exactly what a sends) against the peer's one generated statement (bench/peer/generated-cypher). db hits are summed over each plan's operators; the costliest operator is named.\n\n")
	md.WriteString("| query | ours: statements | ours: db hits | ours: costliest operator | peer: db hits | peer: costliest operator | ours/peer db hits |\n|---|---|---|---|---|---|---|\n")
	var cpu strings.Builder
	cpu.WriteString("\n**Where the servers' CPU goes.** From a ")
	fmt.Fprintf(&cpu, "%d s CPU profile of the server while one client sends the query back to back: the requests answered, the wall time and the server CPU per request, and the share of the server's CPU by layer. Each sample counts for the leaf-most function outside the Go runtime, so the allocation, stack growth and GC a layer causes count for it; samples with only runtime frames (background GC, scheduling) are \"runtime only\". Over Neo4j (a) the gap between wall time and CPU per request is mostly the wait for Neo4j. The .pprof files and their `go tool pprof -top` text are beside this file (SCALE-SERVER-QUERY.*).\n\n", cpuSeconds)
	cpu.WriteString("| query | server | requests | wall ms per request | server CPU ms per request | GraphQL execution (gqlgen, graph/) | store | Neo4j driver | runtime only | HTTP, JSON and other |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, q := range qs {
		var req server.Request
		if err := json.Unmarshal(q.requests["b"].body, &req); err != nil {
			b.Fatal(err)
		}
		pctx, prof := neo4jstore.Profiling(ctx)
		if _, err := server.Run(pctx, s, req); err != nil {
			b.Fatalf("%s under PROFILE: %v", q.name, err)
		}
		var hits, topHits int64
		top := ""
		stmts := prof.Statements()
		names := make([]string, len(stmts))
		for i, st := range stmts {
			hits += st.DBHits
			names[i] = st.Name
			if st.TopOpDBHits > topHits {
				top, topHits = fmt.Sprintf("%s in %s (%d)", st.TopOperator, st.Name, st.TopOpDBHits), st.TopOpDBHits
			}
		}
		peerCell, peerTop, ratio := "cannot express", "", ""
		if _, ok := q.requests["c"]; ok {
			ph, pop, err := profilePeer(ctx, drv, q.name)
			if err != nil {
				b.Fatalf("%s: the peer's statement under PROFILE: %v", q.name, err)
			}
			peerCell, peerTop = strconv.FormatInt(ph, 10), pop
			if ph > 0 {
				ratio = fmt.Sprintf("%.2f×", float64(hits)/float64(ph))
			}
		}
		fmt.Fprintf(&md, "| %s | %d (%s) | %d | %s | %s | %s | %s |\n", q.name, len(stmts), strings.Join(names, ", "), hits, top, peerCell, peerTop, ratio)

		for _, srv := range []string{"a", "d"} {
			shares, secs, n, err := cpuProfile(b, srv, q)
			if err != nil {
				b.Fatalf("%s on %s: %v", q.name, srv, err)
			}
			perReq := 0.0
			if n > 0 {
				perReq = 1000 * secs / float64(n)
			}
			fmt.Fprintf(&cpu, "| %s | %s | %d | %.2f | %.2f | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |\n", q.name, srv, n,
				float64(cpuSeconds)*1000/float64(max(n, 1)), perReq,
				shares["graphql"], shares["store"], shares["driver"], shares["runtime"], shares["other"])
		}
	}
	md.WriteString(cpu.String())
	if err := os.WriteFile(filepath.Join(profileDir, string(scale)+".md"), []byte(md.String()), 0o644); err != nil {
		b.Fatal(err)
	}
}

// profilePeer runs the peer's captured statement for the query with
// PROFILE and returns its database hits and its costliest operator.
func profilePeer(ctx context.Context, drv driver.DriverWithContext, name string) (int64, string, error) {
	dir := filepath.Join("..", "peer", "generated-cypher")
	text, err := os.ReadFile(filepath.Join(dir, name+".cypher"))
	if err != nil {
		return 0, "", err
	}
	raw, err := os.ReadFile(filepath.Join(dir, name+".params.json"))
	if err != nil {
		return 0, "", err
	}
	params, err := decodeParams(raw)
	if err != nil {
		return 0, "", fmt.Errorf("%s.params.json: %v", name, err)
	}
	// The file is comment lines, "CYPHER 5", the statement, then a
	// comment with the parameters.
	var stmt []string
	for _, l := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(l, "/*") {
			break
		}
		if strings.HasPrefix(l, "//") || strings.TrimSpace(l) == "CYPHER 5" {
			continue
		}
		stmt = append(stmt, l)
	}
	sess := drv.NewSession(ctx, driver.SessionConfig{AccessMode: driver.AccessModeRead, DatabaseName: "neo4j"})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "PROFILE "+strings.TrimSpace(strings.Join(stmt, "\n")), params)
	if err != nil {
		return 0, "", err
	}
	if _, err := res.Collect(ctx); err != nil {
		return 0, "", err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return 0, "", err
	}
	var hits, topHits int64
	top := ""
	var walk func(driver.ProfiledPlan)
	walk = func(pl driver.ProfiledPlan) {
		if pl == nil {
			return
		}
		hits += pl.DbHits()
		if pl.DbHits() > topHits {
			top, topHits = pl.Operator(), pl.DbHits()
		}
		for _, c := range pl.Children() {
			walk(c)
		}
	}
	walk(sum.Profile())
	return hits, fmt.Sprintf("%s (%d)", top, topHits), nil
}

// decodeParams reads JSON parameters, turning whole numbers into int64 as
// Cypher's LIMIT and range bounds need.
func decodeParams(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	var conv func(any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			if i, err := x.Int64(); err == nil {
				return i
			}
			f, _ := x.Float64()
			return f
		case []any:
			for i := range x {
				x[i] = conv(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = conv(x[k])
			}
		}
		return v
	}
	for k := range m {
		m[k] = conv(m[k])
	}
	return m, nil
}

// cpuProfile asks server srv for a CPU profile while one client sends it
// q back to back, saves it and its top as SCALE-SRV-QUERY.pprof and .txt
// in profileDir, and returns the share of CPU each layer took (see
// layerShares), the CPU seconds sampled and the requests answered.
func cpuProfile(b *testing.B, srv string, q benchQuery) (shares map[string]float64, cpu float64, requests int64, err error) {
	base := serverURL(b, srv)
	req := q.requests[srv]
	if err := req.send(base); err != nil {
		return nil, 0, 0, err
	}
	var stop atomic.Bool
	var sent atomic.Int64
	done := make(chan error, 1)
	go func() {
		for !stop.Load() {
			if err := req.send(base); err != nil {
				done <- err
				return
			}
			sent.Add(1)
		}
		done <- nil
	}()
	resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", base, cpuSeconds))
	var prof []byte
	if err == nil {
		prof, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET /debug/pprof/profile: %d %.200s", resp.StatusCode, prof)
		}
	}
	stop.Store(true)
	if lerr := <-done; lerr != nil {
		return nil, 0, 0, lerr
	}
	if err != nil {
		return nil, 0, 0, err
	}
	stem := filepath.Join(profileDir, fmt.Sprintf("%s-%s-%s", scale, srv, q.name))
	if err := os.WriteFile(stem+".pprof", prof, 0o644); err != nil {
		return nil, 0, 0, err
	}
	topText, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=30", stem+".pprof").Output()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("go tool pprof -top: %v", err)
	}
	header := fmt.Sprintf("# server %s, query %s, scale %s: %d requests during the %d s profile\n", srv, q.name, scale, sent.Load(), cpuSeconds)
	if err := os.WriteFile(stem+".txt", append([]byte(header), topText...), 0o644); err != nil {
		return nil, 0, 0, err
	}
	traces, err := exec.Command("go", "tool", "pprof", "-traces", stem+".pprof").Output()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("go tool pprof -traces: %v", err)
	}
	shares, cpu = layerShares(string(traces))
	return shares, cpu, sent.Load(), nil
}

// traceHead is the first line of a sample in `go tool pprof -traces`: its
// time, then the leaf function.
var traceHead = regexp.MustCompile(`^\s*([\d.]+)(ns|us|µs|ms|s|min|h)\s+(\S.*)$`)

// layerShares reads `go tool pprof -traces` and gives each sample to the
// layer of the leaf-most function outside the Go runtime, so that the
// allocation, stack growth and GC a layer causes count for that layer;
// samples with only runtime frames (background GC, the scheduler) count as
// runtime. It returns the shares in percent and the CPU seconds sampled.
func layerShares(traces string) (map[string]float64, float64) {
	unit := map[string]float64{"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "min": 60, "h": 3600}
	sum := map[string]float64{}
	var total float64
	for _, block := range strings.Split(traces, "-----------+") {
		lines := strings.Split(block, "\n")
		var v float64
		owner := ""
		for _, l := range lines {
			fn := strings.TrimSpace(l)
			if strings.HasPrefix(fn, "---") || fn == "" {
				continue
			}
			if v == 0 {
				m := traceHead.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				n, _ := strconv.ParseFloat(m[1], 64)
				v, fn = n*unit[m[2]], m[3]
			}
			if owner == "" && layer(fn) != "runtime" {
				owner = layer(fn)
			}
		}
		if v == 0 {
			continue
		}
		if owner == "" {
			owner = "runtime"
		}
		sum[owner] += v
		total += v
	}
	for k := range sum {
		sum[k] = 100 * sum[k] / total
	}
	return sum, total
}

// layer names the layer a function of the profile belongs to.
func layer(fn string) string {
	switch {
	case strings.Contains(fn, "99designs/gqlgen"), strings.Contains(fn, "vektah/gqlparser"),
		strings.Contains(fn, "allegiance/allegiance/graph."), strings.Contains(fn, "allegiance/graph/"),
		strings.Contains(fn, "vikstrous/dataloadgen"):
		return "graphql"
	case strings.Contains(fn, "allegiance/allegiance/store/"), strings.Contains(fn, "allegiance/allegiance/network."):
		return "store"
	case strings.Contains(fn, "neo4j-go-driver"):
		return "driver"
	case strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/runtime") || strings.HasPrefix(fn, "sync.") ||
		strings.HasPrefix(fn, "internal/sync") || strings.HasPrefix(fn, "sync/atomic"):
		return "runtime"
	}
	return "other"
}
