package pki_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// crlView is the part of a CRL the tests compare.
type crlView struct {
	Number               string
	ThisUpdate           string
	NextUpdate           string
	Revoked              string
	SignedByItsAuthority bool
}

func parseCRL(t testing.TB, p *pki.PKI, a *pki.Authority) crlView {
	t.Helper()
	der, err := p.CRL(a)
	if err != nil {
		t.Fatalf("CRL(%s): %v", a.Name, err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatalf("ParseRevocationList: %v", err)
	}
	v := crlView{
		Number:               crl.Number.String(),
		ThisUpdate:           crl.ThisUpdate.Format(time.RFC3339),
		NextUpdate:           crl.NextUpdate.Format(time.RFC3339),
		SignedByItsAuthority: crl.CheckSignatureFrom(a.Cert) == nil,
	}
	for _, e := range crl.RevokedCertificateEntries {
		v.Revoked += fmt.Sprintf("%X at %s reason %d; ", e.SerialNumber, e.RevocationTime.Format(time.RFC3339), e.ReasonCode)
	}
	return v
}

func TestCRL(t *testing.T) {
	p := newPKI(t)
	revoked := catalogue(t, p)[pki.Revoked]
	issuing, err := p.Authority(pki.PublicIssuingCA)
	if err != nil {
		t.Fatal(err)
	}
	want := crlView{Number: "1", ThisUpdate: "2026-01-05T09:00:00Z", NextUpdate: "2026-01-12T09:00:00Z",
		Revoked: revoked.SerialNumber() + " at 2025-12-29T09:00:00Z reason 1; ", SignedByItsAuthority: true}
	if got := parseCRL(t, p, issuing); got != want {
		t.Errorf("CRL(%s) = %+v, want %+v", pki.PublicIssuingCA, got, want)
	}
	for _, a := range p.Authorities() {
		if a.Name == pki.PublicIssuingCA {
			continue
		}
		want := crlView{Number: "1", ThisUpdate: "2026-01-05T09:00:00Z", NextUpdate: "2026-01-12T09:00:00Z", SignedByItsAuthority: true}
		if got := parseCRL(t, p, a); got != want {
			t.Errorf("CRL(%s) = %+v, want %+v", a.Name, got, want)
		}
	}
}

func TestRevoke(t *testing.T) {
	p := newPKI(t)
	c := catalogue(t, p)[pki.Trusted]
	at := pki.DefaultTime.Add(2 * time.Hour)
	if err := p.Revoke(c.Leaf, at); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	tests := []struct {
		name string
		at   time.Time
		want pki.ChainStatus
	}{
		{name: "BeforeRevocation", at: at.Add(-time.Second), want: pki.CertTrustNoError},
		{name: "AtRevocation", at: at, want: pki.CertTrustIsRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: p.EXOTrust(), Revocation: p, At: tt.at})
			if got != tt.want {
				t.Errorf("CheckChain at %s = %v, want %v", tt.at.Format(time.RFC3339), got, tt.want)
			}
		})
	}
	issuing, _ := p.Authority(pki.PublicIssuingCA)
	if got := parseCRL(t, p, issuing); got.Number != "1" || got.Revoked != catalogue(t, p)[pki.Revoked].SerialNumber()+" at 2025-12-29T09:00:00Z reason 1; "+c.SerialNumber()+" at 2026-01-05T11:00:00Z reason 1; " {
		t.Errorf("CRL after Revoke = %+v, want number 1 listing both revoked certificates", got)
	}
	if err := p.Revoke(catalogue(t, p)[pki.Wildcard].Leaf, at); err != nil {
		t.Fatal(err)
	}
	if got := parseCRL(t, p, issuing).Number; got != "2" {
		t.Errorf("CRL number after a second revocation = %s, want 2", got)
	}
}

func TestRevokeForeignCertificate(t *testing.T) {
	p, other := newPKI(t), newPKI(t)
	ss := catalogue(t, other)[pki.SelfSigned]
	err := p.Revoke(ss.Leaf, pki.DefaultTime)
	want := fmt.Sprintf("pki: cannot revoke %s (CN=EX01): no lab authority issued it (its issuer is CN=EX01)", ss.Thumbprint())
	if err == nil || err.Error() != want {
		t.Errorf("Revoke(self-signed) error = %v, want %q", err, want)
	}
}

// offline is a RevocationChecker whose CRL server cannot be reached.
type offline struct{}

func (offline) CheckRevocation(cert, issuer *x509.Certificate, at time.Time) (bool, error) {
	return false, errors.New("the CRL server is unreachable")
}

func TestCheckChainRevocation(t *testing.T) {
	p := newPKI(t)
	cat := catalogue(t, p)
	tests := []struct {
		name    string
		profile pki.Profile
		checker pki.RevocationChecker
		want    pki.ChainStatus
		message string
	}{
		{name: "Offline", profile: pki.Trusted, checker: offline{},
			want: pki.CertTrustRevocationStatusUnknown | pki.CertTrustIsOfflineRevocation, message: pki.TestCertificateRevocationOffline},
		{name: "RevokedButNotChecked", profile: pki.Revoked, checker: nil, want: pki.CertTrustNoError},
		{name: "PartialChainNotChecked", profile: pki.LeafOnly, checker: nil, want: pki.CertTrustIsPartialChain, message: pki.TestCertificatePartialChain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cat[tt.profile]
			got := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: presented(c), Store: p.EXOTrust(), Revocation: tt.checker, At: pki.DefaultTime})
			if got != tt.want || got.Message() != tt.message {
				t.Errorf("CheckChain(%s) = %v (%q), want %v (%q)", tt.profile, got, got.Message(), tt.want, tt.message)
			}
		})
	}
}

