package fakeexo

import (
	"fmt"
	"strings"
	"time"
)

// returnToSender makes the NDR of a message that failed for one recipient and
// hands it to the sender the way any message goes (the layout around the
// diagnostic line is INFER): into a cloud mailbox, or
// the queue for a mail user or an outside sender. It returns the NDR's
// Message-ID. Callers hold s.mu.
func (s *Service) returnToSender(it *queueItem, diagnostic string, now time.Time) string {
	dir := s.dir.Load()
	domain := s.cfg.Hostname
	t := dir.byName[strings.ToLower(it.tenant)]
	if t != nil {
		domain = t.InitialDomain
	}
	sender := it.msg.from
	body := fmt.Sprintf(ndrBody, it.entry.Recipient, s.cfg.Hostname, it.entry.Recipient, diagnostic, it.msg.header)
	data := composeMessage(fmt.Sprintf(ndrSender, domain), sender, fmt.Sprintf(ndrSubject, it.msg.subject), now,
		[]string{ndrAutoSubmitted}, body)
	msg, stamped := s.store(incoming{data: data})
	p := &plan{tenant: t, recipient: sender, target: sender, internal: true}
	if t == nil {
		p.tenant = &tenant{Tenant: Tenant{Name: it.tenant}}
	}
	if r, ok := dir.addresses[strings.ToLower(sender)]; ok {
		p.tenant, p.mailbox = r.tenant, r.mailbox
		if r.mailUser != nil {
			p.target = r.mailUser.ExternalEmailAddress
		}
	}
	s.accept(msg, p, stampInbound(stamped, true, false, s.cfg.Hostname), fmt.Sprintf(detailSubmitted, s.cfg.Hostname))
	return msg.messageID
}
