package fakeonprem

import (
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// certs are the named certificates of the selection tables, issued once per test.
type certs struct {
	trusted, renewed, newIssuer, internalCA, untrusted, selfSigned, selfSignedMail *pki.Certificate
	expired, expiring, revoked, noKey, wildcard, wrongHost                         *pki.Certificate
	longLived, lateStart                                                           *pki.Certificate // C2: one name, one newest NotAfter, the other newest NotBefore
}

func newCerts(l *lab) certs {
	at := pki.DefaultTime
	day := 24 * time.Hour
	return certs{
		trusted:    l.issue(pki.Request{Profile: pki.Trusted}),
		renewed:    l.issue(pki.Request{Profile: pki.RenewedSameName}),
		newIssuer:  l.issue(pki.Request{Profile: pki.RenewedNewIssuer}),
		internalCA: l.issue(pki.Request{Profile: pki.InternalCA}),
		untrusted:  l.issue(pki.Request{Profile: pki.UntrustedRoot}),
		selfSigned: l.issue(pki.Request{Profile: pki.SelfSigned}),
		selfSignedMail: l.issue(pki.Request{Profile: pki.SelfSigned, ServerName: "MAIL", ServerFQDN: "mail.contoso.com",
			NotBefore: at.Add(-time.Hour), NotAfter: at.AddDate(5, 0, 0)}),
		expired:   l.issue(pki.Request{Profile: pki.Expired}),
		expiring:  l.issue(pki.Request{Profile: pki.Trusted, NotBefore: at.Add(-355 * day), NotAfter: at.Add(10 * day)}),
		revoked:   l.issue(pki.Request{Profile: pki.Revoked}),
		noKey:     l.issue(pki.Request{Profile: pki.NoPrivateKey}),
		wildcard:  l.issue(pki.Request{Profile: pki.Wildcard}),
		wrongHost: l.issue(pki.Request{Profile: pki.WrongHost}),
		longLived: l.issue(pki.Request{Profile: pki.Trusted, NotBefore: at.Add(-100 * day), NotAfter: at.Add(300 * day)}),
		lateStart: l.issue(pki.Request{Profile: pki.Trusted, NotBefore: at.Add(-20 * day), NotAfter: at.Add(200 * day)}),
	}
}

// onPremJudge is the selection's judge with pki's on-premises trust and CRLs at the lab's
// start, as a server with the default trust judges.
func onPremJudge(l *lab) judge {
	trust := l.pki.OnPremTrust()
	return func(e *ExchangeCertificate) bool {
		st := pki.CheckChain(e.Certificate.Leaf, pki.ChainOptions{Presented: e.Certificate.Chain, Store: trust,
			Revocation: l.pki, At: pki.DefaultTime})
		return !e.Certificate.IsSelfSigned() && st&^pki.CertTrustIsNotTimeValid == pki.CertTrustNoError
	}
}

func entries(svc Services, cs ...*pki.Certificate) []*ExchangeCertificate {
	var out []*ExchangeCertificate
	for _, c := range cs {
		out = append(out, &ExchangeCertificate{Certificate: c, Services: svc})
	}
	return out
}

func nameQuery(c *pki.Certificate) query {
	n := c.TlsCertificateName()
	return query{name: &n}
}

// thumb names a chosen entry for failure messages: its thumbprint, or "none".
func thumb(e *ExchangeCertificate) string {
	if e == nil {
		return "none"
	}
	return e.Certificate.Thumbprint()
}

// TestSelectInbound covers every rule of inbound STARTTLS selection (S1, doc.go steps 2-7).
func TestSelectInbound(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	fqdn := query{fqdn: "mail.contoso.com"}
	tests := []struct {
		name  string
		store []*ExchangeCertificate
		q     query
		rules rules
		want  *pki.Certificate // nil: no STARTTLS (12014)
	}{
		{name: "TlsCertificateNameMatchesIssuerAndSubject", store: entries(SMTP, c.newIssuer, c.trusted), q: nameQuery(c.trusted), want: c.trusted},
		{name: "TlsCertificateNameStale", store: entries(SMTP, c.newIssuer), q: nameQuery(c.trusted), want: nil},
		{name: "TlsCertificateNameNewestNotAfter", store: entries(SMTP, c.lateStart, c.longLived), q: nameQuery(c.trusted), want: c.longLived},
		{name: "TlsCertificateNameTieBreakNotBefore", store: entries(SMTP, c.longLived, c.lateStart), q: nameQuery(c.trusted),
			rules: rules{tieBreak: TieBreakNotBefore}, want: c.lateStart},
		{name: "FQDNNewestNotBefore", store: entries(SMTP, c.longLived, c.lateStart), q: fqdn, want: c.lateStart},
		{name: "FQDNTieBreakNotAfter", store: entries(SMTP, c.lateStart, c.longLived), q: fqdn,
			rules: rules{tieBreak: TieBreakNotAfter}, want: c.longLived},
		{name: "FQDNInternalCANewest", store: entries(SMTP, c.trusted, c.internalCA), q: fqdn, want: c.internalCA},
		{name: "ValidPKIBeforeNewerSelfSigned", store: entries(SMTP, c.selfSignedMail, c.trusted), q: fqdn, want: c.trusted},
		{name: "UntrustedRootFallsBackToSelfSigned", store: entries(SMTP, c.untrusted, c.selfSignedMail), q: fqdn, want: c.selfSignedMail},
		{name: "UntrustedRootAlone", store: entries(SMTP, c.untrusted), q: fqdn, want: nil},
		{name: "RevokedSkipped", store: entries(SMTP, c.revoked, c.trusted), q: nameQuery(c.trusted), want: c.trusted},
		{name: "RevokedAlone", store: entries(SMTP, c.revoked), q: nameQuery(c.revoked), want: nil},
		{name: "ExpiredStillChosen", store: entries(SMTP, c.expired), q: fqdn, want: c.expired},
		{name: "NoPrivateKeyNotEligible", store: entries(SMTP, c.noKey), q: fqdn, want: nil},
		{name: "SelfSignedByServerFQDN", store: entries(SMTP, c.selfSigned, c.trusted), q: query{fqdn: "ex01.contoso.com"}, want: c.selfSigned},
		{name: "WildcardCoversOneLabel", store: entries(SMTP, c.wildcard), q: fqdn, want: c.wildcard},
		{name: "WildcardNotTwoLabels", store: entries(SMTP, c.wildcard), q: query{fqdn: "mail.eu.contoso.com"}, want: nil},
		{name: "WrongHostNoMatch", store: entries(SMTP, c.wrongHost), q: fqdn, want: nil},
		{name: "FQDNPathChecksSMTP", store: entries(IIS, c.trusted), q: fqdn, want: nil},
		{name: "FQDNPathNeverReading", store: entries(IIS, c.trusted), q: fqdn, rules: rules{smtp: SMTPEligibilityNever}, want: c.trusted},
		{name: "NamePathServicesNotChecked", store: entries(IIS, c.trusted), q: nameQuery(c.trusted), want: c.trusted},
		{name: "NamePathAlwaysReading", store: entries(IIS, c.trusted), q: nameQuery(c.trusted), rules: rules{smtp: SMTPEligibilityAlways}, want: nil},
		{name: "EmptyStore", store: nil, q: fqdn, want: nil},
	}
	valid := onPremJudge(l)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := selectInbound(tt.store, tt.q, tt.rules, valid)
			want := "none"
			if tt.want != nil {
				want = tt.want.Thumbprint()
			}
			if thumb(got) != want {
				t.Errorf("selectInbound(%s) = %s, want %s", tt.q, thumb(got), want)
			}
		})
	}
}

