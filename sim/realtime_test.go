package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TestOutsideIdleSixtySecondsRealTime is the done-when on real time
// and the one slow test of this package (60 s; skipped with -short): an
// outside tool holds idle connections (raw TCP, and after EHLO) to the
// on-premises Default Frontend and EXO's front door for 60 s of real time
// while the lab is served on the real clock. The lab clock then stands
// within a second of its start plus the real time elapsed, and a message
// another outside client hands in is delivered at the next step, within a
// second.
func TestOutsideIdleSixtySecondsRealTime(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 60 s of real time; runs without -short")
	}
	realNow := time.Now // this test is about real time: the serve clock is the wall clock
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	s, err := Serve(DefaultConfig(), ServeOptions{Now: realNow, Ticks: ticker.C})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	began, start := realNow(), s.Lab().Now()
	frontend := endpointAddress(t, s.Lab(), func(e Endpoint) bool { return e.Connector == "Default Frontend EX01" })
	frontDoor := endpointAddress(t, s.Lab(), func(e Endpoint) bool { return e.Role == "EXO front door" })
	for _, addr := range []string{frontend, frontDoor} {
		outsideConn(t, addr, false)
		outsideConn(t, addr, true)
	}

	idle := time.NewTimer(60 * time.Second)
	<-idle.C

	// One step catches the clock up: it must not wait on the idle
	// connections, and it leaves the lab clock at real time. (Between
	// steps the clock stands still for up to a tick; on a loaded machine a
	// tick's step may itself be late, so the clock is read around a step.)
	before := realNow()
	if err := s.Advance(0); err != nil {
		t.Fatal(err)
	}
	after := realNow()
	if took := after.Sub(before); took > time.Second {
		t.Errorf("a step with idle outside connections took %v, want under 1 s", took)
	}
	clock := s.Lab().Now()
	if low, high := start.Add(before.Sub(began)-time.Second), start.Add(after.Sub(began)+time.Second); clock.Before(low) || clock.After(high) {
		t.Errorf("after 60 s with idle outside connections the lab clock is %s, want within 1 s of real time (%s to %s)", clock, low, high)
	}
	c, err := smtp.Dial(frontend)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mail.fabrikam.com"); err != nil {
		t.Fatal(err)
	}
	msg := "Message-ID: <idle-test@fabrikam.com>\r\nSubject: while a tool idles\r\n\r\nhi\r\n"
	if err := c.SendMail("carol@fabrikam.com", []string{"bob@contoso.com"}, strings.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	handedIn := realNow()
	if err := s.Advance(0); err != nil { // the next step, at once rather than at the next tick
		t.Fatal(err)
	}
	if took := realNow().Sub(handedIn); took > time.Second {
		t.Errorf("the step after the hand-in took %v, want under 1 s", took)
	}
	var delivered bool
	s.Do(func(l *Lab) error {
		msgs, _ := l.Mailbox("bob@contoso.com")
		for _, m := range msgs {
			delivered = delivered || m.MessageID == "<idle-test@fabrikam.com>"
		}
		return nil
	})
	if !delivered {
		t.Error("the message handed in to the Default Frontend is not in bob's mailbox after the next step")
	}
}
