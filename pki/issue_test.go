package pki_test

import (
	"bytes"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// TestIssueWithACustomersIssuer reproduces KB 2989382's certificate: a
// lab file gives the customer's issuer and subject.
func TestIssueWithACustomersIssuer(t *testing.T) {
	const issuer = "CN=Certificate Name, OU=CertificateIssuer, O=Certificate Provider, C=US"
	const subject = "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"
	p := newPKI(t)
	before := len(p.Authorities())
	first, err := p.Issue(pki.Request{Subject: subject, Issuer: issuer})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	// The same issuer written differently names the same authority.
	second, err := p.Issue(pki.Request{Profile: pki.RenewedSameName, Subject: subject, Issuer: "cn=Certificate Name,ou=CertificateIssuer,o=Certificate Provider,c=US"})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if got := len(p.Authorities()); got != before+1 {
		t.Errorf("len(Authorities()) = %d after two issues from a new issuer, want %d", got, before+1)
	}
	want := "<I>" + issuer + "<S>" + subject
	for _, c := range []*pki.Certificate{first, second} {
		if got := c.TlsCertificateName().String(); got != want {
			t.Errorf("TlsCertificateName() = %q, want %q", got, want)
		}
		if got := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime}); got != pki.CertTrustNoError {
			t.Errorf("CheckChain = %v, want %v (the new issuing CA is under the commercial root)", got, pki.CertTrustNoError)
		}
	}
	a, err := p.Authority(issuer)
	if err != nil || !bytes.Equal(a.Cert.Raw, first.Chain[0].Raw) || a.Name != issuer {
		t.Errorf("Authority(%q) = %v, %v; want the issuing CA of the certificate", issuer, a, err)
	}
}

// TestIssueUnderTheProfilesRoot checks that a new issuer sits under the root
// of the profile's own authority.
func TestIssueUnderTheProfilesRoot(t *testing.T) {
	p := newPKI(t)
	c, err := p.Issue(pki.Request{Profile: pki.InternalCA, Issuer: "CN=Contoso Issuing CA 2, DC=contoso, DC=com"})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if got := pki.IssuerName(c.Root); got != pki.InternalRootCA {
		t.Errorf("root of the new issuer = %q, want %q", got, pki.InternalRootCA)
	}
	exo := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime})
	onPrem := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: p.OnPremTrust(), Revocation: p, At: pki.DefaultTime})
	if exo != pki.CertTrustIsPartialChain|pki.CertTrustRevocationStatusUnknown || onPrem != pki.CertTrustNoError {
		t.Errorf("CheckChain EXO = %v, on-prem = %v; want partial chain, no error", exo, onPrem)
	}
}

func TestIssueOverrides(t *testing.T) {
	p := newPKI(t)
	nb, na := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 4, 23, 59, 59, 0, time.UTC)
	c, err := p.Issue(pki.Request{Subject: "CN=smtp.fabrikam.com", DNSNames: []string{"smtp.fabrikam.com"}, NotBefore: nb, NotAfter: na})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	got := viewOf(c)
	want := view{Subject: "CN=smtp.fabrikam.com", Issuer: pki.PublicIssuingCA, CertificateDomains: "smtp.fabrikam.com",
		NotBefore: "2026-01-01T00:00:00Z", NotAfter: "2026-01-04T23:59:59Z", HasPrivateKey: true, Exportable: true, PresentChain: true, ChainLength: 1}
	if got != want {
		t.Errorf("view = %+v, want %+v", got, want)
	}
	ss, err := p.Issue(pki.Request{Profile: pki.SelfSigned, ServerName: "EX02"})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if got, want := ss.Subject()+" | "+ss.Issuer()+" | "+ss.CertificateDomains()[0]+", "+ss.CertificateDomains()[1], "CN=EX02 | CN=EX02 | EX02, ex02.contoso.com"; got != want {
		t.Errorf("self-signed for EX02: %q, want %q", got, want)
	}
}