// TestOrderedForDomainName: Get-ExchangeCertificate -DomainName's order puts the selected
// certificate first, then self-signed ones, then those selection cannot take.
func TestOrderedForDomainName(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	store := append(entries(SMTP, c.noKey, c.untrusted, c.selfSignedMail, c.trusted), entries(SMTP, c.internalCA)...)
	list, ok := ordered(store, query{fqdn: "mail.contoso.com"}, rules{}, onPremJudge(l))
	var got []string
	for _, e := range list {
		got = append(got, e.Certificate.Thumbprint())
	}
	want := []string{c.internalCA.Thumbprint(), c.trusted.Thumbprint(), c.selfSignedMail.Thumbprint(),
		c.noKey.Thumbprint(), c.untrusted.Thumbprint()} // the rest: same NotBefore, store order
	if !ok || len(got) != len(want) {
		t.Fatalf("ordered = %d entries (selectable %v), want %d", len(got), ok, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ordered[%d] = %s, want %s", i, got[i], want[i])
		}
	}
}

// TestSelectOutbound covers outbound selection (§2): F11, F12, F13 and the FQDN path.
func TestSelectOutbound(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	tests := []struct {
		name  string
		store []*ExchangeCertificate
		q     query
		rules rules
		want  *pki.Certificate
		creds credentials
	}{
		{name: "Found", store: entries(SMTP, c.trusted), q: nameQuery(c.trusted), want: c.trusted, creds: credentialsOK},
		{name: "NotFoundF11", store: entries(SMTP, c.newIssuer), q: nameQuery(c.trusted), creds: credentialsMissing},
		{name: "InvalidChainF11", store: entries(SMTP, c.revoked), q: nameQuery(c.revoked), creds: credentialsMissing},
		{name: "NoPrivateKeyF12", store: entries(SMTP, c.noKey), q: nameQuery(c.noKey), want: c.noKey, creds: credentialsNoKey},
		{name: "NotEnabledForSMTPF13", store: entries(IIS, c.trusted), q: nameQuery(c.trusted), want: c.trusted, creds: credentialsNoSMTP},
		{name: "NotEnabledForSMTPWithC1Option", store: entries(IIS, c.trusted), q: nameQuery(c.trusted),
			rules: rules{smtp: SMTPEligibilityAlways}, creds: credentialsMissing},
		{name: "NewestNotAfterWins", store: entries(SMTP, c.lateStart, c.longLived), q: nameQuery(c.trusted), want: c.longLived, creds: credentialsOK},
		{name: "FQDNPathInternalCAF14", store: entries(SMTP, c.trusted, c.internalCA), q: query{fqdn: "mail.contoso.com"},
			want: c.internalCA, creds: credentialsOK},
		{name: "FQDNPathNothing", store: entries(SMTP, c.wrongHost), q: query{fqdn: "mail.contoso.com"}, creds: credentialsOK},
		{name: "FQDNPathWithoutSMTP", store: entries(IIS, c.trusted), q: query{fqdn: "mail.contoso.com"}, creds: credentialsOK},
		{name: "FQDNPathWithoutSMTPNeverReading", store: entries(IIS, c.trusted), q: query{fqdn: "mail.contoso.com"},
			rules: rules{smtp: SMTPEligibilityNever}, want: c.trusted, creds: credentialsNoSMTP},
	}
	valid := onPremJudge(l)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, creds := selectOutbound(tt.store, tt.q, tt.rules, valid)
			want := "none"
			if tt.want != nil {
				want = tt.want.Thumbprint()
			}
			if thumb(got) != want || creds != tt.creds {
				t.Errorf("selectOutbound(%s) = %s, %d, want %s, %d", tt.q, thumb(got), creds, want, tt.creds)
			}
		})
	}
}

