package pki

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// Request describes a certificate to issue. Only Profile matters for the
// catalogue; the other fields let a lab file reproduce a customer's
// certificate with Exchange's own values. Zero fields take the profile's
// defaults (doc.go lists them per profile):
//   - Profile: Trusted.
//   - Subject: the profile's subject for mail.contoso.com, e.g.
//     "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US";
//     for SelfSigned, "CN=" + ServerName.
//   - Issuer: the profile's authority (none for SelfSigned).
//   - DNSNames: the profile's names, e.g. mail.contoso.com and
//     autodiscover.contoso.com; for SelfSigned, ServerName and ServerFQDN.
//   - NotBefore, NotAfter: the profile's validity relative to Options.At.
//   - ServerName: EX01; ServerFQDN: ServerName in lower case + ".contoso.com".
type Request struct {
	Profile Profile
	// Subject in the form Get-ExchangeCertificate shows (see ParseName); the
	// certificate's subject is encoded from it, so it renders back exactly.
	Subject string
	// Issuer names the issuing CA in Windows form. An authority with that
	// name issues the certificate; if there is none, Issue first creates an
	// issuing CA with exactly that subject under the root of the profile's
	// own authority (once per PKI), so that a lab can reproduce a customer's
	// issuer. SelfSigned takes no Issuer.
	Issuer string
	// DNSNames are the subject alternative names (Get-ExchangeCertificate's
	// CertificateDomains). Each must be a single label or lie in
	// Options.Domains.
	DNSNames []string
	// NotBefore and NotAfter bound the validity period.
	NotBefore, NotAfter time.Time
	// ServerName and ServerFQDN name the server a SelfSigned certificate is
	// made for, as Exchange setup does (S18).
	ServerName, ServerFQDN string
}

// prepared is a certificate whose serial, key and template are fixed, ready
// to be signed independently of any other.
type prepared struct {
	profile Profile
	spec    profileSpec
	issuer  *Authority // nil when self-signed
	keys    jobKeys
	job     *signJob
}

// Issue issues one certificate. It is deterministic: the same Options and
// the same sequence of calls give byte-identical certificates.
func (p *PKI) Issue(req Request) (*Certificate, error) {
	p.mu.Lock()
	pr, err := p.prepareRequest(req)
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := pr.job.sign(); err != nil {
		return nil, err
	}
	return p.finish(pr), nil
}

// prepareRequest applies the profile's defaults, validates the request and
// takes a serial number and a key. Callers hold p.mu.
func (p *PKI) prepareRequest(req Request) (*prepared, error) {
	if req.Profile == "" {
		req.Profile = Trusted
	}
	spec, ok := profileSpecs[req.Profile]
	if !ok {
		_, err := ParseProfile(string(req.Profile))
		return nil, err
	}
	if req.Profile == SelfSigned {
		if req.Issuer != "" {
			return nil, fmt.Errorf("pki: Request.Issuer is %q, but a self-signed certificate is its own issuer; leave Issuer empty or choose another profile", req.Issuer)
		}
		if req.ServerName == "" {
			req.ServerName = "EX01"
		}
		if req.ServerFQDN == "" {
			req.ServerFQDN = strings.ToLower(req.ServerName) + ".contoso.com"
		}
		spec.subject = "CN=" + req.ServerName
		spec.dnsNames = []string{req.ServerName, req.ServerFQDN}
		spec.issuer = ""
	} else if req.ServerName != "" || req.ServerFQDN != "" {
		return nil, fmt.Errorf("pki: Request.ServerName and ServerFQDN apply to the %s profile only; set Subject and DNSNames for profile %s", SelfSigned, req.Profile)
	}
	if req.Issuer != "" {
		spec.issuer = req.Issuer
	}
	pr, err := p.prepare(req, spec)
	if err != nil {
		return nil, err
	}
	pr.profile = req.Profile
	return pr, nil
}

