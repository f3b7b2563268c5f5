package sim

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
)

// WizardReport is what the hybrid configuration wizard's log shows after a
// run: one table per connector with each property it sets, the value it
// expects, the value the connector had, and whether they were equal (seed
// 000: search the log for "actual"; a False in Equals is a change the
// wizard made).
type WizardReport struct {
	Tables []WizardTable
	// Test is the mail-flow connectivity test the wizard runs once the
	// connectors are set.
	Test WizardTest
}

// WizardTable is one connector's table.
type WizardTable struct {
	Kind string // Send connector, Receive connector, Inbound connector, Outbound connector
	Name string
	Rows []WizardRow
}

// WizardRow is one property of a connector.
type WizardRow struct {
	Property, Expected, Actual string
	Equals                     bool
}

// Equal reports whether every property already had the wizard's value.
func (r WizardReport) Equal() bool {
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			if !row.Equals {
				return false
			}
		}
	}
	return true
}

// String renders the tables as the wizard's log does: Property, Expected,
// Actual, Equals.
func (r WizardReport) String() string {
	var b strings.Builder
	for i, t := range r.Tables {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s %s\n", t.Kind, t.Name)
		w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "Property\tExpected\tActual\tEquals")
		for _, row := range t.Rows {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", row.Property, row.Expected, row.Actual, psBool(row.Equals))
		}
		w.Flush()
	}
	if r.Test.Recipient != "" {
		if r.Test.Passed {
			fmt.Fprintf(&b, "\nMail flow connectivity test to %s: passed\n", r.Test.Recipient)
		} else {
			fmt.Fprintf(&b, "\nMail flow connectivity test to %s: %s\n", r.Test.Recipient, r.Test.Result)
		}
	}
	return b.String()
}

// WizardOptions are the wizard's choices.
type WizardOptions struct {
	// UpdateCertificateOnly is "Update Secure Mail Certificate for
	// Connectors": only the certificate values of the four connectors
	// change (TlsCertificateName, TlsSenderCertificateName, TlsDomain),
	// custom settings stay.
	UpdateCertificateOnly bool
}

// RunHybridWizard runs the hybrid configuration wizard's mail-flow part
// with the certificate whose thumbprint is given (it must be in a hybrid
// server's store): it sets seed 000's values on the on-premises send
// connector "Outbound to Office 365 <GUID>", every Mailbox server's "Default
// Frontend <Server>" receive connector that holds the certificate, and
// EXO's "Inbound from <GUID>" and "Outbound to <GUID>", creating those that
// do not exist, through the same cmdlets an administrator would use. It
// returns the tables the wizard's log prints.
func (l *Lab) RunHybridWizard(thumbprint string, opts WizardOptions) (WizardReport, error) {
	cert, servers, err := l.wizardCertificate(thumbprint)
	if err != nil {
		return WizardReport{}, err
	}
	if err := requireSubjectCN(cert); err != nil {
		return WizardReport{}, err
	}
	tenant, org, err := l.hybridTenant()
	if err != nil {
		return WizardReport{}, err
	}
	tlsName := cert.TlsCertificateName().String()
	certDomain := wizardDomain(subjectDomain(cert), tenant)
	smartHost := subjectDomain(cert)
	if strings.HasPrefix(smartHost, "*.") {
		smartHost = l.cfg.OnPrem.publishedName(servers[0])
	}
	guid := wizardGUID(l.cfg.OnPrem.Name, tenant.Name)
	var report WizardReport

	sendTable, err := l.wizardSendConnector(guid, tenant, tlsName, servers, opts)
	if err != nil {
		return report, err
	}
	report.Tables = append(report.Tables, sendTable)
	for _, server := range servers {
		t, err := l.wizardReceiveConnector(server, tlsName, opts)
		if err != nil {
			return report, err
		}
		report.Tables = append(report.Tables, t)
	}
	in, err := l.wizardInboundConnector(org, guid, certDomain, opts)
	if err != nil {
		return report, err
	}
	out, err := l.wizardOutboundConnector(org, guid, certDomain, smartHost, opts)
	if err != nil {
		return report, err
	}
	report.Tables = append(report.Tables, in, out)
	report.Test, err = l.wizardConnectivityTest(org, out.Name)
	return report, err
}

