package fakeonprem

import (
	"crypto/x509"
	"net/netip"
	"slices"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// TestImportCertificateFile: Import-ExchangeCertificate with a .cer file
// (S16) adds the certificate without its private key.
func TestImportCertificateFile(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.RenewedSameName})
	o := l.start(contoso())
	der, _, _, err := cert.PEM()
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.ImportExchangeCertificate("EX01", der, "", false)
	if err != nil {
		t.Fatalf("ImportExchangeCertificate(.cer) = %v", err)
	}
	if got.Certificate.Thumbprint() != cert.Thumbprint() || got.Certificate.HasPrivateKey() {
		t.Errorf("imported %s HasPrivateKey=%v, want %s without its key", got.Certificate.Thumbprint(), got.Certificate.HasPrivateKey(), cert.Thumbprint())
	}
	_, err = o.ImportExchangeCertificate("EX01", []byte("not a certificate"), "", false)
	const want = `fakeonprem: Import-ExchangeCertificate on "EX01": FileData is neither a PFX (PKCS#12) file nor a certificate file (.cer, .crt, .der; DER or PEM); export the certificate with its key as a PFX, or the certificate alone as a .cer`
	if err == nil || err.Error() != want {
		t.Errorf("ImportExchangeCertificate(garbage) = %v, want %s", err, want)
	}
}

// TestServersOwnTheirStores: Remove-Item on one server's CA and Root stores
// leaves the configuration it was given, and so every other server's stores,
// as they were, even when the servers were configured with one slice.
func TestServersOwnTheirStores(t *testing.T) {
	l := newLab(t)
	trust := l.pki.OnPremTrust()
	roots, inters := slices.Clone(trust.Roots), slices.Clone(trust.Intermediates)
	cfg := contoso(
		Server{Name: "EX01", IPAddresses: []netip.Addr{netip.MustParseAddr(ex01Addr)}, TrustedRoots: trust.Roots, Intermediates: trust.Intermediates},
		Server{Name: "EX02", IPAddresses: []netip.Addr{netip.MustParseAddr("203.0.113.11")}, TrustedRoots: trust.Roots, Intermediates: trust.Intermediates},
	)
	o := l.start(cfg)
	for _, path := range []string{`Cert:\LocalMachine\CA\` + pki.Thumbprint(trust.Intermediates[0]), `Cert:\LocalMachine\Root\` + pki.Thumbprint(trust.Roots[0])} {
		if err := o.RemoveItem("EX01", path); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(trust.Roots, roots) || !slices.Equal(trust.Intermediates, inters) {
		t.Errorf("Remove-Item on EX01 changed the configured stores: roots %v (was %v), intermediates %v (was %v)",
			names(trust.Roots), names(roots), names(trust.Intermediates), names(inters))
	}
}

func names(certs []*x509.Certificate) []string {
	var out []string
	for _, c := range certs {
		if c == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, c.Subject.CommonName)
	}
	return out
}
