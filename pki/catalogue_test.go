package pki_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// view is the part of Get-ExchangeCertificate's view a test compares.
type view struct {
	Subject, Issuer     string
	CertificateDomains  string
	NotBefore, NotAfter string
	IsSelfSigned        bool
	HasPrivateKey       bool
	Exportable          bool
	PresentChain        bool
	ChainLength         int
}

func viewOf(c *pki.Certificate) view {
	return view{
		Subject:            c.Subject(),
		Issuer:             c.Issuer(),
		CertificateDomains: strings.Join(c.CertificateDomains(), ", "),
		NotBefore:          c.NotBefore().Format(time.RFC3339),
		NotAfter:           c.NotAfter().Format(time.RFC3339),
		IsSelfSigned:       c.IsSelfSigned(),
		HasPrivateKey:      c.HasPrivateKey(),
		Exportable:         c.Exportable,
		PresentChain:       c.PresentChain,
		ChainLength:        len(c.Chain),
	}
}

func TestCatalogueViews(t *testing.T) {
	const subject = "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"
	const domains = "mail.contoso.com, autodiscover.contoso.com"
	commercial := func(v view) view {
		v.HasPrivateKey, v.Exportable, v.PresentChain, v.ChainLength = true, true, true, 1
		if v.Subject == "" {
			v.Subject = subject
		}
		if v.Issuer == "" {
			v.Issuer = pki.PublicIssuingCA
		}
		if v.CertificateDomains == "" {
			v.CertificateDomains = domains
		}
		if v.NotBefore == "" {
			v.NotBefore, v.NotAfter = "2025-07-09T00:00:00Z", "2026-07-08T23:59:59Z"
		}
		return v
	}
	tests := []struct {
		name    string
		profile pki.Profile
		want    view
	}{
		{name: "Trusted", profile: pki.Trusted, want: commercial(view{})},
		{name: "Wildcard", profile: pki.Wildcard, want: commercial(view{
			Subject: "CN=*.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", CertificateDomains: "*.contoso.com, contoso.com"})},
		{name: "InternalCA", profile: pki.InternalCA, want: view{Subject: subject, Issuer: pki.InternalRootCA, CertificateDomains: domains,
			NotBefore: "2025-11-06T00:00:00Z", NotAfter: "2027-11-05T23:59:59Z", HasPrivateKey: true, Exportable: true, PresentChain: true}},
		{name: "UntrustedRoot", profile: pki.UntrustedRoot, want: view{Subject: subject, Issuer: pki.UntrustedRootCA, CertificateDomains: domains,
			NotBefore: "2025-07-09T00:00:00Z", NotAfter: "2026-07-08T23:59:59Z", HasPrivateKey: true, Exportable: true, PresentChain: true}},
		{name: "SelfSigned", profile: pki.SelfSigned, want: view{Subject: "CN=EX01", Issuer: "CN=EX01", CertificateDomains: "EX01, ex01.contoso.com",
			NotBefore: "2025-01-05T09:00:00Z", NotAfter: "2030-01-05T09:00:00Z", IsSelfSigned: true, HasPrivateKey: true, PresentChain: true}},
		{name: "Expired", profile: pki.Expired, want: commercial(view{NotBefore: "2024-12-01T00:00:00Z", NotAfter: "2025-11-30T23:59:59Z"})},
		{name: "NotYetValid", profile: pki.NotYetValid, want: commercial(view{NotBefore: "2026-02-04T00:00:00Z", NotAfter: "2027-02-03T23:59:59Z"})},
		{name: "WrongHost", profile: pki.WrongHost, want: commercial(view{
			Subject: "CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US", CertificateDomains: "mail.fabrikam.com"})},
		{name: "NoCN", profile: pki.NoCN, want: commercial(view{Subject: "OU=IT, O=contoso, L=location, S=location, C=US"})},
		{name: "Revoked", profile: pki.Revoked, want: commercial(view{})},
		{name: "LeafOnly", profile: pki.LeafOnly, want: func() view { v := commercial(view{}); v.PresentChain = false; return v }()},
		{name: "ExpiredIntermediate", profile: pki.ExpiredIntermediate, want: commercial(view{Issuer: pki.ExpiredIssuingCA})},
		{name: "RenewedSameName", profile: pki.RenewedSameName, want: commercial(view{NotBefore: "2025-12-26T00:00:00Z", NotAfter: "2026-12-25T23:59:59Z"})},
		{name: "RenewedNewIssuer", profile: pki.RenewedNewIssuer, want: commercial(view{Issuer: pki.RenamedIssuingCA,
			NotBefore: "2025-12-26T00:00:00Z", NotAfter: "2026-12-25T23:59:59Z"})},
		{name: "NoPrivateKey", profile: pki.NoPrivateKey, want: func() view {
			v := commercial(view{})
			v.HasPrivateKey, v.Exportable = false, false
			return v
		}()},
	}
	cat := catalogue(t, newPKI(t))
	if got, want := len(tests), len(pki.Profiles()); got != want {
		t.Fatalf("the test covers %d profiles, want all %d", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := viewOf(cat[tt.profile]); got != tt.want {
				t.Errorf("view of %s = %+v, want %+v", tt.profile, got, tt.want)
			}
		})
	}
}

