package main

import (
	"fmt"
	"strings"
)

// row is one line of the README's table: which benchmarks to run and how
// to write their medians.
type row struct {
	pkg, pattern, label string
	figure              func(results) (string, error)
}

// figures formats the medians of several benchmarks in one unit.
func figures(unit string, format func(float64) string, names ...string) func(results) (string, error) {
	return func(r results) (string, error) {
		var out []string
		for _, n := range names {
			m, err := r.median(n, unit)
			if err != nil {
				return "", err
			}
			out = append(out, format(m))
		}
		return strings.Join(out, ", "), nil
	}
}

func seconds(ns float64) string      { return fmt.Sprintf("%.2f s", ns/1e9) }
func milliseconds(ns float64) string { return fmt.Sprintf("%.1f ms", ns/1e6) }
func kilobytes(b float64) string     { return fmt.Sprintf("about %.0f KB per lab", b/1e3) }
func ratio(x float64) string         { return fmt.Sprintf("%.2fx", x) }

// rows are the README's benchmarks.
var rows = []row{
	{pkg: "./scenarios", pattern: "^BenchmarkCatalogue$/^whole$",
		label:  "`./scenarios` BenchmarkCatalogue/whole: every entry one after another, each on its own lab, with its readings and negative controls",
		figure: figures("ns/op", seconds, "BenchmarkCatalogue/whole")},
	{pkg: "./scenarios", pattern: "^BenchmarkCatalogue$/^(F01|F09)$",
		label:  "`./scenarios` BenchmarkCatalogue/F01 (a typical entry), /F09 (97 retries over 24 hours)",
		figure: figures("ns/op", milliseconds, "BenchmarkCatalogue/F01", "BenchmarkCatalogue/F09")},
	{pkg: "./sim", pattern: "^BenchmarkLabStartClose$", label: "`./sim` BenchmarkLabStartClose: start and close the default lab",
		figure: figures("ns/op", milliseconds, "BenchmarkLabStartClose")},
	{pkg: "./sim", pattern: "^BenchmarkHundredLabs$", label: "`./sim` BenchmarkHundredLabs: 100 labs at once",
		figure: figures("B/lab", kilobytes, "BenchmarkHundredLabs")},
	{pkg: "./pki", pattern: "^BenchmarkCatalogue(Cold|Warm)$", label: "`./pki` BenchmarkCatalogueCold / Warm: every certificate profile",
		figure: figures("ns/op", milliseconds, "BenchmarkCatalogueCold", "BenchmarkCatalogueWarm")},
	{pkg: "./internal/smtpd", pattern: "PerConnection$",
		label:  "`./internal/smtpd` messages per second, ours / a bare go-smtp server: plaintext, STARTTLS, many per connection",
		figure: figures("ratio", ratio, "BenchmarkPlaintextPerConnection", "BenchmarkStartTLSPerConnection", "BenchmarkManyPerConnection")},
}
