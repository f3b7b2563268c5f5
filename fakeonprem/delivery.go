package fakeonprem

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// One delivery attempt of a queue: a plan made under the lock from the live configuration,
// the SMTP session(s) with go-smtp's client without the lock, and the result applied under the
// lock (apply.go).

// intraOrgConnector is the connector-id of a hop inside the organization (Mailbox to Edge),
// as Exchange's send logs name it (INFER).
const intraOrgConnector = "Intra-Organization SMTP Send Connector"

// plan is everything an attempt needs, copied under the lock.
type plan struct {
	o    *Organization
	s    *server
	dest destination
	conn SendConnector // the send connector (zero for a relay to Edge's own settings)

	connectorID string
	ehlo        string
	from        string // the simulated address the server sends from
	rcptDomain  string // DomainValidation's name when TlsDomain is empty
	targets     []target

	cert     *ExchangeCertificate // the STARTTLS client certificate
	creds    credentials
	tlsCert  *tls.Certificate
	internal *ExchangeCertificate // the internal transport certificate, for X-ANONYMOUSTLS
	anonCert *tls.Certificate
	// internalHop keeps the organization's headers: a hop between the organization's servers.
	internalHop bool
}

// target is one host to try and its addresses; resolve fills addresses of named hosts.
type target struct {
	host  string
	addrs []string
}

// attempt tries a queue once.
func (o *Organization) attempt(ctx context.Context, s *server, q *queue) {
	o.mu.Lock()
	p, items := o.plan(s, q)
	o.mu.Unlock()
	if p == nil {
		return
	}
	res := p.run(ctx, items)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.apply(s, q, p, items, res)
}

// plan prepares an attempt. A queue whose send connector is gone is emptied and its messages
// routed again (nil plan). Callers hold o.mu.
func (o *Organization) plan(s *server, q *queue) (*plan, []*item) {
	c, err := o.sendConnector(q.dest.connector)
	if err != nil {
		items := q.items
		q.items, q.status, q.lastError, q.nextRetry = nil, statusReady, "", time.Time{}
		for _, it := range items {
			var failed []failure
			for _, r := range it.rcpts {
				if f := o.route(s, it.msg, it.internal, r.accepted); f != nil {
					failed = append(failed, *f)
				}
			}
			if len(failed) > 0 {
				o.report(s, it.msg, failed)
			}
		}
		return nil, nil
	}
	p := &plan{o: o, s: s, dest: q.dest, conn: cloneSend(*c), connectorID: c.Name, from: s.cfg.IPAddresses[0].String()}
	p.ehlo = c.Fqdn
	items := append([]*item(nil), q.items...)
	p.rcptDomain = domainOf(items[0].rcpts[0].routed)
	switch {
	case q.dest.deliveryType == relayToEdge:
		edge := o.server(q.dest.target)
		p.conn = SendConnector{Name: c.Name, Port: 25}
		p.connectorID, p.ehlo = intraOrgConnector, ""
		p.targets = []target{{host: edge.cfg.Fqdn, addrs: []string{edge.cfg.IPAddresses[0].String()}}}
		p.internalHop = true
	case has(c.SmartHosts, edgeSyncAllDomains):
		for _, m := range o.servers {
			if m.cfg.Role == RoleMailbox {
				p.targets = append(p.targets, target{host: m.cfg.Fqdn, addrs: []string{m.cfg.IPAddresses[0].String()}})
			}
		}
		p.internalHop = true
	case !c.DNSRoutingEnabled:
		for _, h := range c.SmartHosts {
			p.targets = append(p.targets, target{host: h})
		}
	}
	if p.ehlo == "" {
		p.ehlo = s.cfg.Fqdn
	}
	// Outbound anonymous TLS (S2): a Mailbox server relaying to Edge; an Edge server sending to
	// the Mailbox servers with ExchangeServer authentication.
	if q.dest.deliveryType == relayToEdge || strings.EqualFold(c.SmartHostAuthMechanism, exchangeServerAuth) && has(c.SmartHosts, edgeSyncAllDomains) {
		if e := s.internalCertificate(sourceTransport); e != nil {
			if tc, err := s.tlsCertificate(e); err == nil {
				p.internal, p.anonCert = e, &tc
			}
		}
	}
	if !p.conn.IgnoreSTARTTLS && q.dest.deliveryType != relayToEdge {
		p.cert, p.creds = s.outboundCertificate(*c)
		if p.cert != nil && p.creds == credentialsOK {
			if tc, err := s.tlsCertificate(p.cert); err == nil {
				p.tlsCert = &tc
			}
		}
	}
	return p, items
}

// outcome is what happened to one recipient in an attempt.
type outcome struct {
	state  int    // deferred, delivered or failed
	text   string // the remote's reply, or the LED
	remote bool   // text is a reply of the remote host
}

