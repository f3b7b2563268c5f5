package pki

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"math/big"
	"time"
)

// RevocationChecker answers what a CRL says about a certificate, as the
// verifier's revocation check would (Windows checks revocation by default,
// S16 TlsAuthLevel CertificateValidation, S39 Test-Certificate). A *PKI is
// one; a fake that models an unreachable CRL server wraps it and returns an
// error.
type RevocationChecker interface {
	// CheckRevocation reports whether issuer had revoked cert at the given
	// instant. An error means the status is unknown (the CRL could not be
	// had), which CheckChain shows as CERT_TRUST_REVOCATION_STATUS_UNKNOWN
	// and CERT_TRUST_IS_OFFLINE_REVOCATION.
	CheckRevocation(cert, issuer *x509.Certificate, at time.Time) (revoked bool, err error)
}

// crlValidity is how long a CRL is valid from Options.At (its nextUpdate).
const crlValidity = 7 * 24 * time.Hour

// revoke lists cert in the authority's CRL. Callers hold PKI.mu.
func (a *Authority) revoke(cert *x509.Certificate, at time.Time) {
	a.revoked = append(a.revoked, x509.RevocationListEntry{
		SerialNumber:   new(big.Int).Set(cert.SerialNumber),
		RevocationTime: at.UTC(),
		ReasonCode:     1, // keyCompromise (RFC 5280 §5.3.1)
	})
	a.crl = nil
}

// authorityOf finds the lab authority that issued cert. Callers hold p.mu.
func (p *PKI) authorityOf(cert *x509.Certificate) *Authority {
	for _, a := range p.authorities {
		if bytes.Equal(a.Cert.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(a.Cert) == nil {
			return a
		}
	}
	return nil
}

// Revoke lists a certificate the lab issued in its issuer's CRL, revoked at
// the given instant (from then on CheckRevocation reports it revoked). The
// next CRL of that issuer carries it, with the next CRL number.
func (p *PKI) Revoke(cert *x509.Certificate, at time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.authorityOf(cert)
	if a == nil {
		return fmt.Errorf("pki: cannot revoke %s (%s): no lab authority issued it (its issuer is %s)", Thumbprint(cert), SubjectName(cert), IssuerName(cert))
	}
	a.revoke(cert, at)
	return nil
}

// CheckRevocation implements RevocationChecker with the lab's CRLs: the
// lab's CRL server is always reachable, so the only error is a certificate
// that no lab authority issued.
func (p *PKI) CheckRevocation(cert, issuer *x509.Certificate, at time.Time) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.authorities {
		if !bytes.Equal(a.Cert.Raw, issuer.Raw) {
			continue
		}
		for _, e := range a.revoked {
			if e.SerialNumber.Cmp(cert.SerialNumber) == 0 && !e.RevocationTime.After(at) {
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("pki: no CRL for issuer %s: the lab publishes CRLs for its own authorities only", SubjectName(issuer))
}

// CRL returns the authority's current CRL in DER: thisUpdate is
// Options.At, nextUpdate seven days later, and the CRL number counts the
// CRLs the authority has published (1 for the first; each Revoke makes the
// next call publish a new one). It is written to
// http://crl.hybridsim.test/<name>.crl in the certificates the authority
// issues, a URL that nothing fetches.
func (p *PKI) CRL(a *Authority) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a.crl != nil {
		return a.crl, nil
	}
	a.crlNumber++
	der, err := x509.CreateRevocationList(nil, &x509.RevocationList{
		Number:                    big.NewInt(a.crlNumber),
		ThisUpdate:                p.opts.At,
		NextUpdate:                p.opts.At.Add(crlValidity),
		RevokedCertificateEntries: a.revoked,
		SignatureAlgorithm:        x509.SHA256WithRSA,
	}, a.Cert, a.signer)
	if err != nil {
		a.crlNumber--
		return nil, fmt.Errorf("pki: signing the CRL of %s: %w", a.Name, err)
	}
	a.crl = der
	return der, nil
}
