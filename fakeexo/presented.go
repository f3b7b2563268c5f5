package fakeexo

import (
	"crypto/tls"

	"github.com/hybridsim/hybridsim/pki"
)

// presentedTLS is a rotated certificate and its handshake form.
type presentedTLS struct {
	cert *pki.Certificate
	tls  *tls.Certificate
}

// presented is the certificate Exchange Online presents now, as the front door's STARTTLS
// certificate and as outbound delivery's client certificate: Config.Certificate when the
// configuration gave one; otherwise the PKI's for the clock's instant (pki.EXOCertificateAt),
// which from pki.EXOG2Since chains to DigiCert Global Root G2 (G2-2026).
func (s *Service) presented() (*pki.Certificate, *tls.Certificate) {
	if !s.rotates {
		return s.cfg.Certificate, &s.cert
	}
	c, err := s.pki.EXOCertificateAt(s.clock.Now())
	if err != nil || c == s.cfg.Certificate {
		return s.cfg.Certificate, &s.cert
	}
	s.certMu.Lock()
	defer s.certMu.Unlock()
	if s.rotated.cert != c {
		tc, err := c.TLS()
		if err != nil {
			return s.cfg.Certificate, &s.cert
		}
		s.rotated = presentedTLS{cert: c, tls: &tc}
	}
	return s.rotated.cert, s.rotated.tls
}
