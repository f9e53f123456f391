//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The bounds the hardening issue sets.
const (
	failFastBound = 6 * time.Second // a request during an outage answers within this
	recoveryBound = 5 * time.Second // requests succeed again this soon after Neo4j is back
)

// faultPort returns the port of the test's i-th Neo4j. The fault tests
// start Neo4j instances of their own, which they stop, kill and restart.
// Each gets a port that is free when the test starts, so that concurrent
// runs do not collide; ALLEGIANCE_FAULT_BOLT_PORT=N pins the ports to N,
// N+1 and N+2 instead.
func faultPort(tb testing.TB, i int) int {
	tb.Helper()
	if s := os.Getenv("ALLEGIANCE_FAULT_BOLT_PORT"); s != "" {
		base, err := strconv.Atoi(s)
		if err != nil {
			tb.Fatalf("ALLEGIANCE_FAULT_BOLT_PORT=%q: got %v, want a port number", s, err)
		}
		return base + i
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("finding a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// faultNeo4j is a Neo4j of one test's own, run by tools/neo4j/neo4j.sh. Its
// home directory survives stop, so start finds the same data again.
type faultNeo4j struct {
	port int
	home string
	uri  string
}

// startFaultNeo4j starts a Neo4j on port with a fresh home under
// tb.TempDir() and stops it when the test ends, whatever happens.
func startFaultNeo4j(tb testing.TB, port int) *faultNeo4j {
	tb.Helper()
	n := &faultNeo4j{port: port, home: filepath.Join(tb.TempDir(), "neo4j")}
	if out, err := n.script("status"); err == nil {
		tb.Fatalf("port %d: got a running Neo4j (%s), want none: stop it or set ALLEGIANCE_FAULT_BOLT_PORT", port, strings.TrimSpace(out))
	}
	tb.Cleanup(func() {
		if out, err := n.script("stop"); err != nil {
			tb.Errorf("neo4j.sh stop (port %d): %v\n%s", port, err, out)
		}
	})
	n.start(tb)
	return n
}

// script runs neo4j.sh cmd for this instance and returns its stdout, or its
// stdout and stderr when it fails.
func (n *faultNeo4j) script(cmd string) (string, error) {
	c := exec.Command("../../tools/neo4j/neo4j.sh", cmd)
	// A 60,000-relationship load into a database that holds data (as in
	// TestLoadSurvivesNeo4jCrash) merges in one transaction; with the
	// endpoints' ids and the ordered-neighbour indexes (store/neo4j/hubs.go)
	// it needs more transaction memory than the 70% of neo4j.sh's default
	// 768 MB heap allows (measured: MemoryPoolOutOfMemoryError at 537.6 MiB,
	// when every load was one transaction), so these instances get 1 GB.
	c.Env = append(os.Environ(), "NEO4J_BOLT_PORT="+strconv.Itoa(n.port), "NEO4J_HOME_DIR="+n.home, "NEO4J_HEAP=1g")
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// start starts the instance on its home directory and waits until it
// answers.
func (n *faultNeo4j) start(tb testing.TB) {
	tb.Helper()
	out, err := n.script("start")
	if err != nil {
		tb.Fatalf("neo4j.sh start (port %d): %v\n%s", n.port, err, out)
	}
	lines := strings.Fields(out)
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], "bolt://") {
		tb.Fatalf("neo4j.sh start: got %q, want a bolt:// URI as the last line", out)
	}
	n.uri = lines[len(lines)-1]
}

// stop shuts the instance down cleanly (SIGTERM) and waits until it has.
func (n *faultNeo4j) stop(tb testing.TB) {
	tb.Helper()
	if out, err := n.script("stop"); err != nil {
		tb.Fatalf("neo4j.sh stop (port %d): %v\n%s", n.port, err, out)
	}
}

// crash kills the instance's JVM with SIGKILL, as a power cut would, and
// waits until it is gone.
func (n *faultNeo4j) crash(tb testing.TB) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(n.home, "run", "neo4j.pid"))
	if err != nil {
		tb.Fatalf("reading the Neo4j pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		tb.Fatalf("Neo4j pid file: got %q, want a pid", b)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tb.Fatalf("kill -KILL %d: %v", pid, err)
	}
	// neo4j.sh sees the dead JVM and clears its state files.
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := n.script("status")
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after SIGKILL: got %q, want Neo4j gone", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	n.stop(tb)
}

// answer is what one GraphQL request got.
type answer struct {
	query      string
	start, end time.Time
	// code is "" for a right answer, the extensions.code of the first
	// error otherwise, or a description of a transport failure.
	code string
	// wrong holds a successful answer that is not the known one.
	wrong string
}

// ask sends query to base and compares a successful answer with want.
func ask(client *http.Client, base, name, query, want string) answer {
	a := answer{query: name, start: time.Now()}
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		a.code, a.end = "transport: "+err.Error(), time.Now()
		return a
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	a.end = time.Now()
	var r gqlResponse
	if err != nil || json.Unmarshal(b, &r) != nil {
		a.code = fmt.Sprintf("HTTP %d, body %q", resp.StatusCode, b)
		return a
	}
	if len(r.Errors) > 0 {
		a.code = fmt.Sprint(r.Errors[0].Extensions["code"])
		for _, e := range r.Errors[1:] {
			if c := fmt.Sprint(e.Extensions["code"]); c != a.code {
				a.code += "+" + c
			}
		}
		return a
	}
	if string(r.Data) != want {
		a.wrong = string(r.Data)
	}
	return a
}

// steadyLoad runs workers goroutines that each send the queries in turn,
// as fast as they are answered, until stop is called.
type steadyLoad struct {
	stopOnce sync.Once
	done     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	answers  []answer
}

// startSteadyLoad starts workers goroutines asking base the named queries
// and checking every successful answer against want.
func startSteadyLoad(base string, workers int, names []string, queries, want map[string]string) *steadyLoad {
	l := &steadyLoad{done: make(chan struct{})}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers},
	}
	for w := range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := w; ; i++ {
				select {
				case <-l.done:
					return
				default:
				}
				name := names[i%len(names)]
				a := ask(client, base, name, queries[name], want[name])
				l.mu.Lock()
				l.answers = append(l.answers, a)
				l.mu.Unlock()
			}
		}()
	}
	return l
}

