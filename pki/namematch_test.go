package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
)

// TestNameMatches: the one table of certificate-name matching, for every
// caller: a host name against a certificate's name (inbound and outbound
// selection, TlsDomain), a connector's wildcard (TlsSenderCertificateName
// includes its base, TlsDomain does not), a wildcard certificate name
// standing for one label (S18, C7).
func TestNameMatches(t *testing.T) {
	tests := []struct {
		name, want, have  string
		withBase, without bool // includeBase true, false
	}{
		{name: "Equal", want: "mail.contoso.com", have: "mail.contoso.com", withBase: true, without: true},
		{name: "CaseAndFinalDot", want: "mail.contoso.COM", have: "MAIL.Contoso.com.", withBase: true, without: true},
		{name: "Different", want: "smtp.contoso.com", have: "mail.contoso.com"},
		{name: "Empty", want: "", have: ""},
		{name: "WildcardCertificateOneLabel", want: "mail.contoso.com", have: "*.contoso.com", withBase: true, without: true},
		{name: "WildcardCertificateNotApex", want: "contoso.com", have: "*.contoso.com"},
		{name: "WildcardCertificateNotTwoLabels", want: "www.eu.contoso.com", have: "*.contoso.com"},
		{name: "WildcardCertificateOtherDomain", want: "mail.fabrikam.com", have: "*.contoso.com"},
		{name: "WildcardCertificateEmptyLabel", want: ".contoso.com", have: "*.contoso.com"},
		{name: "ConnectorWildcardSubdomain", want: "*.contoso.com", have: "mail.contoso.com", withBase: true, without: true},
		{name: "ConnectorWildcardDeepSubdomain", want: "*.contoso.com", have: "a.mail.contoso.com", withBase: true, without: true},
		{name: "ConnectorWildcardBase", want: "*.contoso.com", have: "contoso.com", withBase: true},
		{name: "ConnectorWildcardSuffixOnly", want: "*.contoso.com", have: "mailcontoso.com"},
		{name: "BothWildcardsEqual", want: "*.contoso.com", have: "*.contoso.com", withBase: true, without: true},
		{name: "CertificateWildcardUnderConnector", want: "*.contoso.com", have: "*.mail.contoso.com", withBase: true, without: true},
		{name: "CertificateWildcardAboveConnector", want: "*.mail.contoso.com", have: "*.contoso.com"},
		{name: "ConnectorAnything", want: "*", have: "mail.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NameMatches(tt.want, tt.have, true); got != tt.withBase {
				t.Errorf("NameMatches(%q, %q, true) = %v, want %v", tt.want, tt.have, got, tt.withBase)
			}
			if got := NameMatches(tt.want, tt.have, false); got != tt.without {
				t.Errorf("NameMatches(%q, %q, false) = %v, want %v", tt.want, tt.have, got, tt.without)
			}
			c := &x509.Certificate{Subject: pkix.Name{CommonName: "ex01.contoso.lab"}, DNSNames: []string{"autodiscover.fabrikam.net", tt.have}}
			if got := CertificateMatches(c, tt.want, false); got != tt.without {
				t.Errorf("CertificateMatches(SAN %q, %q) = %v, want %v", tt.have, tt.want, got, tt.without)
			}
		})
	}
}
