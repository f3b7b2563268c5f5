package fakeexo

import "testing"

// TestCertNameAccepted is S14's rule (seed 000) on its own.
func TestCertNameAccepted(t *testing.T) {
	accepted := func(d string) bool { return d == "contoso.com" }
	tests := []struct {
		name, certName string
		want           bool
	}{
		{name: "WildcardOfAccepted", certName: "*.contoso.com", want: true},
		{name: "AcceptedItself", certName: "contoso.com", want: true},
		{name: "HostNotAccepted", certName: "mail.contoso.com", want: false},
		{name: "CaseAndDot", certName: " *.CONTOSO.com. ", want: true},
		{name: "WildcardOfOther", certName: "*.fabrikam.com", want: false},
		{name: "Empty", certName: "", want: false},
		{name: "BareStar", certName: "*", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := certNameAccepted(tc.certName, accepted); got != tc.want {
				t.Errorf("certNameAccepted(%q) = %v, want %v", tc.certName, got, tc.want)
			}
		})
	}
}

// TestUnacceptedNameRefuses: S14's 5.7.51 only when nothing else
// attributes the message to the recipient's tenant.
func TestUnacceptedNameRefuses(t *testing.T) {
	tests := []struct {
		name                         string
		named, attributed, partnered bool
		want                         bool
	}{
		{name: "NamedUnacceptedAlone", named: true, want: true},
		{name: "AttributedOtherwise", named: true, attributed: true},
		{name: "PartnerPassed", named: true, partnered: true},
		{name: "NotNamed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := unacceptedNameRefuses(tc.named, tc.attributed, tc.partnered); got != tc.want {
				t.Errorf("unacceptedNameRefuses(%v, %v, %v) = %v, want %v", tc.named, tc.attributed, tc.partnered, got, tc.want)
			}
		})
	}
}

// TestRequiresHybridTLS: F20's requirement concerns only the tenant's
// on-premises hosts, and only plaintext sessions.
func TestRequiresHybridTLS(t *testing.T) {
	tests := []struct {
		name                      string
		tls, onPrem, connRequires bool
		want                      bool
	}{
		{name: "HybridHostPlaintext", onPrem: true, connRequires: true, want: true},
		{name: "HybridHostTLS", tls: true, onPrem: true, connRequires: true},
		{name: "OtherSenderPlaintext", connRequires: true},
		{name: "ConnectorDoesNotRequire", onPrem: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := requiresHybridTLS(tc.tls, tc.onPrem, tc.connRequires); got != tc.want {
				t.Errorf("requiresHybridTLS(%v, %v, %v) = %v, want %v", tc.tls, tc.onPrem, tc.connRequires, got, tc.want)
			}
		})
	}
}
