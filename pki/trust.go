package pki

import (
	"bytes"
	"crypto/x509"
)

// TrustStore is what one side's certificate store holds for chain
// validation: the roots it trusts (Windows' Trusted Root Certification
// Authorities) and the intermediates it holds.
type TrustStore struct {
	Name          string
	Roots         []*x509.Certificate
	Intermediates []*x509.Certificate
}

// EXOTrust is Exchange Online's store: the commercial root and the Microsoft
// root, and no intermediates, since EXO builds chains from what the remote
// server presents and never fetches a missing intermediate (S29).
func (p *PKI) EXOTrust() TrustStore {
	return TrustStore{
		Name:  "Exchange Online",
		Roots: p.certs(PublicRootCA, MicrosoftRootCA),
	}
}

// OnPremTrust is an on-premises Exchange server's store: the commercial
// root, the enterprise root and the Microsoft root, and every issuing CA of
// those roots, as a server holds them once its certificates' chains are
// installed (S14's renewal advice). The untrusted root is in neither store.
func (p *PKI) OnPremTrust() TrustStore {
	return TrustStore{
		Name:          "Exchange Server (on-premises)",
		Roots:         p.certs(PublicRootCA, InternalRootCA, MicrosoftRootCA),
		Intermediates: p.certs(PublicIssuingCA, RenamedIssuingCA, ExpiredIssuingCA, MicrosoftIssuingCA),
	}
}

func (p *PKI) certs(names ...string) []*x509.Certificate {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*x509.Certificate, len(names))
	for i, n := range names {
		out[i] = p.lookup(n).Cert
	}
	return out
}

// Pool returns the trusted roots as a pool, for tls.Config.RootCAs or
// ClientCAs.
func (s TrustStore) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	for _, c := range s.Roots {
		pool.AddCert(c)
	}
	return pool
}

// PEM returns the trusted roots in PEM form (a CA bundle for openssl -CAfile,
// curl --cacert, swaks --tls-ca-path).
func (s TrustStore) PEM() []byte { return pemCertificates(s.Roots) }

func (s TrustStore) trusts(c *x509.Certificate) bool {
	for _, r := range s.Roots {
		if bytes.Equal(r.Raw, c.Raw) {
			return true
		}
	}
	return false
}
