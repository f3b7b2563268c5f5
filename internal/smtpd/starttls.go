package smtpd

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"slices"
	"strings"
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
		if f := s.hooks.StartTLS; f != nil {
			f()
		}
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
		if c.GetConfigForClient != nil { // Schannel's order: its configurations must verify too
			c.GetConfigForClient = serverOrder(c)
		}
	}
	return tls.Server(s.raw, c), nil
}

// handshakeDone takes the handshake's outcome to the Handshake hook and the session.
func (s *Session) handshakeDone(tc *tls.Conn, err error) error {
	state := tc.ConnectionState()
	s.log.advance(handshakeLatency)
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
	base := s.srv.cfg.TLSConfig
	if s.hooks.TLSConfig != nil {
		base = s.hooks.TLSConfig
	}
	key := tlsConfigKey{cert: cert, auth: s.hooks.ClientAuth, cas: s.hooks.ClientCAs, base: base}
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
	c := base.Clone()
	c.Certificates = []tls.Certificate{*cert}
	c.GetCertificate, c.GetConfigForClient = nil, nil
	if err := key.unusable; err != nil {
		c.Certificates = nil
		c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, err }
	} else if s.hooks.TLSConfig != nil {
		c.GetConfigForClient = serverOrder(c)
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
	base *tls.Config
	// unusable is Hooks.CertificateUnusable of a STARTTLS handshake.
	unusable error
}

// serverOrder makes a handshake choose the TLS 1.2 cipher suite the way Schannel does: the
// first of c's CipherSuites, in c's order, that the client offers and that suits the
// certificate's key and the version the handshake will use (Go itself would prefer
// AES-128-GCM whatever the order). TLS 1.3 suites are Go's.
func serverOrder(c *tls.Config) func(*tls.ClientHelloInfo) (*tls.Config, error) {
	ecdsaKey := false
	if k, ok := c.Certificates[0].PrivateKey.(crypto.Signer); ok {
		_, ecdsaKey = k.Public().(*ecdsa.PublicKey)
	}
	return func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		version := uint16(0)
		for _, v := range hello.SupportedVersions {
			if v >= c.MinVersion && v <= c.MaxVersion && v > version {
				version = v
			}
		}
		for _, want := range c.CipherSuites {
			if slices.Contains(hello.CipherSuites, want) && suits(want, ecdsaKey, version) {
				one := c.Clone()
				one.GetConfigForClient = nil
				one.CipherSuites = []uint16{want}
				return one, nil
			}
		}
		return nil, nil
	}
}

// suits reports whether a TLS 1.2 suite can serve a certificate's key type at a version.
func suits(suite uint16, ecdsaKey bool, version uint16) bool {
	for _, cs := range tls.CipherSuites() {
		if cs.ID != suite {
			continue
		}
		if !slices.Contains(cs.SupportedVersions, version) {
			return false
		}
		return strings.Contains(cs.Name, "_ECDSA_") == ecdsaKey
	}
	for _, cs := range tls.InsecureCipherSuites() {
		if cs.ID == suite {
			return slices.Contains(cs.SupportedVersions, version) && strings.Contains(cs.Name, "_ECDSA_") == ecdsaKey
		}
	}
	return false
}

// maxTLSConfigs bounds the cache: a policy that builds a new certificate
// value per session gets a new configuration per session, and the cache
// starts over when it is full.
const maxTLSConfigs = 64