const (
	deferred = iota
	delivered
	failed
)

// result is an attempt's outcome: per item, per recipient; the host and address last tried;
// whether the failure was the connection's (OutboundConnectionFailureRetryInterval).
type result struct {
	per       [][]outcome
	led       string // the deferral's LED ("" when nothing was deferred for the connection)
	conn      bool
	host, ip  string
	sessionID string
	acks      map[int]string // event 2004: the SMTP response each message was refused with
}

// sessionFailure is why a session could not deliver: an LED of its own, or a reply (the
// remote's, or the one this side stands for) that ledPrimaryTarget wraps.
type sessionFailure struct {
	led   string
	reply string
	fatal bool // a 5xx before any message: every message fails
}

func (f *sessionFailure) ledText() string {
	if f.led != "" {
		return f.led
	}
	return fmt.Sprintf(ledPrimaryTarget, strings.TrimSuffix(f.reply, "."))
}

// run performs the attempt: resolution, then each target address in turn until one session
// ends without a connection failure. The first failure is the LED's ("Primary target").
func (p *plan) run(ctx context.Context, items []*item) *result {
	res := &result{acks: map[int]string{}}
	fill := func(state int, text string, remote bool) {
		res.per = make([][]outcome, len(items))
		for i, it := range items {
			for range it.rcpts {
				res.per[i] = append(res.per[i], outcome{state: state, text: text, remote: remote})
			}
		}
	}
	if err := p.resolve(ctx); err != nil {
		fill(deferred, ledDNSFailure, false)
		res.led, res.conn, res.host = ledDNSFailure, true, p.targetName()
		return res
	}
	res.host, res.ip = p.targets[0].host, p.targets[0].addrs[0]
	if p.cert == nil && p.creds == credentialsMissing { // F11: nothing is sent
		led := ledCertificateNotFound
		if p.o.opts.LegacyNotFoundWording {
			led = ledCertificateNotFoundS13
		}
		fill(deferred, led, false)
		res.led, res.conn = led, true
		return res
	}
	var first *sessionFailure
	for _, t := range p.targets {
		for _, ip := range t.addrs {
			res.host, res.ip = t.host, ip
			per, fail := p.session(ctx, t.host, ip, items, res)
			switch {
			case fail == nil:
				res.per = per
				return res
			case fail.fatal:
				fill(failed, fail.reply, true)
				return res
			case per != nil: // some messages went before the session failed: no failover
				for i, it := range items {
					for range it.rcpts[len(per[i]):] {
						per[i] = append(per[i], outcome{state: deferred, text: fail.ledText()})
					}
				}
				res.per, res.led, res.conn = per, fail.ledText(), true
				return res
			}
			if first == nil {
				first = fail
			}
		}
	}
	fill(deferred, first.ledText(), false)
	res.led, res.conn = first.ledText(), true
	return res
}

func (p *plan) targetName() string {
	if len(p.targets) > 0 {
		return p.targets[0].host
	}
	return p.dest.nextHop
}

// resolve finds the targets' addresses: the MX records of the next hop (or its A record, the
// implicit MX), or each smart host's.
func (p *plan) resolve(ctx context.Context) error {
	if len(p.targets) == 0 {
		mx, err := p.o.net.LookupMX(ctx, p.dest.nextHop)
		if err != nil || len(mx) == 0 {
			p.targets = []target{{host: p.dest.nextHop}}
		}
		for _, r := range mx {
			p.targets = append(p.targets, target{host: strings.TrimSuffix(r.Host, ".")})
		}
	}
	var resolved []target
	for _, t := range p.targets {
		if len(t.addrs) == 0 {
			addrs, err := p.o.net.LookupHost(ctx, t.host)
			if err != nil {
				continue
			}
			t.addrs = addrs
		}
		resolved = append(resolved, t)
	}
	if len(resolved) == 0 {
		return fmt.Errorf("fakeonprem: no address for %s", p.targetName())
	}
	p.targets = resolved
	return nil
}

