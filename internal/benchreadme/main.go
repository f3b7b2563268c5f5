// Command benchreadme runs the benchmarks the README quotes and rewrites
// the README's benchmark table (between its markers) with their medians:
//
//	go run ./internal/benchreadme            # run them -count 6 times, rewrite README.md
//	go run ./internal/benchreadme -count 1 -n  # print the table only
//
// Run it from the module's root on an otherwise idle machine.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Markers around the table in the README.
const (
	beginMarker = "<!-- benchmarks: go run ./internal/benchreadme -->"
	endMarker   = "<!-- end of benchmarks -->"
)

func main() {
	count := flag.Int("count", 6, "run each benchmark `n` times; the table shows medians")
	readme := flag.String("readme", "README.md", "the README to rewrite")
	dryRun := flag.Bool("n", false, "print the table instead of rewriting the README")
	flag.Parse()
	var out bytes.Buffer
	for _, r := range rows {
		results, err := runBenchmarks(r.pkg, r.pattern, *count)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchreadme:", err)
			os.Exit(1)
		}
		figure, err := r.figure(results)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchreadme: %s: %v\n", r.pkg, err)
			os.Exit(1)
		}
		fmt.Fprintf(&out, "| %s | %s |\n", r.label, figure)
	}
	table := fmt.Sprintf("These are medians of %d runs on a %d-core machine (%s), produced by `go run ./internal/benchreadme`.\n"+
		"Reproduce one with `go test -run '^$' -bench <benchmark> -count %d <package>`.\n\n"+
		"| benchmark | figure |\n|---|---|\n%s", *count, runtime.NumCPU(), runtime.Version(), *count, out.String())
	if *dryRun {
		fmt.Print(table)
		return
	}
	if err := rewrite(*readme, table); err != nil {
		fmt.Fprintln(os.Stderr, "benchreadme:", err)
		os.Exit(1)
	}
}

// runBenchmarks runs a package's benchmarks matching pattern and parses
// their output.
func runBenchmarks(pkg, pattern string, count int) (results, error) {
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", pattern, "-count", fmt.Sprint(count), pkg)
	cmd.Stderr = os.Stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go test -bench %s %s: %w\n%s", pattern, pkg, err, data)
	}
	return parse(string(data)), nil
}

// rewrite replaces what lies between the README's markers with table.
func rewrite(path, table string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(data)
	begin, end := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if begin < 0 || end < begin {
		return fmt.Errorf("%s has no %q ... %q markers around its benchmark table; add them", path, beginMarker, endMarker)
	}
	s = s[:begin+len(beginMarker)] + "\n" + table + s[end:]
	return os.WriteFile(path, []byte(s), 0o644)
}
