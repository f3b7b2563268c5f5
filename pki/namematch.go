package pki

import (
	"crypto/x509"
	"strings"
)

// NameMatches is the one rule for certificate names: whether a name asked
// for (want) matches a name on a certificate (have, its CN or a SAN).
//
// want is a host name (mail.contoso.com: a receive connector's FQDN, a send
// connector's smart host, a TlsDomain) or a connector's wildcard
// (*.contoso.com: every subdomain, and contoso.com itself when includeBase,
// as TlsSenderCertificateName has it; TlsDomain covers subdomains only).
// have may itself be a wildcard, which stands for exactly one label (S18): a
// *.contoso.com certificate answers to mail.contoso.com and to the
// connector values *.contoso.com and *.com, not to contoso.com or
// a.mail.contoso.com. Names compare in any case, a final dot aside.
func NameMatches(want, have string, includeBase bool) bool {
	want, have = canonicalName(want), canonicalName(have)
	if want == "" || have == "" {
		return false
	}
	base, wantWildcard := strings.CutPrefix(want, "*.")
	if rest, ok := strings.CutPrefix(have, "*."); ok {
		if wantWildcard {
			return rest == base || strings.HasSuffix(rest, "."+base)
		}
		label, parent, ok := strings.Cut(want, ".")
		return ok && label != "" && parent == rest
	}
	if wantWildcard {
		return strings.HasSuffix(have, "."+base) || includeBase && have == base
	}
	return have == want
}

// CertificateMatches reports whether any name of a certificate (its
// subject's CN, its SANs) matches want (NameMatches).
func CertificateMatches(c *x509.Certificate, want string, includeBase bool) bool {
	if c == nil {
		return false
	}
	if NameMatches(want, c.Subject.CommonName, includeBase) {
		return true
	}
	for _, n := range c.DNSNames {
		if NameMatches(want, n, includeBase) {
			return true
		}
	}
	return false
}

func canonicalName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}
