package fakeonprem

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// subscription is what New-EdgeSubscription and EdgeSync recorded for direct trust (S19,
// S20): the Edge server's internal transport certificate, published in Active Directory for
// the Mailbox servers, and the Mailbox servers' ones, copied to the Edge's AD LDS. Nothing
// updates them afterwards: a certificate replaced on either side breaks the trust until the
// Edge is subscribed again (S9, S14; F27).
type subscription struct {
	edge      string   // the Edge server's thumbprint
	mailboxes []string // the Mailbox servers' thumbprints
}

// NewEdgeSubscription subscribes an Edge server (New-EdgeSubscription on the Edge, then
// imported on a Mailbox server; EdgeSync's first synchronization): it records every server's
// current internal transport certificate for direct trust, and creates the EdgeSync send
// connectors if they do not exist (S20): "EdgeSync - Inbound to <Site>" (SMTP:--;1, SmartHosts
// --, ExchangeServer authentication) and "EdgeSync - <Site> to Internet" (SMTP:*;100, DNS
// routing), the site being Default-First-Site-Name. Run it again after a certificate change.
func (o *Organization) NewEdgeSubscription(edgeServer string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	edge, err := o.lookup(edgeServer)
	if err != nil {
		return err
	}
	if edge.cfg.Role != RoleEdge {
		return fmt.Errorf("fakeonprem: New-EdgeSubscription: %q is a %s server; subscribe an Edge Transport server", edge.cfg.Name, edge.cfg.Role)
	}
	sub := &subscription{edge: edge.cfg.TransportService.InternalTransportCertificateThumbprint}
	for _, s := range o.servers {
		if th := s.cfg.TransportService.InternalTransportCertificateThumbprint; s.cfg.Role == RoleMailbox && th != "" {
			sub.mailboxes = append(sub.mailboxes, th)
		}
	}
	o.subs[strings.ToLower(edge.cfg.Name)] = sub
	inbound := SendConnector{Name: fmt.Sprintf(edgeSyncInboundName, siteName), AddressSpaces: []string{edgeSyncInboundSpace},
		SmartHosts: []string{edgeSyncAllDomains}, SmartHostAuthMechanism: exchangeServerAuth}
	internet := SendConnector{Name: fmt.Sprintf(edgeSyncInternetName, siteName), AddressSpaces: []string{edgeSyncInternetSpace},
		DNSRoutingEnabled: true}
	for _, c := range []SendConnector{inbound, internet} {
		if cur, err := o.sendConnector(c.Name); err == nil {
			if !has(cur.SourceTransportServers, edge.cfg.Name) {
				cur.SourceTransportServers = append(cur.SourceTransportServers, edge.cfg.Name)
			}
			continue
		}
		c.SourceTransportServers = []string{edge.cfg.Name}
		c = c.withDefaults()
		o.send = append(o.send, &c)
	}
	return nil
}

// directTrust judges the certificate a peer presented after X-ANONYMOUSTLS (S19): an Edge
// server trusts the Mailbox servers' certificates EdgeSync gave it; a Mailbox server trusts
// the organization's Mailbox servers' current certificates (AD) and the subscribed Edge
// servers' published ones. Callers hold o.mu.
func (o *Organization) directTrust(r *server, peer *x509.Certificate) bool {
	th := pki.Thumbprint(peer)
	same := func(x string) bool { return strings.EqualFold(x, th) }
	if r.cfg.Role == RoleEdge {
		sub := o.subs[strings.ToLower(r.cfg.Name)]
		return sub != nil && slices.ContainsFunc(sub.mailboxes, same)
	}
	for _, s := range o.servers {
		if s.cfg.Role == RoleMailbox && same(s.cfg.TransportService.InternalTransportCertificateThumbprint) {
			return true
		}
	}
	for _, sub := range o.subs {
		if same(sub.edge) {
			return true
		}
	}
	return false
}
