package evidence

import (
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/psh"
)

// propKind is how a property is written in a lab file.
type propKind int

const (
	pString propKind = iota
	pList
	pBool
	pInt
	pTimeSpan
)

type propSpec struct {
	name string
	kind propKind
}

// The properties each kind of object carries into a lab file, with
// Exchange's names (the fakes' configuration fields).
var (
	receiveProps = []propSpec{{"TransportRole", pString}, {"Bindings", pList}, {"Fqdn", pString}, {"AuthMechanism", pList},
		{"PermissionGroups", pList}, {"RequireTLS", pBool}, {"TlsCertificateName", pString}, {"TlsDomainCapabilities", pList}}
	sendProps = []propSpec{{"AddressSpaces", pList}, {"SourceTransportServers", pList}, {"DNSRoutingEnabled", pBool},
		{"SmartHosts", pList}, {"SmartHostAuthMechanism", pString}, {"Port", pInt}, {"Fqdn", pString}, {"RequireTLS", pBool},
		{"IgnoreSTARTTLS", pBool}, {"TlsAuthLevel", pString}, {"TlsDomain", pString}, {"TlsCertificateName", pString},
		{"CloudServicesMailEnabled", pBool}}
	inboundProps = []propSpec{{"ConnectorType", pString}, {"ConnectorSource", pString}, {"SenderDomains", pList},
		{"SenderIPAddresses", pList}, {"TlsSenderCertificateName", pString}, {"RequireTls", pBool},
		{"RestrictDomainsToIPAddresses", pBool}, {"RestrictDomainsToCertificate", pBool}, {"CloudServicesMailEnabled", pBool},
		{"TreatMessagesAsInternal", pBool}, {"Enabled", pBool}}
	outboundProps = []propSpec{{"ConnectorType", pString}, {"ConnectorSource", pString}, {"RecipientDomains", pList},
		{"SmartHosts", pList}, {"UseMXRecord", pBool}, {"TlsSettings", pString}, {"TlsDomain", pString},
		{"RouteAllMessagesViaOnPremises", pBool}, {"IsTransportRuleScoped", pBool}, {"CloudServicesMailEnabled", pBool},
		{"Enabled", pBool}}
	transportProps = []propSpec{{"MessageExpirationTimeOut", pTimeSpan}, {"MessageRetryInterval", pTimeSpan},
		{"OutboundConnectionFailureRetryInterval", pTimeSpan}, {"TransientFailureRetryCount", pInt},
		{"TransientFailureRetryInterval", pTimeSpan}}
)

// thumbPlaceholder marks a thumbprint to be replaced by its look-alike's
// once the lab has issued it.
const thumbPlaceholder = "@@thumbprint:"

// props writes an object's properties from its record; it returns the
// names the evidence lacks.
func (m *model) props(w *yamlWriter, indent int, r *record, specs []propSpec) []string {
	var missing []string
	for _, p := range specs {
		from := r.note(p.name)
		f, ok := r.get(p.name)
		if !ok {
			missing = append(missing, p.name)
			continue
		}
		switch p.kind {
		case pString:
			if v := fieldText(f); v != "" {
				w.field(indent, p.name, quote(v), from)
			}
		case pList:
			v, truncated := r.values(p.name)
			if truncated {
				m.warn("%s: %s was cut short by PowerShell (\"...\"); the lab has only %s; ask for `$FormatEnumerationLimit = -1` before the command, or for Export-Clixml", r.source, p.name, strings.Join(v, ", "))
			}
			if v == nil {
				v = []string{}
			}
			w.field(indent, p.name, quoteList(v), from)
		case pBool:
			b, ok := r.boolean(p.name)
			if !ok {
				m.warn("%s: %s is %q, not True or False; left to the cmdlet's default", r.source, p.name, fieldText(f))
				continue
			}
			w.field(indent, p.name, psBool(b), from)
		case pInt:
			n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(fieldText(f), ",", ""), ".", ""))
			if err != nil {
				m.warn("%s: %s is %q, not a number; left to the cmdlet's default", r.source, p.name, fieldText(f))
				continue
			}
			w.field(indent, p.name, strconv.Itoa(n), from)
		case pTimeSpan:
			d, err := psh.ParseTimeSpan(fieldText(f))
			if err != nil {
				m.warn("%s: %s: %v; left to the default", r.source, p.name, err)
				continue
			}
			w.field(indent, p.name, quote(psh.FormatTimeSpan(d)), from)
		}
	}
	if len(missing) > 0 {
		w.comment(indent, "not in the evidence, so the cmdlet's defaults: "+strings.Join(missing, ", "))
		m.assume("%s lacks %s: the lab takes the cmdlet's defaults", r.source, strings.Join(missing, ", "))
	}
	return missing
}