func TestCatalogueChainStatus(t *testing.T) {
	const partial = pki.CertTrustIsPartialChain | pki.CertTrustRevocationStatusUnknown
	tests := []struct {
		name          string
		profile       pki.Profile
		exo, onPrem   pki.ChainStatus
		exoMessage    string
		onPremMessage string
	}{
		{name: "Trusted", profile: pki.Trusted},
		{name: "Wildcard", profile: pki.Wildcard},
		{name: "InternalCA", profile: pki.InternalCA, exo: partial, exoMessage: pki.TestCertificatePartialChain},
		{name: "UntrustedRoot", profile: pki.UntrustedRoot, exo: partial, onPrem: partial,
			exoMessage: pki.TestCertificatePartialChain, onPremMessage: pki.TestCertificatePartialChain},
		{name: "SelfSigned", profile: pki.SelfSigned, exo: pki.CertTrustIsUntrustedRoot, onPrem: pki.CertTrustIsUntrustedRoot,
			exoMessage: pki.TestCertificateUntrustedRoot, onPremMessage: pki.TestCertificateUntrustedRoot},
		{name: "Expired", profile: pki.Expired, exo: pki.CertTrustIsNotTimeValid, onPrem: pki.CertTrustIsNotTimeValid,
			exoMessage: pki.TestCertificateExpired, onPremMessage: pki.TestCertificateExpired},
		{name: "NotYetValid", profile: pki.NotYetValid, exo: pki.CertTrustIsNotTimeValid, onPrem: pki.CertTrustIsNotTimeValid,
			exoMessage: pki.TestCertificateExpired, onPremMessage: pki.TestCertificateExpired},
		{name: "WrongHost", profile: pki.WrongHost},
		{name: "NoCN", profile: pki.NoCN},
		{name: "Revoked", profile: pki.Revoked, exo: pki.CertTrustIsRevoked, onPrem: pki.CertTrustIsRevoked,
			exoMessage: pki.TestCertificateRevoked, onPremMessage: pki.TestCertificateRevoked},
		{name: "LeafOnly", profile: pki.LeafOnly, exo: partial, exoMessage: pki.TestCertificatePartialChain},
		{name: "ExpiredIntermediate", profile: pki.ExpiredIntermediate, exo: pki.CertTrustIsNotTimeValid, onPrem: pki.CertTrustIsNotTimeValid,
			exoMessage: pki.TestCertificateExpired, onPremMessage: pki.TestCertificateExpired},
		{name: "RenewedSameName", profile: pki.RenewedSameName},
		{name: "RenewedNewIssuer", profile: pki.RenewedNewIssuer},
		{name: "NoPrivateKey", profile: pki.NoPrivateKey},
	}
	p := newPKI(t)
	cat := catalogue(t, p)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cat[tt.profile]
			for _, side := range []struct {
				name     string
				store    pki.TrustStore
				want     pki.ChainStatus
				message  string
				verifies bool
			}{
				{name: "EXO", store: p.EXOTrust(), want: tt.exo, message: tt.exoMessage, verifies: tt.profile.VerifiesForEXO()},
				{name: "on-prem", store: p.OnPremTrust(), want: tt.onPrem, message: tt.onPremMessage, verifies: tt.profile.VerifiesForOnPrem()},
			} {
				got := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: presented(c), Store: side.store, Revocation: p, At: pki.DefaultTime})
				if got != side.want {
					t.Errorf("%s: CheckChain(%s) = %v, want %v", side.store.Name, tt.profile, got, side.want)
				}
				if got.Message() != side.message {
					t.Errorf("%s: CheckChain(%s).Message() = %q, want %q", side.store.Name, tt.profile, got.Message(), side.message)
				}
				if verifies := got == pki.CertTrustNoError; verifies != side.verifies {
					t.Errorf("%s: %s verifies = %v, but the profile says %v", side.store.Name, tt.profile, verifies, side.verifies)
				}
			}
		})
	}
}

