package sim

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// outsideConn is a connection an outside tool holds to one of the lab's
// listeners, straight to its loopback port (not through the lab's dialer).
func outsideConn(t testing.TB, addr string, ehlo bool) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if !ehlo {
		return c
	}
	r := bufio.NewReader(c)
	if _, err := r.ReadString('\n'); err != nil { // the banner
		t.Fatalf("banner from %s: %v", addr, err)
	}
	if _, err := c.Write([]byte("EHLO tool.fabrikam.com\r\n")); err != nil {
		t.Fatal(err)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("EHLO reply from %s: %v", addr, err)
		}
		if len(line) > 3 && line[3] == ' ' {
			return c
		}
	}
}

// endpointAddress returns the real address of the manifest's endpoint that
// match accepts.
func endpointAddress(t testing.TB, l *Lab, match func(Endpoint) bool) string {
	t.Helper()
	for _, e := range l.Manifest().Endpoints {
		if match(e) {
			return e.Address
		}
	}
	t.Fatal("the lab's manifest has no such endpoint")
	return ""
}

// TestOutsideSessionsDoNotHoldTheLab: a tool under test holds idle
// connections (raw TCP, and after EHLO) to the on-premises Default Frontend
// and to EXO's front door; Send and Advance still complete and deliver,
// both ways. Before the lab waited only for its own sessions, they blocked
// until the sessions' 5-minute read timeout.
func TestOutsideSessionsDoNotHoldTheLab(t *testing.T) {
	l := newDefaultLab(t)
	frontend := endpointAddress(t, l, func(e Endpoint) bool { return e.Connector == "Default Frontend EX01" })
	frontDoor := endpointAddress(t, l, func(e Endpoint) bool { return e.Role == "EXO front door" })
	var held []net.Conn
	for _, addr := range []string{frontend, frontDoor} {
		held = append(held, outsideConn(t, addr, false), outsideConn(t, addr, true))
	}

	done := make(chan error, 1)
	go func() {
		if _, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "cloud to on-premises"); err != nil {
			done <- err
			return
		}
		if _, err := l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "on-premises to cloud"); err != nil {
			done <- err
			return
		}
		l.Advance(time.Minute)
		done <- nil
	}()
	// A watchdog, not a speed goal: the broken lab waits 5 minutes per
	// session; releasing the held connections lets it finish and fail.
	watchdog := time.NewTimer(time.Minute)
	defer watchdog.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-watchdog.C:
		for _, c := range held {
			c.Close()
		}
		<-done
		t.Fatal("Send and Advance waited for sessions held by a tool outside the lab")
	}
	for _, box := range []string{"bob@contoso.com", "alice@contoso.com"} {
		msgs, err := l.Mailbox(box)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Errorf("%s holds %d messages, want 1", box, len(msgs))
		}
	}
}