// wizardCertificate finds the certificate and the Mailbox servers holding it.
func (l *Lab) wizardCertificate(thumbprint string) (*pki.Certificate, []string, error) {
	var cert *pki.Certificate
	var servers []string
	for _, s := range l.cfg.OnPrem.Servers {
		if s.Role == fakeonprem.RoleEdge {
			continue
		}
		entries, err := l.OnPrem.GetExchangeCertificate(s.Name, "")
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if strings.EqualFold(e.Certificate.Thumbprint(), thumbprint) {
				cert = e.Certificate
				servers = append(servers, s.Name)
			}
		}
	}
	if cert == nil {
		return nil, nil, fmt.Errorf("sim: hybrid configuration wizard: no Mailbox server holds a certificate with thumbprint %s; import it (Import-ExchangeCertificate) first", thumbprint)
	}
	return cert, servers, nil
}

// hybridTenant is the tenant that accepts the on-premises primary domain.
func (l *Lab) hybridTenant() (fakeexo.Tenant, *fakeexo.Organization, error) {
	primary := ""
	if len(l.cfg.OnPrem.AcceptedDomains) > 0 {
		primary = l.cfg.OnPrem.AcceptedDomains[0]
	}
	for _, t := range l.cfg.EXO.Tenants {
		for _, d := range t.AcceptedDomains {
			if strings.EqualFold(d.DomainName, primary) {
				org, err := l.EXO.Organization(t.Name)
				return t, org, err
			}
		}
	}
	return fakeexo.Tenant{}, nil, fmt.Errorf("sim: hybrid configuration wizard: no tenant accepts %s, the on-premises primary domain; add it to a tenant's AcceptedDomains", primary)
}

// wizardGUID is the GUID the wizard names its connectors with: fixed for
// an organization and tenant, so that runs are repeatable.
func wizardGUID(org, tenant string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(org + "/" + tenant)))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// subjectDomain is the certificate's subject name: its CN, or its first SAN.
func subjectDomain(c *pki.Certificate) string {
	if cn := c.Leaf.Subject.CommonName; cn != "" {
		return cn
	}
	if d := c.CertificateDomains(); len(d) > 0 {
		return d[0]
	}
	return ""
}

// wizardDomain is how the wizard writes a certificate's name into
// TlsSenderCertificateName and TlsDomain: as is when it is a wildcard or an
// accepted domain of the tenant, else as a wildcard of the accepted domain
// it lies in (INFER: seed 000's example output shows *.contoso.com for a
// mail.contoso.com certificate, and S14 requires a TlsSenderCertificateName
// that is not a wildcard to be an accepted domain).
func wizardDomain(name string, t fakeexo.Tenant) string {
	if strings.HasPrefix(name, "*.") {
		return name
	}
	best := ""
	for _, d := range t.AcceptedDomains {
		switch dn := strings.ToLower(d.DomainName); {
		case strings.EqualFold(name, dn):
			return name
		case pki.NameMatches("*."+dn, name, false) && len(dn) > len(best):
			best = dn
		}
	}
	if best == "" {
		return name
	}
	return "*." + best
}

// publishedName is the name a Mailbox server is published under (its first
// HostName), or its FQDN.
func (o *Organization) publishedName(server string) string {
	for _, s := range o.Servers {
		if strings.EqualFold(s.Name, server) {
			if len(s.HostNames) > 0 {
				return s.HostNames[0]
			}
			return s.Fqdn
		}
	}
	return server
}

// table collects one connector's rows; set reports whether a row changed.
type table struct {
	WizardTable
	certOnly bool
}

// row adds a property; cert marks the properties the certificate-only
// update changes (the others are left out of its table).
func (t *table) row(property, expected, actual string, cert bool) {
	if !t.certOnly || cert {
		t.Rows = append(t.Rows, WizardRow{Property: property, Expected: expected, Actual: actual, Equals: expected == actual})
	}
}

