package fakeexo

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// ConnectorType is a connector's ConnectorType (S16).
type ConnectorType string

// The connector types.
const (
	// OnPremises: the organization's own on-premises servers. Mail
	// attributed to an OnPremises inbound connector may relay through the
	// tenant (S24) and, with CloudServicesMailEnabled, is internal (§7).
	OnPremises ConnectorType = "OnPremises"
	// Partner: external partners or services (S16).
	Partner ConnectorType = "Partner"
)

// TlsAuthLevel is an outbound connector's TlsSettings (S16); the empty value
// is $null.
type TlsAuthLevel string

// The TlsSettings values (§6, §9).
const (
	// EncryptionOnly: TLS required, no certificate checks.
	EncryptionOnly TlsAuthLevel = "EncryptionOnly"
	// CertificateValidation: TLS required; the chain must build from the
	// presented certificates to a root in EXO's store, unrevoked and in
	// its validity period.
	CertificateValidation TlsAuthLevel = "CertificateValidation"
	// DomainValidation: as CertificateValidation, and a CN or SAN of the
	// certificate must match TlsDomain.
	DomainValidation TlsAuthLevel = "DomainValidation"
)

// InboundConnector is New-InboundConnector's and Get-InboundConnector's view
// of an inbound connector (S16; the HCW's "Inbound from <GUID>", seed 000).
// New-InboundConnector fills in (inboundDefaults):
//   - ConnectorType: Partner
//   - ConnectorSource: Default
//
// Enabled is not defaulted: Go's false is the cmdlet's -Enabled $false, so
// set Enabled: true as the cmdlet's own default does. Likewise RequireTls,
// whose cmdlet default for Partner connectors is $true.
type InboundConnector struct {
	Name            string
	ConnectorType   ConnectorType
	ConnectorSource string // Default, Migrated or HybridWizard
	// SenderDomains: domains, "*.contoso.com" (a domain and its
	// subdomains), or "*"; the HCW's address space form "smtp:*;1" is read.
	SenderDomains []string
	// SenderIPAddresses: IPv4 addresses or CIDR ranges /24 to /32.
	SenderIPAddresses []string
	// TlsSenderCertificateName: an SMTP domain or "*.contoso.com", matched
	// against the client certificate's CN and SANs (C7).
	TlsSenderCertificateName     string
	RequireTls                   bool
	RestrictDomainsToIPAddresses bool // Partner connectors only
	RestrictDomainsToCertificate bool // Partner connectors only
	CloudServicesMailEnabled     bool
	TreatMessagesAsInternal      bool // OnPremises only, not with CloudServicesMailEnabled
	Enabled                      bool
}

// OutboundConnector is New-OutboundConnector's and Get-OutboundConnector's
// view of an outbound connector (S16; the HCW's "Outbound to <GUID>", seed
// 000). New-OutboundConnector fills in (outboundDefaults):
//   - ConnectorType: Partner
//   - ConnectorSource: Default
//
// Enabled and UseMXRecord are not defaulted: Go's false is the cmdlets'
// $false, so set them as the cmdlet's $true defaults would.
type OutboundConnector struct {
	Name            string
	ConnectorType   ConnectorType
	ConnectorSource string // Default, Migrated or HybridWizard
	// RecipientDomains: domains or "*.contoso.com" (a domain and its
	// subdomains), or "*".
	RecipientDomains []string
	// SmartHosts: FQDNs, IPv4 addresses or CIDR ranges (the range's first
	// host is dialled, INFER); required when UseMXRecord is $false.
	SmartHosts  []string
	UseMXRecord bool
	TlsSettings TlsAuthLevel
	// TlsDomain: an SMTP domain or "*.contoso.com" (all subdomains); only
	// with TlsSettings DomainValidation.
	TlsDomain                     string
	RouteAllMessagesViaOnPremises bool // OnPremises connectors only
	IsTransportRuleScoped         bool // used only by transport rules: never for routing here
	CloudServicesMailEnabled      bool
	Enabled                       bool
	// IsValidated and LastValidationTimestamp are written by
	// Validate-OutboundConnector; New-OutboundConnector clears them.
	IsValidated             bool
	LastValidationTimestamp time.Time
}

// The ConnectorSource values (S16).
var connectorSources = []string{"Default", "Migrated", "HybridWizard"}

