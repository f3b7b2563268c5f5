package fakeonprem

import (
	"fmt"
	"strings"
)

// The categorizer: what happens to a message once a server has it (accepted over SMTP,
// submitted, or generated as a report). It persists the message before the 250 is written:
// every recipient ends in a mailbox, a queue or a report, in the ledger. Callers hold o.mu.

// trust is how far the organization trusts the side a message came from (§7).
type trust int

const (
	trustAnonymous     trust = iota // internet mail: organization headers removed, AuthAs Anonymous
	trustCrossPremises              // AcceptCloudServicesMail granted: CrossPremises headers promoted
	trustInternal                   // an Exchange server or a mailbox: headers kept, AuthAs Internal
)

// Message tracking sources (S32).
const (
	sourceSMTP        = "SMTP"
	sourceStoreDriver = "STOREDRIVER"
	sourceQueue       = "QUEUE"
	sourceDSN         = "DSN"
	sourceRouting     = "ROUTING"
)

// arrival is a message as it reaches the categorizer.
type arrival struct {
	from, subject string
	to            []string
	header        headerFields
	body          []byte
	source        string // message tracking source: SMTP, STOREDRIVER, DSN
	trust         trust
	sessionID     string
	helo          string
	clientIP      string
	clientHost    string
	serverIP      string
	connectorID   string
	frontend      bool
	sourceContext string // `<session id>;<connect time>;<n>` of an SMTP arrival (§1.6, §2.3)
	reference     string // a report's original Message-ID
}

// accept takes a message: the header firewall (S36) and hybrid header promotion (S16, §7), a
// Message-ID if it has none, a Received header, the RECEIVE entry, then each recipient.
func (o *Organization) accept(s *server, a *arrival) *message {
	now := o.clock.Now()
	h := a.header
	switch a.trust {
	case trustAnonymous:
		h = h.without(headerOrganization).without(headerCrossPremises).set(headerAuthAs, authAsAnonymous)
	case trustCrossPremises:
		h = h.without(headerOrganization).renamed(headerCrossPremises, headerOrganization)
	}
	if h.get(headerAuthAs) == "" {
		h = h.set(headerAuthAs, authAsInternal)
	}
	id := h.get("Message-ID")
	if id == "" {
		id = o.newMessageID(s)
		h = h.set("Message-ID", id)
	}
	if a.source == sourceSMTP {
		via := ""
		if a.frontend {
			via = receivedVia
		}
		received := fmt.Sprintf(receivedFormat, a.helo, a.clientIP, s.cfg.Fqdn, a.serverIP, s.build.short(), via, dateHeader(now))
		h = append(headerFields{{"Received", received}}, h...)
	}
	subject := a.subject
	if subject == "" {
		subject = h.get("Subject")
	}
	m := &message{id: id, networkID: o.newGUID("network-message-id"), from: a.from, subject: subject,
		header: h, body: a.body, received: now, sessionID: a.sessionID}
	s.internalID++
	internal := s.internalID
	m.internal = internal
	event := "RECEIVE"
	if a.source == sourceDSN {
		event = "DSN"
	}
	s.trackReceive(a, TrackingEntry{
		Timestamp: now, ClientIp: a.clientIP, ClientHostname: a.clientHost, ServerIp: a.serverIP, ServerHostname: s.cfg.Fqdn,
		SourceContext: a.sessionID, ConnectorId: a.connectorID, Source: a.source, EventId: event,
		InternalMessageId: internal, MessageId: id, NetworkMessageId: m.networkID, Recipients: a.to,
		TotalBytes: len(m.bytes()), RecipientCount: len(a.to), Reference: a.reference, MessageSubject: subject,
		Sender: a.from, ReturnPath: a.from, Directionality: directionality(h), SessionID: a.sessionID,
	})
	var failed []failure
	for _, rcpt := range a.to {
		if f := o.route(s, m, internal, rcpt); f != nil {
			failed = append(failed, *f)
		}
	}
	if len(failed) > 0 {
		o.report(s, m, failed)
	}
	return m
}

// directionality is message tracking's: Originating for internal mail, Incoming otherwise.
func directionality(h headerFields) string {
	if strings.EqualFold(h.get(headerAuthAs), authAsInternal) {
		return "Originating"
	}
	return "Incoming"
}

// failure is one recipient a message could not reach, with the status its report gives.
type failure struct {
	recipient string // as accepted
	routed    string // as routed
	status    string // the SMTP status
	remote    string // the remote host that gave it, "" when this side decided
}

