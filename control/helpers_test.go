package control

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// testLab is a lab behind a mutex: Do runs functions under it, Reset and
// Restart start a new lab (on new ports: only hybridsim serve keeps them).
type testLab struct {
	mu  sync.Mutex
	lab *sim.Lab
	cfg sim.Config
}

func (tl *testLab) do(f func(*sim.Lab) error) error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return f(tl.lab)
}

func (tl *testLab) restart(cfg sim.Config) error {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	_ = tl.lab.Close()
	l, err := sim.New(cfg)
	if err != nil {
		return err
	}
	tl.lab = l
	return nil
}

// apiServer is a control API over real HTTP on a default lab.
type apiServer struct {
	*httptest.Server
	lab     *testLab
	handler *Handler
}

// newAPIServer starts a default lab and the API over it; restartable
// tells whether catalogue entries with their own lab may restart it.
func newAPIServer(t testing.TB, restartable bool) *apiServer {
	t.Helper()
	l, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tl := &testLab{lab: l, cfg: sim.DefaultConfig()}
	cfg := Config{Do: tl.do, Reset: func() error { return tl.restart(tl.cfg) }}
	if restartable {
		cfg.Restart = tl.restart
	}
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		_ = h.Close()
		tl.mu.Lock()
		_ = tl.lab.Close()
		tl.mu.Unlock()
	})
	return &apiServer{Server: srv, lab: tl, handler: h}
}

// call makes a request and decodes a JSON answer into out (when not nil);
// it returns the status and the raw body.
func (s *apiServer) call(t testing.TB, method, path, body string, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode, string(data)
}

// errorOf is an error answer's message.
func errorOf(t testing.TB, body string) string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
		t.Fatalf("not a JSON error: %s", body)
	}
	return e.Error
}
