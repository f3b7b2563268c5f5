package fakeonprem

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Queue is a delivery queue as Get-Queue shows it.
type Queue struct {
	Identity      string // Server\Id, e.g. EX01\3
	DeliveryType  string // DnsConnectorDelivery, SmartHostConnectorDelivery, SmtpRelayWithinAdSitetoEdge, Unreachable
	Status        string // Ready, Retry
	MessageCount  int
	NextHopDomain string
	// LastError reads [{LRT=...};{LED=...};{MSG=};{FQDN=...};{IP=...}] (§9).
	LastError     string
	NextRetryTime time.Time // zero when no retry is scheduled
}

// queue is a queue's running state. Callers hold o.mu.
type queue struct {
	identity string
	dest     destination
	items    []*item
	status   string
	// lastError is the LastError; nextRetry is when the next attempt is due (zero: at once).
	lastError string
	nextRetry time.Time
}

// item is one message in a queue with the recipients it still has there.
type item struct {
	msg      *message
	internal int64
	rcpts    []recipient
	attempts int // failed attempts so far (TransientFailureRetryCount, S34)
	expires  time.Time
}

type recipient struct{ accepted, routed string }

// Queue statuses (Get-Queue).
const (
	statusReady = "Ready"
	statusRetry = "Retry"
)

// queueFor finds or creates the server's queue for a destination.
func (s *server) queueFor(d destination) *queue {
	for _, q := range s.queues {
		if q.dest == d {
			return q
		}
	}
	q := &queue{dest: d, status: statusReady}
	if d.deliveryType == unreachable {
		q.identity = s.cfg.Name + `\Unreachable`
	} else {
		s.queueSeq++
		q.identity = fmt.Sprintf(`%s\%d`, s.cfg.Name, s.queueSeq)
	}
	s.queues = append(s.queues, q)
	return q
}

// add queues a recipient of a message, with the message's other recipients for this queue
// when they have not been tried yet (one transaction, as Exchange batches them).
func (q *queue) add(m *message, internal int64, r recipient, expires time.Time) {
	for _, it := range q.items {
		if it.msg == m && it.attempts == 0 {
			it.rcpts = append(it.rcpts, r)
			return
		}
	}
	q.items = append(q.items, &item{msg: m, internal: internal, rcpts: []recipient{r}, expires: expires})
}

// due reports whether the queue should be tried at now.
func (q *queue) due(now time.Time) bool {
	return q.dest.deliveryType != unreachable && len(q.items) > 0 && !q.nextRetry.After(now)
}

// GetQueue is Get-Queue -Server server: the server's queues that exist, in creation order.
func (o *Organization) GetQueue(serverName string) ([]Queue, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return nil, err
	}
	var out []Queue
	for _, q := range s.queues {
		out = append(out, Queue{Identity: q.identity, DeliveryType: q.dest.deliveryType, Status: q.status,
			MessageCount: len(q.items), NextHopDomain: q.dest.nextHop, LastError: q.lastError, NextRetryTime: q.nextRetry})
	}
	return out, nil
}

// RetryQueue is Retry-Queue -Identity Server\Id: the queue is tried at the next RunDue.
func (o *Organization) RetryQueue(identity string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, s := range o.servers {
		for _, q := range s.queues {
			if strings.EqualFold(q.identity, identity) {
				q.nextRetry = time.Time{}
				return nil
			}
		}
	}
	return fmt.Errorf("fakeonprem: queue %q not found; Get-Queue lists them (Server\\Id)", identity)
}

// NextDue tells when the next delivery attempt or expiry falls due: a queue's NextRetryTime
// (now for a queue ready with messages) or a message's expiry. ok is false when nothing is
// queued.
func (o *Organization) NextDue() (time.Time, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.clock.Now()
	var next time.Time
	ok := false
	consider := func(t time.Time) {
		if !ok || t.Before(next) {
			next, ok = t, true
		}
	}
	for _, s := range o.servers {
		for _, q := range s.queues {
			for _, it := range q.items {
				consider(it.expires)
			}
			if q.dest.deliveryType != unreachable && len(q.items) > 0 {
				consider(later(q.nextRetry, now))
			}
		}
	}
	return next, ok
}

func later(t, now time.Time) time.Time {
	if t.Before(now) {
		return now
	}
	return t
}

// RunDue performs, in a fixed order (servers as configured, queues as created), every expiry
// and every delivery attempt that is due at the clock's instant, synchronously, and returns
// how many it did. Messages that arrive meanwhile wait for the next call.
func (o *Organization) RunDue(ctx context.Context) int {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return 0
	}
	now := o.clock.Now()
	type job struct {
		s *server
		q *queue
	}
	var jobs []job
	done := 0
	for _, s := range o.servers {
		for _, q := range s.queues {
			done += o.expire(s, q, now)
			if q.due(now) {
				jobs = append(jobs, job{s, q})
			}
		}
	}
	o.mu.Unlock()
	for _, j := range jobs {
		o.attempt(ctx, j.s, j.q)
		done++
	}
	return done
}

// expire returns the queue's messages whose MessageExpirationTimeOut has passed to their
// senders (S34, S30). Callers hold o.mu.
func (o *Organization) expire(s *server, q *queue, now time.Time) int {
	n := 0
	kept := q.items[:0]
	for _, it := range q.items {
		if now.Before(it.expires) {
			kept = append(kept, it)
			continue
		}
		n++
		var failed []failure
		for _, r := range it.rcpts {
			failed = append(failed, failure{recipient: r.accepted, routed: r.routed, status: replyQueueExpired})
		}
		s.track(TrackingEntry{ServerHostname: s.cfg.Fqdn, Source: sourceQueue, EventId: "FAIL", InternalMessageId: it.internal,
			MessageId: it.msg.id, NetworkMessageId: it.msg.networkID, Recipients: routedOf(it.rcpts),
			RecipientStatus: repeat(replyQueueExpired, len(it.rcpts)), TotalBytes: len(it.msg.bytes()),
			RecipientCount: len(it.rcpts), MessageSubject: it.msg.subject, Sender: it.msg.from, ReturnPath: it.msg.from,
			Directionality: directionality(it.msg.header), SessionID: it.msg.sessionID})
		o.report(s, it.msg, failed)
	}
	q.items = kept
	if len(q.items) == 0 {
		q.status, q.nextRetry = statusReady, time.Time{}
	}
	return n
}

func routedOf(rs []recipient) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.routed)
	}
	return out
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
