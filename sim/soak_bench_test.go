package sim

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// rssBytes is the process's resident set size (Linux /proc); 0 elsewhere.
func rssBytes() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f), "kB")))
			return float64(kb) * 1024
		}
	}
	return 0
}

// soakClient is an outside tool's SMTP client keeping one connection to a
// lab listener and sending a message per transaction.
type soakClient struct {
	c *smtp.Client
}

func newSoakClient(b *testing.B, addr, helo string) *soakClient {
	b.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	if err := c.Hello(helo); err != nil {
		b.Fatal(err)
	}
	return &soakClient{c: c}
}

func (s *soakClient) send(b *testing.B, from, to string, i int) {
	msg := fmt.Sprintf("Message-ID: <soak-%d@fabrikam.com>\r\nSubject: soak %d\r\n\r\nhello\r\n", i, i)
	if err := s.c.SendMail(from, []string{to}, bytes.NewReader([]byte(msg))); err != nil {
		b.Fatalf("message %d: %v", i, err)
	}
}

// BenchmarkSoak puts b.N messages through a served lab streaming its logs,
// a third each way: an outside SMTP client into the on-premises Default
// Frontend, another into EXO's front door, and Lab.Send from a cloud
// mailbox (every 30th over the hybrid hop, with TLS both ways). The lab
// steps every 100 messages and keeps DefaultKeep records of each kind in
// memory. It reports messages per second and the RSS after the warm-up
// (the first tenth, at least 10 times DefaultKeep messages, by when every
// kept record has reached its bound) and at the end, each after a GC that
// returns freed memory to the system; the goal is growth under 50 MB over
// 200,000 messages:
//
//	go test -run '^$' -bench Soak -benchtime 200000x ./sim
func BenchmarkSoak(b *testing.B) {
	clock := &testClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := Serve(DefaultConfig(), ServeOptions{Now: clock.Now, Logs: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if p := os.Getenv("SOAK_HEAP"); p != "" {
			f, _ := os.Create(p)
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		s.Shutdown(b.Context())
	})
	l := s.Lab()
	frontend := newSoakClient(b, endpointAddress(b, l, func(e Endpoint) bool { return e.Connector == "Default Frontend EX01" }), "mail.fabrikam.com")
	frontDoor := newSoakClient(b, endpointAddress(b, l, func(e Endpoint) bool { return e.Role == "EXO front door" }), "mail.fabrikam.com")
	warm := max(b.N/10, 10*DefaultKeep)
	var warmRSS float64
	var warmAt time.Duration // b.Elapsed() then
	step := func() {
		clock.add(time.Second)
		if err := s.Advance(0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		switch i % 3 {
		case 0:
			frontend.send(b, "carol@fabrikam.com", "bob@contoso.com", i)
		case 1:
			frontDoor.send(b, "carol@fabrikam.com", "alice@contoso.com", i)
		default:
			from := "bob@contoso.com" // on-premises, delivered there
			if i%30 == 2 {
				from = "alice@contoso.com" // from the cloud over the hybrid hop, with TLS both ways
			}
			if err := s.Do(func(l *Lab) error {
				_, err := l.submit(from, []string{"bob@contoso.com"}, "soak")
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
		if i%100 == 99 {
			step()
		}
		if i+1 == warm {
			step()
			debug.FreeOSMemory()
			warmRSS, warmAt = rssBytes(), b.Elapsed()
		}
	}
	step()
	debug.FreeOSMemory()
	end := rssBytes()
	elapsed := b.Elapsed()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	if warmRSS > 0 { // b.N reached the warm-up
		b.ReportMetric(warmRSS/(1<<20), "MB-rss-warm")
		b.ReportMetric(end/(1<<20), "MB-rss-end")
		b.ReportMetric((end-warmRSS)/(1<<20), "MB-growth")
		b.ReportMetric(float64(b.N-warm)/(elapsed-warmAt).Seconds(), "msgs/s-after-warm")
	}
}
