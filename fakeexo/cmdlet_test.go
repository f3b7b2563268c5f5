package fakeexo

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/pki"
)

func TestNewInboundConnectorValidation(t *testing.T) {
	valid := func(edit func(*InboundConnector)) InboundConnector {
		c := InboundConnector{Name: "Partner", ConnectorType: Partner, SenderDomains: []string{"fabrikam.com"}, Enabled: true}
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		conn    InboundConnector
		wantErr string
	}{
		{name: "IPv6", conn: valid(func(c *InboundConnector) { c.SenderIPAddresses = []string{"2001:db8::25"} }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderIPAddresses "2001:db8::25": IPv6 addresses are not supported (S16)`},
		{name: "WideRange", conn: valid(func(c *InboundConnector) { c.SenderIPAddresses = []string{"192.0.2.0/16"} }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderIPAddresses "192.0.2.0/16": valid subnet mask values are /24 through /32 (S16)`},
		{name: "NotAnAddress", conn: valid(func(c *InboundConnector) { c.SenderIPAddresses = []string{"mail.fabrikam.com"} }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderIPAddresses "mail.fabrikam.com": not an IPv4 address or CIDR range, e.g. 192.168.0.1/25`},
		{name: "NoSenderDomains", conn: valid(func(c *InboundConnector) { c.SenderDomains = nil }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderDomains is empty: the parameter is required (S16); the HCW sets smtp:*;1`},
		{name: "EmbeddedWildcard", conn: valid(func(c *InboundConnector) { c.SenderDomains = []string{"domain.*.contoso.com"} }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderDomains "domain.*.contoso.com": the wildcard can only lead, as in *.contoso.com (domain.*.contoso.com is not valid)`},
		{name: "AddressSpaceCost", conn: valid(func(c *InboundConnector) { c.SenderDomains = []string{"smtp:*;0"} }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": SenderDomains "smtp:*;0": the address space cost after ';' must be 1 to 100`},
		{name: "CertificateNameAny", conn: valid(func(c *InboundConnector) { c.TlsSenderCertificateName = "*" }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": TlsSenderCertificateName "*": "*" (any domain) is not valid here`},
		{name: "RestrictOnPremises", conn: valid(func(c *InboundConnector) {
			c.ConnectorType, c.SenderIPAddresses, c.RestrictDomainsToIPAddresses = OnPremises, []string{"203.0.113.10"}, true
		}),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": RestrictDomainsToIPAddresses applies only to Partner connectors (S16): clear it or use ConnectorType Partner`},
		{name: "RestrictWithoutCertificateName", conn: valid(func(c *InboundConnector) { c.RestrictDomainsToCertificate = true }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": RestrictDomainsToCertificate is $true but TlsSenderCertificateName is empty: no certificate could pass (INFER)`},
		{name: "InternalWithCloudServices", conn: valid(func(c *InboundConnector) {
			c.ConnectorType, c.TreatMessagesAsInternal, c.CloudServicesMailEnabled = OnPremises, true, true
		}),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": TreatMessagesAsInternal can't be $true when CloudServicesMailEnabled is $true (S16)`},
		{name: "InternalPartner", conn: valid(func(c *InboundConnector) { c.TreatMessagesAsInternal = true }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": TreatMessagesAsInternal can't be $true when ConnectorType is not OnPremises (S16)`},
		{name: "NameTaken", conn: valid(func(c *InboundConnector) { c.Name = "inbound from " + hcwGUID }),
			wantErr: `fakeexo: tenant contoso: inbound connector "inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b": Name is taken by another inbound connector of the tenant: choose another name`},
		{name: "ConnectorSource", conn: valid(func(c *InboundConnector) { c.ConnectorSource = "Wizard" }),
			wantErr: `fakeexo: tenant contoso: inbound connector "Partner": ConnectorSource "Wizard": use Default, Migrated or HybridWizard`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := newLab(t, Config{})
			_, err := lab.org("contoso").NewInboundConnector(tt.conn)
			if got := fmt.Sprint(err); got != tt.wantErr {
				t.Errorf("NewInboundConnector() error =\n%s\nwant\n%s", got, tt.wantErr)
			}
			if got, _ := lab.org("contoso").GetInboundConnector(""); len(got) != 1 {
				t.Errorf("a refused New-InboundConnector left %d connectors, want the HCW's alone", len(got))
			}
		})
	}
}

func TestNewOutboundConnectorValidation(t *testing.T) {
	valid := func(edit func(*OutboundConnector)) OutboundConnector {
		c := OutboundConnector{Name: "To fabrikam", ConnectorType: Partner, RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: true, Enabled: true}
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		conn    OutboundConnector
		wantErr string
	}{
		{name: "SmartHostsRequired", conn: valid(func(c *OutboundConnector) { c.UseMXRecord = false }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": SmartHosts is empty: it is required if you use the value $false for the UseMxRecord parameter (S16)`},
		{name: "SmartHostsWithMX", conn: valid(func(c *OutboundConnector) { c.SmartHosts = []string{"mail.fabrikam.com"} }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": UseMXRecord is $true but SmartHosts is set: set UseMXRecord $false to deliver to the smart hosts (INFER)`},
		{name: "TlsDomainWithoutDomainValidation", conn: valid(func(c *OutboundConnector) { c.TlsSettings, c.TlsDomain = CertificateValidation, "mail.fabrikam.com" }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": TlsDomain is meaningful only when the TlsSettings value is DomainValidation (S16); TlsSettings is CertificateValidation`},
		{name: "TlsSettings", conn: valid(func(c *OutboundConnector) { c.TlsSettings = "Mandatory" }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": TlsSettings "Mandatory": use EncryptionOnly, CertificateValidation, DomainValidation or $null (empty)`},
		{name: "CentralizedPartner", conn: valid(func(c *OutboundConnector) { c.RouteAllMessagesViaOnPremises = true }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": RouteAllMessagesViaOnPremises requires OnPremises for the ConnectorType value (S16)`},
		{name: "RecipientDomainWildcard", conn: valid(func(c *OutboundConnector) { c.RecipientDomains = []string{"*fabrikam.com"} }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": RecipientDomains "*fabrikam.com": the wildcard can only lead, as in *.contoso.com (domain.*.contoso.com is not valid)`},
		{name: "SmartHostIPv6", conn: valid(func(c *OutboundConnector) { c.UseMXRecord, c.SmartHosts = false, []string{"2001:db8::25"} }),
			wantErr: `fakeexo: tenant contoso: outbound connector "To fabrikam": SmartHosts "2001:db8::25": IPv6 smart hosts are not modelled: give an FQDN or an IPv4 address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := newLab(t, Config{})
			_, err := lab.org("contoso").NewOutboundConnector(tt.conn)
			if got := fmt.Sprint(err); got != tt.wantErr {
				t.Errorf("NewOutboundConnector() error =\n%s\nwant\n%s", got, tt.wantErr)
			}
		})
	}
}

// TestSetRemoveGet: a Set-* edits a copy that is applied only when valid;
// Remove-* removes; Get-* shows the result with the cmdlets' defaults.
func TestSetRemoveGet(t *testing.T) {
	lab := newLab(t, Config{})
	org := lab.org("contoso")
	err := org.SetInboundConnector("Inbound from "+hcwGUID, func(c *InboundConnector) {
		c.SenderIPAddresses = []string{"2001:db8::25"}
	})
	want := `fakeexo: tenant contoso: inbound connector "Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b": SenderIPAddresses "2001:db8::25": IPv6 addresses are not supported (S16)`
	if got := fmt.Sprint(err); got != want {
		t.Errorf("SetInboundConnector(IPv6) error =\n%s\nwant\n%s", got, want)
	}
	if err := org.SetInboundConnector("Inbound from "+hcwGUID, func(c *InboundConnector) { c.TlsSenderCertificateName = "mail.contoso.com" }); err != nil {
		t.Fatal(err)
	}
	added, err := org.NewOutboundConnector(OutboundConnector{Name: "To fabrikam", RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: true, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	wantAdded := OutboundConnector{Name: "To fabrikam", ConnectorType: Partner, ConnectorSource: "Default",
		RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: true, Enabled: true}
	if diff := cmp.Diff(wantAdded, added); diff != "" {
		t.Errorf("NewOutboundConnector() (-want +got):\n%s", diff)
	}
	if err := org.RemoveOutboundConnector("Outbound to " + hcwGUID); err != nil {
		t.Fatal(err)
	}
	wantErr := `fakeexo: tenant contoso: no outbound connector "Outbound to 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b": Get-OutboundConnector lists them`
	if err := org.RemoveOutboundConnector("Outbound to " + hcwGUID); fmt.Sprint(err) != wantErr {
		t.Errorf("RemoveOutboundConnector() twice: error = %v, want %s", err, wantErr)
	}
	in, err := org.GetInboundConnector("")
	if err != nil {
		t.Fatal(err)
	}
	wantIn := []InboundConnector{hcwInbound("mail.contoso.com")}
	if diff := cmp.Diff(wantIn, in); diff != "" {
		t.Errorf("GetInboundConnector() (-want +got):\n%s", diff)
	}
	out, err := org.GetOutboundConnector("")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]OutboundConnector{wantAdded}, out); diff != "" {
		t.Errorf("GetOutboundConnector() (-want +got):\n%s", diff)
	}
}

// TestValidateOutboundConnector: F29's text for a connector saved disabled;
// a probe through the connector's TLS checks otherwise, which sends nothing.
func TestValidateOutboundConnector(t *testing.T) {
	tests := []struct {
		name    string
		enabled bool
		profile pki.Profile
		want    []ValidationResult
	}{
		{name: "Disabled", profile: pki.Trusted,
			want: []ValidationResult{{Recipient: "kate@contoso.com", Status: "Failed", Details: "The domain of the recipient is not configured as part of connector."}}},
		{name: "Reachable", enabled: true, profile: pki.Trusted,
			want: []ValidationResult{{Recipient: "kate@contoso.com", Status: "Succeeded"}}},
		{name: "WrongCertificate", enabled: true, profile: pki.Expired,
			want: []ValidationResult{{Recipient: "kate@contoso.com", Status: "Failed",
				Details: "450 4.4.317 Cannot connect to remote server [Message=CertificateExpired Expected Subject: mail.contoso.com. " +
					"Presented Subject: CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US. Thumbprint: D2566405A0F4330F41362D9425C57DAB7AE469FD.] " +
					"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := contoso()
			tenant.OutboundConnectors[0].Enabled = tt.enabled
			lab := newLab(t, Config{Tenants: []Tenant{tenant}})
			onprem := lab.newOnPrem(tt.profile)
			org := lab.org("contoso")
			got, err := org.ValidateOutboundConnector(context.Background(), "Outbound to "+hcwGUID, "kate@contoso.com")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValidateOutboundConnector() (-want +got):\n%s", diff)
			}
			conns, _ := org.GetOutboundConnector("Outbound to " + hcwGUID)
			if succeeded := tt.want[0].Status == "Succeeded"; conns[0].IsValidated != succeeded || !conns[0].LastValidationTimestamp.Equal(pki.DefaultTime) {
				t.Errorf("IsValidated, LastValidationTimestamp = %v, %v; want %v, %v", conns[0].IsValidated, conns[0].LastValidationTimestamp, succeeded, pki.DefaultTime)
			}
			if n := len(onprem.messages()); n != 0 || len(lab.svc.Ledger()) != 0 {
				t.Errorf("validation sent %d messages and left %d ledger entries, want none", n, len(lab.svc.Ledger()))
			}
		})
	}
}

// TestSetOrganizationConfig: RejectDirectSend takes effect for the next
// transaction.
func TestSetOrganizationConfig(t *testing.T) {
	lab := newLab(t, Config{})
	if err := lab.org("contoso").SetOrganizationConfig(true); err != nil {
		t.Fatal(err)
	}
	if !lab.svc.dir.Load().byName["contoso"].RejectDirectSend {
		t.Errorf("RejectDirectSend = $false after Set-OrganizationConfig -RejectDirectSend $true")
	}
}

func TestNewValidation(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "Hostname", cfg: Config{Hostname: "front door"},
			wantErr: `fakeexo: Config.Hostname "front door" is not a host name: use the front door's FQDN, e.g. SIM1EUR01FT001.mail.protection.outlook.com`},
		{name: "SameAddresses", cfg: Config{OutboundAddress: netip.MustParseAddr("198.51.100.25")},
			wantErr: `fakeexo: Config.FrontDoorAddress and OutboundAddress are both 198.51.100.25: give the outbound host its own address`},
		{name: "TenantName", cfg: Config{Tenants: []Tenant{{Name: "contoso.com"}}},
			wantErr: `fakeexo: tenant "contoso.com": Name must be one DNS label, e.g. contoso (it names contoso.onmicrosoft.com)`},
		{name: "DomainInTwoTenants", cfg: Config{Tenants: []Tenant{contoso(),
			{Name: "fabrikam", AcceptedDomains: []AcceptedDomain{{DomainName: "contoso.com", DomainType: Authoritative}}}}},
			wantErr: `fakeexo: tenant fabrikam: accepted domain contoso.com is already an accepted domain of tenant contoso: a domain belongs to one tenant`},
		{name: "MailboxOutsideAcceptedDomains", cfg: Config{Tenants: []Tenant{{Name: "contoso",
			Mailboxes: []Mailbox{{Name: "Adele Vance", PrimarySmtpAddress: "adele@contoso.com"}}}}},
			wantErr: `fakeexo: tenant contoso: mailbox "Adele Vance": EmailAddresses adele@contoso.com is not in an accepted domain of the tenant: add the domain to AcceptedDomains`},
		{name: "DomainType", cfg: Config{Tenants: []Tenant{{Name: "contoso", AcceptedDomains: []AcceptedDomain{{DomainName: "contoso.com", DomainType: "ExternalRelay"}}}}},
			wantErr: `fakeexo: tenant contoso: accepted domain contoso.com: DomainType "ExternalRelay": use Authoritative or InternalRelay`},
		{name: "SharedAddress", cfg: Config{Tenants: []Tenant{func() Tenant {
			t := contoso()
			t.MailUsers = append(t.MailUsers, MailUser{Name: "Adele's twin", PrimarySmtpAddress: "adele@contoso.com"})
			return t
		}()}},
			wantErr: `fakeexo: tenant contoso: address adele@contoso.com already belongs to a recipient of tenant contoso: an address belongs to one recipient`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := labPKI(t)
			svc, err := New(tt.cfg, labnet.NewNetwork(), &testClock{t: pki.DefaultTime}, p)
			if err == nil {
				svc.Close()
			}
			if got := fmt.Sprint(err); got != tt.wantErr {
				t.Errorf("New() error =\n%s\nwant\n%s", got, tt.wantErr)
			}
		})
	}
	if _, err := New(Config{}, nil, nil, nil); fmt.Sprint(err) != "fakeexo: New needs the lab's network, clock and PKI: none may be nil" {
		t.Errorf("New(nil network) error = %v", err)
	}
}

// TestGetAcceptedDomain: the tenant's accepted domains, with the initial and
// routing domains tenantDefaults adds.
func TestGetAcceptedDomain(t *testing.T) {
	lab := newLab(t, Config{})
	got, err := lab.org("contoso").GetAcceptedDomain()
	if err != nil {
		t.Fatal(err)
	}
	want := []AcceptedDomain{
		{DomainName: "contoso.com", DomainType: Authoritative},
		{DomainName: "contoso.onmicrosoft.com", DomainType: Authoritative},
		{DomainName: "contoso.mail.onmicrosoft.com", DomainType: Authoritative},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetAcceptedDomain (-want +got):\n%s", diff)
	}
}
