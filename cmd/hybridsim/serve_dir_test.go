package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// serveInProcess runs runServe with args until the test ends and returns
// once it is serving, or with its error if it stopped before.
func serveInProcess(t testing.TB, args ...string) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, args, w, nil); w.Close() }()
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "serving;") {
			go io.Copy(io.Discard, out)
			t.Cleanup(func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve %s: %v", strings.Join(args, " "), err)
				}
			})
			return nil
		}
	}
	cancel()
	return <-done
}

// TestServeSameDirRefused is the done-when: a second serve on the
// --dir of a running one refuses, naming the directory and the pid.
func TestServeSameDirRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	if err := serveInProcess(t, "--dir", dir); err != nil {
		t.Fatal(err)
	}
	err := runServe(context.Background(), []string{"--dir", dir}, io.Discard, nil)
	want := fmt.Sprintf("--dir %s is in use by another hybridsim serve (pid %d): stop it, or give another --dir", dir, os.Getpid())
	if err == nil || err.Error() != want {
		t.Errorf("a second serve on the same --dir = %v, want %s", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Errorf("the refused serve touched the first one's manifest: %v", err)
	}
}

// freePortBase finds a base port with the next few ports free (a hint: the
// ports may be taken again before serve binds them).
func freePortBase(t testing.TB, n int) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		base := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if base+n > 65000 {
			continue
		}
		free := true
		for p := base; p <= base+n && free; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free run of ports for --port-base")
	return 0
}

// TestServePortBase: with --port-base N the control API is on N and the
// lab's listeners on N+1, N+2, ... in the manifest's order; the ready file
// holds the manifest; GET /api/v1/health answers 200 with the lab clock and
// GET /api/v1/manifest the manifest.
func TestServePortBase(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	for attempt := 0; ; attempt++ { // ports found free may be taken before serve binds them
		dir := filepath.Join(t.TempDir(), "lab")
		base := freePortBase(t, 16)
		err := serveInProcess(t, "--dir", dir, "--port-base", strconv.Itoa(base), "--ready-file", ready, "--at", "2026-01-05T09:00:00Z")
		if err == nil {
			checkPortBase(t, base, ready)
			return
		}
		if !errors.Is(err, syscall.EADDRINUSE) || attempt == 10 {
			t.Fatal(err)
		}
	}
}

func checkPortBase(t *testing.T, base int, ready string) {
	data, err := os.ReadFile(ready)
	if err != nil {
		t.Fatal(err)
	}
	var m sim.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if got, want := m.API, "127.0.0.1:"+strconv.Itoa(base); got != want {
		t.Errorf("manifest api = %s, want %s", got, want)
	}
	next, seen := base, map[string]bool{}
	for _, e := range m.Endpoints {
		if e.Address == "" || seen[e.Address] {
			continue
		}
		seen[e.Address] = true
		next++
		if want := "127.0.0.1:" + strconv.Itoa(next); e.Address != want {
			t.Errorf("endpoint %s %s %s at %s, want %s", e.Role, e.Connector, e.Name, e.Address, want)
		}
	}

	resp, err := http.Get("http://" + m.API + "/api/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	var health struct {
		Status string
		Clock  time.Time
	}
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || health.Status != "ok" || health.Clock.Before(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("GET /api/v1/health = %d %+v, want 200, ok and the lab clock", resp.StatusCode, health)
	}
	resp, err = http.Get("http://" + m.API + "/api/v1/manifest")
	if err != nil {
		t.Fatal(err)
	}
	var got sim.Manifest
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if resp.StatusCode != 200 || got.API != m.API || len(got.Endpoints) != len(m.Endpoints) {
		t.Errorf("GET /api/v1/manifest = %d %+v, want 200 and the manifest", resp.StatusCode, got)
	}
}
