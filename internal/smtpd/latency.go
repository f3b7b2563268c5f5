package smtpd

import "time"

// The protocol log's clock within a session. Real logs stamp each record with the time it
// was written, in milliseconds, so a session's records advance (`.723Z`, `.724Z`, `.725Z`,
// `.838Z` in one 2024 RECV session, real-artifacts §1.3). The lab's virtual clock stands
// still while a session runs and must not be moved by it (other sessions and retries read
// it), so the log models the time that passes instead: every record is stamped
// max(clock, previous record + the modelled latency of what happened since). The model is
// deterministic, so the same session gives the same stamps on every run.
const (
	// peerLatency is the time a line from the peer takes to arrive: each command on the
	// receive side, each reply on the send side.
	peerLatency = time.Millisecond
	// handshakeLatency is a TLS handshake's round trips and key exchange.
	handshakeLatency = 4 * time.Millisecond
)

// BodyLatency is the modelled time a message body of n bytes takes from the 354 to its
// final dot: 5 ms plus 1 ms per started KiB. It is the T of the queued reply's
// `<n> bytes in <T>, <rate> KB/sec` (real-artifacts §3.1).
func BodyLatency(n int) time.Duration {
	return 5*time.Millisecond + time.Duration((n+1023)/1024)*time.Millisecond
}

// stamp returns the time of the next record, step after the previous one (see above).
func (l *protocolLog) stamp(step time.Duration) time.Time {
	now := l.clock.Now()
	if !l.last.IsZero() {
		if t := l.last.Add(step); t.After(now) {
			now = t
		}
	}
	l.last = now
	if l.start.IsZero() {
		l.start = now
	}
	return now
}

// advance lets d pass on the session's log clock before the next record.
func (l *protocolLog) advance(d time.Duration) {
	if !l.last.IsZero() {
		l.last = l.last.Add(d)
	}
}
