package fakeexo

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// directory is an immutable snapshot of the service's configuration with the
// indexes attribution and routing use. The cmdlets build a new one and swap it
// in; a front-door session reads the snapshot of its MAIL FROM.
type directory struct {
	tenants   []*tenant
	byName    map[string]*tenant    // lower-case name
	domains   map[string]*tenant    // accepted domain -> its tenant
	addresses map[string]recipient  // proxy address (lower case) -> recipient
	certNames map[string][]*inbound // TlsSenderCertificateName (canonical, "*." kept)
	certUnder map[string][]*inbound // non-wildcard TlsSenderCertificateName by its parent domain
	ipBlocks  map[[3]byte][]*inbound
	inbounds  int // inbound connectors indexed so far
}

// tenant is a tenant's configuration with its parsed connectors.
type tenant struct {
	Tenant
	domains  map[string]DomainType
	inbound  []*inbound
	outbound []*outbound
}

// inbound is an inbound connector with its properties parsed.
type inbound struct {
	*InboundConnector
	tenant        *tenant
	senderDomains []domainPattern
	senderIPs     []netip.Prefix
	certName      domainPattern
	hasCertName   bool
	order         int // place in the configuration, across tenants
}

// outbound is an outbound connector with its properties parsed.
type outbound struct {
	*OutboundConnector
	tenant           *tenant
	recipientDomains []domainPattern
	smartHosts       []string
}

// recipient is what a proxy address resolves to.
type recipient struct {
	tenant   *tenant
	mailbox  *Mailbox
	mailUser *MailUser
}

// newDirectory indexes tenants that tenantDefaults filled in and validate
// accepted, and checks the rules that span tenants: unique names, each
// accepted domain and each address in one tenant only.
func newDirectory(tenants []Tenant) (*directory, error) {
	d := &directory{
		byName: map[string]*tenant{}, domains: map[string]*tenant{}, addresses: map[string]recipient{},
		certNames: map[string][]*inbound{}, certUnder: map[string][]*inbound{}, ipBlocks: map[[3]byte][]*inbound{},
	}
	for i := range tenants {
		t := &tenant{Tenant: tenants[i], domains: map[string]DomainType{}}
		key := strings.ToLower(t.Name)
		if _, ok := d.byName[key]; ok {
			return nil, fmt.Errorf("fakeexo: tenant %s: Name is taken by another tenant", t.Name)
		}
		d.byName[key] = t
		d.tenants = append(d.tenants, t)
		for _, a := range t.AcceptedDomains {
			name := canonicalDomain(a.DomainName)
			if other, ok := d.domains[name]; ok {
				return nil, fmt.Errorf("fakeexo: tenant %s: accepted domain %s is already an accepted domain of tenant %s: a domain belongs to one tenant", t.Name, name, other.Name)
			}
			d.domains[name] = t
			t.domains[name] = a.DomainType
		}
		if err := d.indexRecipients(t); err != nil {
			return nil, err
		}
		for j := range t.InboundConnectors {
			d.indexInbound(t, &t.InboundConnectors[j])
		}
		for j := range t.OutboundConnectors {
			c := &t.OutboundConnectors[j]
			o := &outbound{OutboundConnector: c, tenant: t}
			for _, r := range c.RecipientDomains {
				p, _ := parseDomainPattern(r, true) // validated
				o.recipientDomains = append(o.recipientDomains, p)
			}
			for _, h := range c.SmartHosts {
				host, _ := parseSmartHost(h) // validated
				o.smartHosts = append(o.smartHosts, host)
			}
			t.outbound = append(t.outbound, o)
		}
	}
	return d, nil
}

