package fakeexo

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// arrival is what the front door knows of a transaction at MAIL FROM.
type arrival struct {
	sessionID string
	source    netip.Addr
	tls       bool
	chain     []*x509.Certificate // as the client presented it, leaf first
	mailFrom  string
	now       time.Time
	hostname  string // the server id of the 5.7.51 bracket
	// onPremises reports whether the source is one of a tenant's
	// on-premises hosts (F20's requirement); nil: none is.
	onPremises func(*tenant) bool
}

// chainCheck judges a client's chain as EXO does: against EXO's roots, with
// only the certificates the client sent, at the clock's time (S29).
type chainCheck func(chain []*x509.Certificate) pki.ChainStatus

// attribution is the decision on one transaction (§7, the algorithm INFER
// from S14, S21-S25, S41; doc.go). attribute makes it at MAIL FROM;
// recipient completes it at each RCPT TO.
type attribution struct {
	dir     *directory
	in      arrival
	check   chainCheck
	verdict *Verdict

	sender         *tenant          // the tenant owning the MAIL FROM domain
	conn           *inbound         // the OnPremises connector that attributed the session
	byCert         bool             // conn matched the certificate (else the address)
	certUnaccepted bool             // a connector named the certificate, but not an accepted domain (ATTR36)
	unaccepted     map[*tenant]bool // tenants whose OnPremises connector named it so (S14's 5.7.51)

	status    pki.ChainStatus
	statusSet bool
	explained map[*inbound]bool
	partners  map[*tenant]partnerOutcome
}

// partnerOutcome is what a tenant's Partner connectors made of the
// transaction.
type partnerOutcome struct {
	conn    *inbound
	refusal *smtpd.Reply
}

// plan is where an accepted recipient goes.
type plan struct {
	tenant     *tenant // whose mail it is (trace, queue, NDR)
	recipient  string  // as accepted
	mailbox    *Mailbox
	target     string // the next hop's RCPT TO when not a mailbox
	fromOnPrem bool   // came through an OnPremises connector: never back through RouteAllMessagesViaOnPremises
	internal   bool   // X-MS-Exchange-Organization-AuthAs: Internal
	promote    bool   // promote X-MS-Exchange-CrossPremises-* headers
}

// attribute decides a transaction at MAIL FROM: by certificate, then by
// source address, then by the MAIL FROM domain. A refusal ends it.
func attribute(dir *directory, in arrival, check chainCheck) (*attribution, *smtpd.Reply) {
	at := &attribution{dir: dir, in: in, check: check, explained: map[*inbound]bool{}, partners: map[*tenant]partnerOutcome{}, unaccepted: map[*tenant]bool{}}
	at.verdict = &Verdict{SessionID: in.sessionID, Time: in.now, Source: in.source.String(), MailFrom: in.mailFrom}
	if leaf := at.leaf(); leaf != nil {
		at.verdict.Certificate = pki.SubjectName(leaf)
	}
	at.sender = dir.domains[domainOf(in.mailFrom)]
	if r := at.byCertificate(); r != nil {
		return at, at.refuse(*r)
	}
	if at.conn == nil {
		at.byAddress()
	}
	needTLS := false
	switch {
	case at.conn != nil:
		needTLS = at.conn.RequireTls && !in.tls
	case at.sender != nil:
		at.verdict.Tenant, at.verdict.Rule = at.sender.Name, ruleMailFrom
		// F20: a plaintext session from a domain whose on-premises servers
		// must use TLS (INFER: EXO expects that organization's mail over TLS).
		fromOnPrem := in.onPremises != nil && in.onPremises(at.sender)
		for _, c := range at.sender.inbound {
			if c.Enabled && c.ConnectorType == OnPremises && requiresHybridTLS(in.tls, fromOnPrem, c.RequireTls) {
				at.explain(c, fmt.Sprintf(whyOnPremTLS, at.sender.Name))
				needTLS = true
				break
			}
		}
	}
	at.explainTenant(at.sender)
	if needTLS {
		return at, at.refuse(smtpd.ExchangeOnline.Replies.MustStartTLS)
	}
	return at, nil
}

