package pki_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
	"software.sslmate.com/src/go-pkcs12"
)

func TestPFXRoundTrip(t *testing.T) {
	cat := catalogue(t, newPKI(t))
	for _, profile := range pki.Profiles() {
		c := cat[profile]
		if !c.Exportable {
			continue
		}
		for _, alg := range []pki.CryptoAlgorithmOption{pki.TripleDESSHA1, pki.AES256SHA256} {
			t.Run(string(profile)+"/"+string(alg), func(t *testing.T) {
				pfx, err := c.PFX("pw", alg)
				if err != nil {
					t.Fatalf("PFX: %v", err)
				}
				again, err := c.PFX("pw", alg)
				if err != nil || !bytes.Equal(pfx, again) {
					t.Errorf("PFX is not deterministic (err %v)", err)
				}
				got, err := pki.ImportPFX(pfx, "pw")
				if err != nil {
					t.Fatalf("ImportPFX: %v", err)
				}
				if got.Thumbprint() != c.Thumbprint() {
					t.Errorf("imported leaf %s, want %s", got.Thumbprint(), c.Thumbprint())
				}
				if gotChain, wantChain := thumbprints(got), thumbprints(c); gotChain != wantChain {
					t.Errorf("imported chain and root %s, want %s", gotChain, wantChain)
				}
				if !got.Key.(*rsa.PrivateKey).Equal(c.Key) {
					t.Errorf("imported key differs from the exported one")
				}
				if got.Exportable || !got.PresentChain || got.Profile != "" {
					t.Errorf("imported Exportable=%v PresentChain=%v Profile=%q, want false, true, \"\"", got.Exportable, got.PresentChain, got.Profile)
				}
			})
		}
	}
}

// thumbprints lists the chain and root of a certificate.
func thumbprints(c *pki.Certificate) string {
	s := ""
	for _, ca := range c.Chain {
		s += pki.Thumbprint(ca) + " "
	}
	if c.Root != nil {
		s += "root " + pki.Thumbprint(c.Root)
	}
	return s
}

// TestImportPFXFindsTheLeafByItsKey imports a PFX whose first certificate
// bag is the issuing CA, not the leaf.
func TestImportPFXFindsTheLeafByItsKey(t *testing.T) {
	c := catalogue(t, newPKI(t))[pki.Trusted]
	pfx, err := pkcs12.LegacyDES.Encode(c.Key, c.Chain[0], []*x509.Certificate{c.Root, c.Leaf}, "pw")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pki.ImportPFX(pfx, "pw")
	if err != nil {
		t.Fatalf("ImportPFX: %v", err)
	}
	if got.Thumbprint() != c.Thumbprint() || thumbprints(got) != thumbprints(c) {
		t.Errorf("ImportPFX leaf %s chain %s, want %s chain %s", got.Thumbprint(), thumbprints(got), c.Thumbprint(), thumbprints(c))
	}
}

func TestImportPFXErrors(t *testing.T) {
	c := catalogue(t, newPKI(t))[pki.Trusted]
	pfx, err := c.PFX("right", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = pki.ImportPFX(pfx, "wrong")
	const want = "pki: the PFX password is wrong; give the password the PFX was exported with: pkcs12: decryption password incorrect"
	if err == nil || err.Error() != want {
		t.Errorf("ImportPFX(wrong password) error = %v, want %q", err, want)
	}
	if !errors.Is(err, pkcs12.ErrIncorrectPassword) {
		t.Errorf("ImportPFX(wrong password) error %v does not wrap pkcs12.ErrIncorrectPassword", err)
	}
}

func TestPFXRefusals(t *testing.T) {
	cat := catalogue(t, newPKI(t))
	selfSigned, noKey := cat[pki.SelfSigned], cat[pki.NoPrivateKey]
	tests := []struct {
		name    string
		cert    *pki.Certificate
		alg     pki.CryptoAlgorithmOption
		want    string
		wantErr error
	}{
		{name: "NotExportable", cert: selfSigned, wantErr: pki.ErrKeyNotExportable,
			want: fmt.Sprintf("pki: private key is not exportable: thumbprint %s (CN=EX01) has PrivateKeyExportable False, so Export-ExchangeCertificate refuses it (S16, S18); export the certificate alone with PEM, or import it with an exportable key (Import-ExchangeCertificate -PrivateKeyExportable $true, i.e. Certificate.Exportable)", selfSigned.Thumbprint())},
		{name: "NoPrivateKey", cert: noKey, wantErr: pki.ErrNoPrivateKey,
			want: fmt.Sprintf("pki: certificate has no private key: thumbprint %s (CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US) has HasPrivateKey False, so there is no key to export; export the certificate alone with PEM, or import it from a PFX that holds its key", noKey.Thumbprint())},
		{name: "UnknownAlgorithm", cert: cat[pki.Trusted], alg: "RC2_40",
			want: "pki: CryptoAlgorithmOption \"RC2_40\" is not supported; use TripleDES_SHA1 or AES256_SHA256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pfx, err := tt.cert.PFX("pw", tt.alg)
			if err == nil {
				t.Fatalf("PFX() = %d bytes, want error %q", len(pfx), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("PFX() error = %q, want %q", err.Error(), tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("PFX() error does not wrap %v", tt.wantErr)
			}
		})
	}
}

func TestTLSWithoutKey(t *testing.T) {
	c := catalogue(t, newPKI(t))[pki.NoPrivateKey]
	_, err := c.TLS()
	want := fmt.Sprintf("pki: certificate has no private key: thumbprint %s (CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US) has HasPrivateKey False, so it cannot be presented in a TLS handshake (KB 4495258: NoCredentials); import it from a PFX that holds its key", c.Thumbprint())
	if err == nil || err.Error() != want {
		t.Errorf("TLS() error = %v, want %q", err, want)
	}
	if !errors.Is(err, pki.ErrNoPrivateKey) {
		t.Errorf("TLS() error does not wrap ErrNoPrivateKey")
	}
}

func TestPEM(t *testing.T) {
	c := catalogue(t, newPKI(t))[pki.Trusted]
	cert, chain, key, err := c.PEM()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		data  []byte
		types string
	}{
		{name: "cert", data: cert, types: "CERTIFICATE"},
		{name: "chain", data: chain, types: "CERTIFICATE"},
		{name: "key", data: key, types: "PRIVATE KEY"},
	} {
		if got := pemTypes(tt.data); got != tt.types {
			t.Errorf("PEM() %s holds %q, want %q", tt.name, got, tt.types)
		}
	}
	_, _, key, err = catalogue(t, newPKI(t))[pki.NoPrivateKey].PEM()
	if err != nil || key != nil {
		t.Errorf("PEM() of no-private-key: key %q, error %v; want nil, nil", key, err)
	}
}
