package pki

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// DefaultTime is the instant the lab's clock starts at, and the default
// Options.At of `hybridsim certs`: Monday 5 January 2026, 09:00 UTC.
var DefaultTime = time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)

// Options configures New.
type Options struct {
	// At is the virtual-clock instant every validity period is relative to
	// ("expired" means expired at At). Required.
	At time.Time
	// Domains are the DNS subtrees the roots' name constraints permit, and
	// the only domains Issue will put in a certificate (single-label names
	// such as a server's NetBIOS name are allowed too).
	Domains []string
}

// DefaultDomains are the lab's domains when Options.Domains is empty: the
// test roots' name constraints permit these and nothing else.
func DefaultDomains() []string {
	return []string{"contoso.com", "fabrikam.com", "onmicrosoft.com", "outlook.com", "lab", "test"}
}

// defaultOptions fills in what opts leaves empty:
//   - Domains: DefaultDomains.
func defaultOptions(opts Options) Options {
	if len(opts.Domains) == 0 {
		opts.Domains = DefaultDomains()
	}
	opts.At = opts.At.UTC()
	return opts
}

// PKI is the lab's public key infrastructure: its authorities, the
// certificates they issue and their CRLs. Everything it makes is a function
// of its Options and of the calls made on it, in order. A PKI is safe for
// concurrent use; concurrent Issue calls get serial numbers and keys in the
// order they take the lock.
type PKI struct {
	opts Options

	mu          sync.Mutex
	serials     uint64 // serial numbers issued so far
	keys        int    // pool slots taken so far
	authorities []*Authority
	exo         *Certificate
	exoG2       *Certificate // made by EXOCertificateAt on first use (g2.go)

	catalogueMu sync.Mutex // held for the whole of Catalogue
	catalogue   []*Certificate
}

// New creates the lab's authorities (the names above, in that order) and
// Exchange Online's certificate. Options.At is required; New fills in:
//   - Domains: contoso.com, fabrikam.com, onmicrosoft.com, outlook.com, lab, test.
func New(opts Options) (*PKI, error) {
	opts = defaultOptions(opts)
	if opts.At.IsZero() {
		return nil, fmt.Errorf("pki: Options.At is zero; set it to the instant the lab clock starts, e.g. pki.DefaultTime")
	}
	for _, d := range opts.Domains {
		if err := checkDomain(d); err != nil {
			return nil, err
		}
	}
	p := &PKI{opts: opts}
	microsoft := microsoftDomains(opts.Domains)
	if !dnsNameAllowed("mail.protection.outlook.com", microsoft) {
		return nil, fmt.Errorf("pki: Options.Domains %q lacks outlook.com; add it: Exchange Online's certificate is issued for mail.protection.outlook.com", opts.Domains)
	}

	warmKeys(0, len(builtinAuthorities)+1)
	var jobs []*signJob
	templates := map[string]*x509.Certificate{}
	for _, spec := range builtinAuthorities {
		name, err := ParseName(spec.name)
		if err != nil {
			return nil, err
		}
		keys, err := p.allocate()
		if err != nil {
			return nil, err
		}
		var parent *Authority
		if spec.parent != "" {
			parent = p.lookup(spec.parent)
		}
		a := &Authority{Name: spec.name, parent: parent, signer: keys.signer, slug: slugFor(name, p.authorities)}
		permitted := opts.Domains
		if spec.microsoft {
			permitted = microsoft
		}
		nb, na := spec.validity(opts.At)
		t := caTemplate(name, keys, nb, na, parent, permitted)
		job := &signJob{template: t, parent: t, pub: keys.signer.Public(), signer: keys.signer}
		if parent != nil {
			job.parent, job.signer = templates[parent.Name], parent.signer
		}
		templates[spec.name] = t
		jobs = append(jobs, job)
		p.authorities = append(p.authorities, a)
	}
	exoReq := Request{Subject: EXOSubject, Issuer: MicrosoftIssuingCA,
		DNSNames: []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com", "*.outbound.protection.outlook.com"}}
	exo, err := p.prepare(exoReq, exoSpec)
	if err != nil {
		return nil, err
	}
	exo.job.parent = templates[MicrosoftIssuingCA]
	if err := signAll(append(jobs, exo.job)); err != nil {
		return nil, err
	}
	for i, a := range p.authorities {
		a.Cert = jobs[i].out
	}
	p.exo = p.finish(exo)
	if !opts.At.Before(EXOG2Since) {
		if _, err := p.EXOCertificateAt(opts.At); err != nil { // g2.go
			return nil, err
		}
	}
	return p, nil
}

// exoSpec is the profile-like description of Exchange Online's certificate.
var exoSpec = profileSpec{issuer: MicrosoftIssuingCA, validity: issuedDaysAgo(60), notExportable: true}

// jobKeys is what one certificate takes from the PKI's counters.
type jobKeys struct {
	serial *big.Int
	key    *rsa.PrivateKey
	skid   []byte
	signer memoSigner
}

// allocate takes the next serial number and the next pool key. Callers hold
// p.mu (New runs before the PKI is shared). Keys wrap around after the last
// pool slot (see doc.go).
func (p *PKI) allocate() (jobKeys, error) {
	slot := p.keys % keyPoolSize
	key, skid, err := pooledKey(slot)
	if err != nil {
		return jobKeys{}, err
	}
	p.keys++
	p.serials++
	return jobKeys{serial: serialNumber(p.serials), key: key, skid: skid, signer: memoSigner{slot: slot, key: key}}, nil
}

// serialNumber renders the n-th serial number of a PKI: 16 bytes, the fixed
// prefix 0x4853 ("HS") then 14 bytes of SHA-256 of the counter, so serials
// look like a commercial CA's random ones but repeat exactly on every run.
func serialNumber(n uint64) *big.Int {
	sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("hybridsim serial "), n))
	return new(big.Int).SetBytes(append([]byte{0x48, 0x53}, sum[:14]...))
}