// byCertificate runs rule 1: OnPremises connectors whose
// TlsSenderCertificateName names the client certificate. The chain must
// validate; one ending in an untrusted root is refused (F14).
func (at *attribution) byCertificate() *smtpd.Reply {
	leaf := at.leaf()
	if leaf == nil {
		return nil
	}
	var named []*inbound
	for _, c := range at.dir.byCertificate(leaf) {
		switch {
		case c.ConnectorType != OnPremises:
			// Partner connectors are the recipient's tenant's business (RCPT TO).
		case !c.Enabled:
			at.explain(c, whyDisabled)
		default:
			named = append(named, c)
		}
	}
	if len(named) == 0 {
		return nil
	}
	status := at.chainStatus()
	if status != pki.CertTrustNoError {
		for _, c := range named {
			at.explain(c, fmt.Sprintf(whyChain, flagNames(status)))
		}
		if status&pki.CertTrustIsUntrustedRoot != 0 {
			return &replyUntrustedRoot
		}
		return nil
	}
	var taken []*inbound
	for _, c := range named {
		if c.acceptsCertName() {
			taken = append(taken, c)
			continue
		}
		at.certUnaccepted = true
		at.unaccepted[c.tenant] = true
		at.explain(c, fmt.Sprintf(whyNotAccepted, c.TlsSenderCertificateName, c.tenant.Name))
	}
	if len(taken) > 0 {
		at.take(taken, ruleCertificate)
		at.byCert = true
	}
	return nil
}

// byAddress runs rule 2: OnPremises connectors whose SenderIPAddresses hold
// the source address.
func (at *attribution) byAddress() {
	var found []*inbound
	for _, c := range at.dir.byAddress(at.in.source) {
		switch {
		case c.ConnectorType != OnPremises:
		case !c.Enabled:
			at.explain(c, whyDisabled)
		default:
			found = append(found, c)
		}
	}
	if len(found) > 0 {
		at.take(found, ruleAddress)
	}
}

// take attributes the session to the first connector of the MAIL FROM
// domain's tenant among those that matched, else to the first (INFER: S25
// asks each on-prem organization to use its own certificate, so a tie is a
// misconfiguration; the envelope decides it).
func (at *attribution) take(matched []*inbound, rule string) {
	chosen := matched[0]
	for _, c := range matched {
		if c.tenant == at.sender {
			chosen = c
			break
		}
	}
	at.conn = chosen
	at.explained[chosen] = true
	at.verdict.Tenant, at.verdict.Connector, at.verdict.Rule = chosen.tenant.Name, chosen.Name, rule
	for _, c := range matched {
		if c != chosen {
			at.explain(c, fmt.Sprintf(whyTakenFirst, chosen.Name, chosen.tenant.Name))
		}
	}
}

// recipient decides one RCPT TO: where it goes, or the refusal.
func (at *attribution) recipient(to string) (*plan, *smtpd.Reply) {
	domain := domainOf(to)
	rt := at.dir.domains[domain]
	if rt == nil {
		return at.relay(to)
	}
	v := at.verdict
	if v.Tenant == "" {
		v.Tenant, v.Rule = rt.Name, ruleRcptTo
	}
	if at.conn == nil || at.conn.tenant != rt {
		if r := at.partner(rt); r != nil {
			return nil, at.refuse(*r)
		}
		if unacceptedNameRefuses(at.unaccepted[rt], false, at.partners[rt].conn != nil) {
			at.explainTenant(rt)
			return nil, at.refuse(at.inboundAttribution())
		}
		if at.partners[rt].conn == nil && rt.RejectDirectSend && at.sender == rt {
			at.explainTenant(rt)
			return nil, at.refuse(replyDirectSend)
		}
	}
	at.explainTenant(rt)
	p := &plan{tenant: rt, recipient: to, target: to, fromOnPrem: at.conn != nil && at.conn.tenant == rt}
	p.internal, p.promote = at.internal(rt)
	switch r, ok := at.dir.addresses[strings.ToLower(to)]; {
	case ok && r.mailbox != nil:
		p.mailbox = r.mailbox
	case ok:
		p.target = r.mailUser.ExternalEmailAddress
	case rt.domains[domain] == Authoritative:
		return nil, at.refuse(dbebRefusal(at.in.hostname, at.in.now, at.in.sessionID))
	}
	return p, nil
}

