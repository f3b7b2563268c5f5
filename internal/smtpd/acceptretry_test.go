package smtpd

import (
	"errors"
	"log"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// logSignal is an ErrorLog writer that keeps the lines and signals the
// first one.
type logSignal struct {
	lines chan string
}

func (w *logSignal) Write(p []byte) (int, error) {
	select {
	case w.lines <- string(p):
	default:
	}
	return len(p), nil
}

// TestAcceptRecoversFromDescriptorExhaustion runs
// acceptUnderLowLimit in a child process, since lowering RLIMIT_NOFILE
// would starve the other tests of this one.
func TestAcceptRecoversFromDescriptorExhaustion(t *testing.T) {
	if os.Getenv("SMTPD_LOW_NOFILE_CHILD") == "1" {
		acceptUnderLowLimit(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcceptRecoversFromDescriptorExhaustion$", "-test.v")
	cmd.Env = append(os.Environ(), "SMTPD_LOW_NOFILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestAcceptRecoversFromDescriptorExhaustion") {
		t.Fatalf("the child process did not run the test:\n%s", out)
	}
	t.Logf("child:\n%s", out)
}

// acceptUnderLowLimit: with every descriptor of the process taken, a
// client's connection completes in the kernel but the server's accept fails
// with EMFILE; the server says so in its ErrorLog and retries; once
// descriptors are freed it accepts the waiting connection and greets it.
func acceptUnderLowLimit(t *testing.T) {
	logs := &logSignal{lines: make(chan string, 16)}
	srv, err := NewServer(Config{Hostname: "mail.contoso.com", Clock: fixedClock{s4Time}, ErrorLog: log.New(logs, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	addr := srv.ln.Addr().(*net.TCPAddr)
	// The client's socket exists before the descriptors run out: connecting
	// it needs none.
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)

	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir("/proc/self/fd")
	low := lim
	low.Cur = uint64(len(entries) + 16)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	var held []*os.File
	for {
		f, err := os.Open(os.DevNull)
		if err != nil {
			if !errors.Is(err, syscall.EMFILE) {
				t.Fatalf("exhausting descriptors: %v", err)
			}
			break
		}
		held = append(held, f)
	}
	t.Logf("holding %d descriptors under a limit of %d", len(held), low.Cur)

	sa := &syscall.SockaddrInet4{Port: addr.Port}
	copy(sa.Addr[:], addr.IP.To4())
	if err := syscall.Connect(fd, sa); err != nil {
		t.Fatal(err)
	}
	watchdog := time.NewTimer(30 * time.Second) // a hang detector, not a speed goal
	defer watchdog.Stop()
	select {
	case line := <-logs.lines:
		want := "smtpd: accept on " + srv.Addr() + ": accept tcp " + srv.Addr() + ": accept4: too many open files; retrying in 5ms\n"
		if line != want {
			t.Errorf("ErrorLog = %q, want %q", line, want)
		}
	case <-watchdog.C:
		t.Fatal("no accept error logged with every descriptor taken")
	}
	for _, f := range held {
		f.Close()
	}
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	buf := make([]byte, 512)
	n, err := syscall.Read(fd, buf) // the banner, once the listener accepts again
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(buf[:n]), "220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700\r\n"; got != want {
		t.Errorf("after the descriptors were freed the server said %q, want its banner %q", got, want)
	}
}
