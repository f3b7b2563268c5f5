package control

import (
	"os"
	"strings"
	"testing"
)

// TestREADMENamesEveryRoute: the README's control API section names every
// route's path.
func TestREADMENamesEveryRoute(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## The control API")
	if !ok {
		t.Fatal(`README has no section "The control API"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, rt := range routes {
		last := rt.path[strings.LastIndex(rt.path, "/"):]
		last = strings.ReplaceAll(last, "...}", "}")
		if !strings.Contains(section, last) {
			t.Errorf("the README's control API section does not name %s %s", rt.method, rt.path)
		}
	}
}
