package fakeonprem

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// session is one receive session's state: what the connector decided at connect time and
// what the session has proved since.
type session struct {
	s        *server
	cfg      ReceiveConnector // the connector as it was when the session connected
	sess     *smtpd.Session
	cert     *ExchangeCertificate // the STARTTLS certificate; nil: no STARTTLS
	internal *ExchangeCertificate // the internal transport certificate; nil: no X-ANONYMOUSTLS

	exchange     bool // an Exchange server, by direct trust (anonymous TLS)
	directFailed bool // anonymous TLS whose peer failed direct trust (F27)
	granted      bool // AcceptCloudServicesMail granted (TlsDomainCapabilities)
	claimFailed  bool // a capability domain's certificate did not validate (F07)
	// untrustedClient: the handshake failed on the client certificate's root (verifyClient)
	untrustedClient bool

	grantedDomain string // the TlsDomainCapabilities domain that granted it
	chainStatus   string // the client certificate's chain status, as the log names it
	statusLogged  bool   // the post-TLS status records are written (receivelog.go)
	messages      int    // MAIL FROMs accepted: the n of `receiving message`
}

// policy is a receive connector's smtpd.Policy: at connect time it loads the STARTTLS and
// internal certificates (events included), asks every client for a certificate, and returns
// the session's hooks.
func (s *server) policy(rc *receiveConnector) smtpd.Policy {
	return func(sess *smtpd.Session) smtpd.Hooks {
		o := s.org
		o.mu.Lock()
		defer o.mu.Unlock()
		st := &session{s: s, cfg: rc.cfg, sess: sess}
		h := smtpd.Hooks{ClientAuth: tls.RequestClientCert, Extensions: st.extensions, StartTLS: st.startTLS, Handshake: st.handshake,
			Mail: st.mail, Rcpt: st.rcpt, Message: st.message, TLSConfig: s.receiveTLS()}
		if len(st.cfg.TlsDomainCapabilities) > 0 {
			h.VerifyClient = st.verifyClient
		}
		if has(st.cfg.AuthMechanism, "Tls") {
			if e := s.inboundCertificate(st.cfg); e != nil {
				if tc, err := s.tlsCertificate(e); err == nil {
					// C1: chosen without SMTP, the transport service has no access to the key:
					// the handshake fails on this side, before the sender sees a certificate.
					h.CertificateUnusable = unusableCertificate(e.Certificate.HasPrivateKey(), e.Services)
					h.Certificate, st.cert = &tc, e
				}
			}
		}
		if has(st.cfg.AuthMechanism, "ExchangeServer") {
			if e := s.internalCertificate(s.eventSource(st.cfg)); e != nil {
				if tc, err := s.tlsCertificate(e); err == nil {
					h.AnonymousTLSCertificate, st.internal = &tc, e
				}
			}
		}
		return h
	}
}

// extensions are the connector's conditional EHLO keywords (§11 INFER): AUTH NTLM for
// Integrated, LOGIN for BasicAuth (after TLS with BasicAuthRequireTLS), X-EXPS for
// ExchangeServer.
func (st *session) extensions() smtpd.Extensions {
	st.logTLSStatus()
	var ext smtpd.Extensions
	a := st.cfg.AuthMechanism
	if has(a, "Integrated") {
		ext.Auth = append(ext.Auth, "NTLM")
	}
	if has(a, "BasicAuth") && (st.sess.TLS() != nil || !has(a, "BasicAuthRequireTLS")) {
		ext.Auth = append(ext.Auth, "LOGIN")
	}
	if has(a, "ExchangeServer") {
		ext.ExchangeAuth = []string{"GSSAPI", "NTLM"}
	}
	return ext
}

// startTLS logs the certificate the handshake will present, at the 220's time (§10,
// real-artifacts §1.7).
func (st *session) startTLS() {
	e := st.cert
	if st.sess.AnonymousTLS() {
		e = st.internal
	}
	st.s.logSentCertificate(st.sess.Info, e.Certificate)
}

// handshake logs the handshake's outcome after the certificate record and judges the client's
// certificate: direct trust after X-ANONYMOUSTLS (S19), TlsDomainCapabilities after STARTTLS
// (S16).
func (st *session) handshake(state *tls.ConnectionState, err error) *smtpd.Reply {
	anonymous := st.sess.AnonymousTLS()
	e := st.cert
	if anonymous {
		e = st.internal
	}
	if err != nil {
		switch why := unusableCertificate(e.Certificate.HasPrivateKey(), e.Services); {
		case st.untrustedClient:
			st.sess.Info("", tlsUntrustedRoot)
		case !anonymous && why != nil:
			st.sess.Info("", credentialsError(why))
		default:
			st.sess.Info("", tlsSocketError)
		}
		return nil
	}
	logNegotiated(st.sess.Info, state, true)
	if len(state.PeerCertificates) == 0 {
		return nil
	}
	peer := state.PeerCertificates[0]
	st.s.logRemoteCertificate(st.sess.Info, peer)
	o := st.s.org
	o.mu.Lock()
	defer o.mu.Unlock()
	if anonymous {
		st.exchange = o.directTrust(st.s, peer)
		st.directFailed = !st.exchange
		if o.clock.Now().After(peer.NotAfter) {
			st.s.logEvent(st.s.eventSource(st.cfg), 12019, categoryTransportService, levelInformation,
				fmt.Sprintf(event12019, pki.SubjectName(peer)))
		}
		return nil
	}
	st.capabilities(state.PeerCertificates)
	return nil
}

