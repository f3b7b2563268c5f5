package fakeonprem

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// ReceiveConnector is a receive connector with Set-ReceiveConnector's property names (§6).
// Its identity is Server\Name.
type ReceiveConnector struct {
	Name   string // e.g. "Default Frontend EX01"
	Server string
	// TransportRole is FrontendTransport or HubTransport (Edge connectors: HubTransport).
	TransportRole string
	// Bindings are "IPAddress:Port" values; 0.0.0.0 stands for every address of the server.
	Bindings []string
	// Fqdn is the banner's and EHLO reply's name and the STARTTLS certificate's name when
	// TlsCertificateName is empty; empty: the server's FQDN.
	Fqdn string
	// AuthMechanism: None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer,
	// ExternalAuthoritative.
	AuthMechanism []string
	// PermissionGroups: None, AnonymousUsers, ExchangeUsers, ExchangeServers,
	// ExchangeLegacyServers, Partners, Custom.
	PermissionGroups []string
	RequireTLS       bool
	// TlsCertificateName is "<I>issuer<S>subject" (pki.ParseTlsCertificateName).
	TlsCertificateName string
	// TlsDomainCapabilities are "domain:Capability1,Capability2" values, e.g. the HCW's
	// mail.protection.outlook.com:AcceptCloudServicesMail.
	TlsDomainCapabilities []string
}

// The transport roles of a receive connector.
const (
	frontendTransport = "FrontendTransport"
	hubTransport      = "HubTransport"
)

var (
	authMechanisms   = []string{"None", "Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"}
	permissionGroups = []string{"None", "AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers", "Partners", "Custom"}
	capabilities     = []string{"AcceptCloudServicesMail", "AcceptOorgProtocol"} // S16
)

