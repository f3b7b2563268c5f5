package fakeexo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// RunDue performs, one after another on the caller's goroutine, every
// delivery attempt whose time has come at the clock's time, in the order the
// attempts fell due (then the order the messages came), and returns how many
// it made. Messages it creates (NDRs) wait for the next call.
func (s *Service) RunDue(ctx context.Context) int {
	now := s.clock.Now()
	s.mu.Lock()
	var due []*queueItem
	for _, it := range s.queue {
		if !it.busy && !it.due.After(now) {
			it.busy = true
			due = append(due, it)
		}
	}
	s.mu.Unlock()
	slices.SortStableFunc(due, func(a, b *queueItem) int { return a.due.Compare(b.due) })
	for _, it := range due {
		out := s.attempt(ctx, it)
		s.mu.Lock()
		s.settle(it, out, now)
		s.mu.Unlock()
	}
	return len(due)
}

// NextDue returns when the next delivery attempt falls due; false when the
// queue is empty.
func (s *Service) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, it := range s.queue {
		if next.IsZero() || it.due.Before(next) {
			next = it.due
		}
	}
	return next, !next.IsZero()
}

// settle records an attempt's outcome. Callers hold s.mu.
func (s *Service) settle(it *queueItem, out outcome, now time.Time) {
	it.busy = false
	e, rec := it.entry, it.trace
	switch {
	case out.delivered:
		s.dequeue(it)
		*e = LedgerEntry{MessageID: e.MessageID, Recipient: e.Recipient, Location: HandedOff, SessionID: out.sessionID,
			Host: fmt.Sprintf("%s [%s]", out.fqdn, out.ip), Target: it.target, Reply: out.reply}
		rec.row.Status, rec.row.ToIP = statusDelivered, out.ip
		detail := fmt.Sprintf(detailSentPlain, out.fqdn, out.ip)
		if out.tls != "" { // out.tls: `TLS1.2 with AES256`
			detail = fmt.Sprintf(detailSent, out.fqdn, out.ip, out.tls)
		}
		rec.event(now, eventSend, detail, out.sessionID)
	case out.permanent != "":
		s.dequeue(it)
		s.fail(it, out, now, out.permanent, fmt.Sprintf(detailRemoteFailure, out.permanent))
	default:
		led := s.led(out.fail, out.fqdn, out.ip, now, out.sessionID)
		it.lastDetail = out.fail.detail
		e.Queue, e.LastError = out.queue, led
		rec.event(now, eventDefer, reason(led, out.fail.token, out.fqdn, out.ip, now), out.sessionID)
		if now.Before(it.expires) {
			it.due = now.Add(s.cfg.RetryInterval)
			if it.due.After(it.expires) {
				it.due = it.expires
			}
			return
		}
		s.dequeue(it)
		status := expiredQueue
		diagnostic := fmt.Sprintf(expiredDiagnostic, expiredQueue)
		if s.cfg.ObservedExpiryNDR {
			status = fmt.Sprintf(expiredObserved, it.lastDetail)
			diagnostic = status
		}
		s.fail(it, out, now, status, diagnostic)
	}
}

// led renders a deferral's LED (§9, real-artifacts §4.1): code and text, [Message=],
// [LastAttemptedServerName=], [LastAttemptedIP=] when the host resolved, [SmtpSecurity=-1;-1]
// for certificate verdicts and -2;-2 for TLS failures, and the bracket `[<host> <time>Z <id>]`
// whose id is the attempt's session id.
func (s *Service) led(f *failure, fqdn, ip string, at time.Time, sessionID string) string {
	var b strings.Builder
	if f.led == ledCannotConnect && s.cfg.EstablishSessionWording {
		b.WriteString(ledCannotEstablish)
	} else {
		b.WriteString(f.led)
	}
	fmt.Fprintf(&b, ledMessage, f.detail)
	fmt.Fprintf(&b, ledServerName, fqdn)
	if ip != "" {
		fmt.Fprintf(&b, ledAttemptedIP, ip, smtpPort)
	}
	switch {
	case f.smtpSecurity:
		b.WriteString(" " + smtpSecurity)
	case f.tlsFailure:
		b.WriteString(" " + smtpSecurityTLS)
	}
	if sessionID == "" { // no session was opened (DNS): an id of the attempt's time
		sessionID = fmt.Sprintf("%016X", smtpd.Ticks(at.Add(-sessionIDLead)))
	}
	fmt.Fprintf(&b, ledServer, s.eopBracket(at, sessionID))
	return b.String()
}

// reason renders a DEFER's or FAIL's trace detail (§9), without the
// OutboundProxyTarget part when no address was reached (INFER).
func reason(led, token, fqdn, ip string, at time.Time) string {
	r := fmt.Sprintf(reasonForm, led, token, fqdn, ip, at.UTC().Format(lastRetryTime))
	if ip != "" {
		r += fmt.Sprintf(reasonProxyForm, ip, fqdn)
	}
	return r
}

// dequeue removes an item from the queue. Callers hold s.mu.
func (s *Service) dequeue(it *queueItem) {
	s.queue = slices.DeleteFunc(s.queue, func(x *queueItem) bool { return x == it })
}

// fail ends a message for one recipient: FAIL in the trace, and an NDR to
// its sender, unless the sender is null (an NDR itself), which is discarded.
// Callers hold s.mu.
func (s *Service) fail(it *queueItem, out outcome, now time.Time, status, diagnostic string) {
	e, rec := it.entry, it.trace
	rec.row.Status = statusFailed
	rec.event(now, eventFail, reason(status, "", out.fqdn, out.ip, now), out.sessionID)
	base := LedgerEntry{MessageID: e.MessageID, Recipient: e.Recipient, SessionID: out.sessionID}
	if it.msg.from == "" {
		base.Location = Discarded
		*e = base
		return
	}
	base.Location, base.NDR = ReturnedInNDR, s.returnToSender(it, diagnostic, now)
	*e = base
}
