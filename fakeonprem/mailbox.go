package fakeonprem

import (
	"bytes"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
)

// mailbox is an on-premises mailbox and what was delivered to it.
type mailbox struct {
	cfg  Mailbox
	msgs []Message
	keep int // Retain: the last messages kept; 0 all
}

// Message is a message delivered to a mailbox, as a mail client reads it: headers included,
// so that X-MS-Exchange-Organization-AuthAs or an NDR's diagnostic text can be checked.
type Message struct {
	MessageID string
	Sender    string // the envelope sender; "" for a report
	Subject   string
	Header    mail.Header
	Body      string
	Delivered time.Time
	SessionID string // the SMTP session it arrived on; "" when submitted on this side
}

// mailboxFor finds the mailbox of an address. Callers hold o.mu.
func (o *Organization) mailboxFor(addr string) *mailbox {
	for _, b := range o.boxes {
		if strings.EqualFold(b.cfg.PrimarySmtpAddress, addr) {
			return b
		}
	}
	return nil
}

// remoteFor finds the remote mailbox of an address. Callers hold o.mu.
func (o *Organization) remoteFor(addr string) (RemoteMailbox, bool) {
	for _, r := range o.remote {
		if strings.EqualFold(r.PrimarySmtpAddress, addr) {
			return r, true
		}
	}
	return RemoteMailbox{}, false
}

// deliverLocal puts a message in a mailbox. Callers hold o.mu.
func (b *mailbox) deliver(m *message, at time.Time) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.bytes()))
	v := Message{MessageID: m.id, Sender: m.from, Subject: m.subject, Delivered: at, SessionID: m.sessionID}
	if err == nil {
		body, _ := io.ReadAll(msg.Body)
		v.Header, v.Body = msg.Header, string(body)
	}
	b.msgs = append(b.msgs, v)
	b.msgs = keepLast(b.msgs, b.keep)
}

// GetMessages returns the messages delivered to a mailbox (by its PrimarySmtpAddress or Name),
// oldest first.
func (o *Organization) GetMessages(mailbox string) ([]Message, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, b := range o.boxes {
		if strings.EqualFold(b.cfg.PrimarySmtpAddress, mailbox) || strings.EqualFold(b.cfg.Name, mailbox) {
			return append([]Message(nil), b.msgs...), nil
		}
	}
	return nil, fmt.Errorf("fakeonprem: mailbox %q not found", mailbox)
}

// submitBody is the text of a submitted message.
const submitBody = "Sent from an on-premises mailbox of the hybridsim lab.\r\n"

// Submit sends a message from a local mailbox, as Outlook submits it to the mailbox's server
// (the organization's first Mailbox server): it is categorized at once (delivered to local
// mailboxes, queued for the others) and its Message-ID returned.
func (o *Organization) Submit(from string, to []string, subject string) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return "", fmt.Errorf("fakeonprem: Submit after Close")
	}
	box := o.mailboxFor(from)
	if box == nil {
		return "", fmt.Errorf("fakeonprem: Submit: %q is not a mailbox of the organization", from)
	}
	if len(to) == 0 {
		return "", fmt.Errorf("fakeonprem: Submit: no recipients")
	}
	var s *server
	for _, x := range o.servers {
		if x.cfg.Role == RoleMailbox {
			s = x
			break
		}
	}
	if s == nil {
		return "", fmt.Errorf("fakeonprem: Submit: the organization has no Mailbox server")
	}
	now := o.clock.Now()
	id := o.newMessageID(s)
	h := headerFields{
		{"From", box.cfg.PrimarySmtpAddress}, {"To", strings.Join(to, ", ")}, {"Subject", subject},
		{"Date", dateHeader(now)}, {"Message-ID", id}, {"MIME-Version", "1.0"},
		{"Content-Type", `text/plain; charset="us-ascii"`}, {headerAuthAs, authAsInternal},
	}
	o.accept(s, &arrival{from: box.cfg.PrimarySmtpAddress, to: to, header: h, body: []byte(submitBody),
		source: sourceStoreDriver, trust: trustInternal, clientHost: s.cfg.Fqdn})
	return id, nil
}