func TestEXOCertificate(t *testing.T) {
	p := newPKI(t)
	c := p.EXOCertificate()
	got := viewOf(c)
	want := view{
		Subject:            pki.EXOSubject,
		Issuer:             pki.MicrosoftIssuingCA,
		CertificateDomains: "mail.protection.outlook.com, *.mail.protection.outlook.com, *.outbound.protection.outlook.com",
		NotBefore:          "2025-11-06T00:00:00Z",
		NotAfter:           "2026-11-05T23:59:59Z",
		HasPrivateKey:      true,
		PresentChain:       true,
		ChainLength:        1,
	}
	if got != want {
		t.Errorf("view of EXOCertificate() = %+v, want %+v", got, want)
	}
	for _, store := range []pki.TrustStore{p.EXOTrust(), p.OnPremTrust()} {
		if status := pki.CheckChain(c.Leaf, pki.ChainOptions{Presented: c.Chain, Store: store, Revocation: p, At: pki.DefaultTime}); status != pki.CertTrustNoError {
			t.Errorf("%s: CheckChain(EXO's certificate) = %v, want %v", store.Name, status, pki.CertTrustNoError)
		}
	}
}

func TestProfiles(t *testing.T) {
	var got []string
	for _, p := range pki.Profiles() {
		parsed, err := pki.ParseProfile(strings.ToUpper(string(p)))
		if err != nil || parsed != p {
			t.Errorf("ParseProfile(%q) = %q, %v; want %q", strings.ToUpper(string(p)), parsed, err, p)
		}
		if p.Description() == "" {
			t.Errorf("%s has no description", p)
		}
		got = append(got, string(p))
	}
	want := []string{"trusted", "wildcard", "internal-ca", "untrusted-root", "self-signed", "expired", "not-yet-valid", "wrong-host",
		"no-cn", "revoked", "leaf-only", "expired-intermediate", "renewed-same-name", "renewed-new-issuer", "no-private-key"}
	if !slices.Equal(got, want) {
		t.Errorf("Profiles() = %q, want %q", got, want)
	}
	_, err := pki.ParseProfile("valid")
	const wantErr = `pki: unknown profile "valid"; use one of trusted, wildcard, internal-ca, untrusted-root, self-signed, expired, not-yet-valid, wrong-host, no-cn, revoked, leaf-only, expired-intermediate, renewed-same-name, renewed-new-issuer, no-private-key`
	if err == nil || err.Error() != wantErr {
		t.Errorf("ParseProfile(%q) error = %v, want %q", "valid", err, wantErr)
	}
}

func TestCatalogueIsIssuedOnce(t *testing.T) {
	p := newPKI(t)
	first, err := p.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, second) {
		t.Errorf("Catalogue() returned other certificates the second time")
	}
}