// route takes one recipient: a remote mailbox's address is rewritten to its
// RemoteRoutingAddress; a mailbox gets the message at once (on a Mailbox server); an
// unknown address of an accepted domain fails; anything else joins the queue of its
// destination.
func (o *Organization) route(s *server, m *message, internal int64, rcpt string) *failure {
	now := o.clock.Now()
	routed := rcpt
	rewritten := false
	if r, ok := o.remoteFor(rcpt); ok {
		routed, rewritten = r.RemoteRoutingAddress, true
	}
	domain := domainOf(routed)
	accepted := o.isAccepted(domain)
	if s.cfg.Role == RoleMailbox && accepted && !rewritten {
		b := o.mailboxFor(routed)
		if b == nil {
			o.ledger.set(ledgerKey{s.cfg.Name, m.id, rcpt}, LedgerEntry{Recipient: rcpt, RoutedAs: routed})
			return &failure{recipient: rcpt, routed: routed, status: replyRecipientNotFound}
		}
		b.deliver(m, now)
		s.trackDeliver(m, internal, routed)
		o.ledger.set(ledgerKey{s.cfg.Name, m.id, rcpt}, LedgerEntry{Recipient: rcpt, RoutedAs: routed, State: InMailbox, Mailbox: b.cfg.PrimarySmtpAddress})
		return nil
	}
	q := s.queueFor(o.destination(s, domain, accepted))
	q.add(m, internal, recipient{accepted: rcpt, routed: routed}, now.Add(s.cfg.TransportService.MessageExpirationTimeOut))
	o.ledger.set(ledgerKey{s.cfg.Name, m.id, rcpt}, LedgerEntry{Recipient: rcpt, RoutedAs: routed, State: InQueue, Queue: q.identity, LastError: q.lastError})
	return nil
}

// destination is where a queue delivers.
type destination struct {
	deliveryType string // DnsConnectorDelivery, SmartHostConnectorDelivery, SmtpRelayWithinAdSitetoEdge, Unreachable
	nextHop      string // NextHopDomain
	connector    string // the send connector ("" for Unreachable)
	target       string // the Edge server of SmtpRelayWithinAdSitetoEdge
}

// Delivery types (S2 for SmtpRelayWithinAdSitetoEdge; the others are Get-Queue's).
const (
	dnsConnectorDelivery       = "DnsConnectorDelivery"
	smartHostConnectorDelivery = "SmartHostConnectorDelivery"
	relayToEdge                = "SmtpRelayWithinAdSitetoEdge"
	unreachable                = "Unreachable"
	unreachableDomain          = "Unreachable Domain" // INFER: the Unreachable queue's NextHopDomain
)

// destination chooses the send connector for a recipient domain: among the connectors this
// server may use (a Mailbox server: those of Mailbox servers, whichever, as if it were one of
// them, and those of Edge servers through the first of them; an Edge server: its own), the
// most specific address space, then the lowest cost, then the first (S16). "--" spaces are
// the Edge's inbound connector's and serve only it.
func (o *Organization) destination(s *server, domain string, accepted bool) destination {
	var best *SendConnector
	bestSpec, bestCost := -1, 0
	edge := ""
	for _, c := range o.send {
		src := o.server(c.SourceTransportServers[0])
		var via string
		switch {
		case s.cfg.Role == RoleEdge && !has(c.SourceTransportServers, s.cfg.Name):
			continue
		case s.cfg.Role == RoleMailbox && src.cfg.Role == RoleEdge:
			via = src.cfg.Name
		}
		for _, v := range c.AddressSpaces {
			a, err := parseAddressSpace(v)
			if err != nil || (a.space == edgeSyncAllDomains && s.cfg.Role != RoleEdge) {
				continue
			}
			spec := a.match(domain, accepted)
			if spec > bestSpec || (spec == bestSpec && spec >= 0 && a.cost < bestCost) {
				best, bestSpec, bestCost, edge = c, spec, a.cost, via
			}
		}
	}
	switch {
	case best == nil || bestSpec < 0:
		return destination{deliveryType: unreachable, nextHop: unreachableDomain}
	case edge != "":
		return destination{deliveryType: relayToEdge, nextHop: strings.ToLower(best.Name), connector: best.Name, target: edge}
	case best.DNSRoutingEnabled:
		return destination{deliveryType: dnsConnectorDelivery, nextHop: domain, connector: best.Name}
	}
	return destination{deliveryType: smartHostConnectorDelivery, nextHop: strings.ToLower(best.Name), connector: best.Name}
}
