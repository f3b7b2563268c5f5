package fakeexo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Message is a message in a cloud mailbox.
type Message struct {
	MessageID string // the Message-ID header, angle brackets included
	From      string // envelope sender; "" for the null sender of an NDR
	To        string // the address it was accepted for
	Received  time.Time
	SessionID string // the front-door session that received it; "" when the service made it
	// Data is the message as stored: the headers EXO stamped
	// (X-MS-Exchange-Organization-AuthAs and the others), then the rest.
	Data []byte
}

// Header returns the first value of a header field, unfolded; "" when absent.
func (m Message) Header(name string) string {
	h := splitMessage(m.Data)
	return h.get(name)
}

// Mailbox returns the messages of the cloud mailbox that has address among
// its EmailAddresses, oldest first.
func (s *Service) Mailbox(address string) ([]Message, error) {
	r, ok := s.dir.Load().addresses[strings.ToLower(address)]
	if !ok || r.mailbox == nil {
		return nil, fmt.Errorf("fakeexo: %s is no cloud mailbox's address: give an address from a Mailbox's EmailAddresses", address)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := slices.Clone(s.mailboxes[strings.ToLower(r.mailbox.PrimarySmtpAddress)])
	for i := range msgs {
		msgs[i].Data = slices.Clone(msgs[i].Data)
	}
	return msgs, nil
}

// Submit sends a message from a cloud mailbox, as Outlook would: it is
// internal to the sender's tenant (AuthAs Internal, Originating), goes at
// once to cloud mailboxes, and is queued for mail users (through the
// outbound connectors) and outside recipients. It returns the new message's
// Message-ID. A recipient unknown in an Authoritative domain is an error and
// nothing is sent.
func (s *Service) Submit(from string, to []string, subject string) (string, error) {
	dir := s.dir.Load()
	sender, ok := dir.addresses[strings.ToLower(from)]
	if !ok || sender.mailbox == nil {
		return "", fmt.Errorf("fakeexo: Submit from %s: not a cloud mailbox's address: give an address from a Mailbox's EmailAddresses", from)
	}
	if len(to) == 0 {
		return "", errors.New("fakeexo: Submit: no recipient: give at least one address")
	}
	var plans []*plan
	for _, addr := range to {
		p := &plan{tenant: sender.tenant, recipient: addr, target: addr, internal: true}
		r, ok := dir.addresses[strings.ToLower(addr)]
		owner := dir.domains[domainOf(addr)]
		switch {
		case ok && r.mailbox != nil:
			p.tenant, p.mailbox, p.internal = r.tenant, r.mailbox, r.tenant == sender.tenant
		case ok:
			p.target = r.mailUser.ExternalEmailAddress
		case owner != nil && owner.domains[domainOf(addr)] == Authoritative:
			return "", fmt.Errorf("fakeexo: Submit to %s: no recipient of tenant %s has that address, and %s is Authoritative", addr, owner.Name, domainOf(addr))
		case domainOf(addr) == "":
			return "", fmt.Errorf("fakeexo: Submit to %q: not an SMTP address", addr)
		}
		plans = append(plans, p)
	}
	data := composeMessage(from, strings.Join(to, ", "), subject, s.clock.Now(), nil, submitBody)
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, stamped := s.store(incoming{from: from, data: data})
	copies := map[bool][]byte{}
	for _, p := range plans {
		if copies[p.internal] == nil {
			copies[p.internal] = stampInbound(stamped, p.internal, false, s.cfg.Hostname)
		}
		s.accept(msg, p, copies[p.internal], fmt.Sprintf(detailSubmitted, from))
	}
	return msg.messageID, nil
}

// composeMessage writes a message the service makes (Submit's, an NDR): its
// headers, extra ones, a blank line and the body. The Message-ID comes from
// store.
func composeMessage(from, to, subject string, date time.Time, extra []string, body string) []byte {
	lines := append([]string{
		"From: " + from,
		"To: " + to,
		"Subject: " + subject,
		"Date: " + date.UTC().Format(messageDate),
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=\"us-ascii\"",
	}, extra...)
	return []byte(strings.Join(append(lines, "", body), "\r\n"))
}

// messageDate is the Date header's layout (RFC 5322).
const messageDate = "Mon, 2 Jan 2006 15:04:05 -0700"
