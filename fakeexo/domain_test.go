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
