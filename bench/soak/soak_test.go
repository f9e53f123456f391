//go:build soak

// Package soak_test is the soak test: it builds the allegiance binary, serves
// the bundled dataset from Neo4j over loopback, and runs concurrent clients
// mixing every contract query for a bounded time. It asserts zero errors,
// zero wrong answers and resident memory that grows by at most 10% after
// warm-up, and reports throughput and latency percentiles.
//
//	NEO4J_URI=bolt://127.0.0.1:7687 go test -tags soak -count=1 -run TestSoak -timeout 20m ./bench/soak/ -v
//
// Environment: NEO4J_URI (required; the test empties that database),
// ALLEGIANCE_SOAK_DURATION (default 5m), ALLEGIANCE_SOAK_WARMUP (default
// 30s, at most half the duration), ALLEGIANCE_SOAK_CLIENTS (default 32),
// ALLEGIANCE_SOAK_MAX_REQUESTS (default 0: no bound but the duration).
package soak_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// soakQuery is one request of the mix: a named operation and its variables.
type soakQuery struct {
	name  string // label in the report
	query string
	vars  map[string]any
}

const (
	entityQuery = `query Entity($id: ID!) { entity(id: $id) {
  id kind name aliases description identifiers { scheme value }
  ... on Person { born died nationality }
  ... on Organization { founded dissolved types ideologies areas }
  designations { id authority program reference listedOn until sources { id title } }
  sources { id title publisher published url }
  relationships { id type role since until qualifier from { id name } to { id name } sources { id publisher } } } }`
	entityAsOfQuery = `query EntityAsOf($id: ID!, $asOf: PartialDate) { entity(id: $id) {
  id name relationships(asOf: $asOf) { id type role since until from { id } to { id } } } }`
	pledgesQuery = `query Pledges($id: ID!) { entity(id: $id) { name
  relationships(types: [PLEDGED_ALLEGIANCE_TO], direction: OUTGOING) { to { name } since until qualifier sources { publisher } } } }`
	searchQuery = `query Search($q: String!, $kinds: [EntityKind!], $limit: Int) { search(query: $q, kinds: $kinds, limit: $limit) {
  score entity { id name kind } } }`
	neighborhoodQuery = `query Neighborhood($id: ID!, $depth: Int, $asOf: PartialDate, $limit: Int, $types: [RelationshipType!]) {
  neighborhood(id: $id, depth: $depth, asOf: $asOf, limit: $limit, types: $types) {
    truncated nodes { id name kind } edges { id type since until from { id } to { id } } } }`
	pathQuery = `query ShortestPath($from: ID!, $to: ID!, $asOf: PartialDate, $types: [RelationshipType!], $maxDepth: Int) {
  shortestPath(from: $from, to: $to, asOf: $asOf, types: $types, maxDepth: $maxDepth) {
    length nodes { id name } edges { id type since until qualifier from { id } to { id } } } }`
	chainsQuery = `query AllegianceChains($from: ID!, $asOf: PartialDate, $maxDepth: Int) {
  allegianceChains(from: $from, asOf: $asOf, maxDepth: $maxDepth) { length nodes { id name } edges { id type since until } } }`
	lineageQuery = `query Lineage($id: ID!, $direction: LineageDirection, $asOf: PartialDate) {
  lineage(id: $id, direction: $direction, asOf: $asOf) { truncated nodes { id name } edges { id type since from { id } to { id } } } }`
	statsQuery = `query Stats { stats { entities relationships sources designations } }`
)

