package fakeonprem

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// SendConnector is a send connector with Set-SendConnector's property names (§6). It belongs to
// the organization; SourceTransportServers name the servers that send through it.
type SendConnector struct {
	Name string
	// AddressSpaces are "[Type:]AddressSpace[;Cost]" values: smtp:contoso.mail.onmicrosoft.com;1,
	// *, *.contoso.com, -- (the organization's accepted domains, EdgeSync).
	AddressSpaces          []string
	SourceTransportServers []string
	// DNSRoutingEnabled routes by the recipient domain's MX records; otherwise SmartHosts
	// (host names or addresses; "--" is the Mailbox servers, EdgeSync).
	DNSRoutingEnabled bool
	SmartHosts        []string
	// SmartHostAuthMechanism: None, BasicAuth, BasicAuthRequireTLS, ExchangeServer,
	// ExternalAuthoritative.
	SmartHostAuthMechanism string
	Port                   int
	// Fqdn is the EHLO name and the client certificate's name when TlsCertificateName is
	// empty; empty: the source server's FQDN.
	Fqdn           string
	RequireTLS     bool
	IgnoreSTARTTLS bool
	// TlsAuthLevel: EncryptionOnly, CertificateValidation, DomainValidation; empty:
	// encryption only.
	TlsAuthLevel string
	// TlsDomain is the name DomainValidation expects; empty: the recipient's domain.
	TlsDomain                string
	TlsCertificateName       string
	CloudServicesMailEnabled bool
}

const (
	encryptionOnly        = "EncryptionOnly"
	certificateValidation = "CertificateValidation"
	domainValidation      = "DomainValidation"
	exchangeServerAuth    = "ExchangeServer"
)

var (
	tlsAuthLevels      = []string{encryptionOnly, certificateValidation, domainValidation}
	smartHostAuthMechs = []string{"None", "BasicAuth", "BasicAuthRequireTLS", exchangeServerAuth, "ExternalAuthoritative"}
)

// HybridSendConnector returns the send connector the hybrid configuration wizard creates
// (seed 000, S14; the name and command of S40): "Outbound to Office 365 - <guid>", AddressSpaces
// smtp:<routingDomain>;1, DNSRoutingEnabled, RequireTLS, TlsAuthLevel DomainValidation,
// TlsDomain mail.protection.outlook.com, CloudServicesMailEnabled, the wizard's Fqdn and
// certificate, from the given servers.
func HybridSendConnector(guid, routingDomain, fqdn, tlsCertificateName string, sourceTransportServers ...string) SendConnector {
	return SendConnector{
		Name:                     hybridSendConnectorPrefix + guid,
		AddressSpaces:            []string{"smtp:" + routingDomain + ";1"},
		SourceTransportServers:   sourceTransportServers,
		DNSRoutingEnabled:        true,
		Port:                     25,
		Fqdn:                     fqdn,
		RequireTLS:               true,
		TlsAuthLevel:             domainValidation,
		TlsDomain:                exoTlsDomain,
		TlsCertificateName:       tlsCertificateName,
		CloudServicesMailEnabled: true,
	}
}

// withDefaults fills in New-SendConnector's defaults (listed on New).
func (c SendConnector) withDefaults() SendConnector {
	if len(c.SmartHosts) == 0 {
		c.DNSRoutingEnabled = true
	}
	if c.Port == 0 {
		c.Port = 25
	}
	return c
}

// addressSpace is one parsed AddressSpaces value.
type addressSpace struct {
	space string // "*", "--", "*.contoso.com" or "contoso.com", lower case
	cost  int
}

// parseAddressSpace reads "[Type:]AddressSpace[;Cost]" (S16): type SMTP, cost 1-100 (default
// 1); "*contoso.com" is refused.
func parseAddressSpace(v string) (addressSpace, error) {
	body := v
	if typ, rest, ok := strings.Cut(v, ":"); ok {
		if !strings.EqualFold(typ, "smtp") {
			return addressSpace{}, fmt.Errorf("%q: address space type %q is not supported; use SMTP", v, typ)
		}
		body = rest
	}
	a := addressSpace{cost: 1}
	if space, cost, ok := strings.Cut(body, ";"); ok {
		n, err := strconv.Atoi(cost)
		if err != nil || n < 1 || n > 100 {
			return addressSpace{}, fmt.Errorf("%q: the cost must be a number from 1 to 100", v)
		}
		body, a.cost = space, n
	}
	a.space = strings.ToLower(strings.TrimSpace(body))
	rest := strings.TrimPrefix(a.space, "*.")
	switch {
	case a.space == "*" || a.space == edgeSyncAllDomains:
	case rest == "" || strings.Contains(rest, "*") || strings.HasPrefix(rest, ".") || strings.Contains(rest, ".."):
		return addressSpace{}, fmt.Errorf("%q: write *, *.contoso.com or contoso.com (not *contoso.com)", v)
	}
	return a, nil
}

// match returns how specifically the address space covers a recipient domain (higher is more
// specific), or -1. "--" covers the accepted domains, before "*" and after any named domain.
func (a addressSpace) match(domain string, accepted bool) int {
	domain = strings.ToLower(domain)
	switch {
	case a.space == edgeSyncAllDomains:
		if accepted {
			return 1
		}
	case a.space == "*":
		return 0
	case strings.HasPrefix(a.space, "*."):
		if strings.HasSuffix(domain, a.space[1:]) {
			return 2 * len(a.space)
		}
	case a.space == domain:
		return 2*len(a.space) + 1
	}
	return -1
}

