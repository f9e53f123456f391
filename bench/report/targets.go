package main

import (
	"fmt"
	"strings"
)

// targets writes the table of issue 5's targets, each figure computed from
// the raw results of one run, scale by scale.
func targets(b *strings.Builder, rs []result) {
	fmt.Fprintln(b, "\n## Where the targets stand")
	fmt.Fprintln(b, "\nComputed by the report from the raw output below; every ratio compares figures of the same run.")
	fmt.Fprintln(b, "\n| target | scale | figure | met? |\n|---|---|---|---|")
	row := func(target, sc, figure string, met bool) {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", target, sc, figure, yesNo(met))
	}
	for _, sc := range scalesOf(rs) {
		o, ook := find(rs, "rels/s", "scale", sc, "loader", "ours")
		c, cok := find(rs, "rels/s", "scale", sc, "loader", "ceiling")
		n, nok := find(rs, "rels/s", "scale", sc, "loader", "naive")
		if ook && cok {
			row("our loader ≥ 0.8× the UNWIND ceiling", sc, fmt.Sprintf("%.2f× (%s / %s rel/s)", o/c, num(o, true), num(c, true)), o/c >= 0.8)
		}
		if ook && nok {
			row("our loader ≥ 20× the naive loop", sc, fmt.Sprintf("%.1f×", o/n), o/n >= 20)
		}
		// The embedded-store targets are set at M (and L).
		embedded := sc != "S" && sc != "T"
		if l, ok := find(rs, "load-ns", "scale", sc, "store", "memory"); ok && embedded {
			row("(d) load < 10 s", sc, fmt.Sprintf("%.2f s", l/1e9), l < 10e9)
		}
		if h, ok := find(rs, "heap-B/rel", "scale", sc, "store", "memory"); ok && embedded {
			row("(d) ≤ 200 bytes per relationship", sc, fmt.Sprintf("%.0f B", h), h <= 200)
		}
		for _, t := range []struct {
			query, name string
			limit       float64
		}{{"neighborhood-d2-ordinary", "(d) depth-2 neighbourhood p50 < 1 ms", 1e6}, {"shortestPath", "(d) shortestPath p50 < 5 ms", 5e6}} {
			if !embedded {
				break
			}
			st, stok := find(rs, "ns/op", "scale", sc, "query", t.query, "server", "memory-store")
			dp, dpok := find(rs, "p50-ns", "scale", sc, "query", t.query, "server", "d", "conc", "1")
			if stok {
				row(t.name+", the store call", sc, ms(st, true)+" ms", st < t.limit)
			}
			if dpok {
				row(t.name+", through HTTP and GraphQL", sc, ms(dp, true)+" ms", dp < t.limit)
			}
		}
		for _, conc := range []string{"1", "16"} {
			var ab, ac, a99 []string
			nab, nac, na99, total, totalC := 0, 0, 0, 0, 0
			for _, q := range queriesOf(rs) {
				get := func(srv, m string) (float64, bool) {
					return find(rs, m, "scale", sc, "query", q, "server", srv, "conc", conc)
				}
				ap, apok := get("a", "p50-ns")
				bp, bpok := get("b", "p50-ns")
				if apok && bpok {
					total++
					if ap/bp <= 1.2 {
						nab++
					} else {
						ab = append(ab, fmt.Sprintf("%s %.2f×", q, ap/bp))
					}
				}
				ar, arok := get("a", "req/s")
				cr, crok := get("c", "req/s")
				a9, a9ok := get("a", "p99-ns")
				c9, c9ok := get("c", "p99-ns")
				if arok && crok && a9ok && c9ok {
					totalC++
					if ar/cr >= 2 {
						nac++
					} else {
						ac = append(ac, fmt.Sprintf("%s %.2f×", q, ar/cr))
					}
					if a9 <= c9 {
						na99++
					} else {
						a99 = append(a99, fmt.Sprintf("%s %.2f×", q, a9/c9))
					}
				}
			}
			if total > 0 {
				row("(a)/(b) p50 ≤ 1.2 for every query, concurrency "+conc, sc, fmt.Sprintf("%d of %d%s", nab, total, missing(ab)), nab == total)
			}
			if totalC > 0 {
				row("(a)/(c) throughput ≥ 2× for every query both express, concurrency "+conc, sc, fmt.Sprintf("%d of %d%s", nac, totalC, missing(ac)), nac == totalC)
				row("(a) p99 ≤ (c) p99, concurrency "+conc, sc, fmt.Sprintf("%d of %d%s", na99, totalC, missing(a99)), na99 == totalC)
			}
		}
	}
}

func yesNo(met bool) string {
	if met {
		return "yes"
	}
	return "**no**"
}

// missing lists the queries that miss a target, after the count.
func missing(qs []string) string {
	if len(qs) == 0 {
		return ""
	}
	return "; not: " + strings.Join(qs, ", ")
}

// hubs writes the table of BenchmarkHubDegree: a depth-2 neighbourhood
// with limit 500 from hubs of growing degree, and how its time grows.
func hubs(b *strings.Builder, rs []result) {
	var degrees []string
	seen := map[string]bool{}
	for _, r := range rs {
		if d := r.keys["degree"]; r.keys["bench"] == "HubDegree" && d != "" && !seen[d] {
			seen[d] = true
			degrees = append(degrees, d)
		}
	}
	if len(degrees) == 0 {
		return
	}
	fmt.Fprintln(b, "\n## Hub neighbourhoods")
	fmt.Fprintln(b, "\nA depth-2 neighbourhood with limit 500 from one hub whose members are its only neighbours (BenchmarkHubDegree): the answer is the same 500 nodes, truncated, whatever the degree. Time per call in ms, and as a multiple of the smallest hub's.")
	fmt.Fprintln(b, "\n| hub degree | embedded store | × | Neo4j store | × |\n|---|---|---|---|---|")
	m0, m0ok := find(rs, "ns/op", "bench", "HubDegree", "degree", degrees[0], "store", "memory")
	n0, n0ok := find(rs, "ns/op", "bench", "HubDegree", "degree", degrees[0], "store", "neo4j")
	for _, d := range degrees {
		m, mok := find(rs, "ns/op", "bench", "HubDegree", "degree", d, "store", "memory")
		n, nok := find(rs, "ns/op", "bench", "HubDegree", "degree", d, "store", "neo4j")
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", d, ms(m, mok), ratio(m, mok, m0, m0ok), ms(n, nok), ratio(n, nok, n0, n0ok))
	}
}