// write renders the lab file; thumbs maps evidence thumbprints to the
// look-alikes' (empty on the first pass).
func (m *model) write(files []string) string {
	body := &yamlWriter{}
	clockFrom := "assumed (see Assumed)"
	if m.ev.clockFrom != "" {
		clockFrom = m.ev.clockFrom
	}
	body.field(0, "Clock", yamlTime(m.clock), clockFrom)
	body.blank()
	m.writeCertificates(body)
	m.writeOnPrem(body)
	m.writeEXO(body)
	m.writeInternet(body)
	if m.zoneless {
		m.assume("the times Format-List printed (which carry no zone) are UTC")
	}

	w := &yamlWriter{}
	w.comment(0, "A lab made by `hybridsim import` from the customer's evidence:")
	for _, f := range files {
		w.comment(0, "  "+f)
	}
	w.comment(0, "Each value's comment names the file and the object it came from; what the\nevidence does not say is marked \"assumed\" and listed under Assumed.")
	if len(m.assumptions) > 0 {
		w.comment(0, "Assumed:")
		for _, a := range m.assumptions {
			w.comment(0, "  - "+a)
		}
	}
	if len(m.warnings) > 0 {
		w.comment(0, "Warnings:")
		for _, a := range m.warnings {
			w.comment(0, "  - "+a)
		}
	}
	w.blank()
	return w.String() + body.String()
}

func (m *model) writeCertificates(w *yamlWriter) {
	if len(m.certs) == 0 {
		return
	}
	w.comment(0, "Look-alikes of the customer's certificates: the lab's PKI issues each with\nthe same subject, issuer, names and dates (its thumbprint differs; see the\nmapping above the servers' transport services).")
	w.key(0, "Certificates", "")
	for _, c := range m.certs {
		from := c.rec.note("Thumbprint")
		w.item(2, "Name", quote(c.name), from)
		w.field(4, "Profile", c.profile, c.note)
		note := c.rec.note
		if f, ok := c.rec.get("RawData"); ok && len(f.raw) > 0 {
			note = func(string) string { return c.rec.note("RawData") + ", parsed from RawData" }
		}
		if c.subject != "" {
			w.field(4, "Subject", quote(c.subject), note("Subject"))
		}
		if c.issuer != "" {
			w.field(4, "Issuer", quote(c.issuer), note("Issuer"))
		}
		if len(c.domains) > 0 {
			w.field(4, "CertificateDomains", quoteList(c.domains), note("CertificateDomains"))
		}
		if !c.notBefore.IsZero() {
			w.field(4, "NotBefore", yamlTime(c.notBefore), note("NotBefore"))
		}
		if !c.notAfter.IsZero() {
			w.field(4, "NotAfter", yamlTime(c.notAfter), note("NotAfter"))
		}
	}
	w.blank()
}

