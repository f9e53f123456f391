# Benchmarks (issue 5). `make bench` runs the suite at scales S and M and
# writes bench/out/; `make bench SCALE=L` (or `make bench-l`) adds L.
.PHONY: bench bench-l bench-s

bench:
	SCALE=$(SCALE) tools/bench-suite.sh

bench-l:
	SCALE=L tools/bench-suite.sh

# Only scale S: a quicker run.
bench-s:
	BENCH_SCALES=S tools/bench-suite.sh