func (l *Lab) wizardSendConnector(guid string, tenant fakeexo.Tenant, tlsName string, servers []string, opts WizardOptions) (WizardTable, error) {
	domains := l.microsoftDomains(tenant.Name)
	if len(domains) == 0 {
		return WizardTable{}, fmt.Errorf("sim: hybrid configuration wizard: tenant %s has no onmicrosoft.com domain to route to", tenant.Name)
	}
	routing := domains[len(domains)-1]
	want := fakeonprem.HybridSendConnector(guid, routing, l.cfg.OnPrem.publishedName(servers[0]), tlsName, servers...)
	var have *fakeonprem.SendConnector
	all, err := l.OnPrem.GetSendConnector("")
	if err != nil {
		return WizardTable{}, err
	}
	for i := range all {
		if strings.HasPrefix(all[i].Name, "Outbound to Office 365") {
			have = &all[i]
			break
		}
	}
	if have == nil {
		if opts.UpdateCertificateOnly {
			return WizardTable{}, fmt.Errorf("sim: hybrid configuration wizard: Update Secure Mail Certificate for Connectors needs the connectors of a full run; there is no send connector \"Outbound to Office 365 ...\"")
		}
		have = &fakeonprem.SendConnector{}
	}
	t := &table{WizardTable: WizardTable{Kind: "Send connector", Name: firstNonEmpty(have.Name, want.Name)}, certOnly: opts.UpdateCertificateOnly}
	t.row("AddressSpaces", psList(want.AddressSpaces), psList(have.AddressSpaces), false)
	t.row("CloudServicesMailEnabled", psBool(want.CloudServicesMailEnabled), psBool(have.CloudServicesMailEnabled), false)
	t.row("DNSRoutingEnabled", psBool(want.DNSRoutingEnabled), psBool(have.DNSRoutingEnabled), false)
	t.row("RequireTLS", psBool(want.RequireTLS), psBool(have.RequireTLS), false)
	t.row("SmartHosts", psList(want.SmartHosts), psList(have.SmartHosts), false)
	t.row("SourceTransportServers", psList(want.SourceTransportServers), psList(have.SourceTransportServers), false)
	t.row("TlsAuthLevel", want.TlsAuthLevel, have.TlsAuthLevel, false)
	t.row("TlsCertificateName", want.TlsCertificateName, have.TlsCertificateName, true)
	t.row("TlsDomain", want.TlsDomain, have.TlsDomain, false)
	if have.Name == "" {
		return t.WizardTable, l.OnPrem.NewSendConnector(want)
	}
	return t.WizardTable, l.OnPrem.SetSendConnector(have.Name, func(c *fakeonprem.SendConnector) {
		c.TlsCertificateName = want.TlsCertificateName
		if opts.UpdateCertificateOnly {
			return
		}
		c.AddressSpaces, c.CloudServicesMailEnabled, c.DNSRoutingEnabled = want.AddressSpaces, true, true
		c.RequireTLS, c.SmartHosts, c.SourceTransportServers = true, nil, want.SourceTransportServers
		c.TlsAuthLevel, c.TlsDomain = want.TlsAuthLevel, want.TlsDomain
	})
}

func (l *Lab) wizardReceiveConnector(server, tlsName string, opts WizardOptions) (WizardTable, error) {
	id := server + `\Default Frontend ` + server
	found, err := l.OnPrem.GetReceiveConnector(id)
	if err != nil {
		return WizardTable{}, err
	}
	have := found[0]
	want := fakeonprem.HybridReceiveConnector(have, tlsName)
	t := &table{WizardTable: WizardTable{Kind: "Receive connector", Name: id}, certOnly: opts.UpdateCertificateOnly}
	t.row("AuthMechanism", psList(want.AuthMechanism), psList(have.AuthMechanism), false)
	t.row("TlsCertificateName", want.TlsCertificateName, have.TlsCertificateName, true)
	t.row("PermissionGroups", psList(want.PermissionGroups), psList(have.PermissionGroups), false)
	t.row("TlsDomainCapabilities", psList(want.TlsDomainCapabilities), psList(have.TlsDomainCapabilities), false)
	return t.WizardTable, l.OnPrem.SetReceiveConnector(id, func(c *fakeonprem.ReceiveConnector) {
		if opts.UpdateCertificateOnly {
			c.TlsCertificateName = want.TlsCertificateName
			return
		}
		*c = want
	})
}

func (l *Lab) wizardInboundConnector(org *fakeexo.Organization, guid, certDomain string, opts WizardOptions) (WizardTable, error) {
	want := fakeexo.InboundConnector{Name: "Inbound from " + guid, ConnectorType: fakeexo.OnPremises, ConnectorSource: "HybridWizard",
		SenderDomains: []string{"smtp:*;1"}, RequireTls: true, TlsSenderCertificateName: certDomain, CloudServicesMailEnabled: true, Enabled: true}
	var have fakeexo.InboundConnector
	all, err := org.GetInboundConnector("")
	if err != nil {
		return WizardTable{}, err
	}
	for _, c := range all {
		if strings.HasPrefix(c.Name, "Inbound from ") && c.ConnectorType == fakeexo.OnPremises {
			have = c
			break
		}
	}
	t := &table{WizardTable: WizardTable{Kind: "Inbound connector", Name: firstNonEmpty(have.Name, want.Name)}, certOnly: opts.UpdateCertificateOnly}
	t.row("CloudServicesMailEnabled", psBool(want.CloudServicesMailEnabled), psBool(have.CloudServicesMailEnabled), false)
	t.row("ConnectorSource", want.ConnectorSource, have.ConnectorSource, false)
	t.row("ConnectorType", string(want.ConnectorType), string(have.ConnectorType), false)
	t.row("RequireTLS", psBool(want.RequireTls), psBool(have.RequireTls), false)
	t.row("SenderDomains", psList(want.SenderDomains), psList(have.SenderDomains), false)
	t.row("TlsSenderCertificateName", want.TlsSenderCertificateName, have.TlsSenderCertificateName, true)
	if have.Name == "" {
		if opts.UpdateCertificateOnly {
			return WizardTable{}, fmt.Errorf("sim: hybrid configuration wizard: Update Secure Mail Certificate for Connectors needs an OnPremises inbound connector \"Inbound from <GUID>\"; run the full wizard")
		}
		_, err := org.NewInboundConnector(want)
		return t.WizardTable, err
	}
	return t.WizardTable, org.SetInboundConnector(have.Name, func(c *fakeexo.InboundConnector) {
		c.TlsSenderCertificateName = certDomain
		if opts.UpdateCertificateOnly {
			return
		}
		c.CloudServicesMailEnabled, c.ConnectorSource, c.ConnectorType = true, want.ConnectorSource, want.ConnectorType
		c.RequireTls, c.SenderDomains = true, want.SenderDomains
	})
}

