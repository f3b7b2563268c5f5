package fakeexo

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// Tenant is one organization in the service, with Exchange Online's
// property names. New and the cmdlets fill in (tenantDefaults):
//   - InitialDomain: Name + ".onmicrosoft.com"
//   - RoutingDomain: Name + ".mail.onmicrosoft.com" (the hybrid coexistence
//     domain)
//   - AcceptedDomains: InitialDomain and RoutingDomain are added as
//     Authoritative when missing
//   - each Mailbox's and MailUser's EmailAddresses: the PrimarySmtpAddress
//     and the alias (its local part) in RoutingDomain, and for a mailbox in
//     InitialDomain too, when missing
//   - each MailUser's ExternalEmailAddress: its PrimarySmtpAddress
//   - connectors: see InboundConnector and OutboundConnector
type Tenant struct {
	Name          string // e.g. "contoso"
	InitialDomain string // e.g. contoso.onmicrosoft.com
	RoutingDomain string // e.g. contoso.mail.onmicrosoft.com
	// AcceptedDomains are the domains the tenant receives mail for. No two
	// tenants may accept the same domain.
	AcceptedDomains []AcceptedDomain
	// RejectDirectSend is Set-OrganizationConfig -RejectDirectSend: mail
	// from the tenant's own domains that no connector attributed is
	// refused with 5.7.68 (F22).
	RejectDirectSend bool

	Mailboxes          []Mailbox
	MailUsers          []MailUser
	InboundConnectors  []InboundConnector
	OutboundConnectors []OutboundConnector
}

// AcceptedDomain is Get-AcceptedDomain's DomainName and DomainType.
type AcceptedDomain struct {
	DomainName string
	DomainType DomainType
}

// DomainType is an accepted domain's type.
type DomainType string

// The accepted domain types the service models (S20 names both: "all
// authoritative and internal relay accepted domains").
const (
	// Authoritative: every recipient of the domain is in this tenant; mail
	// for an unknown one is refused.
	Authoritative DomainType = "Authoritative"
	// InternalRelay: recipients not found in the tenant are routed on, by
	// the outbound connectors (on-premises shares the domain).
	InternalRelay DomainType = "InternalRelay"
)

// Mailbox is a cloud mailbox.
type Mailbox struct {
	Name               string
	PrimarySmtpAddress string
	EmailAddresses     []string // proxy addresses, without the "smtp:" prefix
}

// MailUser is a mail user: in a hybrid tenant, an on-premises mailbox that
// directory synchronization brought to the cloud. Mail for any of its
// addresses goes to ExternalEmailAddress through the outbound connectors.
type MailUser struct {
	Name                 string
	PrimarySmtpAddress   string
	ExternalEmailAddress string
	EmailAddresses       []string // proxy addresses, without the "smtp:" prefix
}

// tenantDefaults fills in a tenant as listed on Tenant.
func tenantDefaults(t Tenant) Tenant {
	t = t.clone()
	name := strings.ToLower(t.Name)
	if t.InitialDomain == "" {
		t.InitialDomain = name + ".onmicrosoft.com"
	}
	if t.RoutingDomain == "" {
		t.RoutingDomain = name + ".mail.onmicrosoft.com"
	}
	for _, d := range []string{t.InitialDomain, t.RoutingDomain} {
		if !slices.ContainsFunc(t.AcceptedDomains, func(a AcceptedDomain) bool { return strings.EqualFold(a.DomainName, d) }) {
			t.AcceptedDomains = append(t.AcceptedDomains, AcceptedDomain{DomainName: d, DomainType: Authoritative})
		}
	}
	for i := range t.Mailboxes {
		mb := &t.Mailboxes[i]
		mb.EmailAddresses = withAddresses(mb.EmailAddresses, mb.PrimarySmtpAddress, t.InitialDomain, t.RoutingDomain)
	}
	for i := range t.MailUsers {
		mu := &t.MailUsers[i]
		if mu.ExternalEmailAddress == "" {
			mu.ExternalEmailAddress = mu.PrimarySmtpAddress
		}
		mu.EmailAddresses = withAddresses(mu.EmailAddresses, mu.PrimarySmtpAddress, t.RoutingDomain)
	}
	for i := range t.InboundConnectors {
		t.InboundConnectors[i] = inboundDefaults(t.InboundConnectors[i])
	}
	for i := range t.OutboundConnectors {
		t.OutboundConnectors[i] = outboundDefaults(t.OutboundConnectors[i])
	}
	return t
}