func (m *model) orgName() string {
	t := m.tenant()
	if t == "" {
		return "Contoso"
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

func (m *model) writeOnPrem(w *yamlWriter) {
	w.key(0, "OnPrem", "")
	w.field(2, "Name", quote(m.orgName()), "assumed: the tenant's name (the evidence has no Get-OrganizationConfig)")
	var domains []string
	var from []string
	for _, r := range m.onPremAD {
		domains = append(domains, r.str("DomainName"))
		from = append(from, r.note("DomainName"))
	}
	if len(domains) == 0 {
		domains = m.tenantCustomDomains()
		if len(domains) == 0 {
			domains = []string{m.assumedDomain()}
		}
		m.assume("the on-premises organization accepts %s (no on-premises Get-AcceptedDomain)", strings.Join(domains, ", "))
		from = []string{"assumed"}
	}
	w.field(2, "AcceptedDomains", quoteList(domains), strings.Join(from, "; "))
	w.key(2, "Servers", "")
	var edges []string
	hostNames := m.publishedNames()
	firstMailbox := true
	for i, s := range m.servers {
		w.item(4, "Name", quote(s.name), s.from)
		w.field(6, "Fqdn", quote(s.fqdn), s.from)
		role := "Role " + s.role + ": "
		if s.role == "Edge" {
			role += "it has the Edge's \"Default internal receive connector\""
			edges = append(edges, s.name)
		} else {
			role += "assumed, a server without the Edge's receive connector"
		}
		w.field(6, "Role", s.role, role)
		w.field(6, "IPAddresses", quoteList([]string{serverAddress(i).String()}), "assumed: the lab's documentation range")
		if s.role == "Mailbox" && firstMailbox && len(hostNames) > 0 {
			firstMailbox = false
			w.field(6, "HostNames", quoteList(hostNames), "assumed: Exchange Online's smart hosts resolve to the first Mailbox server")
		}
		switch {
		case s.roots != nil:
			w.field(6, "TrustedRoots", quoteList(s.roots), s.storeFrom+": Cert:\\LocalMachine\\Root's authorities")
			w.field(6, "Intermediates", quoteList(s.intermediates), s.storeFrom+": Cert:\\LocalMachine\\CA's authorities")
		case s.intermediates != nil:
			w.field(6, "Intermediates", quoteList(s.intermediates), "the store lacks "+s.lacks+", whose certificate shows Status Untrusted")
		}
		if s.disableAuto != nil {
			w.field(6, "DisableRootAutoUpdate", "$true", s.disableAuto.note("DisableRootAutoUpdate"))
		}
		if len(s.entries) > 0 || m.setupGone(s) {
			w.key(6, "Certificates", "")
			m.writeSetupGone(w, s)
			for _, e := range s.entries {
				w.item(8, "Certificate", quote(e.cert.name), e.rec.note("Identity"))
				if v := e.rec.str("Services"); v != "" {
					w.field(10, "Services", quote(v), e.rec.note("Services"))
				} else {
					m.assume("%s: no Services; the certificate is enabled for none", e.rec.note("Services"))
				}
				if b, ok := e.rec.boolean("PrivateKeyExportable"); ok {
					w.field(10, "PrivateKeyExportable", psBool(b), e.rec.note("PrivateKeyExportable"))
				}
				if b, ok := e.rec.boolean("HasPrivateKey"); ok && !b {
					w.field(10, "HasPrivateKey", psBool(b), e.rec.note("HasPrivateKey"))
				}
				if v := e.rec.str("FriendlyName"); v != "" {
					w.field(10, "FriendlyName", quote(v), e.rec.note("FriendlyName"))
				}
			}
		}
		if s.transport != nil {
			w.key(6, "TransportService", s.transport.note("Name"))
			m.writeInternalThumbprint(w, s)
			m.props(w, 8, s.transport, transportProps)
		}
	}
	if len(edges) > 0 {
		w.field(2, "EdgeSubscriptions", quoteList(edges), "assumed: every Edge server is subscribed (the evidence has no Get-EdgeSubscription)")
		m.assume("the Edge servers %s are subscribed to the site, with the certificates they hold now", strings.Join(edges, ", "))
	}
	for _, s := range m.servers {
		has := false
		for _, r := range m.receive {
			has = has || strings.EqualFold(r.str("Server"), s.name)
		}
		if !has {
			m.assume("server %s has a new server's default receive connectors (the evidence has none of its Get-ReceiveConnector output)", s.name)
		}
	}
	if len(m.send) == 0 {
		m.assume("the organization has no send connectors (the evidence has no Get-SendConnector output)")
	}
	if len(m.receive) > 0 {
		w.key(2, "ReceiveConnectors", "")
		for _, r := range m.receive {
			w.item(4, "Server", quote(r.str("Server")), r.note("Server"))
			w.field(6, "Name", quote(r.str("Name")), r.note("Name"))
			m.props(w, 6, r, receiveProps)
		}
	}
	if len(m.send) > 0 {
		w.key(2, "SendConnectors", "")
		for _, r := range m.send {
			w.item(4, "Name", quote(firstOf(r.str("Name"), r.str("Identity"))), r.note("Name"))
			m.props(w, 6, r, sendProps)
		}
	}
	d := firstOf(m.probeDomain(), m.assumedDomain())
	w.comment(2, "Assumed: one mailbox on each side to probe mail flow with (the evidence has no mailboxes).")
	w.key(2, "Mailboxes", "")
	w.item(4, "Name", "OnPremProbe", "assumed")
	w.field(6, "PrimarySmtpAddress", quote("onprem.probe@"+d), "assumed")
	w.key(2, "RemoteMailboxes", "")
	w.item(4, "Name", "CloudProbe", "assumed")
	w.field(6, "PrimarySmtpAddress", quote("cloud.probe@"+d), "assumed")
	w.field(6, "RemoteRoutingAddress", quote("cloud.probe@"+m.tenantRouting()), "assumed")
	w.blank()
}

// writeInternalThumbprint writes the internal transport certificate's
// thumbprint, to be mapped to the look-alike's.
func (m *model) writeInternalThumbprint(w *yamlWriter, s *serverModel) {
	r := s.transport
	th := strings.ToUpper(r.str("InternalTransportCertificateThumbprint"))
	switch {
	case th == "":
		m.writeEmptyThumbprint(w, r)
	case m.byThumb[th] != nil || m.setupThumbs[th] != "":
		w.field(8, "InternalTransportCertificateThumbprint", quote(thumbPlaceholder+th), r.note("InternalTransportCertificateThumbprint")+", evidence thumbprint "+th+", mapped to its look-alike")
	default:
		w.field(8, "InternalTransportCertificateThumbprint", quote(th), r.note("InternalTransportCertificateThumbprint")+": names no certificate in the evidence, kept as is")
		m.warn("%s: InternalTransportCertificateThumbprint %s names no certificate of %s's store in the evidence; kept as is", r.source, th, s.name)
	}
}

// publishedNames are the host names Exchange Online's outbound connectors
// send to (their smart hosts), which the lab points at the first Mailbox
// server.
func (m *model) publishedNames() []string {
	var out []string
	for _, r := range m.outbound {
		hosts, _ := r.values("SmartHosts")
		for _, h := range hosts {
			if strings.Contains(h, ".") && !strings.ContainsAny(h, "/") && strings.ContainsAny(h, "abcdefghijklmnopqrstuvwxyz") {
				out = appendNew(out, strings.ToLower(h))
			}
		}
	}
	return out
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return list
		}
	}
	return append(list, v)
}