// validateSend checks a connector as New-/Set-SendConnector do (S16 §6); old is its name
// before a Set. Callers hold o.mu or are configuring.
func (o *Organization) validateSend(c SendConnector, old string) error {
	prop := func(name string, err error) error {
		if err == nil {
			return nil
		}
		return fmt.Errorf("fakeonprem: send connector %q: %s: %w", c.Name, name, err)
	}
	if c.Name == "" {
		return errors.New("fakeonprem: send connector: Name is empty")
	}
	var errs []error
	for _, other := range o.send {
		if !strings.EqualFold(other.Name, old) && strings.EqualFold(other.Name, c.Name) {
			errs = append(errs, prop("Name", errors.New("another send connector has this name")))
		}
	}
	if len(c.AddressSpaces) == 0 {
		errs = append(errs, prop("AddressSpaces", errors.New("empty: give at least one, e.g. smtp:*;1")))
	}
	for _, v := range c.AddressSpaces {
		_, err := parseAddressSpace(v)
		errs = append(errs, prop("AddressSpaces", err))
	}
	errs = append(errs, prop("SourceTransportServers", o.checkSources(c.SourceTransportServers)))
	switch {
	case len(c.SmartHosts) > 0 && c.DNSRoutingEnabled:
		errs = append(errs, prop("SmartHosts", errors.New(errSmartHostsWithDNS)))
	case len(c.SmartHosts) == 0 && !c.DNSRoutingEnabled:
		errs = append(errs, prop("SmartHosts", errors.New(errSmartHostsRequired)))
	}
	if c.RequireTLS && c.IgnoreSTARTTLS {
		errs = append(errs, prop("IgnoreSTARTTLS", errors.New(errIgnoreWithRequire)))
	}
	if c.TlsAuthLevel != "" {
		switch {
		case !has(tlsAuthLevels, c.TlsAuthLevel):
			errs = append(errs, prop("TlsAuthLevel", fmt.Errorf("%q: use %s", c.TlsAuthLevel, strings.Join(tlsAuthLevels, ", "))))
		case c.IgnoreSTARTTLS || !c.RequireTLS:
			errs = append(errs, prop("TlsAuthLevel", errors.New(errTlsAuthLevel)))
		case strings.EqualFold(c.TlsAuthLevel, domainValidation) && !c.DNSRoutingEnabled && c.TlsDomain == "":
			errs = append(errs, prop("TlsDomain", errors.New(errTlsDomainRequired)))
		}
	}
	if c.SmartHostAuthMechanism != "" && !has(smartHostAuthMechs, c.SmartHostAuthMechanism) {
		errs = append(errs, prop("SmartHostAuthMechanism", fmt.Errorf("%q: use %s", c.SmartHostAuthMechanism, strings.Join(smartHostAuthMechs, ", "))))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, prop("Port", fmt.Errorf("%d: use a TCP port from 1 to 65535", c.Port)))
	}
	if c.TlsCertificateName != "" {
		_, err := pki.ParseTlsCertificateName(c.TlsCertificateName)
		errs = append(errs, prop("TlsCertificateName", err))
	}
	return errors.Join(errs...)
}

// checkSources checks SourceTransportServers: existing servers, all Mailbox or all Edge.
func (o *Organization) checkSources(names []string) error {
	if len(names) == 0 {
		return errors.New("empty: name the servers that send through the connector")
	}
	var role Role
	for _, n := range names {
		s := o.server(n)
		if s == nil {
			return fmt.Errorf("%q is not a server of the organization", n)
		}
		if role != "" && s.cfg.Role != role {
			return errors.New("Mailbox and Edge servers cannot share a send connector")
		}
		role = s.cfg.Role
	}
	return nil
}

// sendConnector finds a connector by name. Callers hold o.mu.
func (o *Organization) sendConnector(name string) (*SendConnector, error) {
	for _, c := range o.send {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("fakeonprem: send connector %q not found; Get-SendConnector lists them", name)
}

func cloneSend(c SendConnector) SendConnector {
	c.AddressSpaces, c.SourceTransportServers, c.SmartHosts = slices.Clone(c.AddressSpaces), slices.Clone(c.SourceTransportServers), slices.Clone(c.SmartHosts)
	return c
}

// GetSendConnector is Get-SendConnector [-Identity name]: every connector, or the one named.
func (o *Organization) GetSendConnector(identity string) ([]SendConnector, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if identity != "" {
		c, err := o.sendConnector(identity)
		if err != nil {
			return nil, err
		}
		return []SendConnector{cloneSend(*c)}, nil
	}
	var out []SendConnector
	for _, c := range o.send {
		out = append(out, cloneSend(*c))
	}
	return out, nil
}

// NewSendConnector is New-SendConnector, with its defaults (listed on New) and validations.
func (o *Organization) NewSendConnector(c SendConnector) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	c = cloneSend(c).withDefaults()
	if err := o.validateSend(c, ""); err != nil {
		return err
	}
	o.send = append(o.send, &c)
	return nil
}

// SetSendConnector is Set-SendConnector -Identity name: edit changes a copy, which is validated
// as the cmdlet validates it and applied only if valid. Queued messages use the new values at
// their next attempt.
func (o *Organization) SetSendConnector(identity string, edit func(*SendConnector)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	cur, err := o.sendConnector(identity)
	if err != nil {
		return err
	}
	c := cloneSend(*cur)
	edit(&c)
	if err := o.validateSend(c, cur.Name); err != nil {
		return err
	}
	*cur = c
	return nil
}

// RemoveSendConnector is Remove-SendConnector; messages queued for it are routed again at
// their next attempt.
func (o *Organization) RemoveSendConnector(identity string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	cur, err := o.sendConnector(identity)
	if err != nil {
		return err
	}
	o.send = slices.DeleteFunc(o.send, func(c *SendConnector) bool { return c == cur })
	return nil
}