// stop ends the load and returns every answer, by start time.
func (l *steadyLoad) stop() []answer {
	l.stopOnce.Do(func() { close(l.done) })
	l.wg.Wait()
	sort.Slice(l.answers, func(i, j int) bool { return l.answers[i].start.Before(l.answers[j].start) })
	return l.answers
}

// problems returns the distinct warnings and errors in a server's JSON
// log, with their counts.
func problems(log string) string {
	counts := map[string]int{}
	for line := range strings.Lines(log) {
		var e struct{ Level, Msg, Err string }
		if json.Unmarshal([]byte(line), &e) == nil && e.Level != "INFO" {
			counts[e.Level+" "+e.Msg+": "+e.Err]++
		}
	}
	var out strings.Builder
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(&out, "%5d × %s\n", counts[k], k)
	}
	return out.String()
}

// serveWithLog is mainServing with the server's log kept.
func serveWithLog(tb testing.TB, uri string) (*Main, *syncBuffer) {
	tb.Helper()
	m, log := NewMain(), &syncBuffer{}
	m.Stdout, m.Stderr = log, log
	if err := m.ParseFlags(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--neo4j-uri", uri}); err != nil {
		tb.Fatalf("ParseFlags: %v", err)
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatalf("Run(serve, neo4j %q): %v\n%s", uri, err, log)
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return m, log
}

// getStatus returns the HTTP status of GET base+path.
func getStatus(tb testing.TB, base, path string) int {
	tb.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// While Neo4j is down, requests fail fast with UNAVAILABLE and /readyz says
// 503 while /healthz stays 200; when it is back, the server recovers by
// itself. No request ever gets a wrong answer.
func TestNeo4jOutage(t *testing.T) {
	n := startFaultNeo4j(t, faultPort(t, 0))
	mem := mainServing(t, "")
	srv, log := serveWithLog(t, n.uri) // loads the bundled dataset into the empty database
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the server's warnings and errors:\n%s", problems(log.String()))
		}
	})
	names := []string{"pledges", "mergers", "path", "asOf", "neighborhood", "designations", "stats"}
	want := map[string]string{}
	for _, name := range names {
		_, a := post(t, mem.URL(), exampleQueries[name], nil)
		_, b := post(t, srv.URL(), exampleQueries[name], nil)
		if len(a.Errors) > 0 || len(b.Errors) > 0 || string(a.Data) != string(b.Data) {
			t.Fatalf("%s before the outage: got neo4j %s %v, want %s as the embedded store", name, b.Data, b.Errors, a.Data)
		}
		want[name] = string(a.Data)
	}

	load := startSteadyLoad(srv.URL(), 8, names, exampleQueries, want)
	defer load.stop()
	time.Sleep(2 * time.Second)

	stopBegin := time.Now()
	n.stop(t)
	stopped := time.Now()
	// While Neo4j is down the process is alive but not ready.
	for time.Since(stopped) < 4*time.Second {
		if got := getStatus(t, srv.URL(), "/healthz"); got != http.StatusOK {
			t.Errorf("GET /healthz during the outage: got %d, want 200", got)
		}
		if got := getStatus(t, srv.URL(), "/readyz"); got != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz during the outage: got %d, want 503", got)
		}
		time.Sleep(500 * time.Millisecond)
	}

	startBegin := time.Now()
	n.start(t)
	started := time.Now()
	// Keep the load on until every worker has had its chance to see the
	// recovery, and some time after the bound.
	time.Sleep(recoveryBound + 2*time.Second)
	if got := getStatus(t, srv.URL(), "/readyz"); got != http.StatusOK {
		t.Errorf("GET /readyz after Neo4j came back: got %d, want 200", got)
	}
	answers := load.stop()

	// Timings are reported relative to the moment neo4j.sh stop was run.
	at := func(t time.Time) time.Duration { return t.Sub(stopBegin).Round(time.Millisecond) }
	var (
		right, failed, afterBound int
		lastSent, lastFailure     time.Time       // the last failed request's start and end
		down                      []time.Duration // requests sent and answered while Neo4j was down
		slowest                   time.Duration   // the slowest failure
	)
	for _, a := range answers {
		took := a.end.Sub(a.start)
		if !a.start.Before(stopped) && a.end.Before(startBegin) {
			down = append(down, took)
		}
		if !a.start.Before(started.Add(recoveryBound)) {
			afterBound++
		}
		switch {
		case a.code == "" && a.wrong == "":
			right++
		case a.code != "":
			failed++
			slowest = max(slowest, took)
			lastSent = a.start
			if a.end.After(lastFailure) {
				lastFailure = a.end
			}
		}
	}
	slices.Sort(down)
	t.Logf("%d requests: %d right, %d failed; stop ran from 0 to %s, start from %s to %s",
		len(answers), right, failed, at(stopped), at(startBegin), at(started))
	if len(down) > 0 {
		t.Logf("fail-fast: %d requests while Neo4j was down, latency median %s, max %s; slowest failure overall %s (bound %s)",
			len(down), down[len(down)/2].Round(time.Millisecond), down[len(down)-1].Round(time.Millisecond), slowest.Round(time.Millisecond), failFastBound)
	}
	t.Logf("recovery: the last failed request was sent %s and answered %s after neo4j.sh start returned (bound %s)",
		lastSent.Sub(started).Round(time.Millisecond), lastFailure.Sub(started).Round(time.Millisecond), recoveryBound)

	for _, a := range answers {
		took := a.end.Sub(a.start).Round(time.Millisecond)
		switch {
		case a.wrong != "":
			t.Errorf("%s sent at %s: got %s, want %s", a.query, at(a.start), a.wrong, want[a.query])
		case a.code == "":
		case a.code != "UNAVAILABLE":
			t.Errorf("%s sent at %s: got %s after %s, want UNAVAILABLE", a.query, at(a.start), a.code, took)
		case a.end.Before(stopBegin) || !a.start.Before(started.Add(recoveryBound)):
			t.Errorf("%s sent at %s, answered at %s: got %s, want a right answer outside the outage (0 to %s + %s)",
				a.query, at(a.start), at(a.end), a.code, at(started), recoveryBound)
		case took > failFastBound:
			t.Errorf("%s sent at %s: got %s after %s, want it within %s", a.query, at(a.start), a.code, took, failFastBound)
		}
	}
	if len(down) == 0 {
		t.Errorf("got no request sent and answered while Neo4j was down, want some")
	}
	if afterBound == 0 || failed == 0 {
		t.Errorf("got %d failed requests and %d requests after the recovery bound, want some of each", failed, afterBound)
	}
	if t.Failed() {
		t.Logf("requests by the second they were sent:\n%s", timeline(answers, stopBegin))
	}
}

