package control

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOpenAPIMatchesRoutes loads the OpenAPI document the server serves and
// checks that every route is documented and every documented operation is
// routed, with the same method.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newAPIServer(t, false)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if code, body := s.call(t, "GET", "/api/v1/openapi.json", "", &doc); code != 200 {
		t.Fatalf("openapi.json = %d %s", code, body)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	var documented, routed []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			var o struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.Responses["200"] == nil {
				t.Errorf("%s %s: no 200 response documented", method, path)
			}
		}
	}
	for _, rt := range routes {
		routed = append(routed, rt.method+" "+strings.ReplaceAll(rt.path, "...}", "}"))
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if diff := cmp.Diff(routed, documented); diff != "" {
		t.Errorf("routes (-) and OpenAPI operations (+) differ:\n%s", diff)
	}
}