// capabilities grants the connector's TlsDomainCapabilities whose domain the client's
// certificate names (CN or SAN, or a "<I>..<S>.." value) once its chain validates on this
// server: trust, revocation, time (S16; INFER from S13 for the name). Callers hold o.mu.
func (st *session) capabilities(chain []*x509.Certificate) {
	peer := chain[0]
	for _, v := range st.cfg.TlsDomainCapabilities {
		domain, caps, _ := strings.Cut(v, ":")
		q := query{fqdn: domain}
		if n, err := pki.ParseTlsCertificateName(domain); err == nil {
			q = query{name: &n}
		}
		if !q.matches(peer) {
			continue
		}
		status := st.s.status(peer, chain[1:])
		st.chainStatus = chainStatusName(status)
		if status != pki.CertTrustNoError {
			st.claimFailed = true
			continue
		}
		if has(strings.Split(strings.ReplaceAll(caps, " ", ""), ","), "AcceptCloudServicesMail") {
			st.granted, st.grantedDomain = true, domain
		}
	}
}

// authenticated reports whether the session may relay: an Exchange server, or EXO with its
// capability granted.
func (st *session) authenticated() bool { return st.exchange || st.granted }

// mail refuses MAIL FROM: without TLS on a RequireTLS connector (C11's receiving side), when
// a capability domain's certificate failed validation (F07), and from anonymous senders where
// AnonymousUsers may not submit (S4).
func (st *session) mail(*smtpd.Message) *smtpd.Reply {
	r := &smtpd.ExchangeServer.Replies
	switch {
	case st.cfg.RequireTLS && st.sess.TLS() == nil:
		return &r.MustStartTLS
	case st.claimFailed:
		return &replyCertificateValidationFailure
	case !st.authenticated() && !has(st.cfg.PermissionGroups, "AnonymousUsers"):
		return &r.NotAuthenticated
	}
	st.logReceiving()
	return nil
}

// rcpt accepts the organization's recipients (unknown ones of an accepted domain get User
// unknown, S4) and relays elsewhere only for an authenticated session: an Edge server whose
// peer failed direct trust answers F27's temporary refusal, others S13's Unable to relay.
func (st *session) rcpt(_ *smtpd.Message, to smtpd.Recipient) *smtpd.Reply {
	o := st.s.org
	o.mu.Lock()
	defer o.mu.Unlock()
	domain := domainOf(to.Address)
	if o.isAccepted(domain) {
		_, remote := o.remoteFor(to.Address)
		if st.s.cfg.Role == RoleMailbox && !remote && o.mailboxFor(to.Address) == nil {
			return &smtpd.ExchangeServer.Replies.UserUnknown
		}
		return nil
	}
	if st.authenticated() {
		return nil
	}
	if st.directFailed {
		return &replyDirectTrustFailed
	}
	if st.s.build.relay5754() {
		return &replyUnableToRelay5754
	}
	return &replyUnableToRelay
}

// message persists the message (categorized: mailboxes, queues) before the 250 is written.
func (st *session) message(m *smtpd.Message) smtpd.Reply {
	st.logProxyDestination()
	o := st.s.org
	o.mu.Lock()
	defer o.mu.Unlock()
	h, body := splitMessage(m.Data)
	tr := trustAnonymous
	switch {
	case st.exchange:
		tr = trustInternal
	case st.granted:
		tr = trustCrossPremises
	}
	var to []string
	for _, r := range m.To {
		to = append(to, r.Address)
	}
	msg := o.accept(st.s, &arrival{from: m.From, to: to, header: h, body: body, source: sourceSMTP, trust: tr,
		sessionID: st.sess.ID(), helo: m.HeloName, clientIP: hostOf(st.sess.RemoteAddr()),
		clientHost: m.HeloName, serverIP: hostOf(st.sess.LocalAddr()), connectorID: st.cfg.identity(),
		frontend: st.cfg.TransportRole == frontendTransport, sourceContext: st.sourceContext()})
	return smtpd.ExchangeServer.QueuedReplyStats(msg.id, msg.internal, st.s.cfg.Fqdn, len(m.Data), m.Elapsed, st.s.decimal)
}

// hostOf is an address without its port.
func hostOf(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
