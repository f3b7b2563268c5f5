package fakeonprem

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// apply records an attempt's result (S34 retry rules): delivered recipients are handed off
// (SEND), failed ones returned to the sender (FAIL, an NDR), deferred ones stay (DEFER) and
// the queue goes to Retry with its LastError until the next attempt is due. Every message
// refused with an SMTP response logs event 2004 (S10). Callers hold o.mu.
func (o *Organization) apply(s *server, q *queue, p *plan, items []*item, res *result) {
	now := o.clock.Now()
	lrt := now.Format(lrtLayout)
	var led string
	retryIn := time.Duration(0)
	ts := s.cfg.TransportService
	for i, it := range items {
		if !slices.Contains(q.items, it) { // expired meanwhile
			continue
		}
		if reply, ok := res.acks[i]; ok {
			s.logEvent(sourceTransport, 2004, categorySmtpSend, levelInformation, eventText2004(p.connectorID, it.msg.id, reply))
		}
		var sent, kept []recipient
		var sentStatus, keptStatus []string
		var failures []failure
		for j, r := range it.rcpts {
			out := res.per[i][j]
			key := ledgerKey{s.cfg.Name, it.msg.id, r.accepted}
			switch out.state {
			case delivered:
				sent, sentStatus = append(sent, r), append(sentStatus, out.text)
				o.ledger.set(key, LedgerEntry{RoutedAs: r.routed, State: HandedOff, Host: res.host, Reply: out.text})
			case failed:
				status := out.text
				if out.remote {
					status = fmt.Sprintf(failStatusFormat, out.text, res.host, res.ip, lrt)
				}
				s.track(o.entry(s, p, it, "FAIL", []recipient{r}, []string{status}, res))
				failures = append(failures, failure{recipient: r.accepted, routed: r.routed, status: out.text, remote: remoteHost(out, res)})
			default:
				kept, keptStatus = append(kept, r), append(keptStatus, out.text)
				led = out.text
			}
		}
		if len(sent) > 0 {
			s.track(o.entry(s, p, it, "SEND", sent, sentStatus, res))
		}
		if len(kept) > 0 {
			s.track(o.entry(s, p, it, "DEFER", kept, keptStatus, res))
			it.attempts++
			wait := ts.TransientFailureRetryInterval
			if it.attempts > ts.TransientFailureRetryCount {
				wait = ts.MessageRetryInterval
			}
			if res.conn {
				wait = ts.OutboundConnectionFailureRetryInterval
			}
			if retryIn == 0 || wait < retryIn {
				retryIn = wait
			}
		}
		it.rcpts = kept
		if len(failures) > 0 {
			o.report(s, it.msg, failures)
		}
	}
	q.items = slices.DeleteFunc(q.items, func(it *item) bool { return len(it.rcpts) == 0 })
	if retryIn > 0 {
		q.status, q.nextRetry = statusRetry, now.Add(retryIn)
		q.lastError = fmt.Sprintf(lastErrorFormat, lrt, led, res.host, res.ip)
	} else { // everything went, or failed for good; messages that arrived meanwhile are due
		q.status, q.nextRetry, q.lastError = statusReady, time.Time{}, ""
	}
	for _, it := range q.items {
		for _, r := range it.rcpts {
			o.ledger.set(ledgerKey{s.cfg.Name, it.msg.id, r.accepted}, LedgerEntry{RoutedAs: r.routed, State: InQueue,
				Queue: q.identity, LastError: q.lastError})
		}
	}
}

// remoteHost is the host a remote failure came from, "" for this side's.
func remoteHost(out outcome, res *result) string {
	if out.remote {
		return res.host
	}
	return ""
}

// entry is a message tracking entry of an attempt.
func (o *Organization) entry(s *server, p *plan, it *item, event string, rs []recipient, status []string, res *result) TrackingEntry {
	return TrackingEntry{ClientIp: p.from, ClientHostname: s.cfg.Fqdn, ServerIp: res.ip, ServerHostname: res.host,
		SourceContext: res.sessionID, ConnectorId: p.connectorID, Source: sourceSMTP, EventId: event,
		InternalMessageId: it.internal, MessageId: it.msg.id, NetworkMessageId: it.msg.networkID,
		Recipients: routedOf(rs), RecipientStatus: status, TotalBytes: len(it.msg.bytes()), RecipientCount: len(rs),
		MessageSubject: it.msg.subject, Sender: it.msg.from, ReturnPath: it.msg.from,
		Directionality: directionality(it.msg.header), SessionID: res.sessionID}
}

// eventText2004 is event 2004's text: one period after the response, even when the
// response ends with one (real-artifacts §5.1).
func eventText2004(connector, messageID, reply string) string {
	return fmt.Sprintf(event2004, connector, messageID, strings.TrimSuffix(reply, "."))
}