func (d *directory) indexRecipients(t *tenant) error {
	add := func(addr string, r recipient) error {
		key := strings.ToLower(addr)
		if other, ok := d.addresses[key]; ok {
			return fmt.Errorf("fakeexo: tenant %s: address %s already belongs to a recipient of tenant %s: an address belongs to one recipient", t.Name, addr, other.tenant.Name)
		}
		d.addresses[key] = r
		return nil
	}
	for i := range t.Mailboxes {
		for _, a := range t.Mailboxes[i].EmailAddresses {
			if err := add(a, recipient{tenant: t, mailbox: &t.Mailboxes[i]}); err != nil {
				return err
			}
		}
	}
	for i := range t.MailUsers {
		for _, a := range t.MailUsers[i].EmailAddresses {
			if err := add(a, recipient{tenant: t, mailUser: &t.MailUsers[i]}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *directory) indexInbound(t *tenant, c *InboundConnector) {
	in := &inbound{InboundConnector: c, tenant: t, order: d.inbounds}
	d.inbounds++
	for _, s := range c.SenderDomains {
		p, _ := parseAddressSpace(s) // validated
		in.senderDomains = append(in.senderDomains, p)
	}
	in.senderIPs, _ = parseSenderIPs(c.SenderIPAddresses) // validated
	if c.TlsSenderCertificateName != "" {
		in.certName, _ = parseDomainPattern(c.TlsSenderCertificateName, false) // validated
		in.hasCertName = true
		key := in.certName.String()
		d.certNames[key] = append(d.certNames[key], in)
		if _, parent, ok := strings.Cut(in.certName.base, "."); ok && !in.certName.wildcard {
			d.certUnder[parent] = append(d.certUnder[parent], in)
		}
	}
	for _, p := range in.senderIPs {
		for _, block := range ipBlocks(p) {
			if !slices.Contains(d.ipBlocks[block], in) {
				d.ipBlocks[block] = append(d.ipBlocks[block], in)
			}
		}
	}
	t.inbound = append(t.inbound, in)
}

// ipBlocks lists the /24 blocks a /24-/32 prefix lies in (one).
func ipBlocks(p netip.Prefix) [][3]byte {
	a := p.Addr().As4()
	return [][3]byte{{a[0], a[1], a[2]}}
}

// byCertificate returns the inbound connectors, of every tenant and in
// configuration order, whose TlsSenderCertificateName names the certificate
// (its CN or a SAN, C7).
func (d *directory) byCertificate(leaf *x509.Certificate) []*inbound {
	var found []*inbound
	seen := map[*inbound]bool{}
	consider := func(list []*inbound, name string) {
		for _, c := range list {
			if !seen[c] && pki.NameMatches(c.certName.String(), name, true) {
				seen[c] = true
				found = append(found, c)
			}
		}
	}
	for _, name := range certificateNames(leaf) {
		consider(d.certNames[name], name)
		rest := strings.TrimPrefix(name, "*.")
		if rest != name {
			consider(d.certUnder[rest], name)
		} else {
			consider(d.certNames["*."+name], name)
		}
		for s := rest; ; {
			_, parent, ok := strings.Cut(s, ".")
			if !ok {
				break
			}
			consider(d.certNames["*."+parent], name)
			s = parent
		}
	}
	d.inOrder(found)
	return found
}

// byAddress returns the inbound connectors, in configuration order, whose
// SenderIPAddresses hold the address.
func (d *directory) byAddress(addr netip.Addr) []*inbound {
	if !addr.Is4() {
		return nil
	}
	a := addr.As4()
	var found []*inbound
	for _, c := range d.ipBlocks[[3]byte{a[0], a[1], a[2]}] {
		if c.holds(addr) {
			found = append(found, c)
		}
	}
	d.inOrder(found)
	return found
}

// inOrder sorts connectors in configuration order: by tenant, then by their
// place in the tenant.
func (d *directory) inOrder(list []*inbound) {
	slices.SortFunc(list, func(a, b *inbound) int { return a.order - b.order })
}

// holds reports whether the connector's SenderIPAddresses hold addr.
func (c *inbound) holds(addr netip.Addr) bool {
	for _, p := range c.senderIPs {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// acceptsCertName reports whether the connector's TlsSenderCertificateName
// meets S14's rule: a non-wildcard value must be an accepted domain of the
// connector's tenant, a wildcard's base must be one.
func (c *inbound) acceptsCertName() bool {
	return certNameAccepted(c.TlsSenderCertificateName, func(d string) bool {
		_, ok := c.tenant.domains[d]
		return ok
	})
}

// namesCertificate reports whether TlsSenderCertificateName names the
// certificate's CN or a SAN.
func (c *inbound) namesCertificate(leaf *x509.Certificate) bool {
	if !c.hasCertName || leaf == nil {
		return false
	}
	for _, n := range certificateNames(leaf) {
		if pki.NameMatches(c.certName.String(), n, true) {
			return true
		}
	}
	return false
}

// coversSender reports whether SenderDomains cover the MAIL FROM domain; the
// null sender only answers to "*".
func (c *inbound) coversSender(domain string) bool {
	for _, p := range c.senderDomains {
		if p.wildcard && p.base == "" || domain != "" && p.covers(domain) {
			return true
		}
	}
	return false
}

// route returns the outbound connector that carries a tenant's mail for
// domain: the enabled connector whose RecipientDomains match it most
// specifically (a domain before its wildcard, a longer wildcard before a
// shorter, "*" last), transport-rule-scoped ones left out; otherwise,
// for mail that did not come from on-premises, the enabled connector with
// RouteAllMessagesViaOnPremises; otherwise nil, delivery by MX.
func (t *tenant) route(domain string, fromOnPrem bool) *outbound {
	var best *outbound
	bestScore := 0
	for _, o := range t.outbound {
		if !o.Enabled || o.IsTransportRuleScoped {
			continue
		}
		for _, p := range o.recipientDomains {
			if !p.covers(domain) {
				continue
			}
			score := 1
			switch {
			case !p.wildcard:
				score = 1 << 20
			case p.base != "":
				score = 2 + len(p.base)
			}
			if score > bestScore {
				best, bestScore = o, score
			}
		}
	}
	if best != nil || fromOnPrem {
		return best
	}
	for _, o := range t.outbound {
		if o.Enabled && !o.IsTransportRuleScoped && o.RouteAllMessagesViaOnPremises {
			return o
		}
	}
	return nil
}

// certificateNames are a certificate's CN (when there is one) and its DNS
// SANs, canonical, in that order.
func certificateNames(leaf *x509.Certificate) []string {
	var names []string
	if cn := leaf.Subject.CommonName; cn != "" {
		names = append(names, canonicalDomain(cn))
	}
	for _, n := range leaf.DNSNames {
		if n = canonicalDomain(n); len(names) == 0 || names[0] != n {
			names = append(names, n)
		}
	}
	return names
}
