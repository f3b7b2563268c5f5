package smtpd

import "time"

// Clock gives the time for banners, log timestamps and TLS verification (tls.Config.Time).
// The lab passes its virtual clock, so a session's banner and log are the same on every run.
type Clock interface {
	Now() time.Time
}

// This file is the package's only reader of the wall clock (STYLE 8). Two things need it:
//
//   - wallClock, the default Clock when none is injected (a server outside the lab);
//   - socket deadlines and the accept back-off. The kernel waits in real time, so read and write timeouts are
//     wall-clock by nature, whatever the lab's virtual clock says; they bound how long a
//     real socket may stay silent and never appear in a transcript.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// deadline returns the socket deadline d from now.
func deadline(d time.Duration) time.Time { return time.Now().Add(d) }

// longAgo is a deadline in the past: setting it makes a blocked read return at once
// (Shutdown's way to wake idle sessions, as net/http does).
var longAgo = time.Unix(1, 0)

// wait waits d of real time (an accept back-off) and reports true, or false as soon as quit
// is closed.
func wait(d time.Duration, quit <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-quit:
		return false
	}
}
