package fakeexo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// stored is a message the service took: what every recipient's copy shares.
type stored struct {
	messageID string // Message-ID header, angle brackets included
	traceID   string // MessageTraceId
	from      string // envelope sender
	subject   string
	received  time.Time
	sessionID string // the front door's; "" when the service made it
	fromIP    string
	header    string // the header block as received, for an NDR
}

// incoming is a message arriving: from the front door, Submit, or an NDR.
type incoming struct {
	from      string
	data      []byte
	sessionID string
	fromIP    string
	detail    string // the RECEIVE event's detail
}

// queueItem is one message for one recipient waiting for delivery.
type queueItem struct {
	seq        int
	msg        *stored
	data       []byte // this recipient's copy, headers stamped
	tenant     string // whose outbound connectors route it
	target     string // the next hop's RCPT TO
	fromOnPrem bool
	due        time.Time
	expires    time.Time
	lastDetail string // the last deferral's [Message=] detail (C10's observed NDR quotes it)
	busy       bool   // an attempt is running
	entry      *LedgerEntry
	trace      *traceRecord
}

// receive persists a message for every planned recipient (mailbox, or queue
// for RunDue) and returns the queued reply; the 250 is written after it
// returns (DESIGN "Nothing is lost").
func (s *Service) receive(in incoming, plans []*plan) smtpd.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, data := s.store(in)
	copies := map[[2]bool][]byte{}
	for _, p := range plans {
		key := [2]bool{p.internal, p.promote}
		if copies[key] == nil {
			copies[key] = stampInbound(data, p.internal, p.promote, s.cfg.Hostname)
		}
		s.accept(msg, p, copies[key], in.detail)
	}
	return (&smtpd.ExchangeOnline).QueuedReply(msg.messageID, int64(s.messages), s.cfg.Hostname)
}

// store gives a message its identity: its Message-ID (one is added when
// missing, from a counter) and a MessageTraceId. Callers hold s.mu.
func (s *Service) store(in incoming) (*stored, []byte) {
	s.messages++
	h := splitMessage(in.data)
	id := h.get("Message-ID")
	if id == "" {
		id = s.newMessageID()
		h.set("Message-ID", id)
	}
	var header strings.Builder
	for _, f := range h.fields {
		header.WriteString(f)
	}
	msg := &stored{messageID: id, traceID: fmt.Sprintf(traceIDForm, s.messages), from: in.from,
		subject: h.get("Subject"), received: s.clock.Now(), sessionID: in.sessionID, fromIP: in.fromIP,
		header: header.String()}
	return msg, h.bytes()
}

// traceIDForm makes a MessageTraceId, a GUID, from a counter.
const traceIDForm = "%08x-0000-4000-8000-0000de08e0c0"

// newMessageID returns a new Message-ID. Callers hold s.mu.
func (s *Service) newMessageID() string {
	return fmt.Sprintf("<%016X@%s>", messageIDs+s.messages, s.cfg.Hostname)
}

// accept takes one recipient: the ledger and the trace learn of it, then it
// goes to its mailbox or the queue. Callers hold s.mu.
func (s *Service) accept(msg *stored, p *plan, data []byte, detail string) {
	rec := &traceRecord{tenant: p.tenant.Name, row: MessageTrace{
		Received: msg.received, SenderAddress: msg.from, RecipientAddress: p.recipient, Subject: msg.subject,
		Status: statusPending, MessageTraceId: msg.traceID, MessageId: msg.messageID, FromIP: msg.fromIP, Size: len(data),
	}}
	rec.event(msg.received, eventReceive, detail, msg.sessionID)
	s.traces = append(s.traces, rec)
	entry := &LedgerEntry{MessageID: msg.messageID, Recipient: p.recipient, SessionID: msg.sessionID}
	s.ledger = append(s.ledger, entry)
	s.trimRecords()
	if p.mailbox != nil {
		s.deliverLocal(msg, p.mailbox, p.recipient, data, rec, entry)
		return
	}
	s.items++
	it := &queueItem{seq: s.items, msg: msg, data: data, tenant: p.tenant.Name, target: p.target,
		fromOnPrem: p.fromOnPrem, due: msg.received, expires: msg.received.Add(s.cfg.MessageExpirationTimeout),
		entry: entry, trace: rec}
	t := s.dir.Load().byName[strings.ToLower(it.tenant)]
	var conn *outbound
	if t != nil {
		conn = t.route(domainOf(it.target), it.fromOnPrem)
	}
	entry.Location, entry.Queue = InQueue, queueName(conn, domainOf(it.target))
	s.queue = append(s.queue, it)
}

// deliverLocal puts a message in a cloud mailbox. Callers hold s.mu.
func (s *Service) deliverLocal(msg *stored, mb *Mailbox, recipient string, data []byte, rec *traceRecord, entry *LedgerEntry) {
	key := strings.ToLower(mb.PrimarySmtpAddress)
	s.mailboxes[key] = append(s.mailboxes[key], Message{MessageID: msg.messageID, From: msg.from, To: recipient,
		Received: s.clock.Now(), SessionID: msg.sessionID, Data: slices.Clone(data)})
	s.mailboxes[key] = keepLast(s.mailboxes[key], s.retain)
	entry.Location, entry.Mailbox = InMailbox, mb.PrimarySmtpAddress
	rec.row.Status = statusDelivered
	rec.event(s.clock.Now(), eventDeliver, detailDelivered, "")
}
