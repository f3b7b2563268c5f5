package pki

import (
	"bytes"
	"crypto/x509"
	"strings"
	"time"
)

// ChainStatus is Windows' CERT_TRUST_STATUS.dwErrorStatus for a whole
// chain: the OR of every element's error flags (S39). Test-Certificate
// prints the set flags under "WARNING: Chain status:" (spec §6).
type ChainStatus uint32

// The CERT_TRUST_* error flags hybridsim's chain check sets, with the
// values of wincrypt.h. S39 gives the names and values of the first group;
// the values of the others are not captured in the spec (INFER: wincrypt.h).
const (
	CertTrustNoError                 ChainStatus = 0x00000000 // CERT_TRUST_NO_ERROR (S39)
	CertTrustIsNotTimeValid          ChainStatus = 0x00000001 // CERT_TRUST_IS_NOT_TIME_VALID (S39)
	CertTrustIsRevoked               ChainStatus = 0x00000004 // CERT_TRUST_IS_REVOKED (S39)
	CertTrustIsNotSignatureValid     ChainStatus = 0x00000008 // CERT_TRUST_IS_NOT_SIGNATURE_VALID (S39)
	CertTrustIsNotValidForUsage      ChainStatus = 0x00000010 // CERT_TRUST_IS_NOT_VALID_FOR_USAGE (S39)
	CertTrustIsUntrustedRoot         ChainStatus = 0x00000020 // CERT_TRUST_IS_UNTRUSTED_ROOT (S39)
	CertTrustRevocationStatusUnknown ChainStatus = 0x00000040 // CERT_TRUST_REVOCATION_STATUS_UNKNOWN (S39)
	CertTrustIsCyclic                ChainStatus = 0x00000080 // CERT_TRUST_IS_CYCLIC (S39)
	CertTrustHasNotPermittedName     ChainStatus = 0x00004000 // CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT (INFER)
	CertTrustIsPartialChain          ChainStatus = 0x00010000 // CERT_TRUST_IS_PARTIAL_CHAIN (S39 name; value INFER)
	CertTrustIsOfflineRevocation     ChainStatus = 0x01000000 // CERT_TRUST_IS_OFFLINE_REVOCATION (S39 name; value INFER)
)

// chainStatusNames are the Windows names, in ascending value order (the
// order of S14's Test-Certificate output).
var chainStatusNames = []struct {
	flag ChainStatus
	name string
}{
	{CertTrustIsNotTimeValid, "CERT_TRUST_IS_NOT_TIME_VALID"},
	{CertTrustIsRevoked, "CERT_TRUST_IS_REVOKED"},
	{CertTrustIsNotSignatureValid, "CERT_TRUST_IS_NOT_SIGNATURE_VALID"},
	{CertTrustIsNotValidForUsage, "CERT_TRUST_IS_NOT_VALID_FOR_USAGE"},
	{CertTrustIsUntrustedRoot, "CERT_TRUST_IS_UNTRUSTED_ROOT"},
	{CertTrustRevocationStatusUnknown, "CERT_TRUST_REVOCATION_STATUS_UNKNOWN"},
	{CertTrustIsCyclic, "CERT_TRUST_IS_CYCLIC"},
	{CertTrustHasNotPermittedName, "CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT"},
	{CertTrustIsPartialChain, "CERT_TRUST_IS_PARTIAL_CHAIN"},
	{CertTrustIsOfflineRevocation, "CERT_TRUST_IS_OFFLINE_REVOCATION"},
}

// String lists the set flags by their Windows names, one per line, in
// ascending value order, as Test-Certificate prints them; "CERT_TRUST_NO_ERROR"
// when none is set.
func (s ChainStatus) String() string {
	if s == CertTrustNoError {
		return "CERT_TRUST_NO_ERROR"
	}
	var names []string
	for _, n := range chainStatusNames {
		if s&n.flag != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "\n")
}

// Message is the error line Test-Certificate prints after
// "Test-Certificate : " for this status, or "" when there is no error. When
// several flags are set, the first in this order wins (INFER: the order of
// the base chain policy; S14's revoked-and-untrusted sample shows revoked
// first): revoked, untrusted root, partial or cyclic chain, not time valid,
// name constraints, revocation offline, revocation unknown.
func (s ChainStatus) Message() string {
	switch {
	case s&CertTrustIsRevoked != 0:
		return TestCertificateRevoked
	case s&CertTrustIsUntrustedRoot != 0:
		return TestCertificateUntrustedRoot
	case s&(CertTrustIsPartialChain|CertTrustIsCyclic) != 0:
		return TestCertificatePartialChain
	case s&CertTrustIsNotTimeValid != 0:
		return TestCertificateExpired
	case s&CertTrustHasNotPermittedName != 0:
		return TestCertificateInvalidName
	case s&CertTrustIsOfflineRevocation != 0:
		return TestCertificateRevocationOffline
	case s&CertTrustRevocationStatusUnknown != 0:
		return TestCertificateNoRevocationCheck
	}
	return ""
}