// tenantName is the tenant's name: its initial domain's first label.
func (m *model) tenantName() string {
	initial := m.initialDomain()
	name, _, _ := strings.Cut(initial, ".")
	return name
}

func (m *model) initialDomain() string {
	for _, r := range m.exoAD {
		d := strings.ToLower(r.str("DomainName"))
		if strings.HasSuffix(d, ".onmicrosoft.com") && !strings.HasSuffix(d, ".mail.onmicrosoft.com") {
			return d
		}
	}
	if routing := m.routingDomain(); routing != "" {
		return strings.Replace(routing, ".mail.onmicrosoft.com", ".onmicrosoft.com", 1)
	}
	return ""
}

// routingDomain is the tenant's coexistence domain: from Exchange Online's
// accepted domains, else from the hybrid send connector's address space.
func (m *model) routingDomain() string {
	for _, r := range m.exoAD {
		if d := strings.ToLower(r.str("DomainName")); strings.HasSuffix(d, ".mail.onmicrosoft.com") {
			return d
		}
	}
	for _, r := range m.send {
		spaces, _ := r.values("AddressSpaces")
		for _, s := range spaces {
			s = strings.ToLower(s)
			s = strings.TrimPrefix(s, "smtp:")
			s, _, _ = strings.Cut(s, ";")
			if strings.HasSuffix(s, ".mail.onmicrosoft.com") {
				return s
			}
		}
	}
	return ""
}

