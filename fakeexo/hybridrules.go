package fakeexo

import (
	"context"
	"net/netip"
	"slices"
	"strings"
)

// certNameAccepted is S14's rule (seed 000): an OnPremises connector's
// TlsSenderCertificateName that is not a wildcard must itself be an
// accepted domain of the tenant; a wildcard's base must be one (S23, S25).
// accepted reports whether a lower-case domain is an accepted domain.
func certNameAccepted(name string, accepted func(domain string) bool) bool {
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if name == "" || name == "*" {
		return false
	}
	return accepted(strings.TrimPrefix(name, "*."))
}

// unacceptedNameRefuses is the rest of S14's rule: when an OnPremises
// connector of the recipient's tenant names the client certificate but by
// a name that is not accepted, and nothing else attributes the message to
// that tenant (no connector of it took the session, no Partner connector
// passed it), the message is attributed by its recipient domain without
// authentication and refused with 5.7.51 ("the same error", seed 000).
func unacceptedNameRefuses(namedUnaccepted, attributedToTenant, partnerPassed bool) bool {
	return namedUnaccepted && !attributedToTenant && !partnerPassed
}

// requiresHybridTLS is F20's requirement (S40, INFER) restricted to whom
// it concerns: Exchange Online requires TLS of a connection it attributes
// to the tenant's on-premises organization (its OnPremises connector's
// addresses, or the hosts its OnPremises outbound connector delivers to);
// an unattributed plaintext sender from another address meets the Direct
// Send rules instead.
func requiresHybridTLS(tls, fromOnPremises, connectorRequiresTLS bool) bool {
	return !tls && fromOnPremises && connectorRequiresTLS
}

// onPremisesHost reports whether source is one of the tenant's
// on-premises hosts: a host name its enabled OnPremises outbound
// connectors deliver to resolves to it.
func (s *Service) onPremisesHost(t *tenant, source netip.Addr) bool {
	if t == nil || !source.IsValid() {
		return false
	}
	for _, c := range t.outbound {
		if !c.Enabled || c.ConnectorType != OnPremises {
			continue
		}
		for _, host := range c.smartHosts {
			if slices.Contains(s.addressesOf(host), source.String()) {
				return true
			}
		}
	}
	return false
}

// addressesOf is every address of a host name, without moving a DNS round
// robin's turn where the network can say so (labnet's AddressesOf): asking
// whether a source is the tenant's must not change where the next delivery
// goes.
func (s *Service) addressesOf(host string) []string {
	if n, ok := s.net.(interface{ AddressesOf(string) []string }); ok {
		return n.AddressesOf(host)
	}
	addrs, _ := s.net.LookupHost(context.Background(), host)
	return addrs
}
