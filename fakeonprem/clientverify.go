package fakeonprem

import (
	"crypto/x509"
	"errors"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// errUntrustedClient fails a STARTTLS handshake whose client certificate claims one of the
// connector's TlsDomainCapabilities domains but chains to a root the server does not trust.
var errUntrustedClient = errors.New("fakeonprem: the client certificate chains to a root this server does not trust")

// verifyClient is the handshake's judgement of the client's certificate (smtpd's
// VerifyClient): Schannel builds the chain of a certificate that claims a capability domain
// (mail.protection.outlook.com: Exchange Online's) against the machine's trust, and a chain
// that ends in an untrusted or missing root fails the handshake. That is how Exchange Online's
// move to DigiCert Global Root G2 stops its mail to a server that lacks the root (G2-2026:
// Exchange Online cannot establish the session; the mechanism inside Schannel is INFER).
// Only a chain to a root Windows would have fetched on demand (pki.AutoUpdateRoots) fails the
// handshake; a chain to any other untrusted root, or one whose revocation cannot be checked,
// is refused at MAIL FROM as F07's 2018 source shows. The two sources disagree on what a
// missing root does; this keeps each where it was observed (INFER).
func (st *session) verifyClient(chain []*x509.Certificate) error {
	o := st.s.org
	o.mu.Lock()
	defer o.mu.Unlock()
	peer := chain[0]
	for _, v := range st.cfg.TlsDomainCapabilities {
		domain, _, _ := strings.Cut(v, ":")
		q := query{fqdn: domain}
		if n, err := pki.ParseTlsCertificateName(domain); err == nil {
			q = query{name: &n}
		}
		if !q.matches(peer) {
			continue
		}
		if st.s.status(peer, chain[1:])&(pki.CertTrustIsUntrustedRoot|pki.CertTrustIsPartialChain) != 0 && st.s.chainsToAutoUpdateRoot(chain) {
			st.untrustedClient = true
			return errUntrustedClient
		}
	}
	return nil
}

// chainsToAutoUpdateRoot reports whether the chain's last certificate was issued by a root
// Windows fetches on demand, which this server lacks because DisableRootAutoUpdate is set.
func (s *server) chainsToAutoUpdateRoot(chain []*x509.Certificate) bool {
	last := chain[len(chain)-1]
	return s.cfg.DisableRootAutoUpdate && pki.IssuerOf(last, s.org.pki.AutoUpdateRoots()) != nil
}
