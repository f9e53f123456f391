// Command report turns the suite's raw `go test -bench` output (one file
// per scale, benchstat-readable) into bench/out/REPORT.md, with the ratio
// tables of issue 5, and scale-curves.png, each figure over S → M → L:
//
//	go run ./bench/report -out bench/out bench/out/raw-S.txt bench/out/raw-M.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

var procSuffix = regexp.MustCompile(`-\d+$`)

// result is one benchmark line: its name's key=value parts, its
// iteration count and its metrics.
type result struct {
	keys       map[string]string
	iterations float64
	metrics    map[string]float64
}

func main() {
	out := flag.String("out", "bench/out", "directory for REPORT.md and scale-curves.png")
	flag.Parse()
	var results []result
	for _, f := range flag.Args() {
		rs, err := parseFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		results = append(results, rs...)
	}
	if err := write(*out, results); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func parseFile(name string) ([]result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f)
}

// parse reads benchmark lines: Name N value unit value unit ...
func parse(r io.Reader) ([]result, error) {
	var out []result
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		res := result{keys: map[string]string{}, metrics: map[string]float64{}}
		// The last part carries -GOMAXPROCS when it is above 1.
		parts := strings.Split(procSuffix.ReplaceAllString(f[0], ""), "/")
		res.keys["bench"] = strings.TrimPrefix(parts[0], "Benchmark")
		for _, p := range parts[1:] {
			k, v, _ := strings.Cut(p, "=")
			res.keys[k] = v
		}
		if n, err := strconv.ParseFloat(f[1], 64); err == nil {
			res.iterations = n
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				res.metrics[f[i+1]] = v
			}
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// find returns the metric of the result matching every key; of several
// (a benchmark run twice), the one of the most iterations.
func find(rs []result, metric string, kv ...string) (float64, bool) {
	var best float64
	found, bestN := false, -1.0
	for _, r := range rs {
		ok := true
		for i := 0; i+1 < len(kv); i += 2 {
			ok = ok && r.keys[kv[i]] == kv[i+1]
		}
		if v, has := r.metrics[metric]; ok && has && r.iterations > bestN {
			best, bestN, found = v, r.iterations, true
		}
	}
	return best, found
}

func scalesOf(rs []result) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range []string{"T", "S", "M", "L"} {
		for _, r := range rs {
			if r.keys["scale"] == s && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func queriesOf(rs []result) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		if q := r.keys["query"]; q != "" && !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func num(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	switch {
	case v >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func ms(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return num(v/1e6, true)
}

func ratio(a float64, aok bool, b float64, bok bool) string {
	if !aok || !bok || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func write(dir string, rs []result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintln(&b, "# Benchmark report")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "Written by `go run ./bench/report` from the raw `go test -bench` output beside it. Ratios compare figures of one run.")
	targets(&b, rs)
	for _, sc := range scalesOf(rs) {
		fmt.Fprintf(&b, "\n## Scale %s\n\n### Loading into Neo4j (relationships per second)\n\n", sc)
		fmt.Fprintln(&b, "| ours | naive | ceiling | ours/ceiling (target ≥ 0.8) | ours/naive (target ≥ 20) |")
		fmt.Fprintln(&b, "|---|---|---|---|---|")
		o, ook := find(rs, "rels/s", "scale", sc, "loader", "ours")
		n, nok := find(rs, "rels/s", "scale", sc, "loader", "naive")
		c, cok := find(rs, "rels/s", "scale", sc, "loader", "ceiling")
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", num(o, ook), num(n, nok), num(c, cok), ratio(o, ook, c, cok), ratio(o, ook, n, nok))

		fmt.Fprintf(&b, "\n### Embedded store\n\n| load (ms) | heap per relationship (bytes; target ≤ 200) |\n|---|---|\n")
		l, lok := find(rs, "load-ns", "scale", sc, "store", "memory")
		h, hok := find(rs, "heap-B/rel", "scale", sc, "store", "memory")
		fmt.Fprintf(&b, "| %s | %s |\n", ms(l, lok), num(h, hok))

		fmt.Fprintf(&b, "\n### Embedded store calls in process\n\nThe store method server d calls, alone (no HTTP, no GraphQL; BenchmarkEmbeddedQuery: Store.NeighborhoodSummary for the neighbourhoods, whose selections a summary holds), beside server d's p50 at concurrency 1, which adds both. Both hold the store on huge pages once it is loaded (internal/hugepages), as allegiance serve does with a large embedded store. Targets at M: depth-2 neighbourhood under 1 ms, shortestPath under 5 ms.\n\n")
		fmt.Fprintln(&b, "| query | store call (ms) | d p50 over HTTP and GraphQL (ms) |")
		fmt.Fprintln(&b, "|---|---|---|")
		for _, q := range queriesOf(rs) {
			st, stok := find(rs, "ns/op", "scale", sc, "query", q, "server", "memory-store")
			dp, dpok := find(rs, "p50-ns", "scale", sc, "query", q, "server", "d", "conc", "1")
			if !stok {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", q, ms(st, stok), ms(dp, dpok))
		}

		for _, conc := range []string{"1", "16"} {
			fmt.Fprintf(&b, "\n### Queries at concurrency %s\n\np50 and p99 in ms, throughput in requests/s. A latency runs from sending the request to reading the last byte of its answer, as wrk and hey measure it; the client checks each answer for errors after that. a: ours over Neo4j; b: the same store calls without GraphQL; c: @neo4j/graphql; d: ours over the embedded store.\n\n", conc)
			fmt.Fprintln(&b, "| query | a p50 | b p50 | c p50 | d p50 | a p99 | c p99 | a req/s | c req/s | d req/s | a/b p50 (≤ 1.2) | a/c req/s (≥ 2) | a/c p99 (≤ 1) |")
			fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
			for _, q := range queriesOf(rs) {
				get := func(srv, m string) (float64, bool) {
					return find(rs, m, "scale", sc, "query", q, "server", srv, "conc", conc)
				}
				ap, apok := get("a", "p50-ns")
				bp, bpok := get("b", "p50-ns")
				cp, cpok := get("c", "p50-ns")
				dp, dpok := get("d", "p50-ns")
				a9, a9ok := get("a", "p99-ns")
				c9, c9ok := get("c", "p99-ns")
				ar, arok := get("a", "req/s")
				cr, crok := get("c", "req/s")
				dr, drok := get("d", "req/s")
				if !apok && !dpok {
					continue
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", q,
					ms(ap, apok), ms(bp, bpok), ms(cp, cpok), ms(dp, dpok), ms(a9, a9ok), ms(c9, c9ok),
					num(ar, arok), num(cr, crok), num(dr, drok),
					ratio(ap, apok, bp, bpok), ratio(ar, arok, cr, crok), ratio(a9, a9ok, c9, c9ok))
			}
		}
	}
	hubs(&b, rs)
	fmt.Fprintln(&b, "\n## Scale curves\n\n![scale curves](scale-curves.png)")
	if err := os.WriteFile(filepath.Join(dir, "REPORT.md"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	return plotCurves(filepath.Join(dir, "scale-curves.png"), rs)
}

// plotCurves draws each headline figure against the scale's entity count.
func plotCurves(name string, rs []result) error {
	entities := map[string]float64{"T": 1e3, "S": 1e4, "M": 1e5, "L": 1e6}
	type series struct {
		label  string
		metric string
		kv     []string
	}
	all := []series{
		{"load ours (rels/s)", "rels/s", []string{"loader", "ours"}},
		{"load ceiling (rels/s)", "rels/s", []string{"loader", "ceiling"}},
		{"embedded heap (B/rel)", "heap-B/rel", []string{"store", "memory"}},
		{"a nbh d2 hub p50 (µs)", "p50-ns", []string{"query", "neighborhood-d2-hub", "server", "a", "conc", "1"}},
		{"d nbh d2 hub p50 (µs)", "p50-ns", []string{"query", "neighborhood-d2-hub", "server", "d", "conc", "1"}},
		{"d shortestPath p50 (µs)", "p50-ns", []string{"query", "shortestPath", "server", "d", "conc", "1"}},
		{"c entity p50 (µs)", "p50-ns", []string{"query", "entity", "server", "c", "conc", "1"}},
		{"a entity p50 (µs)", "p50-ns", []string{"query", "entity", "server", "a", "conc", "1"}},
	}
	p := plot.New()
	p.Title.Text = "Allegiance benchmarks by scale"
	p.X.Label.Text = "entities"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{}, plot.LogTicks{}
	var args []any
	for _, s := range all {
		var pts plotter.XYs
		for _, sc := range scalesOf(rs) {
			v, ok := find(rs, s.metric, append([]string{"scale", sc}, s.kv...)...)
			if !ok || v <= 0 {
				continue
			}
			if s.metric == "p50-ns" {
				v /= 1e3
			}
			pts = append(pts, plotter.XY{X: entities[sc], Y: v})
		}
		if len(pts) > 0 {
			sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
			args = append(args, s.label, pts)
		}
	}
	if len(args) > 0 {
		if err := plotutil.AddLinePoints(p, args...); err != nil {
			return err
		}
	}
	p.Legend.Top = true
	return p.Save(8*vg.Inch, 5*vg.Inch, name)
}