// timeline sums up answers by the second, from origin, they were sent in.
func timeline(answers []answer, origin time.Time) string {
	type bucket struct {
		sent, right int
		codes       map[string]int
		slowest     time.Duration
	}
	var buckets []bucket
	for _, a := range answers {
		i := max(int(a.start.Sub(origin)/time.Second)+2, 0) // from -2 s
		for len(buckets) <= i {
			buckets = append(buckets, bucket{codes: map[string]int{}})
		}
		b := &buckets[i]
		b.sent++
		if a.code == "" && a.wrong == "" {
			b.right++
		} else if a.code != "" {
			b.codes[a.code]++
		}
		b.slowest = max(b.slowest, a.end.Sub(a.start))
	}
	var out strings.Builder
	for i, b := range buckets {
		fmt.Fprintf(&out, "%4ds: %3d sent, %3d right, failed %v, slowest %s\n", i-2, b.sent, b.right, b.codes, b.slowest.Round(time.Millisecond))
	}
	return out.String()
}

// buildAllegiance builds the command into a temporary directory.
func buildAllegiance(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "allegiance")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeSyntheticDataset writes a deterministic dataset of entities and
// relationships (and a few sources and designations) into a new directory.
func writeSyntheticDataset(tb testing.TB, entities, relationships int) string {
	tb.Helper()
	dir := tb.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	const sources = 100
	write := func(name string, fill func(w *bufio.Writer)) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(f)
		fill(w)
		if err := errors.Join(w.Flush(), f.Close()); err != nil {
			tb.Fatal(err)
		}
	}
	q := strconv.Quote
	src := func() string { return fmt.Sprintf("src-%03d", rng.IntN(sources)) }
	entity := func(i int) string { return fmt.Sprintf("ent-%05d", i) }
	write("sources.yaml", func(w *bufio.Writer) {
		fmt.Fprintln(w, "sources:")
		for i := range sources {
			fmt.Fprintf(w, "  - id: %s\n    title: %s\n    publisher: %s\n    published: %s\n    url: %s\n",
				q(fmt.Sprintf("src-%03d", i)), q(fmt.Sprintf("Report %d", i)), q("Synthetic Monitor"),
				q(fmt.Sprintf("%d-%02d", 2000+i%20, 1+i%12)), q(fmt.Sprintf("https://example.org/report/%d", i)))
		}
	})
	// Even entities are persons, odd ones organizations.
	write("entities.yaml", func(w *bufio.Writer) {
		fmt.Fprintln(w, "entities:")
		for i := range entities {
			fmt.Fprintf(w, "  - id: %s\n", q(entity(i)))
			if i%2 == 0 {
				fmt.Fprintf(w, "    kind: \"person\"\n    name: %s\n    born: %s\n    nationality: [\"Malian\"]\n",
					q(fmt.Sprintf("Person %05d Ag Synth", i)), q(fmt.Sprintf("%d-%02d-%02d", 1940+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28))))
			} else {
				fmt.Fprintf(w, "    kind: \"organization\"\n    name: %s\n    founded: %s\n    types: [\"armed group\"]\n    areas: [\"Sahel\"]\n",
					q(fmt.Sprintf("Brigade %05d of the Synthetic Front", i)), q(strconv.Itoa(1980+rng.IntN(40))))
			}
			fmt.Fprintf(w, "    aliases: [%s, %s]\n    description: %s\n    sources: [%s, %s]\n",
				q(fmt.Sprintf("Alias %d", i)), q(fmt.Sprintf("AKA-%d", i)),
				q(fmt.Sprintf("Synthetic entity number %d, generated for the fault tests.", i)), q(src()), q(src()))
			if i%100 == 1 {
				fmt.Fprintf(w, "    designations:\n      - id: %s\n        authority: \"U.S. Department of State\"\n        listedOn: \"2013-02-26\"\n        sources: [%s]\n",
					q(fmt.Sprintf("des-%05d", i)), q(src()))
			}
		}
	})
	// Each type with its endpoint kinds: 0 person, 1 organization, -1 any.
	types := []struct {
		name     string
		from, to int
	}{
		{"ASSOCIATED_WITH", -1, -1}, {"MET_WITH", 0, 0}, {"ALLIED_WITH", 1, 1}, {"RIVAL_OF", 1, 1},
		{"SUPPORTED", -1, -1}, {"OPPOSED", -1, -1}, {"MEMBER_OF", 0, 1}, {"AFFILIATE_OF", 1, 1},
	}
	pick := func(kind int) int {
		if kind < 0 {
			return rng.IntN(entities)
		}
		return 2*rng.IntN(entities/2) + kind
	}
	write("relationships.yaml", func(w *bufio.Writer) {
		fmt.Fprintln(w, "relationships:")
		for i := range relationships {
			t := types[i%len(types)]
			from, to := pick(t.from), pick(t.to)
			for to == from {
				to = pick(t.to)
			}
			since := 1990 + rng.IntN(30)
			fmt.Fprintf(w, "  - id: %s\n    type: %s\n    from: %s\n    to: %s\n    since: %s\n",
				q(fmt.Sprintf("rel-%05d", i)), q(t.name), q(entity(from)), q(entity(to)), q(strconv.Itoa(since)))
			if i%3 == 0 {
				fmt.Fprintf(w, "    until: %s\n    qualifier: \"reportedly\"\n", q(fmt.Sprintf("%d-%02d", since+rng.IntN(5), 1+rng.IntN(12))))
			}
			fmt.Fprintf(w, "    evidence: %s\n    sources: [%s]\n", q(fmt.Sprintf("Synthetic sentence %d about %s and %s.", i, entity(from), entity(to))), q(src()))
		}
	})
	return dir
}

