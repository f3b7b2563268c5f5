package fakeonprem

import (
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
