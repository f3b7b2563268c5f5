package pki

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"

	"software.sslmate.com/src/go-pkcs12"
)

// CryptoAlgorithmOption is the PFX encryption, named as Windows'
// Export-PfxCertificate -CryptoAlgorithmOption names it.
type CryptoAlgorithmOption string

// The PFX encryptions (go-pkcs12's encoders).
const (
	// TripleDESSHA1 is pbeWithSHA1And3-KeyTripleDES-CBC with an HMAC-SHA1
	// MAC: every Windows version and OpenSSL 3 (without -legacy) open it.
	// It is the default.
	TripleDESSHA1 CryptoAlgorithmOption = "TripleDES_SHA1"
	// AES256SHA256 is PBES2 (PBKDF2-SHA256, AES-256-CBC) with an
	// HMAC-SHA256 MAC: Windows 10 1709 / Server 2019 and later, OpenSSL 1.1.1+.
	AES256SHA256 CryptoAlgorithmOption = "AES256_SHA256"
)

// PEM returns the leaf, the chain (issuer first, without the root) and the
// private key (PKCS#8) in PEM form. key is nil when there is no private key;
// PEM does not refuse a non-exportable key, because it is the lab's own copy
// (use PFX to model Export-ExchangeCertificate).
func (c *Certificate) PEM() (cert, chain, key []byte, err error) {
	cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Leaf.Raw})
	chain = pemCertificates(c.Chain)
	if c.Key != nil {
		der, err := x509.MarshalPKCS8PrivateKey(c.Key)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("pki: encoding the key of %s: %w", c.Thumbprint(), err)
		}
		key = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	return cert, chain, key, nil
}

func pemCertificates(certs []*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

// PFX exports the certificate with its chain, root and private key as a
// password-protected PKCS#12 file, as Export-ExchangeCertificate
// -BinaryEncoded -Password does. alg "" is TripleDESSHA1. The output is
// deterministic: its salts come from a generator seeded with the
// certificate. A missing or non-exportable key is refused (ErrNoPrivateKey,
// ErrKeyNotExportable).
func (c *Certificate) PFX(password string, alg CryptoAlgorithmOption) ([]byte, error) {
	if c.Key == nil {
		return nil, errNoKey(c, "there is no key to export; export the certificate alone with PEM, or import it from a PFX that holds its key")
	}
	if !c.Exportable {
		return nil, errNotExportable(c)
	}
	var enc *pkcs12.Encoder
	switch alg {
	case "", TripleDESSHA1:
		enc = pkcs12.LegacyDES
	case AES256SHA256:
		enc = pkcs12.Modern2023
	default:
		return nil, fmt.Errorf("pki: CryptoAlgorithmOption %q is not supported; use %s or %s", alg, TripleDESSHA1, AES256SHA256)
	}
	seed := sha256.Sum256(append([]byte("hybridsim pfx "+string(alg)+" "), c.Leaf.Raw...))
	cas := append([]*x509.Certificate(nil), c.Chain...)
	if c.Root != nil {
		cas = append(cas, c.Root)
	}
	pfx, err := enc.WithRand(rand.NewChaCha8(seed)).Encode(c.Key, c.Leaf, cas, password)
	if err != nil {
		return nil, fmt.Errorf("pki: exporting %s (%s): %w", c.Thumbprint(), c.Subject(), err)
	}
	return pfx, nil
}

// ImportPFX reads a PKCS#12 file as Import-ExchangeCertificate does. The
// leaf is the certificate whose public key matches the private key,
// whatever the order of the bags; the other certificates form Chain (issuer
// first) and Root. The result has no Profile, PresentChain true and
// Exportable false (Import-ExchangeCertificate's -PrivateKeyExportable
// default); set Exportable to model $true. A wrong password is an error
// wrapping pkcs12.ErrIncorrectPassword.
func ImportPFX(data []byte, password string) (*Certificate, error) {
	key, first, rest, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, fmt.Errorf("pki: the PFX password is wrong; give the password the PFX was exported with: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("pki: the data is not a PFX (PKCS#12) file hybridsim can read: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("pki: the PFX holds a %T private key, which cannot sign", key)
	}
	all := append([]*x509.Certificate{first}, rest...)
	c := &Certificate{Key: signer, PresentChain: true}
	var others []*x509.Certificate
	for _, cert := range all {
		if pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && c.Leaf == nil && pub.Equal(signer.Public()) {
			c.Leaf = cert
		} else {
			others = append(others, cert)
		}
	}
	if c.Leaf == nil {
		return nil, fmt.Errorf("pki: the PFX holds a private key but no certificate for it; export the PFX again with its certificate")
	}
	for cur := c.Leaf; len(c.Chain) < len(others) && !isSelfSigned(cur); {
		next := IssuerOf(cur, others)
		if next == nil {
			break
		}
		if isSelfSigned(next) {
			c.Root = next
			break
		}
		c.Chain = append(c.Chain, next)
		cur = next
	}
	return c, nil
}

// IssuerOf returns the certificate among candidates that issued c: its
// subject is c's issuer and its key verifies c's signature; nil if none.
func IssuerOf(c *x509.Certificate, candidates []*x509.Certificate) *x509.Certificate {
	for _, cand := range candidates {
		if bytes.Equal(cand.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(cand) == nil {
			return cand
		}
	}
	return nil
}
