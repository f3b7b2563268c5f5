package pki

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"time"
)

// Certificate is a certificate with what an Exchange server's store keeps
// beside it: its chain, its private key and whether that key may be
// exported. Its methods give the Get-ExchangeCertificate view (spec §6).
type Certificate struct {
	// Profile is the catalogue profile it was issued as; empty for
	// Exchange Online's certificate and for imported ones.
	Profile Profile
	Leaf    *x509.Certificate
	// Chain holds the issuing CAs, issuer first, without the root.
	Chain []*x509.Certificate
	// Root is the chain's root; nil for a self-signed certificate and for an
	// imported one whose PFX held no root.
	Root *x509.Certificate
	// Key is the private key; nil when HasPrivateKey is False.
	Key crypto.Signer
	// Exportable is PrivateKeyExportable: false refuses PFX export, as
	// Export-ExchangeCertificate does (S16).
	Exportable bool
	// PresentChain is whether TLS and the written catalogue's presented.pem
	// put Chain after the leaf; false for LeafOnly. A lab's servers do not
	// read it: what an Exchange server sends is built from its stores.
	PresentChain bool
}

// Thumbprint returns what Windows shows as a certificate's thumbprint: the
// SHA-1 of its DER encoding, in upper-case hex without separators.
func Thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// Thumbprint is Get-ExchangeCertificate's Thumbprint (see the function).
func (c *Certificate) Thumbprint() string { return Thumbprint(c.Leaf) }

// Subject is Get-ExchangeCertificate's Subject, e.g. "CN=mail.contoso.com,
// OU=IT, O=contoso, L=location, S=location, C=US" (see Name.String).
func (c *Certificate) Subject() string { return SubjectName(c.Leaf) }

// Issuer is Get-ExchangeCertificate's Issuer, rendered like Subject.
func (c *Certificate) Issuer() string { return IssuerName(c.Leaf) }

// CertificateDomains is Get-ExchangeCertificate's CertificateDomains: the
// DNS names of the subject alternative name extension, in order (spec §6).
func (c *Certificate) CertificateDomains() []string {
	return append([]string(nil), c.Leaf.DNSNames...)
}

// NotBefore is the start of the validity period, in UTC.
func (c *Certificate) NotBefore() time.Time { return c.Leaf.NotBefore.UTC() }

// NotAfter is the end of the validity period, in UTC.
func (c *Certificate) NotAfter() time.Time { return c.Leaf.NotAfter.UTC() }

// IsSelfSigned is Get-ExchangeCertificate's IsSelfSigned: the issuer is the
// subject and the certificate's own key verifies its signature.
func (c *Certificate) IsSelfSigned() bool { return isSelfSigned(c.Leaf) }

func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// HasPrivateKey is Get-ExchangeCertificate's HasPrivateKey.
func (c *Certificate) HasPrivateKey() bool { return c.Key != nil }

// SerialNumber is the serial number as Windows shows it: the big-endian
// bytes of its DER integer (with the leading zero DER adds to a number whose
// top bit is set) in upper-case hex.
func (c *Certificate) SerialNumber() string {
	b := c.Leaf.SerialNumber.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

// TlsCertificateName is the value a connector's TlsCertificateName takes to
// select this certificate: "<I>" + Issuer + "<S>" + Subject (spec §6).
func (c *Certificate) TlsCertificateName() TlsCertificateName {
	return TlsCertificateName{Issuer: mustName(c.Leaf.RawIssuer), Subject: mustName(c.Leaf.RawSubject)}
}

// mustName decodes a name from a parsed certificate, whose structure
// x509.ParseCertificate has already checked; a name it cannot decode (never
// one the lab makes) is the empty name.
func mustName(der []byte) Name {
	n, _ := nameFromDER(der)
	return n
}

// TLS returns the certificate as a server (or client) presents it: the leaf
// followed by Chain, or the leaf alone when PresentChain is false.
func (c *Certificate) TLS() (tls.Certificate, error) {
	if c.Key == nil {
		return tls.Certificate{}, errNoKey(c, "it cannot be presented in a TLS handshake (KB 4495258: NoCredentials); import it from a PFX that holds its key")
	}
	tc := tls.Certificate{Certificate: [][]byte{c.Leaf.Raw}, PrivateKey: c.Key, Leaf: c.Leaf}
	if c.PresentChain {
		for _, ca := range c.Chain {
			tc.Certificate = append(tc.Certificate, ca.Raw)
		}
	}
	return tc, nil
}