func TestIssueErrors(t *testing.T) {
	tests := []struct {
		name string
		req  pki.Request
		want string
	}{
		{name: "UnknownProfile", req: pki.Request{Profile: "fine"},
			want: `pki: unknown profile "fine"; use one of trusted, wildcard, internal-ca, untrusted-root, self-signed, expired, not-yet-valid, wrong-host, no-cn, revoked, leaf-only, expired-intermediate, renewed-same-name, renewed-new-issuer, no-private-key`},
		{name: "SelfSignedWithIssuer", req: pki.Request{Profile: pki.SelfSigned, Issuer: pki.PublicIssuingCA},
			want: `pki: Request.Issuer is "CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US", but a self-signed certificate is its own issuer; leave Issuer empty or choose another profile`},
		{name: "ServerNameOnCAIssued", req: pki.Request{ServerName: "EX01"},
			want: `pki: Request.ServerName and ServerFQDN apply to the self-signed profile only; set Subject and DNSNames for profile trusted`},
		{name: "BadSubject", req: pki.Request{Subject: "mail.contoso.com"},
			want: `pki: Request.Subject "mail.contoso.com": part 1 "mail.contoso.com": there is no "=" between the attribute name and its value; write names like "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"`},
		{name: "BadIssuer", req: pki.Request{Issuer: "Certificate Provider"},
			want: `pki: Request.Issuer "Certificate Provider": part 1 "Certificate Provider": there is no "=" between the attribute name and its value; write names like "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"`},
		{name: "RealDomain", req: pki.Request{DNSNames: []string{"mail.example.com"}},
			want: `pki: DNS name "mail.example.com" is outside the lab's domains ["contoso.com" "fabrikam.com" "onmicrosoft.com" "outlook.com" "lab" "test"]; use a name in them or add its domain to Options.Domains`},
		{name: "NotADNSName", req: pki.Request{DNSNames: []string{"mail.*.contoso.com"}},
			want: `pki: "mail.*.contoso.com" is not a DNS name; write names like mail.contoso.com or *.contoso.com`},
		{name: "Backwards", req: pki.Request{NotBefore: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
			want: `pki: certificate CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US would be valid from 2026-02-01T00:00:00Z to 2026-01-01T00:00:00Z; NotAfter must be later than NotBefore`},
	}
	p := newPKI(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := p.Issue(tt.req)
			if err == nil {
				t.Fatalf("Issue(%+v) = %s, want error %q", tt.req, c.Thumbprint(), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Issue(%+v) error = %q, want %q", tt.req, err.Error(), tt.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		opts pki.Options
		want string
	}{
		{name: "NoClock", opts: pki.Options{}, want: "pki: Options.At is zero; set it to the instant the lab clock starts, e.g. pki.DefaultTime"},
		{name: "LeadingDot", opts: pki.Options{At: pki.DefaultTime, Domains: []string{".contoso.com"}},
			want: `pki: Options.Domains entry ".contoso.com" is not a domain; write it like contoso.com or lab`},
		{name: "Wildcard", opts: pki.Options{At: pki.DefaultTime, Domains: []string{"*.contoso.com"}},
			want: `pki: Options.Domains entry "*.contoso.com" has '*'; write it like contoso.com or lab`},
		{name: "NoOutlook", opts: pki.Options{At: pki.DefaultTime, Domains: []string{"contoso.com"}},
			want: `pki: Options.Domains ["contoso.com"] lacks outlook.com; add it: Exchange Online's certificate is issued for mail.protection.outlook.com`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pki.New(tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("New(%+v) error = %v, want %q", tt.opts, err, tt.want)
			}
		})
	}
}

// TestKeyPoolWrapsAround checks the documented wrap-around: the 65th key a
// PKI takes is its first (the public root's).
func TestKeyPoolWrapsAround(t *testing.T) {
	p := newPKI(t)
	cat := catalogue(t, p) // New took 9 keys, the catalogue 15
	taken := 9 + len(cat)
	var last *pki.Certificate
	for ; taken < 65; taken++ {
		c, err := p.Issue(pki.Request{})
		if err != nil {
			t.Fatal(err)
		}
		last = c
	}
	root, err := p.Authority(pki.PublicRootCA)
	if err != nil {
		t.Fatal(err)
	}
	if !last.Key.(*rsa.PrivateKey).PublicKey.Equal(root.Cert.PublicKey) {
		t.Errorf("the 65th key is not the first key of the pool")
	}
}

// TestDeterministic checks that two PKIs made alike make the same bytes.
func TestDeterministic(t *testing.T) {
	a, b := catalogue(t, newPKI(t)), catalogue(t, newPKI(t))
	for _, profile := range pki.Profiles() {
		if !bytes.Equal(a[profile].Leaf.Raw, b[profile].Leaf.Raw) {
			t.Errorf("%s differs between two PKIs with the same options", profile)
		}
	}
	other, err := pki.New(pki.Options{At: pki.DefaultTime.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if c := catalogue(t, other); c[pki.SelfSigned].Thumbprint() == a[pki.SelfSigned].Thumbprint() {
		t.Errorf("self-signed certificates for different clocks share thumbprint %s", c[pki.SelfSigned].Thumbprint())
	}
}

// TestConcurrentUse issues, lists, revokes and checks from several
// goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := newPKI(t)
	done := make(chan error, 4)
	for range 4 {
		go func() {
			c, err := p.Issue(pki.Request{Issuer: "CN=Concurrent Issuing CA, O=Hybridsim"})
			if err == nil {
				_, err = p.Catalogue()
			}
			if err == nil {
				err = p.Revoke(c.Leaf, pki.DefaultTime)
			}
			if err == nil {
				pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: p.OnPremTrust(), Revocation: p, At: pki.DefaultTime})
				_, err = p.CRL(p.Authorities()[len(p.Authorities())-1])
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if got := len(p.Authorities()); got != 9 {
		t.Errorf("len(Authorities()) = %d, want 9 (the new issuer created once)", got)
	}
}