// TestSelectInternal covers the internal transport certificate's loading (§3).
func TestSelectInternal(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	store := append(entries(SMTP, c.selfSigned, c.expired), entries(SMTP, c.noKey)...)
	tests := []struct {
		name       string
		thumbprint string
		want       *pki.Certificate
		status     internalStatus
	}{
		{name: "Loaded", thumbprint: c.selfSigned.Thumbprint(), want: c.selfSigned, status: internalLoaded},
		{name: "LowerCaseThumbprint", thumbprint: strings.ToLower(c.selfSigned.Thumbprint()), want: c.selfSigned, status: internalLoaded},
		{name: "NotSetF23", thumbprint: "", status: internalNotSet},
		{name: "NotInStoreF24", thumbprint: c.trusted.Thumbprint(), status: internalNotFound},
		{name: "NoPrivateKey", thumbprint: c.noKey.Thumbprint(), status: internalNotFound},
		{name: "ExpiredF25", thumbprint: c.expired.Thumbprint(), want: c.expired, status: internalExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := selectInternal(store, tt.thumbprint, pki.DefaultTime)
			want := "none"
			if tt.want != nil {
				want = tt.want.Thumbprint()
			}
			if thumb(got) != want || st != tt.status {
				t.Errorf("selectInternal(%q) = %s, %d, want %s, %d", tt.thumbprint, thumb(got), st, want, tt.status)
			}
		})
	}
}

// TestExpiryEvent: 12016 for an expired certificate, 12018 within 30 days, whole texts (S6).
func TestExpiryEvent(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	tests := []struct {
		name string
		cert *pki.Certificate
		id   int
		text string
	}{
		{name: "Expired12016", cert: c.expired, id: 12016,
			text: "There is no valid SMTP Transport Layer Security (TLS) certificate for the FQDN of mail.contoso.com. The existing certificate for that FQDN has expired. The continued use of that FQDN will cause mail flow problems. A new certificate that contains the FQDN of mail.contoso.com should be installed on this server as soon as possible. You can create a new certificate by using the New-ExchangeCertificate task."},
		{name: "ExpiresSoon12018", cert: c.expiring, id: 12018,
			text: "The STARTTLS certificate will expire soon: subject: CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US, thumbprint: " +
				c.expiring.Thumbprint() + ", hours remaining: 240. Run the New-ExchangeCertificate cmdlet to create a new certificate."},
		{name: "Valid", cert: c.trusted, id: 0, text: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, text, _ := expiryEvent(&ExchangeCertificate{Certificate: tt.cert}, "mail.contoso.com", pki.DefaultTime)
			if id != tt.id || text != tt.text {
				t.Errorf("expiryEvent = %d %q, want %d %q", id, text, tt.id, tt.text)
			}
		})
	}
}