// tenantCustomDomains are the tenant's accepted domains outside
// onmicrosoft.com.
func (m *model) tenantCustomDomains() []string {
	var out []string
	for _, r := range m.exoAD {
		if d := strings.ToLower(r.str("DomainName")); !strings.HasSuffix(d, ".onmicrosoft.com") {
			out = append(out, d)
		}
	}
	return out
}

// probeDomain is the domain both sides accept, for the probe mailboxes.
func (m *model) probeDomain() string {
	cloud := m.tenantCustomDomains()
	for _, r := range m.onPremAD {
		d := strings.ToLower(r.str("DomainName"))
		for _, c := range cloud {
			if c == d {
				return d
			}
		}
	}
	if d := m.onPremDomain(); d != "" {
		return d
	}
	if len(cloud) > 0 {
		return cloud[0]
	}
	return ""
}

func (m *model) writeEXO(w *yamlWriter) {
	name := m.tenant()
	if m.tenantName() == "" {
		m.assume("the tenant is %s (the evidence names no onmicrosoft.com domain)", name)
	}
	routing := m.tenantRouting()
	initial := firstOf(m.initialDomain(), name+".onmicrosoft.com")
	w.key(0, "EXO", "")
	w.key(2, "Tenants", "")
	w.item(4, "Name", quote(name), "the initial domain's first label")
	w.field(6, "InitialDomain", quote(initial), "Get-AcceptedDomain in Exchange Online")
	w.field(6, "RoutingDomain", quote(routing), "Get-AcceptedDomain in Exchange Online, or the hybrid send connector's address space")
	m.writeRejectDirectSend(w)
	w.key(6, "AcceptedDomains", "")
	if len(m.exoAD) == 0 {
		for _, d := range m.onPremDomainsOr() {
			w.item(8, "DomainName", quote(d), "assumed: the on-premises accepted domains (no Get-AcceptedDomain from Exchange Online)")
			w.field(10, "DomainType", string(fakeexo.Authoritative), "assumed")
		}
		m.assume("the tenant accepts the on-premises accepted domains (no Get-AcceptedDomain from Exchange Online)")
	}
	for _, r := range m.exoAD {
		w.item(8, "DomainName", quote(r.str("DomainName")), r.note("DomainName"))
		if t := r.str("DomainType"); t != "" {
			w.field(10, "DomainType", quote(t), r.note("DomainType"))
		}
	}
	d := firstOf(m.probeDomain(), m.assumedDomain())
	w.comment(6, "Assumed: the probe mailboxes, as each side's directory would show them.")
	w.key(6, "Mailboxes", "")
	w.item(8, "Name", "CloudProbe", "assumed")
	w.field(10, "PrimarySmtpAddress", quote("cloud.probe@"+d), "assumed")
	w.key(6, "MailUsers", "")
	w.item(8, "Name", "OnPremProbe", "assumed")
	w.field(10, "PrimarySmtpAddress", quote("onprem.probe@"+d), "assumed")
	w.field(10, "ExternalEmailAddress", quote("onprem.probe@"+d), "assumed")
	if len(m.inbound) == 0 {
		m.assume("the tenant has no inbound connectors (the evidence has no Get-InboundConnector output)")
	}
	if len(m.outbound) == 0 {
		m.assume("the tenant has no outbound connectors (the evidence has no Get-OutboundConnector output)")
	}
	if len(m.inbound) > 0 {
		w.key(6, "InboundConnectors", "")
		for _, r := range m.inbound {
			w.item(8, "Name", quote(firstOf(r.str("Name"), r.str("Identity"))), r.note("Name"))
			m.props(w, 10, r, inboundProps)
		}
	}
	if len(m.outbound) > 0 {
		w.key(6, "OutboundConnectors", "")
		for _, r := range m.outbound {
			w.item(8, "Name", quote(firstOf(r.str("Name"), r.str("Identity"))), r.note("Name"))
			m.props(w, 10, r, outboundProps)
		}
	}
	w.blank()
}