func (c ReceiveConnector) identity() string { return c.Server + `\` + c.Name }

// clone returns a copy that shares no slice with c.
func (c ReceiveConnector) clone() ReceiveConnector {
	c.Bindings, c.AuthMechanism = slices.Clone(c.Bindings), slices.Clone(c.AuthMechanism)
	c.PermissionGroups, c.TlsDomainCapabilities = slices.Clone(c.PermissionGroups), slices.Clone(c.TlsDomainCapabilities)
	return c
}

// has reports whether a multi-valued property holds v (case-insensitive, as Exchange).
func has(values []string, v string) bool {
	return slices.ContainsFunc(values, func(x string) bool { return strings.EqualFold(x, v) })
}

// DefaultReceiveConnectors returns the receive connectors a new server has (S33): on a
// Mailbox server "Default Frontend <Server>" (25, FrontendTransport), "Default <Server>"
// (2525, HubTransport), "Client Frontend <Server>" (587), "Outbound Proxy Frontend <Server>"
// (717) and "Client Proxy <Server>" (465); on an Edge server "Default internal receive
// connector <Server>" (25). Their Fqdn is the server's; an empty Role is Mailbox.
func DefaultReceiveConnectors(s Server) []ReceiveConnector {
	rc := func(name, role, port string, auth, groups []string) ReceiveConnector {
		return ReceiveConnector{Name: name + " " + s.Name, Server: s.Name, TransportRole: role,
			Bindings: []string{"0.0.0.0:" + port}, Fqdn: s.Fqdn, AuthMechanism: auth, PermissionGroups: groups}
	}
	if s.Role == RoleEdge {
		return []ReceiveConnector{rc("Default internal receive connector", hubTransport, "25",
			[]string{"Tls", "ExchangeServer"}, []string{"AnonymousUsers", "ExchangeServers", "Partners"})}
	}
	all := []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"}
	client := []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"}
	return []ReceiveConnector{
		rc("Default Frontend", frontendTransport, "25", all, []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"}),
		rc("Default", hubTransport, "2525", all, []string{"ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"}),
		rc("Client Frontend", frontendTransport, "587", client, []string{"ExchangeUsers"}),
		rc("Outbound Proxy Frontend", frontendTransport, "717", all, []string{"ExchangeServers"}),
		rc("Client Proxy", hubTransport, "465", all, []string{"ExchangeUsers", "ExchangeServers"}),
	}
}

// HybridReceiveConnector returns c as the hybrid configuration wizard leaves the "Default
// Frontend" connector (seed 000, S14): AuthMechanism Tls, Integrated, BasicAuth,
// BasicAuthRequireTLS, ExchangeServer; PermissionGroups AnonymousUsers, ExchangeServers,
// ExchangeLegacyServers; TlsDomainCapabilities mail.protection.outlook.com:AcceptCloudServicesMail;
// and the TlsCertificateName of the certificate chosen in the wizard.
func HybridReceiveConnector(c ReceiveConnector, tlsCertificateName string) ReceiveConnector {
	c.AuthMechanism = []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"}
	c.PermissionGroups = []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"}
	c.TlsDomainCapabilities = []string{capabilityCloudServicesMail}
	c.TlsCertificateName = tlsCertificateName
	return c
}

// validateReceive checks a connector as Set-ReceiveConnector does (S16 §6, F28), and that its
// name and bindings are its own on the server; old is the identity it had (for Set).
func (s *server) validateReceive(c ReceiveConnector, old string) error {
	prop := func(name string, err error) error {
		if err == nil {
			return nil
		}
		return fmt.Errorf("fakeonprem: receive connector \"%s\": %s: %w", c.identity(), name, err)
	}
	var errs []error
	if c.Name == "" {
		return fmt.Errorf("fakeonprem: receive connector on %q: Name is empty", s.cfg.Name)
	}
	for _, other := range s.connectors {
		if other.cfg.identity() == old {
			continue
		}
		if strings.EqualFold(other.cfg.Name, c.Name) {
			errs = append(errs, prop("Name", errors.New("another receive connector of the server has this name")))
		}
	}
	if c.TransportRole != frontendTransport && c.TransportRole != hubTransport {
		errs = append(errs, prop("TransportRole", fmt.Errorf("%q: use %s or %s", c.TransportRole, frontendTransport, hubTransport)))
	}
	errs = append(errs, prop("Bindings", s.checkBindings(c, old)))
	errs = append(errs, prop("AuthMechanism", checkValues(c.AuthMechanism, authMechanisms)))
	errs = append(errs, prop("PermissionGroups", checkValues(c.PermissionGroups, permissionGroups)))
	a := c.AuthMechanism
	switch {
	case has(a, "None") && len(a) > 1:
		errs = append(errs, prop("AuthMechanism", errors.New(errAuthNoneAlone)))
	case has(a, "BasicAuthRequireTLS") && (!has(a, "BasicAuth") || !has(a, "Tls")):
		errs = append(errs, prop("AuthMechanism", errors.New(errBasicRequireTLS)))
	case has(a, "ExternalAuthoritative") && slices.ContainsFunc(a, func(m string) bool {
		return !strings.EqualFold(m, "ExternalAuthoritative") && !strings.EqualFold(m, "Tls")
	}):
		errs = append(errs, prop("AuthMechanism", errors.New(errExternalAuth)))
	case has(a, "ExternalAuthoritative") && !has(c.PermissionGroups, "ExchangeServers"):
		errs = append(errs, prop("PermissionGroups", errors.New(errExternalAuthGroups)))
	}
	if c.RequireTLS && !has(a, "Tls") {
		errs = append(errs, prop("RequireTLS", errors.New(errRequireTLSWithoutTls)))
	}
	if c.TlsCertificateName != "" {
		_, err := pki.ParseTlsCertificateName(c.TlsCertificateName)
		errs = append(errs, prop("TlsCertificateName", err))
	}
	for _, v := range c.TlsDomainCapabilities {
		errs = append(errs, prop("TlsDomainCapabilities", checkCapability(v)))
	}
	return errors.Join(errs...)
}

// checkBindings checks the Bindings syntax and that no other connector of the server listens
// on the same address and port.
func (s *server) checkBindings(c ReceiveConnector, old string) error {
	if len(c.Bindings) == 0 {
		return errors.New("empty: give IPAddress:Port values such as 0.0.0.0:25")
	}
	for _, b := range c.Bindings {
		ap, err := netip.ParseAddrPort(b)
		switch {
		case err != nil:
			return fmt.Errorf("%q: write IPAddress:Port, e.g. 0.0.0.0:25", b)
		case !ap.Addr().IsUnspecified() && !slices.Contains(s.cfg.IPAddresses, ap.Addr()):
			return fmt.Errorf("%q: %v is not an address of the server (%v)", b, ap.Addr(), s.cfg.IPAddresses)
		}
	}
	mine, _ := s.bindings(c)
	for _, other := range s.connectors {
		if other.cfg.identity() == old {
			continue
		}
		theirs, _ := s.bindings(other.cfg)
		for _, a := range mine {
			if slices.Contains(theirs, a) {
				return fmt.Errorf("%v is bound by receive connector \"%s\"; IP address and port must be unique", a, other.cfg.identity())
			}
		}
	}
	return nil
}

// checkValues checks a multi-valued property against its allowed values.
func checkValues(values, allowed []string) error {
	for _, v := range values {
		if !has(allowed, v) {
			return fmt.Errorf("%q is not a valid value; use %s", v, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// checkCapability checks a TlsDomainCapabilities value: "domain:Capability[,Capability]".
func checkCapability(v string) error {
	domain, caps, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(domain) == "" || strings.TrimSpace(caps) == "" {
		return fmt.Errorf("%q: write domain:Capability, e.g. %s", v, capabilityCloudServicesMail)
	}
	for _, c := range strings.Split(caps, ",") {
		if !has(capabilities, strings.TrimSpace(c)) {
			return fmt.Errorf("%q: unknown capability %q; use %s", v, strings.TrimSpace(c), strings.Join(capabilities, ", "))
		}
	}
	return nil
}

// GetReceiveConnector is Get-ReceiveConnector [-Identity "Server\Name"]: every connector, or
// the one named.
func (o *Organization) GetReceiveConnector(identity string) ([]ReceiveConnector, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []ReceiveConnector
	for _, s := range o.servers {
		for _, rc := range s.connectors {
			if identity == "" || strings.EqualFold(rc.cfg.identity(), identity) {
				out = append(out, rc.cfg.clone())
			}
		}
	}
	if identity != "" && len(out) == 0 {
		return nil, fmt.Errorf("fakeonprem: receive connector \"%s\" not found; identities are Server\\Name", identity)
	}
	return out, nil
}

// SetReceiveConnector is Set-ReceiveConnector -Identity "Server\Name": edit changes a copy,
// which is validated as the cmdlet validates it and applied only if valid. The next session
// selects its certificate under the new values; a change of Bindings or Fqdn rebinds the
// connector's listeners. The connector's Server cannot change.
func (o *Organization) SetReceiveConnector(identity string, edit func(*ReceiveConnector)) error {
	o.mu.Lock()
	s, rc, err := o.receiveConnector(identity)
	if err != nil {
		o.mu.Unlock()
		return err
	}
	c := rc.cfg.clone()
	edit(&c)
	if !strings.EqualFold(c.Server, rc.cfg.Server) {
		o.mu.Unlock()
		return fmt.Errorf("fakeonprem: receive connector \"%s\": Server: a connector stays on its server; create one on %q instead", identity, c.Server)
	}
	c.Server = rc.cfg.Server
	if err := s.validateReceive(c, rc.cfg.identity()); err != nil {
		o.mu.Unlock()
		return err
	}
	rebind := !slices.Equal(c.Bindings, rc.cfg.Bindings) || c.Fqdn != rc.cfg.Fqdn
	rc.cfg = c
	old := rc.listeners
	if rebind {
		rc.listeners = nil
	}
	o.mu.Unlock()
	if !rebind || o.isClosed() {
		return nil
	}
	for _, l := range old {
		l.srv.Close()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return s.listen(rc)
}

func (o *Organization) isClosed() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closed
}

// receiveConnector finds a connector by identity. Callers hold o.mu.
func (o *Organization) receiveConnector(identity string) (*server, *receiveConnector, error) {
	for _, s := range o.servers {
		for _, rc := range s.connectors {
			if strings.EqualFold(rc.cfg.identity(), identity) {
				return s, rc, nil
			}
		}
	}
	return nil, nil, fmt.Errorf("fakeonprem: receive connector \"%s\" not found; identities are Server\\Name, e.g. EX01\\Default Frontend EX01", identity)
}