// relay decides a recipient in no tenant: an OnPremises connector may relay
// when the certificate domain or the MAIL FROM domain is an accepted domain
// of its tenant (S24); otherwise ATTR36 when a connector came close (S23,
// S21's "explicit ATT36"), else TenantAttribution (S21, S22).
func (at *attribution) relay(to string) (*plan, *smtpd.Reply) {
	switch {
	case at.conn != nil && (at.byCert || at.sender == at.conn.tenant):
		p := &plan{tenant: at.conn.tenant, recipient: to, target: to, fromOnPrem: true}
		p.internal, p.promote = at.internal(at.conn.tenant)
		return p, nil
	case at.conn != nil || at.certUnaccepted:
		return nil, at.refuse(replyATTR36)
	}
	return nil, at.refuse(relayDenied(at.in.hostname))
}

// internal says whether a message for tenant t is internal (AuthAs
// Internal) and whether its cross-premises headers are promoted: attributed
// to an OnPremises connector of t with CloudServicesMailEnabled (§7, INFER),
// or with TreatMessagesAsInternal and a sender in t's domains (S16).
func (at *attribution) internal(t *tenant) (internal, promote bool) {
	c := at.conn
	switch {
	case c == nil || c.tenant != t:
		return false, false
	case c.CloudServicesMailEnabled:
		return true, true
	}
	return c.TreatMessagesAsInternal && at.sender == t, false
}

// partner applies the recipient tenant's Partner connectors whose
// SenderDomains cover the sender: RequireTls (451 5.7.3), then
// RestrictDomainsToIPAddresses and RestrictDomainsToCertificate (5.7.51,
// F18). The first that the transaction passes attributes it.
func (at *attribution) partner(rt *tenant) *smtpd.Reply {
	if o, ok := at.partners[rt]; ok {
		return o.refusal
	}
	var out partnerOutcome
	var needTLS, restricted bool
	sender := domainOf(at.in.mailFrom)
	for _, c := range rt.inbound {
		if c.ConnectorType != Partner {
			continue
		}
		var why string
		switch {
		case !c.Enabled:
			why = whyDisabled
		case !c.coversSender(sender):
			why = fmt.Sprintf(whySenderDomains, strings.Join(c.SenderDomains, ", "), sender)
		case c.RequireTls && !at.in.tls:
			why, needTLS = whyRequireTLS, true
		default:
			why = at.restriction(c)
			restricted = restricted || why != ""
		}
		switch {
		case why != "":
			at.explain(c, why)
		case out.conn != nil:
			at.explain(c, fmt.Sprintf(whyTakenFirst, out.conn.Name, rt.Name))
		default:
			out.conn = c
			at.explained[c] = true
			if at.verdict.Connector == "" {
				at.verdict.Tenant, at.verdict.Connector, at.verdict.Rule = rt.Name, c.Name, ruleSenderDom
			}
		}
	}
	switch {
	case out.conn != nil:
	case needTLS:
		out.refusal = &smtpd.ExchangeOnline.Replies.MustStartTLS
	case restricted:
		r := at.inboundAttribution()
		out.refusal = &r
	}
	at.partners[rt] = out
	return out.refusal
}