// ChainOptions is what a verifier has when it checks a chain.
type ChainOptions struct {
	// Presented are the certificates sent after the leaf in the handshake.
	Presented []*x509.Certificate
	// Store is the verifier's own store: the roots it trusts and the
	// intermediates it holds. EXO's holds no intermediates and EXO never
	// fetches a missing one (S29).
	Store TrustStore
	// Revocation answers revocation questions; nil skips the check (as
	// TlsAuthLevel EncryptionOnly would).
	Revocation RevocationChecker
	// At is the verifier's clock. Required.
	At time.Time
}

// maxChainLength bounds chain building.
const maxChainLength = 8

// CheckChain builds the leaf's chain the way Windows' chain engine does and
// returns its error status (S39): issuers are found among the trusted
// roots, the presented certificates and the store's intermediates by name
// and signature, preferring a trusted root, then one valid at At. Building
// stops at a trusted root, at a self-signed certificate
// (CERT_TRUST_IS_UNTRUSTED_ROOT unless trusted) or where no issuer is found
// (CERT_TRUST_IS_PARTIAL_CHAIN). Every element is checked for validity at
// At, every CA's permitted DNS name constraints against the leaf's DNS
// names, and every element but the root for revocation (a partial chain's
// last element cannot be checked: CERT_TRUST_REVOCATION_STATUS_UNKNOWN).
// Host names are not part of it: use x509.Certificate.VerifyHostname.
func CheckChain(leaf *x509.Certificate, opts ChainOptions) ChainStatus {
	var candidates []*x509.Certificate
	candidates = append(candidates, opts.Store.Roots...)
	candidates = append(candidates, opts.Presented...)
	candidates = append(candidates, opts.Store.Intermediates...)

	status := CertTrustNoError
	path := []*x509.Certificate{leaf}
	anchored := false // the path ends at a root (trusted or not)
	for cur := leaf; ; {
		if opts.Store.trusts(cur) {
			anchored = true
			break
		}
		if isSelfSigned(cur) {
			status |= CertTrustIsUntrustedRoot
			anchored = true
			break
		}
		next := bestIssuer(cur, candidates, opts)
		if next == nil {
			status |= CertTrustIsPartialChain
			break
		}
		if containsCert(path, next) || len(path) == maxChainLength {
			status |= CertTrustIsCyclic
			break
		}
		path = append(path, next)
		cur = next
	}

	for i, c := range path {
		if opts.At.Before(c.NotBefore) || opts.At.After(c.NotAfter) {
			status |= CertTrustIsNotTimeValid
		}
		if i > 0 && len(c.PermittedDNSDomains) > 0 {
			for _, name := range leaf.DNSNames {
				if !dnsNameAllowed(strings.TrimPrefix(name, "*."), c.PermittedDNSDomains) {
					status |= CertTrustHasNotPermittedName
				}
			}
		}
	}

	if opts.Revocation != nil {
		for i, c := range path {
			switch {
			case i+1 < len(path):
				revoked, err := opts.Revocation.CheckRevocation(c, path[i+1], opts.At)
				if err != nil {
					status |= CertTrustRevocationStatusUnknown | CertTrustIsOfflineRevocation
				} else if revoked {
					status |= CertTrustIsRevoked
				}
			case !anchored:
				status |= CertTrustRevocationStatusUnknown
			}
		}
	}
	return status
}

// bestIssuer returns the certificate among candidates that signed c,
// preferring a trusted root, then one valid at the verifier's clock.
func bestIssuer(c *x509.Certificate, candidates []*x509.Certificate, opts ChainOptions) *x509.Certificate {
	var best *x509.Certificate
	bestScore := -1
	for _, cand := range candidates {
		if !bytes.Equal(cand.RawSubject, c.RawIssuer) || bytes.Equal(cand.Raw, c.Raw) {
			continue
		}
		if cand.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil {
			continue
		}
		score := 0
		if opts.Store.trusts(cand) {
			score += 2
		}
		if !opts.At.Before(cand.NotBefore) && !opts.At.After(cand.NotAfter) {
			score++
		}
		if score > bestScore {
			best, bestScore = cand, score
		}
	}
	return best
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range certs {
		if bytes.Equal(x.Raw, c.Raw) {
			return true
		}
	}
	return false
}
