package fakeexo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/emersion/go-smtp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// outcome is what one delivery attempt came to.
type outcome struct {
	sessionID string // the last outbound SMTP session; "" when none was opened
	queue     string // the queue's identity: the connector's name, or the domain for MX
	fqdn, ip  string // the last host attempted (ip "" when it did not resolve)

	delivered bool
	reply     string // delivered: the remote's reply to the message
	tls       string // delivered: e.g. "TLS1.3"; "" in the clear

	fail      *failure // a deferral
	permanent string   // a remote 5xx: the message fails now
	nextHost  bool     // a connection-level failure: try the next host
	noConnect bool     // the TCP connection itself failed: try the host's next address
}

// delivery is what one attempt sends: a message, or with nil data a probe
// that stops after RCPT TO (Validate-OutboundConnector).
type delivery struct {
	from, to string
	data     []byte
}

// attempt makes one delivery attempt of a queued message (§9), routed by the
// current configuration.
func (s *Service) attempt(ctx context.Context, it *queueItem) outcome {
	conn, domain := s.route(it)
	return s.deliver(ctx, conn, domain, delivery{from: it.msg.from, to: it.target, data: it.data})
}

// route finds the outbound connector for a queued message in the current
// configuration (nil: MX) and the domain it routes on.
func (s *Service) route(it *queueItem) (*outbound, string) {
	domain := domainOf(it.target)
	t := s.dir.Load().byName[strings.ToLower(it.tenant)]
	if t == nil {
		return nil, domain
	}
	return t.route(domain, it.fromOnPrem), domain
}

// queueName is the identity of the queue a message for domain waits in: the
// connector's name, or the domain itself for delivery by MX (INFER).
func queueName(conn *outbound, domain string) string {
	if conn != nil {
		return conn.Name
	}
	return domain
}

// deliver tries the connector's smart hosts, or the domain's MX hosts, in
// turn until one takes or refuses the message.
func (s *Service) deliver(ctx context.Context, conn *outbound, domain string, d delivery) outcome {
	pol := tlsPolicy{legacy: s.cfg.LegacySubjectMismatch}
	out := outcome{queue: queueName(conn, domain)}
	var hosts []string
	if conn != nil {
		pol.settings, pol.domain = conn.TlsSettings, conn.TlsDomain
		if pol.domain == "" {
			pol.domain = domain
		}
		if !conn.UseMXRecord {
			hosts = conn.smartHosts
		}
	}
	if conn == nil || conn.UseMXRecord {
		mxs, err := s.net.LookupMX(ctx, domain)
		if err != nil || len(mxs) == 0 {
			out.fqdn, out.fail = domain, newFailure(ledDNSQueryFailed, detailDomainNonexistent)
			return out
		}
		for _, mx := range mxs {
			hosts = append(hosts, canonicalDomain(mx.Host))
		}
	}
	for _, host := range hosts {
		next := s.tryHost(ctx, conn, host, pol, d)
		next.queue = out.queue
		out = next
		if !out.nextHost {
			break
		}
	}
	return out
}

// tryHost resolves one host and tries its addresses in turn (failover,
// hostfailover.go); each attempt connects from the outbound host and runs
// the SMTP session.
func (s *Service) tryHost(ctx context.Context, conn *outbound, host string, pol tlsPolicy, d delivery) outcome {
	out := outcome{fqdn: host, nextHost: true}
	addrs, err := s.net.LookupHost(ctx, host)
	if err != nil || len(addrs) == 0 {
		out.fail = newFailure(ledDNSQueryFailed, detailDomainNonexistent)
		return out
	}
	return failover(addrs, func(ip string) outcome { return s.tryAddress(ctx, conn, host, ip, pol, d) })
}

// tryAddress is one attempt at one address of a host.
func (s *Service) tryAddress(ctx context.Context, conn *outbound, host, ip string, pol tlsPolicy, d delivery) outcome {
	out := outcome{fqdn: host, nextHost: true, ip: ip}
	remote := net.JoinHostPort(out.ip, fmt.Sprint(smtpPort))
	out.sessionID = s.nextOutboundSession()
	tap := &smtpd.ClientTap{Sink: s.log, Clock: s.clock, SessionID: out.sessionID, Remote: remote,
		ConnectorID: s.outboundConnectorID(conn, domainOf(d.to))}
	tap.Info("", logAttemptingConnect)
	raw, err := s.net.DialFrom(ctx, s.cfg.OutboundHost, remote)
	if err != nil {
		out.fail, out.noConnect = dialFailure(err), true
		return out
	}
	if d.data != nil {
		d.data = stampOutbound(d.data, conn != nil && conn.CloudServicesMailEnabled)
	}
	return s.converse(tap, raw, host, pol, d, out)
}

