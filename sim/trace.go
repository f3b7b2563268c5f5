package sim

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// Timeline is one message's story across every hop of the lab: per host, in
// the order the message went through them, what that host's logs say about
// it (EXO's message trace and attribution verdicts, on-premises message
// tracking, the SMTP protocol logs of every session that carried it, which
// show the certificate offered or presented), then the Application log
// events of the time it was under way, and where each copy is now.
type Timeline struct {
	MessageID   string
	Hops        []Hop
	Events      []string
	Whereabouts []Whereabouts
}

// Hop is what one host recorded about the message.
type Hop struct {
	Host    string
	Entries []Entry
}

// Entry is one record, or one SMTP session's whole protocol log.
type Entry struct {
	Time   time.Time
	Source string // "message trace", "message tracking", "protocol log", "attribution"
	Text   string
}

// String renders the timeline as plain text, as the golden transcripts
// keep it.
func (t Timeline) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "message %s\n", t.MessageID)
	for _, h := range t.Hops {
		fmt.Fprintf(&b, "\n== %s\n", h.Host)
		for _, e := range h.Entries {
			fmt.Fprintf(&b, "-- %s %s\n%s\n", e.Time.UTC().Format(time.RFC3339), e.Source, strings.TrimRight(e.Text, "\n"))
		}
	}
	if len(t.Events) > 0 {
		b.WriteString("\n== Application log\n")
		for _, e := range t.Events {
			b.WriteString(e)
			b.WriteString("\n")
		}
	}
	b.WriteString("\n== where it is now\n")
	for _, w := range t.Whereabouts {
		fmt.Fprintf(&b, "%s: %s (via %s)", w.Recipient, w.Place, strings.Join(w.Path, " -> "))
		if w.Where != "" {
			fmt.Fprintf(&b, " %s", w.Where)
		}
		if w.LastError != "" {
			fmt.Fprintf(&b, "\n  LastError: %s", w.LastError)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Trace assembles a message's timeline from every side's logs.
func (l *Lab) Trace(messageID string) Timeline {
	t := Timeline{MessageID: messageID}
	where, _ := l.Whereabouts()
	var order []string
	for _, w := range where {
		if w.MessageID != messageID {
			continue
		}
		t.Whereabouts = append(t.Whereabouts, w)
		for _, side := range w.Path {
			if !slices.Contains(order, side) {
				order = append(order, side)
			}
		}
	}
	hops := map[string]*Hop{}
	hop := func(side string) *Hop {
		if hops[side] == nil {
			hops[side] = &Hop{Host: side}
			if !slices.Contains(order, side) {
				order = append(order, side)
			}
		}
		return hops[side]
	}
	l.traceEXO(messageID, hop("Exchange Online"))
	for oi, org := range l.cfg.organizations() {
		for _, s := range org.Servers {
			l.traceServer(oi, s.Name, messageID, hop(s.Name))
		}
	}
	var first, last time.Time
	for _, side := range order {
		h := hops[side]
		if h == nil || len(h.Entries) == 0 {
			continue
		}
		sort.SliceStable(h.Entries, func(i, j int) bool { return h.Entries[i].Time.Before(h.Entries[j].Time) })
		t.Hops = append(t.Hops, *h)
		if first.IsZero() || h.Entries[0].Time.Before(first) {
			first = h.Entries[0].Time
		}
		if end := h.Entries[len(h.Entries)-1].Time; end.After(last) {
			last = end
		}
	}
	t.Events = l.events(first, last)
	return t
}

// traceEXO adds Exchange Online's message trace, verdicts and sessions.
func (l *Lab) traceEXO(messageID string, h *Hop) {
	sessions := map[string]bool{}
	for _, tenant := range l.cfg.EXO.Tenants {
		org, err := l.EXO.Organization(tenant.Name)
		if err != nil {
			continue
		}
		for _, row := range org.GetMessageTrace() {
			if row.MessageId != messageID {
				continue
			}
			h.Entries = append(h.Entries, Entry{Time: row.Received, Source: "message trace",
				Text: fmt.Sprintf("%s -> %s  Status: %s  Subject: %s", row.SenderAddress, row.RecipientAddress, row.Status, row.Subject)})
			details, _ := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
			for _, d := range details {
				text := d.Event + " " + d.RecipientAddress
				if d.Detail != "" {
					text += "\n" + d.Detail
				}
				h.Entries = append(h.Entries, Entry{Time: d.Date, Source: "message trace detail", Text: text})
				if d.SessionID != "" && !sessions[d.SessionID] {
					sessions[d.SessionID] = true
					addSession(h, l.EXO.ProtocolLog(d.SessionID))
					for _, v := range l.EXO.Verdicts() {
						if v.SessionID == d.SessionID {
							h.Entries = append(h.Entries, Entry{Time: v.Time, Source: "attribution", Text: verdictText(v)})
						}
					}
				}
			}
		}
	}
}

// traceServer adds an Exchange server's message tracking and sessions.
func (l *Lab) traceServer(oi int, server, messageID string, h *Hop) {
	org := l.orgs[oi]
	entries, err := org.GetMessageTrackingLog(server, messageID)
	if err != nil {
		return
	}
	sessions := map[string]bool{}
	for _, e := range entries {
		text := fmt.Sprintf("%s %s %s -> %s", e.EventId, e.Source, e.Sender, strings.Join(e.Recipients, ", "))
		if status := strings.Join(e.RecipientStatus, ", "); strings.TrimSpace(status) != "" {
			text += "\n  recipient-status: " + status
		}
		h.Entries = append(h.Entries, Entry{Time: e.Timestamp, Source: "message tracking", Text: text})
		if e.SessionID != "" && !sessions[e.SessionID] {
			sessions[e.SessionID] = true
			records, _ := org.ProtocolLog(server, e.SessionID)
			addSession(h, records)
		}
	}
}

// addSession adds one SMTP session's protocol log as one entry.
func addSession(h *Hop, records []smtpd.Record) {
	if len(records) == 0 {
		return
	}
	lines := make([]string, len(records))
	for i, r := range records {
		lines[i] = r.String()
	}
	h.Entries = append(h.Entries, Entry{Time: records[0].Time, Source: "protocol log", Text: strings.Join(lines, "\n")})
}

// verdictText renders an attribution verdict for a support engineer.
func verdictText(v fakeexo.Verdict) string {
	var b strings.Builder
	if v.Tenant == "" {
		fmt.Fprintf(&b, "not attributed to any tenant")
	} else {
		fmt.Fprintf(&b, "attributed to tenant %s", v.Tenant)
		if v.Connector != "" {
			fmt.Fprintf(&b, " via connector %q", v.Connector)
		}
		if v.Rule != "" {
			fmt.Fprintf(&b, " by %s", v.Rule)
		}
	}
	fmt.Fprintf(&b, " (source %s", v.Source)
	if v.Certificate != "" {
		fmt.Fprintf(&b, ", client certificate %s", v.Certificate)
	} else {
		b.WriteString(", no client certificate")
	}
	b.WriteString(")")
	for _, r := range v.Refusals {
		fmt.Fprintf(&b, "\n  refused: %s", r)
	}
	for _, n := range v.NotTaken {
		fmt.Fprintf(&b, "\n  not taken: %s", n)
	}
	return b.String()
}

// events lists every server's Application log events between first and
// last, in time order.
func (l *Lab) events(first, last time.Time) []string {
	if first.IsZero() {
		return nil
	}
	type stamped struct {
		at   time.Time
		text string
	}
	var all []stamped
	for oi, org := range l.cfg.organizations() {
		for _, s := range org.Servers {
			events, _ := l.orgs[oi].GetEventLog(s.Name)
			for _, e := range events {
				if e.TimeCreated.Before(first) || e.TimeCreated.After(last) {
					continue
				}
				all = append(all, stamped{e.TimeCreated, fmt.Sprintf("%s %s Source: %s  Event ID: %d  Task Category: %s  Level: %s\n  %s",
					e.TimeCreated.UTC().Format(time.RFC3339), e.MachineName, e.Source, e.EventID, e.TaskCategory, e.Level, e.Message)})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.text
	}
	return out
}
