package fakeonprem

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// A server's trust: its roots (Cert:\LocalMachine\Root) and intermediates
// (Cert:\LocalMachine\CA), the chains it builds for its own certificates and the chains it
// judges for its peers', with pki.CheckChain. Callers hold o.mu.

// trust is the server's store as pki sees it: Cert:\LocalMachine\Root, and, unless
// DisableRootAutoUpdate is set, the roots Windows fetches on demand from Microsoft's trusted
// root program (pki.AutoUpdateRoots: DigiCert Global Root G2, G2-2026).
func (s *server) trust() pki.TrustStore {
	roots := s.cfg.TrustedRoots
	if !s.cfg.DisableRootAutoUpdate {
		if auto := s.org.pki.AutoUpdateRoots(); len(auto) > 0 {
			roots = append(slices.Clip(roots), auto...)
		}
	}
	return pki.TrustStore{Name: s.cfg.Name, Roots: roots, Intermediates: s.cfg.Intermediates}
}

// revocation is how the server checks revocation: the lab's CRLs, or none reachable.
func (s *server) revocation() pki.RevocationChecker {
	if s.cfg.RevocationOffline {
		return offlineCRL{}
	}
	return s.org.pki
}

// offlineCRL is a CRL server that cannot be reached (F07).
type offlineCRL struct{}

var errCRLOffline = errors.New("fakeonprem: the CRL distribution point cannot be reached")

func (offlineCRL) CheckRevocation(_, _ *x509.Certificate, _ time.Time) (bool, error) {
	return false, errCRLOffline
}

// status judges a chain on this server at the clock's instant: the leaf and the certificates
// that came with it. It is not cached: the lab may revoke a certificate at any instant.
func (s *server) status(leaf *x509.Certificate, with []*x509.Certificate) pki.ChainStatus {
	return pki.CheckChain(leaf, pki.ChainOptions{Presented: with, Store: s.trust(), Revocation: s.revocation(), At: s.org.clock.Now()})
}

// ownStatus judges one of the server's own certificates with its issuing CAs, which Windows
// would fetch through AIA for its own check (INFER, doc.go).
func (s *server) ownStatus(c *pki.Certificate) pki.ChainStatus { return s.status(c.Leaf, c.Chain) }

// validPKI is the selection's judge (S1 step 9b): CA-issued, chain to a trusted root, not
// revoked; time validity is left to step 9d.
func (s *server) validPKI(e *ExchangeCertificate) bool {
	return !e.Certificate.IsSelfSigned() && s.ownStatus(e.Certificate)&^pki.CertTrustIsNotTimeValid == pki.CertTrustNoError
}

// certificateStatus is Get-ExchangeCertificate's Status for a chain status (spec §6).
func certificateStatus(st pki.ChainStatus) string {
	switch {
	case st == pki.CertTrustNoError:
		return "Valid"
	case st&pki.CertTrustIsRevoked != 0:
		return "Revoked"
	case st&(pki.CertTrustIsUntrustedRoot|pki.CertTrustIsPartialChain) != 0:
		return "Untrusted"
	case st&pki.CertTrustIsNotTimeValid != 0:
		return "DateInvalid"
	case st&(pki.CertTrustIsOfflineRevocation|pki.CertTrustRevocationStatusUnknown) != 0:
		return "RevocationCheckFailure"
	}
	return "Invalid"
}

// tlsCertificate is what the server presents with one of its certificates: the leaf, the
// intermediates its CA store holds (Schannel builds the chain it sends from the machine's
// stores; Import-ExchangeCertificate puts a PFX's intermediates there), and the root when it
// trusts it, as Schannel sends the anchor. "Leaf only" is a condition of the stores, not of
// the certificate: a server whose CA store lacks the issuing CA sends the leaf alone (F05,
// F16), whatever the certificate's pki.Certificate.PresentChain says.
func (s *server) tlsCertificate(e *ExchangeCertificate) (tls.Certificate, error) {
	tc, err := e.Certificate.TLS()
	if err != nil {
		return tc, err
	}
	tc.Certificate = tc.Certificate[:1]
	pool := s.cfg.Intermediates
	for cur := e.Certificate.Leaf; len(tc.Certificate) < 8; {
		if root := pki.IssuerOf(cur, s.cfg.TrustedRoots); root != nil {
			if !bytes.Equal(root.Raw, cur.Raw) {
				tc.Certificate = append(tc.Certificate, root.Raw)
			}
			break
		}
		next := pki.IssuerOf(cur, pool)
		if next == nil || bytes.Equal(next.Raw, cur.Raw) {
			break
		}
		tc.Certificate = append(tc.Certificate, next.Raw)
		cur = next
	}
	return tc, nil
}

// chainReason names a failed chain in ledCertificateValidation's words.
func chainReason(st pki.ChainStatus) string {
	switch {
	case st&pki.CertTrustIsRevoked != 0:
		return reasonRevoked
	case st&(pki.CertTrustIsUntrustedRoot|pki.CertTrustIsPartialChain|pki.CertTrustIsCyclic) != 0:
		return reasonUntrustedRoot
	case st&pki.CertTrustIsNotTimeValid != 0:
		return reasonExpired
	case st&(pki.CertTrustIsOfflineRevocation|pki.CertTrustRevocationStatusUnknown) != 0:
		return reasonRevocationOffline
	}
	return reasonUntrustedRoot
}