// TestCheckChainUntrustedRoot: a verifier that holds the untrusted root
// (the server sent it) sees CERT_TRUST_IS_UNTRUSTED_ROOT, not a partial
// chain.
func TestCheckChainUntrustedRoot(t *testing.T) {
	p := newPKI(t)
	c := catalogue(t, p)[pki.UntrustedRoot]
	got := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: []*x509.Certificate{c.Root}, Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime})
	if got != pki.CertTrustIsUntrustedRoot || got.Message() != pki.TestCertificateUntrustedRoot {
		t.Errorf("CheckChain(untrusted-root with its root) = %v (%q), want %v", got, got.Message(), pki.CertTrustIsUntrustedRoot)
	}
}

// TestNameConstraints: a lab whose roots do not permit fabrikam.com judges
// another lab's fabrikam.com certificate (same names, same pool keys, so
// the signatures check) as outside its root's name constraints.
func TestNameConstraints(t *testing.T) {
	narrow, err := pki.New(pki.Options{At: pki.DefaultTime, Domains: []string{"contoso.com", "outlook.com"}})
	if err != nil {
		t.Fatal(err)
	}
	c := catalogue(t, newPKI(t))[pki.WrongHost] // mail.fabrikam.com
	got := pki.CheckChain(c.Leaf, pki.ChainOptions{Store: narrow.OnPremTrust(), At: pki.DefaultTime})
	const want = pki.CertTrustHasNotPermittedName
	if got != want || got.Message() != pki.TestCertificateInvalidName {
		t.Errorf("CheckChain(mail.fabrikam.com under a contoso-only root) = %v (%q), want %v", got, got.Message(), want)
	}
	if _, err := c.Leaf.Verify(x509.VerifyOptions{Roots: narrow.OnPremTrust().Pool(), Intermediates: pool(narrow.OnPremTrust().Intermediates), CurrentTime: pki.DefaultTime}); err == nil {
		t.Errorf("Go's x509 verified mail.fabrikam.com under a contoso-only root")
	}
}

func pool(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

func TestChainStatusString(t *testing.T) {
	tests := []struct {
		name   string
		status pki.ChainStatus
		want   string
	}{
		{name: "NoError", status: pki.CertTrustNoError, want: "CERT_TRUST_NO_ERROR"},
		// S14's Test-Certificate sample.
		{name: "S14Sample", status: pki.CertTrustIsRevoked | pki.CertTrustIsUntrustedRoot | pki.CertTrustRevocationStatusUnknown | pki.CertTrustIsOfflineRevocation,
			want: "CERT_TRUST_IS_REVOKED\nCERT_TRUST_IS_UNTRUSTED_ROOT\nCERT_TRUST_REVOCATION_STATUS_UNKNOWN\nCERT_TRUST_IS_OFFLINE_REVOCATION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.status.String(); got != tt.want {
				t.Errorf("ChainStatus(%#x).String() = %q, want %q", uint32(tt.status), got, tt.want)
			}
		})
	}
	if got := (pki.CertTrustIsRevoked | pki.CertTrustIsUntrustedRoot).Message(); got != pki.TestCertificateRevoked {
		t.Errorf("Message() of revoked and untrusted root = %q, want %q (S14)", got, pki.TestCertificateRevoked)
	}
}

// TestTestCertificateTexts checks each text's HRESULT in hex and in signed
// decimal against each other.
func TestTestCertificateTexts(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		message string
		hresult uint32
		symbol  string
	}{
		{name: "Revoked", text: pki.TestCertificateRevoked, message: "The certificate is revoked.", hresult: 0x80092010, symbol: "CRYPT_E_REVOKED"},
		{name: "UntrustedRoot", text: pki.TestCertificateUntrustedRoot, message: "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.", hresult: 0x800B0109, symbol: "CERT_E_UNTRUSTEDROOT"},
		{name: "Expired", text: pki.TestCertificateExpired, message: "A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file.", hresult: 0x800B0101, symbol: "CERT_E_EXPIRED"},
		{name: "PartialChain", text: pki.TestCertificatePartialChain, message: "A certificate chain could not be built to a trusted root authority.", hresult: 0x800B010A, symbol: "CERT_E_CHAINING"},
		{name: "InvalidName", text: pki.TestCertificateInvalidName, message: "The certificate has an invalid name. The name is not included in the permitted list or is explicitly excluded.", hresult: 0x800B0114, symbol: "CERT_E_INVALID_NAME"},
		{name: "RevocationOffline", text: pki.TestCertificateRevocationOffline, message: "The revocation function was unable to check revocation because the revocation server was offline.", hresult: 0x80092013, symbol: "CRYPT_E_REVOCATION_OFFLINE"},
		{name: "NoRevocationCheck", text: pki.TestCertificateNoRevocationCheck, message: "The revocation function was unable to check revocation for the certificate.", hresult: 0x80092012, symbol: "CRYPT_E_NO_REVOCATION_CHECK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := fmt.Sprintf("%s 0x%08x (%d %s)", tt.message, tt.hresult, int32(tt.hresult), tt.symbol)
			if tt.text != want {
				t.Errorf("text = %q, want %q", tt.text, want)
			}
		})
	}
}
