package fakeonprem

import (
	"fmt"
	"strings"
)

// report returns failed recipients to the message's sender in one non-delivery report (DSN
// in message tracking) and records them in the ledger as returned. A message from the null
// sender (a report itself) is not reported again. Callers hold o.mu.
func (o *Organization) report(s *server, m *message, failed []failure) {
	ndrID := ""
	if m.from != "" {
		ndrID = o.newMessageID(s)
	}
	for _, f := range failed {
		o.ledger.set(ledgerKey{s.cfg.Name, m.id, f.recipient}, LedgerEntry{RoutedAs: f.routed, State: InNDR, NDR: ndrID})
	}
	if ndrID == "" {
		return
	}
	now := o.clock.Now()
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\r\n") }
	line(ndrIntro)
	line("")
	for _, f := range failed {
		line(f.recipient)
	}
	line("")
	line(ndrDiagnostic)
	line("")
	line(fmt.Sprintf(ndrGenerating, s.cfg.Fqdn))
	line("")
	for _, f := range failed {
		line(f.recipient)
		if f.remote != "" {
			line(fmt.Sprintf(ndrRemote, f.status))
		} else {
			line(fmt.Sprintf(ndrLocal, f.status))
		}
	}
	line("")
	line("Original message headers:")
	line("")
	b.Write(m.header.bytes())
	from := fmt.Sprintf(ndrFrom, o.accepted[0])
	h := headerFields{{"From", from}, {"To", m.from}, {"Subject", ndrSubjectPrefix + m.subject},
		{"Date", dateHeader(now)}, {"Message-ID", ndrID}, {"References", m.id}, {"MIME-Version", "1.0"},
		{"Content-Type", `text/plain; charset="us-ascii"`}, {headerAuthAs, authAsInternal}}
	o.accept(s, &arrival{to: []string{m.from}, header: h, body: []byte(b.String()), source: sourceDSN,
		trust: trustInternal, clientHost: s.cfg.Fqdn, reference: m.id})
}
