package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseAndFigures: go test -bench output gives the medians each row
// writes.
func TestParseAndFigures(t *testing.T) {
	out := `goos: linux
BenchmarkCatalogue/F01-2         	      80	  15000000 ns/op
BenchmarkCatalogue/F01-2         	      80	  17000000 ns/op
BenchmarkCatalogue/F01-2         	      80	  16000000 ns/op
BenchmarkCatalogue/F09-2         	      20	  60000000 ns/op
BenchmarkHundredLabs-2   	       1	1234 ns/op	  170000 B/lab
PASS
`
	r := parse(out)
	got, err := figures("ns/op", milliseconds, "BenchmarkCatalogue/F01", "BenchmarkCatalogue/F09")(r)
	if err != nil || got != "16.0 ms, 60.0 ms" {
		t.Errorf("catalogue figures = %q, %v; want \"16.0 ms, 60.0 ms\"", got, err)
	}
	if got, _ := figures("B/lab", kilobytes, "BenchmarkHundredLabs")(r); got != "about 170 KB per lab" {
		t.Errorf("hundred labs = %q", got)
	}
	if _, err := figures("ns/op", seconds, "BenchmarkCatalogue/whole")(r); err == nil {
		t.Error("a missing benchmark gave a figure")
	}
}

// TestRewrite: only the text between the markers changes; a README without
// them is an error.
func TestRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	before := "# x\n\n" + beginMarker + "\nold\n" + endMarker + "\n\nafter\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rewrite(path, "new\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# x\n\n" + beginMarker + "\nnew\n" + endMarker + "\n\nafter\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("README (-want +got):\n%s", diff)
	}
	os.WriteFile(path, []byte("no markers\n"), 0o644)
	if err := rewrite(path, "new\n"); err == nil {
		t.Error("rewrite of a README without markers succeeded")
	}
}