// mix is every contract query, from ordinary and busy nodes, with and
// without asOf.
var mix = []soakQuery{
	{"entity/iyad-ag-ghaly", entityQuery, map[string]any{"id": "iyad-ag-ghaly"}},
	{"entity/jnim", entityQuery, map[string]any{"id": "jnim"}},
	{"entity/amadou-kouffa", entityQuery, map[string]any{"id": "amadou-kouffa"}},
	{"entity/unknown", entityQuery, map[string]any{"id": "nobody-at-all"}},
	{"entity-asOf/iyad-ag-ghaly/2012-12-31", entityAsOfQuery, map[string]any{"id": "iyad-ag-ghaly", "asOf": "2012-12-31"}},
	{"entity-asOf/jnim/2020", entityAsOfQuery, map[string]any{"id": "jnim", "asOf": "2020"}},
	{"pledges/iyad-ag-ghaly", pledgesQuery, map[string]any{"id": "iyad-ag-ghaly"}},
	{"search/Koufa", searchQuery, map[string]any{"q": "Koufa", "limit": 3}},
	{"search/ghali", searchQuery, map[string]any{"q": "ghali"}},
	{"search/jnim-full-name", searchQuery, map[string]any{"q": "Jama'at Nusrat al-Islam wal-Muslimin"}},
	{"search/Droukdal-persons", searchQuery, map[string]any{"q": "Droukdal", "kinds": []string{"PERSON"}, "limit": 5}},
	{"search/al-qaida", searchQuery, map[string]any{"q": "al qaida", "limit": 20}},
	{"neighborhood/depth1/iyad-ag-ghaly", neighborhoodQuery, map[string]any{"id": "iyad-ag-ghaly", "depth": 1}},
	{"neighborhood/depth2/iyad-ag-ghaly", neighborhoodQuery, map[string]any{"id": "iyad-ag-ghaly", "depth": 2}},
	{"neighborhood/depth2/jnim/asOf-2017-03-02/limit-20", neighborhoodQuery, map[string]any{"id": "jnim", "depth": 2, "asOf": "2017-03-02", "limit": 20}},
	{"neighborhood/depth2/aqim/allegiance-types", neighborhoodQuery, map[string]any{"id": "aqim", "depth": 2, "types": []string{"PLEDGED_ALLEGIANCE_TO", "AFFILIATE_OF", "MERGED_INTO"}}},
	{"shortestPath/kouffa-zawahiri", pathQuery, map[string]any{"from": "amadou-kouffa", "to": "ayman-al-zawahiri"}},
	{"shortestPath/kouffa-zawahiri/asOf-2021", pathQuery, map[string]any{"from": "amadou-kouffa", "to": "ayman-al-zawahiri", "asOf": "2021"}},
	{"shortestPath/ghaly-taliban/pledges", pathQuery, map[string]any{"from": "iyad-ag-ghaly", "to": "taliban", "types": []string{"PLEDGED_ALLEGIANCE_TO", "LEADER_OF", "AFFILIATE_OF"}, "maxDepth": 4}},
	{"shortestPath/france-isis", pathQuery, map[string]any{"from": "france", "to": "isis", "maxDepth": 10}},
	{"allegianceChains/iyad-ag-ghaly", chainsQuery, map[string]any{"from": "iyad-ag-ghaly"}},
	{"allegianceChains/iyad-ag-ghaly/asOf-2021", chainsQuery, map[string]any{"from": "iyad-ag-ghaly", "asOf": "2021"}},
	{"allegianceChains/jnim/asOf-2023", chainsQuery, map[string]any{"from": "jnim", "asOf": "2023", "maxDepth": 12}},
	{"lineage/jnim/predecessors", lineageQuery, map[string]any{"id": "jnim", "direction": "PREDECESSORS"}},
	{"lineage/jnim/both", lineageQuery, map[string]any{"id": "jnim"}},
	{"lineage/aqim/successors/asOf-2016", lineageQuery, map[string]any{"id": "aqim", "direction": "SUCCESSORS", "asOf": "2016"}},
	{"stats", statsQuery, nil},
}

func envDuration(tb testing.TB, name string, def time.Duration) time.Duration {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		tb.Fatalf("%s=%q: want a positive duration such as 5m", name, s)
	}
	return d
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a non-negative integer", name, s)
	}
	return n
}

// buildBinary builds cmd/allegiance into a temporary directory.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "allegiance")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/allegiance/allegiance/cmd/allegiance")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// serverLog keeps what the server writes to stderr: the number of lines,
// the warnings and errors among them, and the last lines.
type serverLog struct {
	mu       sync.Mutex
	lines    int
	problems []string // WARN and ERROR records, the first 20
	nProblem int
	tail     []string
	done     chan struct{}
}

