package scenarios_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestREADMEListsTheCatalogue: the README's catalogue table has a row for
// every entry, with its direction, and no row for anything else.
func TestREADMEListsTheCatalogue(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(data), "\n") {
		if cells := strings.Split(line, " | "); len(cells) > 2 && strings.HasPrefix(cells[0], "| F") {
			rows = append(rows, strings.TrimPrefix(cells[0], "| ")+" "+cells[1])
		}
	}
	var want []string
	for _, e := range scenarios.Catalogue() {
		want = append(want, e.ID+" "+string(e.Direction))
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("README catalogue rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