// dumpNeo4j returns the whole database at uri in canonical form: one JSON
// line per node (labels and properties) and per relationship (type,
// endpoints and properties), sorted.
func dumpNeo4j(tb testing.TB, uri string) []string {
	tb.Helper()
	ctx := context.Background()
	d := rawDriver(tb, uri)
	defer d.Close(ctx)
	line := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatalf("dump: %v", err)
		}
		return string(b)
	}
	labels := func(v any) []string {
		out := asStringSlice(v)
		slices.Sort(out)
		return out
	}
	var dump []string
	nodes, err := driver.ExecuteQuery(ctx, d, `MATCH (n) RETURN labels(n) AS labels, properties(n) AS props`, nil, driver.EagerResultTransformer)
	if err != nil {
		tb.Fatalf("dump nodes: %v", err)
	}
	for _, r := range nodes.Records {
		l, _ := r.Get("labels")
		p, _ := r.Get("props")
		dump = append(dump, line(map[string]any{"node": labels(l), "props": p}))
	}
	rels, err := driver.ExecuteQuery(ctx, d, `MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a) AS al, a.id AS a, labels(b) AS bl, b.id AS b, properties(r) AS props`, nil, driver.EagerResultTransformer)
	if err != nil {
		tb.Fatalf("dump relationships: %v", err)
	}
	for _, r := range rels.Records {
		get := func(k string) any { v, _ := r.Get(k); return v }
		dump = append(dump, line(map[string]any{
			"rel": get("type"), "from": []any{labels(get("al")), get("a")}, "to": []any{labels(get("bl")), get("b")}, "props": get("props"),
		}))
	}
	slices.Sort(dump)
	return dump
}