func (l *serverLog) read(r io.Reader) {
	defer close(l.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		l.mu.Lock()
		l.lines++
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`) {
			l.nProblem++
			if len(l.problems) < 20 {
				l.problems = append(l.problems, line)
			}
		}
		l.tail = append(l.tail, line)
		if len(l.tail) > 20 {
			l.tail = l.tail[1:]
		}
		l.mu.Unlock()
	}
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.tail, "\n")
}

// startServer runs `allegiance serve` on Neo4j and waits until it is ready.
func startServer(tb testing.TB, bin, uri string) (base string, cmd *exec.Cmd, log *serverLog) {
	tb.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(tb))
	cmd = exec.Command(bin, "serve", "--neo4j-uri", uri, "--addr", addr)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting %s serve: %v", bin, err)
	}
	log = &serverLog{done: make(chan struct{})}
	go log.read(stderr)
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { <-log.done; done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	base = "http://" + addr
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, cmd, log
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("server at %s not ready after 2m: %v\n%s", base, err, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// rss reads a process's resident set size in bytes from /proc.
func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "12345 kB"
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// request is one query's encoded body and expected answer.
type request struct {
	soakQuery
	body []byte
	want []byte // the answer of the first request
}

func post(client *http.Client, base string, body []byte) ([]byte, int, error) {
	resp, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

// failure is a request that did not get the expected answer.
type failure struct {
	query string
	what  string
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
func mb(b int64) string         { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// TestSoak serves the bundled dataset from Neo4j and runs the query mix
// with concurrent clients for ALLEGIANCE_SOAK_DURATION.
func TestSoak(t *testing.T) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: run with tools/test.sh, which starts Neo4j, or point it at a Neo4j whose database may be emptied")
	}
	duration := envDuration(t, "ALLEGIANCE_SOAK_DURATION", 5*time.Minute)
	warmup := min(envDuration(t, "ALLEGIANCE_SOAK_WARMUP", 30*time.Second), duration/2)
	clients := envInt(t, "ALLEGIANCE_SOAK_CLIENTS", 32)
	maxRequests := int64(envInt(t, "ALLEGIANCE_SOAK_MAX_REQUESTS", 0))
	if clients == 0 {
		t.Fatal("ALLEGIANCE_SOAK_CLIENTS=0: want at least one client")
	}

	bin := buildBinary(t)
	if out, err := exec.Command(bin, "load", "--replace", "--neo4j-uri", uri).CombinedOutput(); err != nil {
		t.Fatalf("allegiance load --replace: %v\n%s", err, out)
	}
	base, server, serverLog := startServer(t, bin, uri)
	pid := server.Process.Pid

	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute},
	}

	// The first answer to each query is the reference: it must have data
	// and no errors, and every later answer must be byte for byte the same.
	reqs := make([]request, len(mix))
	for i, q := range mix {
		body, err := json.Marshal(map[string]any{"query": q.query, "variables": q.vars})
		if err != nil {
			t.Fatal(err)
		}
		got, status, err := post(client, base, body)
		if err != nil || status != http.StatusOK {
			t.Fatalf("%s: got status %d, error %v, want 200: %s", q.name, status, err, got)
		}
		var r struct {
			Data   map[string]json.RawMessage `json:"data"`
			Errors []json.RawMessage          `json:"errors"`
		}
		if err := json.Unmarshal(got, &r); err != nil || len(r.Errors) > 0 || len(r.Data) == 0 {
			t.Fatalf("%s: got %s, want data and no errors", q.name, got)
		}
		reqs[i] = request{soakQuery: q, body: body, want: got}
	}

	var (
		total, failed atomic.Int64
		mu            sync.Mutex
		failures      []failure
		latencies     = make([][]time.Duration, clients)
		perQuery      = make([][]time.Duration, len(reqs))
		perQueryMu    = make([]sync.Mutex, len(reqs))
	)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	start := time.Now()

	// Sample the server's RSS every second. The garbage collector makes it
	// a sawtooth, so the baseline is the highest sample of the last 10 s of
	// the warm-up and the end figure the highest of the last 10 s of the run.
	type sample struct {
		at  time.Duration
		rss int64
	}
	var samples []sample
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if r, err := rss(pid); err == nil {
					samples = append(samples, sample{time.Since(start), r})
				}
			}
		}
	}()

	// The server's goroutine count at the end of the warm-up is the
	// baseline for the leak check after the run.
	warmGoroutines := make(chan int, 1)
	go func() {
		select {
		case <-ctx.Done():
			warmGoroutines <- -1
		case <-time.After(warmup):
			n, _ := goroutines(client, base)
			warmGoroutines <- n
		}
	}()

	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1<<14)
			for n := c; ctx.Err() == nil; n += clients {
				if maxRequests > 0 && total.Load() >= maxRequests {
					break
				}
				total.Add(1)
				i := n % len(reqs)
				r := &reqs[i]
				t0 := time.Now()
				got, status, err := post(client, base, r.body)
				d := time.Since(t0)
				local = append(local, d)
				perQueryMu[i].Lock()
				perQuery[i] = append(perQuery[i], d)
				perQueryMu[i].Unlock()
				var what string
				switch {
				case err != nil && ctx.Err() != nil:
					// The run ended while this request was in flight: it
					// counts neither way.
					total.Add(-1)
					local = local[:len(local)-1]
					continue
				case err != nil:
					what = err.Error()
				case status != http.StatusOK:
					what = fmt.Sprintf("status %d: %.300s", status, got)
				case !bytes.Equal(got, r.want):
					what = fmt.Sprintf("wrong answer: got %.300s, want %.300s", got, r.want)
				}
				if what != "" {
					failed.Add(1)
					mu.Lock()
					if len(failures) < 20 {
						failures = append(failures, failure{r.name, what})
					}
					mu.Unlock()
				}
			}
			latencies[c] = local
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	<-samplerDone

	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	n := total.Load()

	const window = 10 * time.Second
	var warmRSS, endRSS, peakRSS int64
	for _, s := range samples {
		switch {
		case s.at <= warmup && s.at > warmup-window:
			warmRSS = max(warmRSS, s.rss)
		case s.at > warmup:
			peakRSS = max(peakRSS, s.rss)
		}
		if s.at > elapsed-window {
			endRSS = max(endRSS, s.rss)
		}
	}

	// No goroutine leak: once the clients are gone and their connections
	// closed, the server is back to its warm-up count (a little slack for
	// connections still closing).
	warmG := <-warmGoroutines
	client.CloseIdleConnections()
	time.Sleep(2 * time.Second)
	endG, gErr := goroutines(client, base)
	if gErr != nil || warmG <= 0 {
		t.Errorf("go_goroutines: got %d after warm-up and %d at the end (%v), want both read", warmG, endG, gErr)
	} else if endG > warmG+5 {
		t.Errorf("goroutines: got %d at the end, want at most %d (warm-up %d + 5): a leak", endG, warmG+5, warmG)
	}
	t.Logf("server goroutines: %d at the end of the warm-up, %d at the end", warmG, endG)

	// The server's own count of errors, by code, must be zero too.
	metricsBody, status, err := func() ([]byte, int, error) {
		resp, err := client.Get(base + "/metrics")
		if err != nil {
			return nil, 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return b, resp.StatusCode, err
	}()
	if err != nil || status != http.StatusOK {
		t.Errorf("GET /metrics: got status %d, error %v, want 200", status, err)
	}
	var serverErrors []string
	for _, line := range strings.Split(string(metricsBody), "\n") {
		if strings.HasPrefix(line, "allegiance_graphql_errors_total{") && !strings.HasSuffix(line, " 0") {
			serverErrors = append(serverErrors, line)
		}
	}

	for i, r := range reqs {
		d := perQuery[i]
		slices.Sort(d)
		t.Logf("%-52s %7d requests  p50 %9s  p99 %9s  max %9s", r.name, len(d), ms(percentile(d, 50)), ms(percentile(d, 99)), ms(percentile(d, 100)))
	}
	growth := 0.0
	if warmRSS > 0 {
		growth = 100 * float64(endRSS-warmRSS) / float64(warmRSS)
	}
	serverLog.mu.Lock()
	logLines, logProblems, problems := serverLog.lines, serverLog.nProblem, slices.Clone(serverLog.problems)
	serverLog.mu.Unlock()
	t.Logf("SOAK %s, %d clients, %d queries in the mix, Neo4j: %d requests (%.0f req/s), %d errors; latency p50 %s, p90 %s, p99 %s, max %s; "+
		"server RSS (max over 10 s) %s at the end of the %s warm-up, %s at the end (%+.1f%%), peak after warm-up %s; server log: %d lines, %d WARN/ERROR",
		elapsed.Round(time.Second), clients, len(reqs), n, float64(n)/elapsed.Seconds(), failed.Load(),
		ms(percentile(all, 50)), ms(percentile(all, 90)), ms(percentile(all, 99)), ms(percentile(all, 100)),
		mb(warmRSS), warmup, mb(endRSS), growth, mb(peakRSS), logLines, logProblems)

	for _, f := range failures {
		t.Errorf("%s: %s", f.query, f.what)
	}
	if got := failed.Load(); got != 0 {
		t.Errorf("errors: got %d of %d requests, want 0", got, n)
	}
	if len(serverErrors) > 0 {
		t.Errorf("server error counters: got %s, want none above 0", strings.Join(serverErrors, "; "))
	}
	for _, p := range problems {
		t.Errorf("server log: got %s, want no WARN or ERROR records", p)
	}
	if warmRSS == 0 || endRSS == 0 {
		t.Errorf("RSS samples: got %d, want some at the end of the warm-up and of the run", len(samples))
	} else if growth > 10 {
		t.Errorf("RSS growth after warm-up: got %+.1f%% (%s to %s), want at most +10%%", growth, mb(warmRSS), mb(endRSS))
	}
	if n == 0 {
		t.Errorf("requests: got 0, want some")
	}
}

// goroutines reads the server's go_goroutines gauge from /metrics.
func goroutines(client *http.Client, base string) (int, error) {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "go_goroutines "); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, fmt.Errorf("no go_goroutines in /metrics")
}