// session delivers the items over one SMTP session to one address. A nil failure means the
// session ran: per holds each recipient's outcome.
func (p *plan) session(ctx context.Context, host, ip string, items []*item, res *result) ([][]outcome, *sessionFailure) {
	s := p.s
	addr := net.JoinHostPort(ip, strconv.Itoa(p.conn.Port))
	res.sessionID = s.nextSessionID()
	tap := &smtpd.ClientTap{Sink: s.logs.sink(s.sendFolder()), Clock: p.o.clock, ConnectorID: p.connectorID,
		SessionID: res.sessionID, Remote: addr}
	tap.Info("", logAttemptingToConnect)
	raw, err := p.o.net.DialFrom(ctx, p.from, addr)
	if err != nil {
		code, reply := 10061, replyUnableToConnect // WSAECONNREFUSED
		if errors.Is(err, os.ErrDeadlineExceeded) {
			code, reply = 10060, replyConnectionTimedOut // WSAETIMEDOUT
		}
		tap.Info("", fmt.Sprintf(logFailedToConnect, code, code))
		return nil, &sessionFailure{reply: reply}
	}
	conn := tap.Wrap(raw)
	defer conn.Close()
	c := smtp.NewClient(conn)
	if err := c.Hello(p.ehlo); err != nil {
		return nil, p.refused(err, items, res)
	}
	c, fail := p.upgrade(c, conn, tap, items, res)
	if fail != nil {
		return nil, fail
	}
	per := make([][]outcome, len(items))
	for i, it := range items {
		var f *sessionFailure
		per[i], f = p.transaction(c, it, i, res)
		if f != nil {
			if ack, ok := res.acks[i]; ok {
				for j := i + 1; j < len(items); j++ {
					res.acks[j] = ack
				}
			}
			if i == 0 {
				return nil, f
			}
			return per, f
		}
	}
	c.Quit()
	return per, nil
}

// refused turns an error of the session into its failure: a reply of the server (4xx
// wrapped, 5xx fatal, event 2004 for every message), else a dropped connection.
func (p *plan) refused(err error, items []*item, res *result) *sessionFailure {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return &sessionFailure{reply: replyConnectionDropped}
	}
	reply := replyText(se)
	for i := range items {
		res.acks[i] = reply
	}
	return &sessionFailure{reply: reply, fatal: se.Code >= 500}
}

// upgrade negotiates TLS as the connector and the server's EHLO say: X-ANONYMOUSTLS when
// anonymous TLS applies and is offered (§3), else STARTTLS when offered (and not
// IgnoreSTARTTLS); a RequireTLS connector with neither stops (C11). Client credentials fail
// after the 220, before the handshake (F12, F13); the server's certificate is judged per
// TlsAuthLevel in the handshake (F19).
func (p *plan) upgrade(c *smtp.Client, conn net.Conn, tap *smtpd.ClientTap, items []*item, res *result) (*smtp.Client, *sessionFailure) {
	anonymous, _ := c.Extension("X-ANONYMOUSTLS")
	starttls, _ := c.Extension("STARTTLS")
	verb := "STARTTLS"
	switch {
	case anonymous && p.anonCert != nil:
		verb = "X-ANONYMOUSTLS"
	case starttls && !p.conn.IgnoreSTARTTLS:
	case p.conn.RequireTLS:
		c.Quit()
		return nil, &sessionFailure{reply: replyStartTLSRequired}
	default:
		return c, nil
	}
	var verifyLED string
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12, Time: p.o.clock.Now,
		VerifyConnection: func(cs tls.ConnectionState) error {
			verifyLED = p.verify(cs.PeerCertificates, tap)
			if verifyLED != "" {
				return errors.New(verifyLED)
			}
			return nil
		}}
	cert := p.tlsCert
	if verb != "STARTTLS" {
		cert = p.anonCert
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	tc, err := smtpd.ResumeTLS(conn, verb, cfg)
	if err != nil {
		return nil, p.refused(err, items, res)
	}
	switch entry := p.cert; {
	case verb != "STARTTLS":
		smtpd.LogCertificate(tap.Info, p.internal.Certificate)
	case entry != nil:
		smtpd.LogCertificate(tap.Info, entry.Certificate)
		if p.creds == credentialsNoKey || p.creds == credentialsNoSMTP {
			line := tlsNoCredentials
			if p.creds == credentialsNoSMTP {
				line = tlsUnknownCredentials
			}
			tap.Info("", line)
			return nil, &sessionFailure{reply: replyConnectionTimedOut}
		}
	}
	tc.DebugWriter = tap
	if err := tc.Hello(p.ehlo); err != nil {
		var se *smtp.SMTPError
		switch {
		case errors.As(err, &se):
			return nil, p.refused(err, items, res)
		case verifyLED != "":
			return nil, &sessionFailure{led: verifyLED}
		}
		tap.Info("", tlsSocketError)
		return nil, &sessionFailure{reply: replyConnectionDropped}
	}
	return tc, nil
}

