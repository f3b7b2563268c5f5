package fakeexo

import (
	"errors"
	"strconv"
	"strings"
)

// MXHost returns the MX host name Exchange Online gives a domain: its dots
// become hyphens under mail.protection.outlook.com, so contoso.com is served
// by contoso-com.mail.protection.outlook.com and contoso.mail.onmicrosoft.com
// by contoso-mail-onmicrosoft-com.mail.protection.outlook.com (§7, S14's
// FQDN). Hyphens already in the domain are kept (INFER).
func MXHost(domain string) string {
	return strings.ReplaceAll(canonicalDomain(domain), ".", "-") + ".mail.protection.outlook.com"
}

// canonicalDomain is a domain in the form every comparison uses: lower case,
// no surrounding space, no trailing dot.
func canonicalDomain(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// domainOf returns the canonical domain of an address ("" for none).
func domainOf(address string) string {
	at := strings.LastIndexByte(address, '@')
	if at < 0 {
		return ""
	}
	return canonicalDomain(address[at+1:])
}

// validDomain reports whether s is a DNS name: labels of letters, digits
// and hyphens, 1 to 63 characters, not starting or ending with a hyphen (no
// trailing dot: canonicalDomain removes one).
func validDomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// domainPattern is a domain-valued connector property: "contoso.com",
// "*.contoso.com" (the cmdlets' wildcard: "a domain and all subdomains" for
// SenderDomains, RecipientDomains and TlsSenderCertificateName, "all
// subdomains" for TlsDomain), or "*" (any domain: the HCW's SenderDomains
// "smtp:*;1").
type domainPattern struct {
	base     string // canonical; "" for "*"
	wildcard bool
}

var (
	errEmbeddedWildcard = errors.New("the wildcard can only lead, as in *.contoso.com (domain.*.contoso.com is not valid)")
	errNotDomain        = errors.New("not an SMTP domain")
	errAnyDomain        = errors.New(`"*" (any domain) is not valid here`)
)

// parseDomainPattern reads a domain, "*.domain", or "*" when any is allowed.
func parseDomainPattern(s string, any bool) (domainPattern, error) {
	s = canonicalDomain(s)
	switch {
	case s == "*" && any:
		return domainPattern{wildcard: true}, nil
	case s == "*":
		return domainPattern{}, errAnyDomain
	case strings.HasPrefix(s, "*."):
		s = s[2:]
		if strings.Contains(s, "*") {
			return domainPattern{}, errEmbeddedWildcard
		}
		if !validDomain(s) {
			return domainPattern{}, errNotDomain
		}
		return domainPattern{base: s, wildcard: true}, nil
	case strings.Contains(s, "*"):
		return domainPattern{}, errEmbeddedWildcard
	case !validDomain(s):
		return domainPattern{}, errNotDomain
	}
	return domainPattern{base: s}, nil
}

// parseAddressSpace reads a SenderDomains entry, which the HCW writes as an
// address space ("smtp:*;1", S14) and administrators as a bare domain.
func parseAddressSpace(s string) (domainPattern, error) {
	s = strings.TrimSpace(s)
	if typ, rest, ok := strings.Cut(s, ":"); ok && strings.EqualFold(typ, "smtp") {
		s = rest
		if d, cost, ok := strings.Cut(s, ";"); ok {
			if n, err := strconv.Atoi(cost); err != nil || n < 1 || n > 100 {
				return domainPattern{}, errors.New("the address space cost after ';' must be 1 to 100")
			}
			s = d
		}
	}
	return parseDomainPattern(s, true)
}

// String renders the pattern as the cmdlets show it.
func (p domainPattern) String() string {
	switch {
	case p.wildcard && p.base == "":
		return "*"
	case p.wildcard:
		return "*." + p.base
	}
	return p.base
}

// covers reports whether the pattern covers a domain: itself, and for a
// wildcard the base and every subdomain (SenderDomains, RecipientDomains).
func (p domainPattern) covers(domain string) bool {
	switch {
	case p.wildcard && p.base == "":
		return true
	case p.wildcard:
		return domain == p.base || strings.HasSuffix(domain, "."+p.base)
	}
	return domain == p.base
}
