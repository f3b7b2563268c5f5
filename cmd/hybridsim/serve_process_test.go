package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// buildHybridsim builds the command into the test's temporary directory.
func buildHybridsim(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hybridsim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// servedProcess is `hybridsim serve` running as its own process.
type servedProcess struct {
	cmd      *exec.Cmd
	dir      string
	manifest sim.Manifest
	stderr   strings.Builder
	exited   chan error
}

// startServe runs the built command's serve on a fresh --dir and returns
// once it has printed that it is serving; the process is killed at the end
// of the test if still running.
func startServe(t testing.TB, bin string, args ...string) *servedProcess {
	t.Helper()
	p := &servedProcess{dir: filepath.Join(t.TempDir(), "lab"), exited: make(chan error, 1)}
	p.cmd = exec.Command(bin, append([]string{"serve", "--dir", p.dir}, args...)...)
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "serving;") {
	}
	go func() { io.Copy(io.Discard, out); p.exited <- p.cmd.Wait(); close(p.exited) }()
	data, err := os.ReadFile(filepath.Join(p.dir, "manifest.json"))
	if err != nil {
		t.Fatalf("serve is up but its manifest is not: %v\nstderr: %s", err, p.stderr.String())
	}
	if err := json.Unmarshal(data, &p.manifest); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeInterruptWithIdleClients is the done-when: with 10 idle
// clients connected (raw TCP, and after EHLO, to the on-premises frontend
// and EXO's front door), SIGINT makes serve answer each `421 4.3.2 Service
// not available, closing transmission channel`, write its logs, remove its
// manifest and exit 0 within 5 s.
func TestServeInterruptWithIdleClients(t *testing.T) {
	p := startServe(t, buildHybridsim(t))
	var frontend, door string
	for _, e := range p.manifest.Endpoints {
		switch {
		case e.Connector == "Default Frontend EX01":
			frontend = e.Address
		case e.Role == "EXO front door":
			door = e.Address
		}
	}
	type client struct {
		conn net.Conn
		r    *bufio.Reader
	}
	var clients []client
	for i := range 10 {
		addr := frontend
		if i%2 == 1 {
			addr = door
		}
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r := bufio.NewReader(c)
		if _, err := r.ReadString('\n'); err != nil { // the banner: the session is open
			t.Fatal(err)
		}
		if i >= 5 {
			c.Write([]byte("EHLO tool.fabrikam.com\r\n"))
			for line, _ := r.ReadString('\n'); len(line) > 3 && line[3] == '-'; line, _ = r.ReadString('\n') {
			}
		}
		clients = append(clients, client{c, r})
	}

	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The bound, not a speed goal: a serve that ignores SIGINT is killed here.
	limit := time.NewTimer(5 * time.Second)
	defer limit.Stop()
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGINT\nstderr: %s", err, p.stderr.String())
		}
	case <-limit.C:
		p.cmd.Process.Kill()
		t.Fatalf("serve had not exited 5 s after SIGINT with 10 idle clients\nstderr: %s", p.stderr.String())
	}
	for i, c := range clients {
		rest, _ := io.ReadAll(c.r)
		if got, want := string(rest), "421 4.3.2 Service not available, closing transmission channel\r\n"; got != want {
			t.Errorf("idle client %d got %q at shutdown, want %q", i, got, want)
		}
	}
	recv, _ := filepath.Glob(filepath.Join(p.dir, "logs", "EX01", "TransportRoles", "Logs", "FrontEnd", "ProtocolLog", "SmtpReceive", "RECV*"))
	if len(recv) == 0 {
		t.Errorf("no SMTP Receive protocol log of EX01's frontend under %s", filepath.Join(p.dir, "logs"))
	}
	if _, err := os.Stat(filepath.Join(p.dir, "manifest.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("manifest.json after serve exited: %v, want it removed", err)
	}
}

// TestServeSecondSignalExitsAtOnce: a second signal ends serve at once,
// with exit status 1, even while the first one's grace period runs.
func TestServeSecondSignalExitsAtOnce(t *testing.T) {
	p := startServe(t, buildHybridsim(t))
	var frontend string
	for _, e := range p.manifest.Endpoints {
		if e.Connector == "Default Frontend EX01" {
			frontend = e.Address
		}
	}
	c, err := net.Dial("tcp", frontend)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bufio.NewReader(c).ReadString('\n')
	// Two different signals: two of one kind sent at once may reach the
	// process as one (POSIX does not queue them).
	p.cmd.Process.Signal(syscall.SIGINT)
	p.cmd.Process.Signal(syscall.SIGTERM)
	err = <-p.exited
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("serve after two signals: %v, want exit status 1", err)
	}
}
