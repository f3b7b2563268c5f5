package pki

import (
	"crypto/x509"
	"fmt"
	"time"
)

// DigiCertGlobalRootG2 is the name of the root Exchange Online's certificates chain to from
// EXOG2Since (G2-2026: "Trust DigiCert Global Root G2 Certificate Authority to Avoid Exchange
// Online Email Disruption"; Health Checker's TrustedRootCertificatesCheck). The lab's root of
// that name is simulated, like every authority of the lab: Windows servers fetch it on demand
// through automatic root updates unless DisableRootAutoUpdate is set.
const DigiCertGlobalRootG2 = "CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US"

// G2IssuingCA issues Exchange Online's certificate under DigiCertGlobalRootG2 (simulated).
const G2IssuingCA = "CN=Hybridsim Cloud TLS Issuing CA G2, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US"

// EXOG2Since is the instant Exchange Online begins presenting certificates that chain to
// DigiCertGlobalRootG2: 15 March 2026 (G2-2026, as updated on 4 February 2026; Health
// Checker's TrustedRootCertificatesCheck gives the same date).
var EXOG2Since = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// The G2 hierarchy's validity: the root's as DigiCert publishes it, the issuing CA's ten
// years, and Exchange Online's certificate from a month before EXOG2Since to the issuing CA's
// end.
var (
	g2RootNotBefore    = time.Date(2013, time.August, 1, 12, 0, 0, 0, time.UTC)
	g2RootNotAfter     = time.Date(2038, time.January, 15, 12, 0, 0, 0, time.UTC)
	g2IssuingNotBefore = time.Date(2020, time.September, 24, 0, 0, 0, 0, time.UTC)
)

// EXOCertificateAt returns the certificate Exchange Online presents at t: EXOCertificate
// before EXOG2Since; from then on a certificate with the same subject and names, issued by
// G2IssuingCA under DigiCertGlobalRootG2. The G2 authorities and certificate are made on
// first use, so a lab whose clock never reaches EXOG2Since issues exactly what it did
// without them (same serial numbers, keys and thumbprints).
//
// A PKI whose Options.At is EXOG2Since or later makes them when New returns (after every
// other certificate of New), so that a lab that starts on or
// after the date is presented the G2 certificate as a lab that reached it is, and a served
// lab's exported authorities include the G2 root from the start.
func (p *PKI) EXOCertificateAt(t time.Time) (*Certificate, error) {
	if t.Before(EXOG2Since) {
		return p.exo, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exoG2 != nil {
		return p.exoG2, nil
	}
	if err := p.makeG2Authorities(); err != nil {
		return nil, err
	}
	spec := exoSpec
	spec.issuer = G2IssuingCA
	// Exchange Online renews its certificate long before it expires; the lab models no
	// renewal, so this one lasts as long as its issuing CA.
	spec.validity = func(time.Time) (time.Time, time.Time) {
		return EXOG2Since.AddDate(0, -1, 0), g2IssuingNotBefore.AddDate(10, 0, 0).Add(-2 * time.Second)
	}
	pr, err := p.prepare(Request{Subject: EXOSubject, DNSNames: p.exo.Leaf.DNSNames}, spec)
	if err != nil {
		return nil, err
	}
	if err := pr.job.sign(); err != nil {
		return nil, err
	}
	p.exoG2 = p.finish(pr)
	return p.exoG2, nil
}

// makeG2Authorities makes DigiCertGlobalRootG2 and G2IssuingCA. Callers hold p.mu.
func (p *PKI) makeG2Authorities() error {
	var parent *Authority
	for _, spec := range []struct {
		name   string
		nb, na time.Time
	}{
		{DigiCertGlobalRootG2, g2RootNotBefore, g2RootNotAfter},
		{G2IssuingCA, g2IssuingNotBefore, g2IssuingNotBefore.AddDate(10, 0, 0).Add(-time.Second)},
	} {
		n, err := ParseName(spec.name)
		if err != nil {
			return err
		}
		keys, err := p.allocate()
		if err != nil {
			return err
		}
		t := caTemplate(n, keys, spec.nb, spec.na, parent, microsoftDomains(p.opts.Domains))
		job := &signJob{template: t, parent: t, pub: keys.signer.Public(), signer: keys.signer}
		if parent != nil {
			job.parent, job.signer = parent.Cert, parent.signer
		}
		if err := job.sign(); err != nil {
			return fmt.Errorf("pki: making %s: %w", spec.name, err)
		}
		a := &Authority{Name: n.String(), Cert: job.out, parent: parent, signer: keys.signer, slug: slugFor(n, p.authorities)}
		p.authorities = append(p.authorities, a)
		parent = a
	}
	return nil
}

// AutoUpdateRoots returns the roots a Windows server fetches on demand through automatic
// root updates (Microsoft's trusted root program) that the lab has made so far:
// DigiCertGlobalRootG2 once EXOCertificateAt has made it, none before.
func (p *PKI) AutoUpdateRoots() []*x509.Certificate {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.lookup(DigiCertGlobalRootG2); a != nil {
		return []*x509.Certificate{a.Cert}
	}
	return nil
}