// verify judges the server's certificate: after X-ANONYMOUSTLS by direct trust, which only
// decides whether the session is authenticated (S19); after STARTTLS per TlsAuthLevel when
// RequireTLS (S16): CertificateValidation checks the chain on this server (trust, revocation,
// time), DomainValidation also the name (TlsDomain, else the recipient's domain). It returns
// the LED of a failure, "" to go on.
func (p *plan) verify(chain []*x509.Certificate, tap *smtpd.ClientTap) string {
	if len(chain) == 0 {
		return ""
	}
	leaf := chain[0]
	tap.Info("", logReceivedCertificate)
	tap.Info(pki.Thumbprint(leaf), smtpd.CertificateThumbprint)
	level := p.conn.TlsAuthLevel
	if !p.conn.RequireTLS || (!strings.EqualFold(level, certificateValidation) && !strings.EqualFold(level, domainValidation)) {
		return ""
	}
	p.o.mu.Lock()
	st := p.s.status(leaf, chain[1:])
	p.o.mu.Unlock()
	if st != pki.CertTrustNoError {
		return fmt.Sprintf(ledCertificateValidation, chainReason(st))
	}
	if strings.EqualFold(level, domainValidation) {
		want := p.conn.TlsDomain
		if want == "" {
			want = p.rcptDomain
		}
		if !namesDomain(leaf, want) {
			return fmt.Sprintf(ledCertificateValidation, reasonNameMismatch)
		}
	}
	return ""
}

// namesDomain reports whether a certificate's CN or a SAN matches a TlsDomain: equal, a
// certificate wildcard covering it (one label, S18), or a "*.contoso.com" TlsDomain covering
// the name (its subdomains, S16): pki.NameMatches.
func namesDomain(c *x509.Certificate, tlsDomain string) bool {
	return pki.CertificateMatches(c, tlsDomain, false)
}

// transaction sends one message: MAIL, a RCPT per recipient, DATA. A 4xx to MAIL is the
// session's failure (F20: the next hop refuses the connection's terms); 5xx replies fail
// recipients, 4xx ones defer them.
func (p *plan) transaction(c *smtp.Client, it *item, i int, res *result) ([]outcome, *sessionFailure) {
	out := make([]outcome, len(it.rcpts))
	all := func(state int, text string) []outcome {
		for j := range out {
			if out[j].state == deferred && out[j].text == "" {
				out[j] = outcome{state: state, text: text, remote: true}
			}
		}
		return out
	}
	if err := c.Mail(it.msg.from, nil); err != nil {
		var se *smtp.SMTPError
		if !errors.As(err, &se) {
			return nil, &sessionFailure{reply: replyConnectionDropped}
		}
		res.acks[i] = replyText(se)
		if se.Code < 500 {
			return nil, &sessionFailure{reply: replyText(se)}
		}
		c.Reset()
		return all(failed, replyText(se)), nil
	}
	accepted := 0
	for j, r := range it.rcpts {
		err := c.Rcpt(r.routed, nil)
		var se *smtp.SMTPError
		switch {
		case err == nil:
			accepted++
		case errors.As(err, &se):
			res.acks[i] = replyText(se)
			out[j] = outcome{state: failed, text: replyText(se), remote: true}
			if se.Code < 500 {
				out[j].state = deferred
			}
		default:
			return nil, &sessionFailure{reply: replyConnectionDropped}
		}
	}
	if accepted == 0 {
		c.Reset()
		return out, nil
	}
	reply, err := p.data(c, it)
	var se *smtp.SMTPError
	switch {
	case err == nil:
		return all(delivered, reply), nil
	case errors.As(err, &se):
		res.acks[i] = replyText(se)
		if se.Code < 500 {
			return all(deferred, replyText(se)), nil
		}
		return all(failed, replyText(se)), nil
	}
	return nil, &sessionFailure{reply: replyConnectionDropped}
}

// data sends the message with the hop's headers and returns the 250.
func (p *plan) data(c *smtp.Client, it *item) (string, error) {
	w, err := c.Data()
	if err != nil {
		return "", err
	}
	m := *it.msg
	m.header = p.outboundHeaders(append(headerFields(nil), it.msg.header...))
	if _, err := w.Write(m.bytes()); err != nil {
		w.Close()
		return "", err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %s", codeAccepted, resp.StatusText), nil
}

// outboundHeaders are a message's headers as they leave the server: kept within the
// organization; converted to X-MS-Exchange-CrossPremises-* by a CloudServicesMailEnabled
// connector (S16); otherwise the header firewall removes them (S36).
func (p *plan) outboundHeaders(h headerFields) headerFields {
	switch {
	case p.internalHop:
		return h
	case p.conn.CloudServicesMailEnabled:
		return h.without(headerCrossPremises).renamed(headerOrganization, headerCrossPremises)
	}
	return h.without(headerOrganization).without(headerCrossPremises)
}

// replyText renders a server's refusal as the logs show it: code, enhanced code, text.
func replyText(se *smtp.SMTPError) string {
	msg := strings.ReplaceAll(se.Message, "\n", " ")
	if se.EnhancedCode == (smtp.EnhancedCode{}) || se.EnhancedCode == smtp.NoEnhancedCode {
		return fmt.Sprintf("%d %s", se.Code, msg)
	}
	e := se.EnhancedCode
	return fmt.Sprintf("%d %d.%d.%d %s", se.Code, e[0], e[1], e[2], msg)
}