// converse runs one SMTP session with go-smtp's client: EHLO with the
// outbound host name, STARTTLS when offered (required unless TlsSettings is
// $null), EXO's certificate when the server asks for one, the server's
// certificate judged by the policy, then the message. go-smtp's own
// STARTTLS path cannot greet with EXO's name or go on without STARTTLS, so
// a plain client greets and smtpd.ResumeTLS upgrades the same session.
func (s *Service) converse(tap *smtpd.ClientTap, raw net.Conn, host string, pol tlsPolicy, d delivery, out outcome) outcome {
	conn := tap.Wrap(raw)
	c := smtp.NewClient(conn)
	if err := c.Hello(s.cfg.OutboundHost); err != nil {
		c.Close()
		return sessionFailure(err, out)
	}
	if offered, _ := c.Extension("STARTTLS"); offered {
		tc, err := smtpd.ResumeTLS(conn, "STARTTLS", s.clientTLS(host, pol, tap))
		if err != nil {
			conn.Close()
			return sessionFailure(err, out)
		}
		tc.DebugWriter = tap
		if err := tc.Hello(s.cfg.OutboundHost); err != nil { // the handshake runs here
			tc.Close()
			return sessionFailure(err, out)
		}
		st, _ := tc.TLSConnectionState()
		out.tls = tlsDetail(st.Version, st.CipherSuite)
		c = tc
	} else if pol.requiresTLS() {
		tap.Info("", detailStartTLSRequired)
		c.Quit()
		c.Close()
		out.fail = newFailure(ledCannotConnect, detailStartTLSRequired)
		return out
	}
	defer c.Close()
	out.nextHost = false
	reply, err := send(c, d)
	if err != nil {
		c.Quit()
		return sessionFailure(err, out)
	}
	c.Quit()
	out.delivered, out.reply = true, reply
	return out
}

// send runs MAIL, RCPT and DATA and returns the remote's reply to the
// message; a probe stops after RCPT with RSET.
func send(c *smtp.Client, d delivery) (string, error) {
	if err := c.Mail(d.from, nil); err != nil {
		return "", err
	}
	if err := c.Rcpt(d.to, nil); err != nil {
		return "", err
	}
	if d.data == nil {
		return "", c.Reset()
	}
	w, err := c.Data()
	if err != nil {
		return "", err
	}
	if _, err := w.Write(d.data); err != nil {
		return "", err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(remoteReplyPlain, 250, resp.StatusText), nil
}

// clientTLS is the outbound handshake's configuration: SNI the host name,
// EXO's certificate presented when the server asks, the server's chain
// judged by the policy in VerifyConnection (crypto/tls's own verification
// off, so that the verdict is Exchange Online's), the lab's clock.
func (s *Service) clientTLS(host string, pol tlsPolicy, tap *smtpd.ClientTap) *tls.Config {
	pol.host = host
	return &tls.Config{
		ServerName:         host,
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS12,
		Time:               s.clock.Now,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			c, tc := s.presented()
			smtpd.LogCertificateRecord(tap.Info, c, smtpd.SendingCertificateRecord)
			return tc, nil
		},
		VerifyConnection: func(cs tls.ConnectionState) error {
			tap.Info("", smtpd.TLSNegotiated(&cs, false))
			if len(cs.PeerCertificates) > 0 {
				smtpd.LogCertificateRecord(tap.Info, &pki.Certificate{Leaf: cs.PeerCertificates[0]}, smtpd.RemoteCertificateRecord)
			}
			if f := checkCertificate(pol, cs.PeerCertificates, *s.cfg.Trust, s.pki, s.clock.Now()); f != nil {
				tap.Info("", fmt.Sprintf(logTLSFailed, f.token))
				return f
			}
			return nil
		},
	}
}

// sessionFailure turns an error of the session into its outcome: a remote
// 4xx is a deferral carrying the reply, a remote 5xx fails the message, a
// certificate the policy refused is its failure, a connection closed under
// the session is 4.4.318, any other TLS or socket error 4.4.317 (OBS
// SocketError).
func sessionFailure(err error, out outcome) outcome {
	var se *smtp.SMTPError
	var f *failure
	switch {
	case errors.As(err, &se) && se.Code >= 500:
		out.permanent, out.nextHost = remoteReply(se), false
	case errors.As(err, &se):
		out.fail = newFailure(ledCannotConnect, remoteReply(se))
	case errors.As(err, &f):
		out.fail = f
	case certificateRefused(err):
		out.fail = newFailure(ledCannotEstablish, detailStartTLSRequired)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed):
		out.fail = newFailure(ledClosedAbruptly, detailClosed)
	default:
		f := newFailure(ledCannotConnect, fmt.Sprintf(detailTLSFailed, "SocketError"))
		f.tlsFailure = true
		out.fail = f
	}
	return out
}

// certificateRefused reports whether the server ended the handshake with a bad_certificate
// alert: it refused Exchange Online's client certificate (G2-2026). crypto/tls gives a
// received alert only as a "remote error" whose text names it.
func certificateRefused(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "remote error" && oe.Err != nil && oe.Err.Error() == "tls: bad certificate"
}

// dialFailure is the deferral of a connection that could not be opened
// (F10): a timeout (a dropping firewall) or a refusal.
func dialFailure(err error) *failure {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return newFailure(ledTimedOut, detailTimedOut)
	}
	return newFailure(ledRefused, detailRefused)
}

// remoteReply renders a server's reply on one line, as an LED quotes it.
func remoteReply(se *smtp.SMTPError) string {
	text := strings.ReplaceAll(se.Message, "\n", " ")
	if se.EnhancedCode == (smtp.EnhancedCode{}) || se.EnhancedCode == smtp.NoEnhancedCode {
		return fmt.Sprintf(remoteReplyPlain, se.Code, text)
	}
	e := se.EnhancedCode
	return fmt.Sprintf(remoteReplyForm, se.Code, e[0], e[1], e[2], text)
}