// withAddresses adds the primary address and alias@domain for each domain to
// addrs, keeping what is there.
func withAddresses(addrs []string, primary string, domains ...string) []string {
	add := func(a string) {
		if !slices.ContainsFunc(addrs, func(x string) bool { return strings.EqualFold(x, a) }) {
			addrs = append(addrs, a)
		}
	}
	if primary == "" {
		return addrs
	}
	add(primary)
	alias, _, _ := strings.Cut(primary, "@")
	for _, d := range domains {
		add(alias + "@" + d)
	}
	return addrs
}

// validate checks the tenant's own values; cross-tenant rules are the
// directory's.
func (t *Tenant) validate() error {
	if t.Name == "" || !validDomain(t.Name) || strings.Contains(t.Name, ".") {
		return fmt.Errorf("fakeexo: tenant %q: Name must be one DNS label, e.g. contoso (it names contoso.onmicrosoft.com)", t.Name)
	}
	for _, d := range t.AcceptedDomains {
		if !validDomain(canonicalDomain(d.DomainName)) {
			return fmt.Errorf("fakeexo: tenant %s: accepted domain %q: DomainName is not an SMTP domain", t.Name, d.DomainName)
		}
		if d.DomainType != Authoritative && d.DomainType != InternalRelay {
			return fmt.Errorf("fakeexo: tenant %s: accepted domain %s: DomainType %q: use Authoritative or InternalRelay", t.Name, d.DomainName, d.DomainType)
		}
	}
	accepted := func(addr string) bool {
		return slices.ContainsFunc(t.AcceptedDomains, func(a AcceptedDomain) bool { return canonicalDomain(a.DomainName) == domainOf(addr) })
	}
	check := func(kind, name, prop, addr string, mustAccept bool) error {
		if _, err := mail.ParseAddress(addr); err != nil || domainOf(addr) == "" {
			return fmt.Errorf("fakeexo: tenant %s: %s %q: %s %q is not an SMTP address", t.Name, kind, name, prop, addr)
		}
		if mustAccept && !accepted(addr) {
			return fmt.Errorf("fakeexo: tenant %s: %s %q: %s %s is not in an accepted domain of the tenant: add the domain to AcceptedDomains", t.Name, kind, name, prop, addr)
		}
		return nil
	}
	for _, mb := range t.Mailboxes {
		for _, a := range mb.EmailAddresses {
			if err := check("mailbox", mb.Name, "EmailAddresses", a, true); err != nil {
				return err
			}
		}
	}
	for _, mu := range t.MailUsers {
		if err := check("mail user", mu.Name, "ExternalEmailAddress", mu.ExternalEmailAddress, false); err != nil {
			return err
		}
		for _, a := range mu.EmailAddresses {
			if err := check("mail user", mu.Name, "EmailAddresses", a, true); err != nil {
				return err
			}
		}
	}
	for i := range t.InboundConnectors {
		if err := t.validateInbound(&t.InboundConnectors[i], i); err != nil {
			return err
		}
	}
	for i := range t.OutboundConnectors {
		if err := t.validateOutbound(&t.OutboundConnectors[i], i); err != nil {
			return err
		}
	}
	return nil
}

// clone returns a copy of t that shares no slice with it.
func (t Tenant) clone() Tenant {
	t.AcceptedDomains = slices.Clone(t.AcceptedDomains)
	t.Mailboxes = slices.Clone(t.Mailboxes)
	for i := range t.Mailboxes {
		t.Mailboxes[i].EmailAddresses = slices.Clone(t.Mailboxes[i].EmailAddresses)
	}
	t.MailUsers = slices.Clone(t.MailUsers)
	for i := range t.MailUsers {
		t.MailUsers[i].EmailAddresses = slices.Clone(t.MailUsers[i].EmailAddresses)
	}
	t.InboundConnectors = slices.Clone(t.InboundConnectors)
	for i := range t.InboundConnectors {
		t.InboundConnectors[i] = t.InboundConnectors[i].clone()
	}
	t.OutboundConnectors = slices.Clone(t.OutboundConnectors)
	for i := range t.OutboundConnectors {
		t.OutboundConnectors[i] = t.OutboundConnectors[i].clone()
	}
	return t
}