func (m *model) onPremDomainsOr() []string {
	var out []string
	for _, r := range m.onPremAD {
		out = append(out, strings.ToLower(r.str("DomainName")))
	}
	if len(out) == 0 {
		out = m.tenantCustomDomains()
	}
	if len(out) == 0 {
		out = []string{m.assumedDomain()}
	}
	return out
}

// assumedDomain is the domain the evidence suggests when it names no
// accepted domain: the registered domain of the first certificate's or
// server's name.
func (m *model) assumedDomain() string {
	var names []string
	for _, c := range m.certs {
		names = append(names, c.domains...)
	}
	for _, s := range m.servers {
		names = append(names, s.fqdn)
	}
	for _, n := range names {
		labels := strings.Split(strings.TrimPrefix(strings.ToLower(n), "*."), ".")
		if len(labels) >= 2 {
			return strings.Join(labels[len(labels)-2:], ".")
		}
	}
	return "contoso.com"
}

// tenant is the tenant's name, from its domains or the accepted domain.
func (m *model) tenant() string {
	if t := m.tenantName(); t != "" {
		return t
	}
	d := firstOf(m.probeDomain(), m.assumedDomain())
	name, _, _ := strings.Cut(d, ".")
	return name
}

// tenantRouting is the tenant's routing domain.
func (m *model) tenantRouting() string {
	return firstOf(m.routingDomain(), m.tenant()+".mail.onmicrosoft.com")
}

// writeInternet writes the default lab's partner and the MX records.
func (m *model) writeInternet(w *yamlWriter) {
	m.assume("a partner on the internet (Fabrikam, as in the default lab) receives the internet probe; the domains both sides accept have their MX at Exchange Online")
	w.comment(0, "Assumed: the default lab's partner on the internet, to probe mail to the internet.")
	w.key(0, "Internet", "")
	w.item(2, "Name", "Fabrikam", "assumed")
	w.field(4, "AcceptedDomains", "['fabrikam.com']", "assumed")
	w.key(4, "Servers", "")
	w.item(6, "Name", "MAIL01", "assumed")
	w.field(8, "Fqdn", "mail01.fabrikam.com", "assumed")
	w.field(8, "Role", "Mailbox", "assumed")
	w.field(8, "IPAddresses", "['192.0.2.25']", "assumed")
	w.field(8, "HostNames", "['mail.fabrikam.com']", "assumed")
	w.key(4, "Mailboxes", "")
	w.item(6, "Name", "Carol", "assumed")
	w.field(8, "PrimarySmtpAddress", "carol@fabrikam.com", "assumed")
	w.blank()
	w.comment(0, "Assumed: the MX of the domains both sides accept points at Exchange Online.")
	w.key(0, "MX", "")
	cloud := map[string]bool{}
	for _, d := range m.tenantCustomDomains() {
		cloud[d] = true
	}
	for _, d := range m.onPremDomainsOr() {
		if len(cloud) > 0 && !cloud[d] {
			continue
		}
		w.item(2, "Domain", quote(d), "assumed")
		w.field(4, "Host", quote(fakeexo.MXHost(d)), "assumed")
		w.field(4, "Preference", "0", "assumed")
	}
	w.item(2, "Domain", "fabrikam.com", "assumed")
	w.field(4, "Host", "mail.fabrikam.com", "assumed")
	w.field(4, "Preference", "10", "assumed")
}
