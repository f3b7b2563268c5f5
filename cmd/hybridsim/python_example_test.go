package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/control"
	"github.com/hybridsim/hybridsim/sim"
)

const pythonExample = "../../examples/python/hybridsim_example.py"

// needPython returns python3's path: the test skips where it is missing,
// and fails under CI, where .ci/run installs it.
func needPython(t testing.TB) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is missing; .ci/run installs it")
		}
		t.Skip("python3 is missing: install it to run the Python example")
	}
	return py
}

// runPython runs the example with args and fails the test on a non-zero
// exit, showing what it printed.
func runPython(t testing.TB, py string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, append([]string{pythonExample}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return string(out)
}

// TestPythonExample runs examples/python/hybridsim_example.py as the
// README shows it: it starts `hybridsim serve` itself.
func TestPythonExample(t *testing.T) {
	py := needPython(t)
	bin := filepath.Join(t.TempDir(), "hybridsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	checkPythonOutput(t, runPython(t, py, "--hybridsim", bin))
}

// serveForPython serves a default lab the way `hybridsim serve` does for
// the example: real SMTP endpoints, the control API on a real listener,
// manifest.json in dir with its "api" address, and the lab clock at the
// real time (Python checks certificates against the real clock). It
// returns the API's address.
func serveForPython(t testing.TB, dir, api string) string {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.Clock = wallNow()
	lab, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		lab.Close()
	})
	h, err := control.NewHandler(control.Config{
		Do: func(f func(*sim.Lab) error) error {
			mu.Lock()
			defer mu.Unlock()
			return f(lab)
		},
		Reset: func() error {
			mu.Lock()
			defer mu.Unlock()
			lab.Close()
			fresh, err := sim.New(cfg)
			if err == nil {
				lab = fresh
			}
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", api)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(func() { h.Close(); srv.Close() })

	if _, err := lab.WriteManifest(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["api"] = ln.Addr().String()
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String()
}

// checkPythonOutput checks the example's account of what it saw.
func checkPythonOutput(t testing.TB, out string) {
	t.Helper()
	t.Log(out)
	for _, want := range []string{"STARTTLS after the break: certificate has expired (verify code 10)", "delivered to bob@contoso.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("the example's output lacks %q", want)
		}
	}
}

// TestPythonExampleAttached runs the example against a lab served in this
// process (--attach).
func TestPythonExampleAttached(t *testing.T) {
	py := needPython(t)
	dir := t.TempDir()
	serveForPython(t, dir, "127.0.0.1:0")
	checkPythonOutput(t, runPython(t, py, "--attach", dir))
}