// prepare builds the template of a leaf certificate from a request whose
// profile defaults are already in spec. Callers hold p.mu.
func (p *PKI) prepare(req Request, spec profileSpec) (*prepared, error) {
	subject := req.Subject
	if subject == "" {
		subject = spec.subject
	}
	name, err := parseName(subject)
	if err != nil {
		return nil, fmt.Errorf("pki: Request.Subject %q: %w; write names like %q", subject, err, nameExample)
	}
	dnsNames := req.DNSNames
	if len(dnsNames) == 0 {
		dnsNames = spec.dnsNames
	}
	for _, d := range dnsNames {
		if err := p.checkDNSName(d); err != nil {
			return nil, err
		}
	}
	nb, na := spec.validity(p.opts.At)
	if !req.NotBefore.IsZero() {
		nb = req.NotBefore.UTC()
	}
	if !req.NotAfter.IsZero() {
		na = req.NotAfter.UTC()
	}
	if !na.After(nb) {
		return nil, fmt.Errorf("pki: certificate %s would be valid from %s to %s; NotAfter must be later than NotBefore", subject, nb.Format(time.RFC3339), na.Format(time.RFC3339))
	}
	var issuer *Authority
	if spec.issuer != "" {
		if issuer, err = p.issuingAuthority(spec.issuer, req.Profile); err != nil {
			return nil, err
		}
	}
	keys, err := p.allocate()
	if err != nil {
		return nil, err
	}
	t := &x509.Certificate{
		SerialNumber: keys.serial,
		RawSubject:   name.der(),
		NotBefore:    nb,
		NotAfter:     na,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		// Exchange presents the same certificate as a client certificate
		// when it sends (S10, S14), so leaves carry both purposes.
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
		SubjectKeyId:          keys.skid,
		PublicKey:             keys.signer.Public(),
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	job := &signJob{template: t, parent: t, pub: keys.signer.Public(), signer: keys.signer}
	if issuer != nil {
		t.CRLDistributionPoints = []string{issuer.crlURL()}
		job.parent, job.signer = issuer.Cert, issuer.signer
	}
	return &prepared{spec: spec, issuer: issuer, keys: keys, job: job}, nil
}

// issuingAuthority finds the named authority, or creates an issuing CA with
// that exact subject under the root of the profile's own authority.
// Callers hold p.mu.
func (p *PKI) issuingAuthority(name string, profile Profile) (*Authority, error) {
	if a := p.lookup(name); a != nil {
		return a, nil
	}
	n, err := parseName(name)
	if err != nil {
		return nil, fmt.Errorf("pki: Request.Issuer %q: %w; write names like %q", name, err, nameExample)
	}
	root := p.lookup(profileSpecs[profile].issuer)
	if root == nil {
		root = p.lookup(PublicRootCA)
	}
	for root.parent != nil {
		root = root.parent
	}
	keys, err := p.allocate()
	if err != nil {
		return nil, err
	}
	nb, na := issuedAuthorityValidity(p.opts.At)
	t := caTemplate(n, keys, nb, na, root, nil)
	job := &signJob{template: t, parent: root.Cert, pub: keys.signer.Public(), signer: root.signer}
	if err := job.sign(); err != nil {
		return nil, err
	}
	a := &Authority{Name: n.String(), Cert: job.out, parent: root, signer: keys.signer, slug: slugFor(n, p.authorities)}
	p.authorities = append(p.authorities, a)
	return a, nil
}

// checkDNSName checks a subject alternative name: a single label (a NetBIOS
// name), or a name inside Options.Domains, with at most a leading "*.".
func (p *PKI) checkDNSName(d string) error {
	label := strings.TrimPrefix(d, "*.")
	if label == "" || strings.ContainsAny(label, "* \t,;") || strings.HasPrefix(label, ".") || strings.HasSuffix(label, ".") || strings.Contains(label, "..") {
		return fmt.Errorf("pki: %q is not a DNS name; write names like mail.contoso.com or *.contoso.com", d)
	}
	if !strings.Contains(d, ".") || dnsNameAllowed(label, p.opts.Domains) {
		return nil
	}
	return fmt.Errorf("pki: DNS name %q is outside the lab's domains %q; use a name in them or add its domain to Options.Domains", d, p.opts.Domains)
}

// finish assembles the Certificate once its job is signed, and lists a
// Revoked certificate in its issuer's CRL.
func (p *PKI) finish(pr *prepared) *Certificate {
	c := &Certificate{
		Profile:      pr.profile,
		Leaf:         pr.job.out,
		PresentChain: !pr.spec.presentLeafOnly,
		Exportable:   !pr.spec.notExportable && !pr.spec.noKey,
	}
	if !pr.spec.noKey {
		c.Key = pr.keys.key
	}
	for a := pr.issuer; a != nil; a = a.parent {
		if a.parent == nil {
			c.Root = a.Cert
		} else {
			c.Chain = append(c.Chain, a.Cert)
		}
	}
	if pr.spec.revoked {
		revokedAt := p.opts.At.Add(-7 * 24 * time.Hour) // revoked a week before the clock's start
		if revokedAt.Before(c.Leaf.NotBefore) {
			revokedAt = c.Leaf.NotBefore
		}
		p.mu.Lock()
		pr.issuer.revoke(c.Leaf, revokedAt)
		p.mu.Unlock()
	}
	return c
}
