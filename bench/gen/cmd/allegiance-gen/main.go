// Command allegiance-gen writes a synthetic benchmark network (package
// bench/gen) as a dataset directory:
//
//	go run ./bench/gen/cmd/allegiance-gen -scale S -seed 1 -out /tmp/net-s
//
// It prints the counts and the dataset hash.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/allegiance/allegiance/bench/gen"
)

func main() {
	scale := flag.String("scale", "S", "T, S, M or L")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "directory to write the dataset to (empty: only print counts and hash)")
	flag.Parse()
	if err := run(*scale, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "allegiance-gen:", err)
		os.Exit(1)
	}
}

func run(scale string, seed uint64, out string) error {
	sc, err := gen.ParseScale(scale)
	if err != nil {
		return err
	}
	start := time.Now()
	d, err := gen.GenerateScale(sc, seed)
	if err != nil {
		return err
	}
	c := d.Counts()
	fmt.Printf("scale %s seed %d: %d entities, %d relationships, %d sources in %v\n",
		sc, seed, c.Entities, c.Relationships, c.Sources, time.Since(start).Round(time.Millisecond))
	fmt.Printf("hash %s\n", gen.Hash(d))
	if out != "" {
		if err := gen.WriteDir(out, d); err != nil {
			return err
		}
		fmt.Printf("written to %s\n", out)
	}
	return nil
}
