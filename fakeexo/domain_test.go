package fakeexo

import "testing"

func TestMXHost(t *testing.T) {
	tests := []struct{ name, domain, want string }{
		{name: "Domain", domain: "contoso.com", want: "contoso-com.mail.protection.outlook.com"},
		{name: "RoutingDomain", domain: "contoso.mail.onmicrosoft.com", want: "contoso-mail-onmicrosoft-com.mail.protection.outlook.com"},
		{name: "Canonical", domain: " Contoso.COM. ", want: "contoso-com.mail.protection.outlook.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MXHost(tt.domain); got != tt.want {
				t.Errorf("MXHost(%q) = %q, want %q", tt.domain, got, tt.want)
			}
		})
	}
}

// TestCertificateNameMatching: TlsSenderCertificateName (a wildcard covers the
// domain and its subdomains) and TlsDomain (subdomains only) against a
// certificate's names, a wildcard name covering one label (S18, C7).
func TestCertificateNameMatching(t *testing.T) {
	tests := []struct {
		name, pattern, certName string
		sender, tlsDomain       bool
	}{
		{name: "Equal", pattern: "mail.contoso.com", certName: "mail.contoso.com", sender: true, tlsDomain: true},
		{name: "EqualIgnoringCase", pattern: "Mail.Contoso.com", certName: "mail.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardSubdomain", pattern: "*.contoso.com", certName: "mail.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardDeepSubdomain", pattern: "*.contoso.com", certName: "a.mail.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardBase", pattern: "*.contoso.com", certName: "contoso.com", sender: true, tlsDomain: false},
		{name: "WildcardOtherDomain", pattern: "*.contoso.com", certName: "mail.fabrikam.com"},
		{name: "WildcardSuffixOnly", pattern: "*.contoso.com", certName: "mailcontoso.com"},
		{name: "WildcardCertificateOneLabel", pattern: "mail.contoso.com", certName: "*.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardCertificateTwoLabels", pattern: "a.mail.contoso.com", certName: "*.contoso.com"},
		{name: "WildcardCertificateBase", pattern: "contoso.com", certName: "*.contoso.com"},
		{name: "WildcardBothEqual", pattern: "*.contoso.com", certName: "*.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardCertificateUnder", pattern: "*.contoso.com", certName: "*.mail.contoso.com", sender: true, tlsDomain: true},
		{name: "WildcardCertificateAbove", pattern: "*.mail.contoso.com", certName: "*.contoso.com"},
		{name: "Different", pattern: "mail.contoso.com", certName: "ex01.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseDomainPattern(tt.pattern, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.matchesCertName(canonicalDomain(tt.certName), true); got != tt.sender {
				t.Errorf("TlsSenderCertificateName %s matches %s = %v, want %v", tt.pattern, tt.certName, got, tt.sender)
			}
			if got := p.matchesCertName(canonicalDomain(tt.certName), false); got != tt.tlsDomain {
				t.Errorf("TlsDomain %s matches %s = %v, want %v", tt.pattern, tt.certName, got, tt.tlsDomain)
			}
		})
	}
}

// TestDomainListMatching: SenderDomains and RecipientDomains, where a
// wildcard covers the domain and all its subdomains (S16).
func TestDomainListMatching(t *testing.T) {
	tests := []struct {
		name, pattern, domain string
		want                  bool
	}{
		{name: "Any", pattern: "smtp:*;1", domain: "fabrikam.com", want: true},
		{name: "Exact", pattern: "contoso.com", domain: "contoso.com", want: true},
		{name: "ExactNotSubdomain", pattern: "contoso.com", domain: "eu.contoso.com"},
		{name: "WildcardBase", pattern: "*.contoso.com", domain: "contoso.com", want: true},
		{name: "WildcardSubdomain", pattern: "smtp:*.contoso.com;5", domain: "eu.contoso.com", want: true},
		{name: "WildcardOther", pattern: "*.contoso.com", domain: "fabrikam.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseAddressSpace(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.covers(tt.domain); got != tt.want {
				t.Errorf("%s covers %s = %v, want %v", tt.pattern, tt.domain, got, tt.want)
			}
		})
	}
}
