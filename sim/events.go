package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// exoHost is Exchange Online's name in events, as in the ledgers.
const exoHost = "Exchange Online"

type (
	trackingEntry = fakeonprem.TrackingEntry
	eventLogEntry = fakeonprem.Event
	verdict       = fakeexo.Verdict
	traceDetail   = fakeexo.MessageTraceDetail
)

// The kinds of Event.
const (
	EventSession     = "session"     // an SMTP session opened (protocol log '+')
	EventCertificate = "certificate" // a certificate sent or received in a session (its thumbprint)
	EventVerdict     = "verdict"     // Exchange Online's front door attributed a transaction
	EventReceive     = "receive"     // a host took a message (tracking RECEIVE, trace Receive)
	EventSend        = "send"        // a host handed a message on (tracking SEND, trace Send)
	EventDelivery    = "delivery"    // a message reached a mailbox (DELIVER)
	EventDeferral    = "deferral"    // a delivery attempt failed and will be retried (DEFER)
	EventNDR         = "ndr"         // a message failed for good and was returned (FAIL, DSN)
	EventLogEntry    = "eventlog"    // an Application event log entry on a server
)

// Event is one thing that happened in the lab, as a tool following it
// sees it: a sequence number (from 1, in the order the feed saw them), the
// lab time, its kind, the host and, where there is one, the message and
// the SMTP session.
type Event struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Kind      string    `json:"kind"`
	Host      string    `json:"host"`
	MessageID string    `json:"messageId,omitempty"`
	Session   string    `json:"session,omitempty"`
	Text      string    `json:"text"`
}

// Feed follows a lab's events. It reads what the fakes have recorded
// (protocol logs, message tracking, message trace, verdicts, event logs)
// through their accessors and turns what is new since its last look into
// events, so the fakes need no hooks. Call Collect between the lab's own
// steps (as Send and Advance are called); the feed keeps its last
// max events for Since.
type Feed struct {
	lab     *Lab
	seq     uint64
	max     int
	events  []Event
	cursors map[string]int
}

// NewFeed starts following a lab from its current state: what happened
// before is not reported. It keeps the last max events (1000 when max is
// not positive).
func NewFeed(l *Lab, max int) *Feed {
	if max <= 0 {
		max = 1000
	}
	f := &Feed{max: max}
	f.Follow(l)
	return f
}

// Follow points the feed at another lab (a reset one): numbering goes on,
// and the new lab's history so far is skipped.
func (f *Feed) Follow(l *Lab) {
	f.lab, f.cursors = l, map[string]int{}
	f.scan(func(Event) {})
}

// Collect reads what happened since the last call and returns the new
// events, numbered.
func (f *Feed) Collect() []Event {
	var out []Event
	f.scan(func(e Event) {
		f.seq++
		e.Seq = f.seq
		out = append(out, e)
	})
	f.events = append(f.events, out...)
	if n := len(f.events) - f.max; n > 0 {
		f.events = append([]Event(nil), f.events[n:]...)
	}
	return out
}

// Since returns the kept events after seq (all kept ones for 0), and
// whether the feed still had every event after seq (false when older ones
// were dropped).
func (f *Feed) Since(seq uint64) ([]Event, bool) {
	for i, e := range f.events {
		if e.Seq > seq {
			return append([]Event(nil), f.events[i:]...), e.Seq == seq+1
		}
	}
	return nil, true
}

// Last is the sequence number of the newest event.
func (f *Feed) Last() uint64 { return f.seq }

// fresh calls emit for the items of a list past the cursor named key.
func fresh[T any](f *Feed, key string, list []T, emit func(T)) {
	from := f.cursors[key]
	if from > len(list) { // the list was trimmed: start again from its end
		from = len(list)
	}
	for _, x := range list[from:] {
		emit(x)
	}
	f.cursors[key] = len(list)
}

// scan reads every source and emits what is past its cursor.
func (f *Feed) scan(emit func(Event)) {
	l := f.lab
	for _, s := range l.cfg.OnPrem.Servers {
		if records, err := l.OnPrem.ProtocolLog(s.Name, ""); err == nil {
			fresh(f, "smtp/"+s.Name, records, func(r smtpd.Record) { f.record(s.Name, r, emit) })
		}
		if entries, err := l.OnPrem.GetMessageTrackingLog(s.Name, ""); err == nil {
			fresh(f, "tracking/"+s.Name, entries, func(e trackingEntry) {
				if kind := kindOf(e.EventId); kind != "" {
					emit(Event{Time: e.Timestamp, Kind: kind, Host: s.Name, MessageID: e.MessageId, Session: e.SessionID,
						Text: fmt.Sprintf("%s %s -> %s %s", e.EventId, e.Sender, strings.Join(e.Recipients, ";"), strings.Join(e.RecipientStatus, ";"))})
				}
			})
		}
		if events, err := l.OnPrem.GetEventLog(s.Name); err == nil {
			fresh(f, "events/"+s.Name, events, func(e eventLogEntry) {
				emit(Event{Time: e.TimeCreated, Kind: EventLogEntry, Host: s.Name, Text: fmt.Sprintf("%s %d %s: %s", e.Source, e.EventID, e.Level, e.Message)})
			})
		}
	}
	fresh(f, "smtp/exo", l.EXO.ProtocolLog(""), func(r smtpd.Record) { f.record(exoHost, r, emit) })
	fresh(f, "verdicts", l.EXO.Verdicts(), func(v verdict) {
		text := fmt.Sprintf("%s from %s: tenant %q, connector %q, %s", v.MailFrom, v.Source, v.Tenant, v.Connector, v.Rule)
		if len(v.Refusals) > 0 {
			text += "; refused: " + strings.Join(v.Refusals, "; ")
		}
		emit(Event{Time: v.Time, Kind: EventVerdict, Host: exoHost, Session: v.SessionID, Text: text})
	})
	for _, t := range l.cfg.EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			continue
		}
		for _, row := range org.GetMessageTrace() {
			details, err := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
			if err != nil {
				continue
			}
			fresh(f, "trace/"+row.MessageTraceId+"/"+row.RecipientAddress, details, func(d traceDetail) {
				if kind := kindOf(d.Event); kind != "" {
					emit(Event{Time: d.Date, Kind: kind, Host: exoHost, MessageID: d.MessageId, Session: d.SessionID,
						Text: strings.TrimSpace(fmt.Sprintf("%s %s %s", strings.ToUpper(d.Event), d.RecipientAddress, d.Detail))})
				}
			})
		}
	}
}

// record emits a protocol log record that opens a session or names a
// certificate.
func (f *Feed) record(host string, r smtpd.Record, emit func(Event)) {
	switch {
	case r.Event == '+':
		emit(Event{Time: r.Time, Kind: EventSession, Host: host, Session: r.SessionID, Text: fmt.Sprintf("%s %s -> %s", r.ConnectorID, r.Remote, r.Local)})
	default:
		if thumbprint, ok := smtpd.RecordThumbprint(r); ok {
			emit(Event{Time: r.Time, Kind: EventCertificate, Host: host, Session: r.SessionID, Text: r.ConnectorID + " " + thumbprint})
		}
	}
}

// kindOf maps a tracking or trace event id to an Event kind ("" for
// those the feed leaves out).
func kindOf(id string) string {
	switch strings.ToUpper(id) {
	case "RECEIVE":
		return EventReceive
	case "SEND":
		return EventSend
	case "DELIVER":
		return EventDelivery
	case "DEFER":
		return EventDeferral
	case "FAIL", "DSN":
		return EventNDR
	}
	return ""
}