// lookup finds an authority by name (compared as rendered, ignoring case).
// Callers hold p.mu.
func (p *PKI) lookup(name string) *Authority {
	n, err := ParseName(name)
	if err != nil {
		return nil
	}
	for _, a := range p.authorities {
		if strings.EqualFold(a.Name, n.String()) {
			return a
		}
	}
	return nil
}

// Authority returns the authority with the given name (Windows form,
// compared ignoring case and spacing), e.g. pki.PublicIssuingCA.
func (p *PKI) Authority(name string) (*Authority, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.lookup(name); a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("pki: no authority is named %q; the lab's authorities are %s", name, p.authorityNames())
}

func (p *PKI) authorityNames() string {
	names := make([]string, len(p.authorities))
	for i, a := range p.authorities {
		names[i] = fmt.Sprintf("%q", a.Name)
	}
	return strings.Join(names, ", ")
}

// Authorities returns every authority: the built-in ones in the order of
// the names above, then those Issue created for Request.Issuer.
func (p *PKI) Authorities() []*Authority {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Authority(nil), p.authorities...)
}

// EXOCertificate returns Exchange Online's own certificate (EXOSubject,
// issued by MicrosoftIssuingCA): the server certificate of its front door
// and the client certificate it presents when it sends to on-prem.
func (p *PKI) EXOCertificate() *Certificate { return p.exo }

// checkDomain validates one Options.Domains entry.
func checkDomain(d string) error {
	if d == "" || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return fmt.Errorf("pki: Options.Domains entry %q is not a domain; write it like contoso.com or lab", d)
	}
	for _, r := range d {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("pki: Options.Domains entry %q has %q; write it like contoso.com or lab", d, r)
		}
	}
	return nil
}

// microsoftDomains keeps the domains the Microsoft root may vouch for.
func microsoftDomains(domains []string) []string {
	var out []string
	for _, d := range domains {
		if dnsNameAllowed(d, []string{"outlook.com", "onmicrosoft.com"}) {
			out = append(out, d)
		}
	}
	return out
}

// dnsNameAllowed reports whether name lies in one of the subtrees, as a
// name constraint's permitted dNSName matches it (RFC 5280 §4.2.1.10).
func dnsNameAllowed(name string, subtrees []string) bool {
	name = strings.ToLower(name)
	for _, d := range subtrees {
		d = strings.ToLower(d)
		if name == d || strings.HasSuffix(name, "."+d) {
			return true
		}
	}
	return false
}