func inboundDefaults(c InboundConnector) InboundConnector {
	if c.ConnectorType == "" {
		c.ConnectorType = Partner
	}
	if c.ConnectorSource == "" {
		c.ConnectorSource = connectorSources[0]
	}
	return c
}

func outboundDefaults(c OutboundConnector) OutboundConnector {
	if c.ConnectorType == "" {
		c.ConnectorType = Partner
	}
	if c.ConnectorSource == "" {
		c.ConnectorSource = connectorSources[0]
	}
	return c
}

func (c InboundConnector) clone() InboundConnector {
	c.SenderDomains = slices.Clone(c.SenderDomains)
	c.SenderIPAddresses = slices.Clone(c.SenderIPAddresses)
	return c
}

func (c OutboundConnector) clone() OutboundConnector {
	c.RecipientDomains = slices.Clone(c.RecipientDomains)
	c.SmartHosts = slices.Clone(c.SmartHosts)
	return c
}

// validateInbound applies New-InboundConnector's and Set-InboundConnector's
// rules (S16) to the tenant's i-th inbound connector.
func (t *Tenant) validateInbound(c *InboundConnector, i int) error {
	bad := func(prop, format string, args ...any) error {
		return fmt.Errorf("fakeexo: tenant %s: inbound connector %q: %s "+format, append([]any{t.Name, c.Name, prop}, args...)...)
	}
	switch {
	case strings.TrimSpace(c.Name) == "":
		return bad("Name", "is empty: every connector needs a name")
	case slices.ContainsFunc(t.InboundConnectors[:i], func(o InboundConnector) bool { return strings.EqualFold(o.Name, c.Name) }):
		return bad("Name", "is taken by another inbound connector of the tenant: choose another name")
	case c.ConnectorType != OnPremises && c.ConnectorType != Partner:
		return bad("ConnectorType", "%q: use OnPremises or Partner", c.ConnectorType)
	case !slices.Contains(connectorSources, c.ConnectorSource):
		return bad("ConnectorSource", "%q: use Default, Migrated or HybridWizard", c.ConnectorSource)
	case len(c.SenderDomains) == 0:
		return bad("SenderDomains", "is empty: the parameter is required (S16); the HCW sets smtp:*;1")
	}
	for _, d := range c.SenderDomains {
		if _, err := parseAddressSpace(d); err != nil {
			return bad("SenderDomains", "%q: %w", d, err)
		}
	}
	if _, err := parseSenderIPs(c.SenderIPAddresses); err != nil {
		return bad("SenderIPAddresses", "%w", err)
	}
	if c.TlsSenderCertificateName != "" {
		if _, err := parseDomainPattern(c.TlsSenderCertificateName, false); err != nil {
			return bad("TlsSenderCertificateName", "%q: %w", c.TlsSenderCertificateName, err)
		}
	}
	switch {
	case c.RestrictDomainsToIPAddresses && c.ConnectorType != Partner:
		return bad("RestrictDomainsToIPAddresses", "applies only to Partner connectors (S16): clear it or use ConnectorType Partner")
	case c.RestrictDomainsToCertificate && c.ConnectorType != Partner:
		return bad("RestrictDomainsToCertificate", "applies only to Partner connectors (S16): clear it or use ConnectorType Partner")
	case c.RestrictDomainsToIPAddresses && len(c.SenderIPAddresses) == 0:
		return bad("RestrictDomainsToIPAddresses", "is $true but SenderIPAddresses is empty: no source could pass (INFER)")
	case c.RestrictDomainsToCertificate && c.TlsSenderCertificateName == "":
		return bad("RestrictDomainsToCertificate", "is $true but TlsSenderCertificateName is empty: no certificate could pass (INFER)")
	case c.TreatMessagesAsInternal && c.CloudServicesMailEnabled:
		return bad("TreatMessagesAsInternal", "can't be $true when CloudServicesMailEnabled is $true (S16)")
	case c.TreatMessagesAsInternal && c.ConnectorType != OnPremises:
		return bad("TreatMessagesAsInternal", "can't be $true when ConnectorType is not OnPremises (S16)")
	}
	return nil
}

