package sim

import (
	"os"
	"strings"
	"testing"
)

// TestREADMELabFile: the lab file the README shows loads and starts.
func TestREADMELabFile(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "## Writing a lab file")
	if !ok {
		t.Fatal("README has no section \"Writing a lab file\"")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	file, _, _ := strings.Cut(rest, "```")
	cfg, err := Parse("README.md", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}
