package smtpd

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"syscall"
	"time"
)

// startTLS handles STARTTLS (RFC 3207), and X-ANONYMOUSTLS (anonymous) the same way with the
// internal transport certificate (§3a): offered iff the policy gave the certificate and the
// session is not TLS yet, otherwise unrecognized as any verb the session does not offer
// (INFER, doc.go). Once 220 is out, serve runs the handshake.
func (s *Session) startTLS(arg string, anonymous bool) {
	r := &s.srv.dialect.Replies
	cert := s.hooks.Certificate
	if anonymous {
		cert = s.hooks.AnonymousTLSCertificate
	}
	switch {
	case s.tls != nil || cert == nil:
		s.reply(r.Unrecognized)
	case arg != "":
		s.reply(r.InvalidArguments)
	default:
		s.reply(r.StartTLS)
		s.upgrade, s.anonymous = true, anonymous
	}
}

// handshake runs the TLS handshake after STARTTLS's 220, then the Handshake hook. After it the
// session starts over: no EHLO name, no transaction. Its own frame is small, for the reason
// given on serve; the work around the handshake is in the functions it calls.
func (s *Session) handshake() error {
	s.upgrade = false
	tc, err := s.tlsServer()
	if err != nil {
		return err
	}
	return s.handshakeDone(tc, tc.Handshake())
}

// tlsServer writes the 220 and readies the server side of the handshake.
func (s *Session) tlsServer() (*tls.Conn, error) {
	if err := s.flush(); err != nil {
		return nil, err
	}
	// Whatever the client sent after STARTTLS and before the handshake came in the clear:
	// drop it rather than run it under TLS (RFC 3207 §5, CVE-2011-0411).
	s.r.Reset(connReader{s})
	s.raw.SetDeadline(deadline(s.srv.cfg.ReadTimeout))
	if s.evicted.Load() { // Shutdown's wake-up came before the deadline above
		s.raw.SetDeadline(longAgo)
	}
	s.readBy, s.writeBy = time.Time{}, time.Time{} // the next read and write re-arm their own
	c := s.tlsConfig()
	if v := s.hooks.VerifyClient; v != nil && !s.anonymous {
		c = c.Clone()
		c.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			chain := make([]*x509.Certificate, 0, len(raw))
			for _, der := range raw {
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return err
				}
				chain = append(chain, cert)
			}
			if len(chain) == 0 {
				return nil
			}
			return v(chain)
		}
	}
	return tls.Server(s.raw, c), nil
}

// handshakeDone takes the handshake's outcome to the Handshake hook and the session.
func (s *Session) handshakeDone(tc *tls.Conn, err error) error {
	state := tc.ConnectionState()
	if err == nil {
		s.conn, s.tls = tc, &state
		s.helo = ""
		s.resetTx()
	}
	var rep *Reply
	if f := s.hooks.Handshake; f != nil {
		rep = f(&state, err)
	}
	if err != nil {
		// The client hung up mid-handshake, or this side gave up on what it sent.
		s.closeCtx = "Local"
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
			s.closeCtx = disconnectContext(err)
		}
		return errHandshakeFailed
	}
	if rep != nil {
		s.reply(*rep)
	}
	return nil
}

// tlsConfig is the session's handshake configuration: the base, the policy's certificate
// (the internal transport certificate for X-ANONYMOUSTLS) whatever the SNI, the policy's
// client-certificate request, the injected clock.
//
// Sessions whose policy gives the same certificate and client-certificate
// request share one configuration (a tls.Config may serve many handshakes at
// once), so that a server does not build one, and its session-ticket keys,
// per connection.
func (s *Session) tlsConfig() *tls.Config {
	cert := s.hooks.Certificate
	if s.anonymous {
		cert = s.hooks.AnonymousTLSCertificate
	}
	key := tlsConfigKey{cert: cert, auth: s.hooks.ClientAuth, cas: s.hooks.ClientCAs}
	if !s.anonymous {
		key.unusable = s.hooks.CertificateUnusable
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if c, ok := s.srv.tlsConfigs[key]; ok {
		return c
	}
	if len(s.srv.tlsConfigs) >= maxTLSConfigs {
		clear(s.srv.tlsConfigs)
	}
	c := s.srv.cfg.TLSConfig.Clone()
	c.Certificates = []tls.Certificate{*cert}
	c.GetCertificate, c.GetConfigForClient = nil, nil
	if err := key.unusable; err != nil {
		c.Certificates = nil
		c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, err }
	}
	c.ClientAuth = s.hooks.ClientAuth
	if s.hooks.ClientCAs != nil {
		c.ClientCAs = s.hooks.ClientCAs
	}
	if c.Time == nil {
		c.Time = s.srv.cfg.Clock.Now
	}
	s.srv.tlsConfigs[key] = c
	return c
}

// tlsConfigKey is what makes sessions' handshake configurations differ.
type tlsConfigKey struct {
	cert *tls.Certificate
	auth tls.ClientAuthType
	cas  *x509.CertPool
	// unusable is Hooks.CertificateUnusable of a STARTTLS handshake.
	unusable error
}

// maxTLSConfigs bounds the cache: a policy that builds a new certificate
// value per session gets a new configuration per session, and the cache
// starts over when it is full.
const maxTLSConfigs = 64