// asStringSlice reads a list the driver returned as strings.
func asStringSlice(v any) []string {
	items, _ := v.([]any)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprint(it)
	}
	return out
}

// dumpDiff says how got differs from want, or "" when they are equal.
// published splits a dump into the lines readers can see and the number of
// lines of a staged load: nodes with a staging label, relationships with
// such an end.
func published(tb testing.TB, dump []string) (seen []string, staged int) {
	tb.Helper()
	isStaged := func(labels []any) bool {
		for _, l := range labels {
			if s, _ := l.(string); strings.HasPrefix(s, "Staged") {
				return true
			}
		}
		return false
	}
	for _, line := range dump {
		var v struct {
			Node     []any `json:"node"`
			From, To []any
		}
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			tb.Fatalf("dump line %s: %v", line, err)
		}
		ends := func(e []any) []any {
			if len(e) == 0 {
				return nil
			}
			l, _ := e[0].([]any)
			return l
		}
		if isStaged(v.Node) || isStaged(ends(v.From)) || isStaged(ends(v.To)) {
			staged++
			continue
		}
		seen = append(seen, line)
	}
	return seen, staged
}

func dumpDiff(got, want []string) string {
	if slices.Equal(got, want) {
		return ""
	}
	in := func(s []string) map[string]bool {
		m := make(map[string]bool, len(s))
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var extra, missing []string
	for _, x := range got {
		if !w[x] && len(extra) < 3 {
			extra = append(extra, x)
		}
	}
	for _, x := range want {
		if !g[x] && len(missing) < 3 {
			missing = append(missing, x)
		}
	}
	return fmt.Sprintf("got %d lines, want %d; first extra %q; first missing %q", len(got), len(want), extra, missing)
}

// emptyNeo4j deletes everything in the database at uri, straight through
// the driver.
func emptyNeo4j(tb testing.TB, uri string) {
	tb.Helper()
	ctx := context.Background()
	d := rawDriver(tb, uri)
	defer d.Close(ctx)
	sess := d.NewSession(ctx, driver.SessionConfig{})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, `MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		tb.Fatalf("emptying Neo4j: %v", err)
	}
}

// loadProcess is a running `allegiance load`.
type loadProcess struct {
	cmd   *exec.Cmd
	out   bytes.Buffer
	done  chan struct{}
	err   error
	began time.Time
}

// startLoadProcess starts `allegiance load` with args; the process is
// killed when the test ends, if it is still running.
func startLoadProcess(tb testing.TB, bin string, args ...string) *loadProcess {
	tb.Helper()
	p := &loadProcess{cmd: exec.Command(bin, append([]string{"load"}, args...)...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	p.began = time.Now()
	if err := p.cmd.Start(); err != nil {
		tb.Fatalf("starting %v: %v", p.cmd.Args, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// runLoadProcess runs `allegiance load` to completion and fails the test
// if it fails.
func runLoadProcess(tb testing.TB, bin string, args ...string) time.Duration {
	tb.Helper()
	p := startLoadProcess(tb, bin, args...)
	<-p.done
	if p.err != nil {
		tb.Fatalf("%v: %v\n%s", p.cmd.Args, p.err, p.out.String())
	}
	return time.Since(p.began)
}

// waitForRelationshipWrites returns once the load is writing
// relationships, its last phase, as SHOW TRANSACTIONS tells; it fails the
// test if the process ends first.
func waitForRelationshipWrites(tb testing.TB, uri string, p *loadProcess) {
	tb.Helper()
	ctx := context.Background()
	d := rawDriver(tb, uri)
	defer d.Close(ctx)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			tb.Fatalf("the load ended (%v) before it wrote relationships, want it still running\n%s", p.err, p.out.String())
		default:
		}
		res, err := driver.ExecuteQuery(ctx, d, `SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery`, nil, driver.EagerResultTransformer)
		if err != nil {
			tb.Fatalf("SHOW TRANSACTIONS: %v", err)
		}
		for _, r := range res.Records {
			q, _ := r.Get("currentQuery")
			if s, _ := q.(string); strings.Contains(s, "MERGE (a)-[r:") || strings.Contains(s, "CREATE (a)-[r:") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("the load did not start writing relationships within 2 minutes")
}

// A loader killed mid-load leaves nothing that readers see, and running it
// again gives exactly the database a clean load gives: the rerun deletes
// what the killed load staged.
func TestLoaderKilledMidRun(t *testing.T) {
	n := startFaultNeo4j(t, faultPort(t, 1))
	bin := buildAllegiance(t)
	dir := writeSyntheticDataset(t, 20000, 60000)
	before := dumpNeo4j(t, n.uri)

	p := startLoadProcess(t, bin, "--neo4j-uri", n.uri, dir)
	waitForRelationshipWrites(t, n.uri, p)
	killedAt := time.Since(p.began)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("SIGKILL the loader: %v", err)
	}
	<-p.done
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the killed loader: got %v, want it killed by SIGKILL before it finished\n%s", p.cmd.ProcessState, p.out.String())
	}
	// The killed load staged part of its dataset, under labels no reader
	// matches (store/neo4j/stage.go): readers see the database as it was.
	seen, staged := published(t, dumpNeo4j(t, n.uri))
	if diff := dumpDiff(seen, before); diff != "" {
		t.Errorf("after the killed load, what readers see: %s", diff)
	}
	if staged == 0 {
		t.Errorf("after the killed load: got no staged nodes or relationships, want the part it wrote before the kill")
	}

	rerun := runLoadProcess(t, bin, "--neo4j-uri", n.uri, dir)
	afterRerun := dumpNeo4j(t, n.uri)
	emptyNeo4j(t, n.uri)
	clean := runLoadProcess(t, bin, "--neo4j-uri", n.uri, dir)
	if diff := dumpDiff(afterRerun, dumpNeo4j(t, n.uri)); diff != "" {
		t.Errorf("killed then rerun versus clean load: %s", diff)
	}
	t.Logf("killed %s after start, while writing relationships, leaving %d staged nodes and relationships; rerun took %s, clean load %s; the dump has %d lines",
		killedAt.Round(time.Millisecond), staged, rerun.Round(time.Millisecond), clean.Round(time.Millisecond), len(afterRerun))
}

// A load that Neo4j dies under (SIGKILL, mid-transaction) fails, and after
// Neo4j restarts the database holds exactly what it held before.
func TestLoadSurvivesNeo4jCrash(t *testing.T) {
	n := startFaultNeo4j(t, faultPort(t, 2))
	bin := buildAllegiance(t)
	dir := writeSyntheticDataset(t, 20000, 60000)
	runLoadProcess(t, bin, "--neo4j-uri", n.uri) // the bundled dataset is the previous state
	before := dumpNeo4j(t, n.uri)

	p := startLoadProcess(t, bin, "--neo4j-uri", n.uri, dir)
	waitForRelationshipWrites(t, n.uri, p)
	crashedAt := time.Since(p.began)
	n.crash(t)
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatalf("the load did not end within a minute of Neo4j's crash")
	}
	failedAfter := time.Since(p.began) - crashedAt
	if code := p.cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("load under a crashing Neo4j: got exit code %d, want 1\n%s", code, p.out.String())
	}
	restartBegin := time.Now()
	n.start(t)
	restart := time.Since(restartBegin)
	if diff := dumpDiff(dumpNeo4j(t, n.uri), before); diff != "" {
		t.Errorf("after the crash and restart: %s", diff)
	}
	t.Logf("Neo4j killed %s after the load started; the load failed %s later; restart with recovery took %s",
		crashedAt.Round(time.Millisecond), failedAfter.Round(time.Millisecond), restart.Round(time.Millisecond))
}

// On SIGTERM the server stops accepting connections, finishes the requests
// in flight, and exits 0.
func TestSIGTERMDrains(t *testing.T) {
	bin := buildAllegiance(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "NEO4J_URI=") // the embedded store, whatever the environment says
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	done := make(chan struct{})
	var exit error
	go func() {
		io.Copy(io.Discard, out)
		exit = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	if err != nil {
		t.Fatalf("reading the serve banner: %v\n%s", err, stderr.String())
	}
	_, rest, found := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, "/")
	if !found || addr == "" {
		t.Fatalf("serve banner: got %q, want the address it listens on", line)
	}

	// A request whose body is still on its way when SIGTERM arrives.
	body := `{"query": "{ entity(id: \"iyad-ag-ghaly\") { name } }"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	time.Sleep(300 * time.Millisecond) // the server reads the headers and waits for the body
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused while the request is still in flight.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("after SIGTERM: got new connections accepted for 5 s, want them refused")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	select {
	case <-done:
		t.Fatalf("after SIGTERM: got the process ended (%v) with a request in flight, want it to wait\n%s", exit, stderr.String())
	default:
	}

	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatalf("sending the rest of the body: %v", err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request: got %v, want an answer", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `{"data":{"entity":{"name":"Iyad Ag Ghaly"}}}`; resp.StatusCode != http.StatusOK || string(b) != want {
		t.Errorf("in-flight request: got %d %s, want 200 %s", resp.StatusCode, b, want)
	}

	select {
	case <-done:
		if exit != nil {
			t.Errorf("after draining: got %v, want exit status 0\n%s", exit, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("got the process still running 10 s after the last request, want it exited")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("after exit: got a connection to %s accepted, want it refused", addr)
	}
}
