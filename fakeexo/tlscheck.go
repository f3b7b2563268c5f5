package fakeexo

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// tlsPolicy is what an outbound connector's TlsSettings asks of the
// certificate an on-premises server presents (§6, §9).
type tlsPolicy struct {
	settings TlsAuthLevel // "" is $null: opportunistic TLS
	// domain is what DomainValidation matches: TlsDomain, or the
	// recipient's domain when TlsDomain is empty (S16 TlsAuthLevel).
	domain string
	// legacy writes a name mismatch in C6's 2017 form.
	legacy bool
}

// requiresTLS reports whether the policy refuses a session without TLS:
// every TlsSettings value but $null (S16: "TLS is used").
func (p tlsPolicy) requiresTLS() bool { return p.settings != "" }

// failure is a deferral's cause: the LED's code and text, its [Message=]
// detail and the trace's {MSG=} token. It is also the error an outbound TLS
// check returns from VerifyConnection.
type failure struct {
	led          string // e.g. ledCannotConnect
	detail       string // [Message=...]
	token        string // {MSG=...}
	smtpSecurity bool   // S14's [SmtpSecurity=-1;-1]
}

func (f *failure) Error() string { return "fakeexo: " + f.led + " [Message=" + f.detail + "]" }

// newFailure is a failure whose {MSG=} token is its detail.
func newFailure(led, detail string) *failure {
	return &failure{led: led, detail: detail, token: detail}
}

// checkCertificate judges the chain a server presented (leaf first) as an
// outbound connector's TlsSettings ask, in the order S14's sample implies:
// the name (DomainValidation), then the chain to a root in EXO's store from
// the presented certificates only (S29), then revocation, then time. It
// returns nil when the certificate passes.
func checkCertificate(p tlsPolicy, presented []*x509.Certificate, store pki.TrustStore, rev pki.RevocationChecker, at time.Time) *failure {
	if p.settings == "" || p.settings == EncryptionOnly || len(presented) == 0 {
		return nil
	}
	leaf := presented[0]
	if p.settings == DomainValidation && !namesDomain(leaf, p.domain) {
		if p.legacy {
			return &failure{led: ledCertificateValidation, detail: tokenSubjectMismatch, token: tokenSubjectMismatch}
		}
		return &failure{led: ledCannotConnect, token: tokenSubjectMismatch, smtpSecurity: true,
			detail: fmt.Sprintf(detailSubjectMismatch, p.domain, pki.SubjectName(leaf), pki.Thumbprint(leaf))}
	}
	status := pki.CheckChain(leaf, pki.ChainOptions{Presented: presented[1:], Store: store, Revocation: rev, At: at})
	const untrusted = pki.CertTrustIsPartialChain | pki.CertTrustIsUntrustedRoot | pki.CertTrustIsCyclic |
		pki.CertTrustIsNotSignatureValid | pki.CertTrustHasNotPermittedName | pki.CertTrustIsNotValidForUsage
	switch {
	case status&untrusted != 0:
		return newFailure(ledCannotConnect, tokenUntrustedRoot)
	case status&pki.CertTrustIsRevoked != 0:
		return newFailure(ledCertificateValidation, tokenCertificateRevoked)
	case status&(pki.CertTrustRevocationStatusUnknown|pki.CertTrustIsOfflineRevocation) != 0:
		return newFailure(ledCertificateValidation, tokenRevocationCheckFailure)
	case status&pki.CertTrustIsNotTimeValid != 0 && expiredAt(presented, at):
		return newFailure(ledCertificateValidation, tokenCertificateExpired)
	case status&pki.CertTrustIsNotTimeValid != 0:
		return newFailure(ledCertificateValidation, tokenCertificateNotYetValid)
	}
	return nil
}

// expiredAt reports whether a presented certificate had expired at the time
// (else one is not yet valid).
func expiredAt(presented []*x509.Certificate, at time.Time) bool {
	for _, c := range presented {
		if at.After(c.NotAfter) {
			return true
		}
	}
	return false
}

// namesDomain reports whether the certificate's CN or a SAN matches the
// domain (TlsDomain: "*.contoso.com" for every subdomain; a wildcard
// certificate covers one label, S18).
func namesDomain(leaf *x509.Certificate, domain string) bool {
	p, err := parseDomainPattern(domain, false)
	if err != nil {
		return false
	}
	for _, n := range certificateNames(leaf) {
		if pki.NameMatches(p.String(), n, false) {
			return true
		}
	}
	return false
}