// validateOutbound applies New-OutboundConnector's and Set-OutboundConnector's
// rules (S16) to the tenant's i-th outbound connector.
func (t *Tenant) validateOutbound(c *OutboundConnector, i int) error {
	bad := func(prop, format string, args ...any) error {
		return fmt.Errorf("fakeexo: tenant %s: outbound connector %q: %s "+format, append([]any{t.Name, c.Name, prop}, args...)...)
	}
	switch {
	case strings.TrimSpace(c.Name) == "":
		return bad("Name", "is empty: every connector needs a name")
	case len(c.Name) > 64:
		return bad("Name", "is longer than 64 characters (S16)")
	case slices.ContainsFunc(t.OutboundConnectors[:i], func(o OutboundConnector) bool { return strings.EqualFold(o.Name, c.Name) }):
		return bad("Name", "is taken by another outbound connector of the tenant: choose another name")
	case c.ConnectorType != OnPremises && c.ConnectorType != Partner:
		return bad("ConnectorType", "%q: use OnPremises or Partner", c.ConnectorType)
	case !slices.Contains(connectorSources, c.ConnectorSource):
		return bad("ConnectorSource", "%q: use Default, Migrated or HybridWizard", c.ConnectorSource)
	}
	for _, d := range c.RecipientDomains {
		if _, err := parseDomainPattern(d, true); err != nil {
			return bad("RecipientDomains", "%q: %w", d, err)
		}
	}
	for _, h := range c.SmartHosts {
		if _, err := parseSmartHost(h); err != nil {
			return bad("SmartHosts", "%q: %w", h, err)
		}
	}
	switch c.TlsSettings {
	case "", EncryptionOnly, CertificateValidation, DomainValidation:
	default:
		return bad("TlsSettings", "%q: use EncryptionOnly, CertificateValidation, DomainValidation or $null (empty)", c.TlsSettings)
	}
	if c.TlsDomain != "" {
		if _, err := parseDomainPattern(c.TlsDomain, false); err != nil {
			return bad("TlsDomain", "%q: %w", c.TlsDomain, err)
		}
	}
	switch {
	case !c.UseMXRecord && len(c.SmartHosts) == 0:
		return bad("SmartHosts", "is empty: it is required if you use the value $false for the UseMxRecord parameter (S16)")
	case c.UseMXRecord && len(c.SmartHosts) > 0:
		return bad("UseMXRecord", "is $true but SmartHosts is set: set UseMXRecord $false to deliver to the smart hosts (INFER)")
	case c.TlsDomain != "" && c.TlsSettings != DomainValidation:
		return bad("TlsDomain", "is meaningful only when the TlsSettings value is DomainValidation (S16); TlsSettings is %s", tlsSettingsName(c.TlsSettings))
	case c.RouteAllMessagesViaOnPremises && c.ConnectorType != OnPremises:
		return bad("RouteAllMessagesViaOnPremises", "requires OnPremises for the ConnectorType value (S16)")
	}
	return nil
}

// tlsSettingsName renders TlsSettings as Get-OutboundConnector would.
func tlsSettingsName(s TlsAuthLevel) string {
	if s == "" {
		return "$null"
	}
	return string(s)
}

// parseSenderIPs reads SenderIPAddresses: IPv4 addresses and CIDR ranges
// /24 to /32 (S16); a single address is its /32.
func parseSenderIPs(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		var p netip.Prefix
		var err error
		if strings.Contains(s, "/") {
			p, err = netip.ParsePrefix(s)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(s); err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		switch {
		case err != nil:
			return nil, fmt.Errorf("%q: not an IPv4 address or CIDR range, e.g. 192.168.0.1/25", s)
		case !p.Addr().Is4():
			return nil, fmt.Errorf("%q: IPv6 addresses are not supported (S16)", s)
		case p.Bits() < 24:
			return nil, fmt.Errorf("%q: valid subnet mask values are /24 through /32 (S16)", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// parseSmartHost reads a SmartHosts entry and returns the host to dial: an
// FQDN, an IPv4 address, or for a CIDR range its first host (INFER).
func parseSmartHost(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return "", errors.New("not an IPv4 CIDR range, e.g. 192.168.0.1/25")
		}
		a := p.Addr()
		if a == p.Masked().Addr() && p.Bits() < 32 {
			a = a.Next()
		}
		return a.String(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if !a.Is4() {
			return "", errors.New("IPv6 smart hosts are not modelled: give an FQDN or an IPv4 address")
		}
		return a.String(), nil
	}
	if !validHostName(s) {
		return "", errors.New("not an FQDN, an IPv4 address or a CIDR range")
	}
	return canonicalDomain(s), nil
}
