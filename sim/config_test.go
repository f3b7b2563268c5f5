package sim

import "testing"

func TestCloneIsDeep(t *testing.T) {
	base := DefaultConfig()
	c := base.Clone()
	c.EXO.Tenants[0].InboundConnectors[0].TlsSenderCertificateName = "changed.contoso.com"
	c.OnPrem.SendConnectors = append(c.OnPrem.SendConnectors, c.OnPrem.SendConnectors[0])
	c.OnPrem.Servers[0].IPAddresses[0] = c.OnPrem.Servers[1].IPAddresses[0]
	if got := base.EXO.Tenants[0].InboundConnectors[0].TlsSenderCertificateName; got != "*.contoso.com" {
		t.Errorf("base TlsSenderCertificateName = %q after changing the clone, want *.contoso.com", got)
	}
	if got := len(base.OnPrem.SendConnectors); got != 1 {
		t.Errorf("base has %d send connectors after appending to the clone, want 1", got)
	}
	if got := base.OnPrem.Servers[0].IPAddresses[0].String(); got != "203.0.113.10" {
		t.Errorf("base EX01 address = %s after changing the clone, want 203.0.113.10", got)
	}
}
