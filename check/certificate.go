package check

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/scenarios"
)

// Health Checker's CertificateCheck thresholds (HC-Cert,
// docs/Diagnostics/HealthChecker/CertificateCheck.md): green at 60 days of
// lifetime or more, yellow from 30 to 59, red under 30; red under 2048 bits;
// yellow for a weak signature hash.
const (
	lifetimeGreenDays = 60
	lifetimeRedDays   = 30
	minimumKeyBits    = 2048
)

// lifetimeDays is Health Checker's "Lifetime in days": the whole days from
// now to NotAfter, as ($cert.NotAfter - (Get-Date)).Days counts them
// (truncated towards zero).
func lifetimeDays(c *x509.Certificate, at time.Time) int {
	return int(c.NotAfter.Sub(at) / (24 * time.Hour))
}

// lifetimeColour is CertificateCheck's lifetime colour.
func lifetimeColour(days int) Colour {
	switch {
	case days >= lifetimeGreenDays:
		return Green
	case days >= lifetimeRedDays:
		return Yellow
	}
	return Red
}

// keyBits is the certificate's public key size in bits.
func keyBits(c *x509.Certificate) int {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen()
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	}
	return 0
}

// weakHash reports whether the certificate is signed with a weak hash
// (MD2, MD5 or SHA-1), which CertificateCheck colours yellow.
func weakHash(c *x509.Certificate) bool {
	switch c.SignatureAlgorithm {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return true
	}
	return false
}

// certificateFindings is CertificateCheck on one certificate of a server's
// store.
func certificateFindings(server string, c *x509.Certificate, at time.Time, dirs []scenarios.Direction) []Finding {
	obj := fmt.Sprintf("%s certificate %s (%s)", server, pki.Thumbprint(c), pki.SubjectName(c))
	days := lifetimeDays(c, at)
	life := Finding{Check: "CertificateCheck", Object: obj, Test: "lifetime in days", Value: fmt.Sprint(days),
		Colour: lifetimeColour(days), Directions: dirs, Expires: c.NotAfter.Add(time.Second)}
	if life.Colour != Green {
		life.Detail = "renew it: import the renewed certificate, Enable-ExchangeCertificate -Services SMTP, and point every TlsCertificateName at it"
	}
	bits := keyBits(c)
	key := Finding{Check: "CertificateCheck", Object: obj, Test: "key size", Value: fmt.Sprint(bits), Colour: Green, Directions: dirs}
	if bits < minimumKeyBits {
		key.Colour, key.Detail = Red, "a key under 2048 bits is weak: request a new certificate with a 2048-bit key or larger"
	}
	hash := Finding{Check: "CertificateCheck", Object: obj, Test: "signature hash", Value: c.SignatureAlgorithm.String(), Colour: Green, Directions: dirs}
	if weakHash(c) {
		hash.Colour, hash.Detail = Yellow, "the signature hash is weak: request a certificate signed with SHA-256 or stronger"
	}
	return []Finding{life, key, hash}
}

// certificateChecks runs CertificateCheck on every certificate of every
// server, and InternalTransportCertificateCheck.
func (v *view) certificateChecks() []Finding {
	var out []Finding
	for _, s := range v.servers {
		for _, e := range s.certs {
			out = append(out, certificateFindings(s.cfg.Name, e.Certificate.Leaf, v.at, v.directionsOf(s, e))...)
		}
		out = append(out, internalTransportFinding(s, v.at))
	}
	return out
}

// directionsOf names the mail flows a certificate carries: the hybrid
// directions when a cloud connector names it or it is the SMTP certificate
// of a server that takes cloud mail, internal flows when it is the internal
// transport certificate.
func (v *view) directionsOf(s serverView, e fakeonprem.ExchangeCertificate) []scenarios.Direction {
	var dirs []scenarios.Direction
	tp := e.Certificate.Thumbprint()
	if strings.EqualFold(s.transport.InternalTransportCertificateThumbprint, tp) {
		dirs = append(dirs, scenarios.Internal)
	}
	for _, rc := range s.receive {
		if len(rc.TlsDomainCapabilities) > 0 && namesCertificate(rc.TlsCertificateName, e.Certificate) {
			dirs = append(dirs, scenarios.EXOToOnPrem)
			break
		}
	}
	for _, sc := range v.send {
		if sc.CloudServicesMailEnabled && namesCertificate(sc.TlsCertificateName, e.Certificate) && sendsFrom(sc, s.cfg.Name) {
			dirs = append(dirs, scenarios.OnPremToEXO)
			break
		}
	}
	return dirs
}

// namesCertificate reports whether a TlsCertificateName value names the
// certificate (its issuer and subject, as Exchange compares them).
func namesCertificate(value string, c *pki.Certificate) bool {
	n, err := pki.ParseTlsCertificateName(value)
	return err == nil && n.Matches(c.Leaf)
}

func sendsFrom(sc fakeonprem.SendConnector, server string) bool {
	for _, s := range sc.SourceTransportServers {
		if strings.EqualFold(s, server) {
			return true
		}
	}
	return false
}

// internalTransportFinding is InternalTransportCertificateCheck
// (HC-ITC, docs/Diagnostics/HealthChecker/InternalTransportCertificateCheck.md):
// the certificate marked as the internal transport certificate must be in
// the server's store. Health Checker also recommends not replacing Exchange's
// self-signed certificate; a replaced one is yellow (F27: the Edge
// subscription breaks).
func internalTransportFinding(s serverView, at time.Time) Finding {
	tp := s.transport.InternalTransportCertificateThumbprint
	f := Finding{Check: "InternalTransportCertificateCheck", Object: s.cfg.Name, Test: "internal transport certificate present",
		Value: tp, Colour: Green, Directions: []scenarios.Direction{scenarios.Internal}}
	if tp == "" {
		f.Value, f.Colour = "$null", Red
		f.Detail = "no internal transport certificate is set: New-ExchangeCertificate -Services SMTP (answer Yes to overwrite), then restart MSExchangeTransport"
		return f
	}
	for _, e := range s.certs {
		if strings.EqualFold(e.Certificate.Thumbprint(), tp) {
			if !e.Certificate.IsSelfSigned() {
				f.Colour = Yellow
				f.Detail = "the internal transport certificate is not Exchange's self-signed certificate: replacing it breaks direct trust with Edge servers until New-EdgeSubscription is run again"
			}
			return f
		}
	}
	f.Colour = Red
	f.Detail = "the certificate marked as internal transport certificate is not in the server's store: New-ExchangeCertificate -Services SMTP (answer Yes)"
	return f
}
