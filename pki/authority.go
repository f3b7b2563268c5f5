package pki

import (
	"crypto/x509"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Names of the lab's certification authorities, as Get-ExchangeCertificate
// shows them in the Issuer of the certificates they issue, and the subject
// of Exchange Online's own certificate. The organisations are simulated; the
// layout is a commercial CA's (KB 2989382's example issuer, spec §1) and an
// Active Directory enterprise CA's.
const (
	// PublicRootCA is the simulated commercial root: EXO and on-prem trust it.
	PublicRootCA = "CN=Hybridsim Root Certification Authority, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"
	// PublicIssuingCA issues the commercial certificates (Trusted and most others).
	PublicIssuingCA = "CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"
	// RenamedIssuingCA is the commercial CA's renamed issuing CA (RenewedNewIssuer, KB 2989382).
	RenamedIssuingCA = "CN=Hybridsim RSA TLS Issuing CA G2, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"
	// ExpiredIssuingCA is an issuing CA under PublicRootCA that expired 30 days before Options.At.
	ExpiredIssuingCA = "CN=Hybridsim TLS Issuing CA 0, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"
	// InternalRootCA is the enterprise (AD CS) root: trusted on-prem only (KB 2888788).
	InternalRootCA = "CN=Contoso-DC01-CA, DC=contoso, DC=com"
	// MicrosoftRootCA is the root of Exchange Online's own certificate.
	MicrosoftRootCA = "CN=Hybridsim Cloud Root CA, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US"
	// MicrosoftIssuingCA issues Exchange Online's own certificate.
	MicrosoftIssuingCA = "CN=Hybridsim Cloud TLS Issuing CA 1, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US"
	// UntrustedRootCA is a root that no store trusts (UntrustedRoot).
	UntrustedRootCA = "CN=Hybridsim Unlisted Root CA, OU=Simulated PKI, O=Hybridsim Unlisted Provider, C=US"
	// EXOSubject is the subject of Exchange Online's server (and client)
	// certificate; its SANs are mail.protection.outlook.com,
	// *.mail.protection.outlook.com and *.outbound.protection.outlook.com
	// (spec "gaps": assumed from TlsDomain and TlsDomainCapabilities values).
	EXOSubject = "CN=mail.protection.outlook.com, O=Microsoft Corporation, L=Redmond, S=Washington, C=US"
)

// Authority is a certification authority of the lab. Its key comes from the
// pool like every other; the pki keeps its CRL (see PKI.CRL).
type Authority struct {
	Name string            // subject in Windows form, e.g. PublicIssuingCA
	Cert *x509.Certificate // the CA certificate

	parent *Authority // nil for a root
	signer memoSigner
	slug   string // file and CRL URL name, e.g. hybridsim-tls-issuing-ca-1

	// CRL state, guarded by PKI.mu.
	revoked   []x509.RevocationListEntry
	crlNumber int64
	crl       []byte
}

// crlURL is the CRL distribution point written into the certificates the
// authority issues. The .test host (RFC 2606) is never resolved or fetched.
func (a *Authority) crlURL() string { return "http://crl.hybridsim.test/" + a.slug + ".crl" }

// authoritySpec describes one built-in authority.
type authoritySpec struct {
	name     string
	parent   string // "" for a root
	validity func(at time.Time) (notBefore, notAfter time.Time)
	// microsoft restricts a root's name constraints to outlook.com and
	// onmicrosoft.com (within Options.Domains).
	microsoft bool
}

func years(back, span int) func(time.Time) (time.Time, time.Time) {
	return func(at time.Time) (time.Time, time.Time) {
		nb := day(at).AddDate(-back, 0, 0)
		return nb, nb.AddDate(span, 0, 0).Add(-time.Second)
	}
}

// builtinAuthorities are created by New in this order (which fixes their
// keys and serial numbers). A parent comes before its children.
var builtinAuthorities = []authoritySpec{
	{name: PublicRootCA, validity: years(10, 25)},
	{name: PublicIssuingCA, parent: PublicRootCA, validity: years(3, 10)},
	{name: RenamedIssuingCA, parent: PublicRootCA, validity: years(1, 10)},
	{name: ExpiredIssuingCA, parent: PublicRootCA, validity: func(at time.Time) (time.Time, time.Time) {
		return day(at).AddDate(-6, 0, 0), day(at).AddDate(0, 0, -30).Add(-time.Second)
	}},
	{name: InternalRootCA, validity: years(4, 10)},
	{name: MicrosoftRootCA, validity: years(8, 25), microsoft: true},
	{name: MicrosoftIssuingCA, parent: MicrosoftRootCA, validity: years(2, 6)},
	{name: UntrustedRootCA, validity: years(2, 20)},
}

// issuedAuthorityValidity is the validity of an issuing CA created on demand
// for Request.Issuer.
var issuedAuthorityValidity = years(2, 8)

// caTemplate builds a CA certificate template. parent is nil for a root,
// which then carries name constraints: permitted DNS subtrees only, marked
// critical (RFC 5280 §4.2.1.10), so a root trusted by mistake vouches for no
// real name.
func caTemplate(name Name, job jobKeys, nb, na time.Time, parent *Authority, permitted []string) *x509.Certificate {
	t := &x509.Certificate{
		SerialNumber:          job.serial,
		RawSubject:            name.der(),
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          job.skid,
		PublicKey:             job.signer.Public(),
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	if parent == nil {
		t.MaxPathLen = -1
		t.PermittedDNSDomains = permitted
		t.PermittedDNSDomainsCritical = true
	} else {
		t.MaxPathLenZero = true
		t.CRLDistributionPoints = []string{parent.crlURL()}
	}
	return t
}

var slugInvalid = regexp.MustCompile(`[^a-z0-9]+`)

// slugFor derives a file name from the authority's CN (or whole name),
// unique among the given authorities.
func slugFor(n Name, taken []*Authority) string {
	base := n.String()
	for _, rdn := range n.rdns {
		for _, a := range rdn {
			if a.oid.Equal(oidCommonName) {
				base = a.value
			}
		}
	}
	base = strings.Trim(slugInvalid.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if base == "" {
		base = "ca"
	}
	slug := base
	for i := 2; slugTaken(slug, taken); i++ {
		slug = fmt.Sprintf("%s-%d", base, i)
	}
	return slug
}

func slugTaken(slug string, taken []*Authority) bool {
	for _, a := range taken {
		if a.slug == slug {
			return true
		}
	}
	return false
}