// restriction says why the connection fails a Partner connector's
// restrictions, or "" when it passes them.
func (at *attribution) restriction(c *inbound) string {
	if c.RestrictDomainsToIPAddresses && !c.holds(at.in.source) {
		return fmt.Sprintf(whyRestrictIP, strings.Join(c.SenderIPAddresses, ", "), at.in.source)
	}
	if c.RestrictDomainsToCertificate {
		if why := at.whyNotCertificate(c); why != "" {
			return whyRestrictCert + why
		}
	}
	return ""
}

// explainTenant explains every connector of t not yet explained; Partner
// connectors only once partner has judged them for t's recipients.
func (at *attribution) explainTenant(t *tenant) {
	if t == nil {
		return
	}
	_, judged := at.partners[t]
	for _, c := range t.inbound {
		if at.explained[c] || c == at.conn || c.ConnectorType == Partner && !judged {
			continue
		}
		why := at.whyNot(c)
		if why == "" && at.conn != nil {
			why = fmt.Sprintf(whyTakenFirst, at.conn.Name, at.conn.tenant.Name)
		}
		at.explain(c, why)
	}
}

// whyNot says why a connector does not attribute the transaction.
func (at *attribution) whyNot(c *inbound) string {
	switch {
	case !c.Enabled:
		return whyDisabled
	case c.ConnectorType == Partner:
		return whyPartner
	}
	var parts []string
	if c.hasCertName {
		if why := at.whyNotCertificate(c); why != "" {
			parts = append(parts, why)
		}
	}
	if len(c.senderIPs) > 0 && !c.holds(at.in.source) {
		parts = append(parts, fmt.Sprintf(whyAddress, strings.Join(c.SenderIPAddresses, ", "), at.in.source))
	}
	if !c.hasCertName && len(c.senderIPs) == 0 {
		parts = append(parts, whyNoCriteria)
	}
	return strings.Join(parts, "; ")
}

// whyNotCertificate says why the client certificate does not satisfy the
// connector's TlsSenderCertificateName, or "" when it does.
func (at *attribution) whyNotCertificate(c *inbound) string {
	leaf := at.leaf()
	switch {
	case !at.in.tls:
		return fmt.Sprintf(whyNoTLS, c.TlsSenderCertificateName)
	case leaf == nil:
		return fmt.Sprintf(whyNoCertificate, c.TlsSenderCertificateName)
	case !c.namesCertificate(leaf):
		return fmt.Sprintf(whyNames, c.TlsSenderCertificateName, strings.Join(certificateNames(leaf), ", "))
	case at.chainStatus() != pki.CertTrustNoError:
		return fmt.Sprintf(whyChain, flagNames(at.chainStatus()))
	case c.ConnectorType == OnPremises && !c.acceptsCertName():
		return fmt.Sprintf(whyNotAccepted, c.TlsSenderCertificateName, c.tenant.Name)
	}
	return ""
}

func (at *attribution) explain(c *inbound, why string) {
	if at.explained[c] {
		return
	}
	at.explained[c] = true
	at.verdict.NotTaken = append(at.verdict.NotTaken, fmt.Sprintf(whyFormat, c.Name, c.tenant.Name, why))
}

func (at *attribution) refuse(r smtpd.Reply) *smtpd.Reply {
	at.verdict.Refusals = append(at.verdict.Refusals, r.String())
	return &r
}

// leaf is the client certificate, or nil.
func (at *attribution) leaf() *x509.Certificate {
	if !at.in.tls || len(at.in.chain) == 0 {
		return nil
	}
	return at.in.chain[0]
}

// chainStatus checks the client's chain once per transaction.
func (at *attribution) chainStatus() pki.ChainStatus {
	if !at.statusSet {
		at.status, at.statusSet = at.check(at.in.chain), true
	}
	return at.status
}

// inboundAttribution is S14's 5.7.51 refusal with this session's bracket.
func (at *attribution) inboundAttribution() smtpd.Reply {
	r := replyPartnerRestricted
	r.Text = fmt.Sprintf(r.Text, at.in.hostname, at.in.now.UTC().Format(bracketTime), at.in.sessionID)
	return r
}