func (l *Lab) wizardOutboundConnector(org *fakeexo.Organization, guid, certDomain, smartHost string, opts WizardOptions) (WizardTable, error) {
	primary := l.cfg.OnPrem.AcceptedDomains[0]
	want := fakeexo.OutboundConnector{Name: "Outbound to " + guid, ConnectorType: fakeexo.OnPremises, ConnectorSource: "HybridWizard",
		RecipientDomains: []string{primary}, SmartHosts: []string{smartHost}, TlsSettings: fakeexo.DomainValidation,
		TlsDomain: certDomain, CloudServicesMailEnabled: true, Enabled: true}
	var have fakeexo.OutboundConnector
	all, err := org.GetOutboundConnector("")
	if err != nil {
		return WizardTable{}, err
	}
	for _, c := range all {
		if strings.HasPrefix(c.Name, "Outbound to ") && c.ConnectorType == fakeexo.OnPremises {
			have = c
			break
		}
	}
	t := &table{WizardTable: WizardTable{Kind: "Outbound connector", Name: firstNonEmpty(have.Name, want.Name)}, certOnly: opts.UpdateCertificateOnly}
	t.row("CloudServicesMailEnabled", psBool(want.CloudServicesMailEnabled), psBool(have.CloudServicesMailEnabled), false)
	t.row("ConnectorSource", want.ConnectorSource, have.ConnectorSource, false)
	t.row("ConnectorType", string(want.ConnectorType), string(have.ConnectorType), false)
	t.row("RecipientDomains", psList(want.RecipientDomains), psList(have.RecipientDomains), false)
	t.row("RouteAllMessagesViaOnPremises", psBool(false), psBool(have.RouteAllMessagesViaOnPremises), false)
	t.row("SmartHosts", psList(want.SmartHosts), psList(have.SmartHosts), false)
	t.row("TlsDomain", want.TlsDomain, have.TlsDomain, true)
	t.row("TlsSettings", string(want.TlsSettings), string(have.TlsSettings), false)
	t.row("IsTransportRuleScoped", psBool(false), psBool(have.IsTransportRuleScoped), false)
	t.row("UseMXRecord", psBool(false), psBool(have.UseMXRecord), false)
	if have.Name == "" {
		if opts.UpdateCertificateOnly {
			return WizardTable{}, fmt.Errorf("sim: hybrid configuration wizard: Update Secure Mail Certificate for Connectors needs an OnPremises outbound connector \"Outbound to <GUID>\"; run the full wizard")
		}
		_, err := org.NewOutboundConnector(want)
		return t.WizardTable, err
	}
	return t.WizardTable, org.SetOutboundConnector(have.Name, func(c *fakeexo.OutboundConnector) {
		c.TlsDomain = certDomain
		if opts.UpdateCertificateOnly {
			return
		}
		c.CloudServicesMailEnabled, c.ConnectorSource, c.ConnectorType = true, want.ConnectorSource, want.ConnectorType
		c.RecipientDomains, c.RouteAllMessagesViaOnPremises, c.SmartHosts = want.RecipientDomains, false, want.SmartHosts
		c.TlsSettings, c.IsTransportRuleScoped, c.UseMXRecord = fakeexo.DomainValidation, false, false
	})
}

// psBool and psList render values as Format-List prints them.
func psBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func psList(items []string) string { return "{" + strings.Join(items, ", ") + "}" }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
