package evidence

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// model is the deployment the evidence describes, before it is written.
type model struct {
	ev          *collected
	clock       time.Time
	servers     []*serverModel
	certs       []*certModel // the look-alikes the lab's PKI issues
	byThumb     map[string]*certModel
	setupThumbs map[string]string // an evidence thumbprint of setup's certificate -> its server
	onPremAD    []*record
	exoAD       []*record
	receive     []*record
	send        []*record
	inbound     []*record
	outbound    []*record
	orgConfig   []*record // Exchange Online's Get-OrganizationConfig
	assumptions []string
	warnings    []string
	zoneless    bool // some time came from Format-List text, without its zone
}

type serverModel struct {
	name, fqdn, role string
	from             string
	entries          []storeEntryModel
	transport        *record
	intermediates    []string // non-nil: the CA store lacks an issuer the evidence shows missing
	lacks            string
	roots            []string // non-nil: Cert:\LocalMachine\Root from the evidence (the lab's authorities)
	storeFrom        string   // the evidence of the stores
	disableAuto      *record  // DisableRootAutoUpdate's evidence
	certsFrom        string   // the evidence that lists the server's certificates
	hasSetup         bool     // setup's self-signed certificate is among them
}

type storeEntryModel struct {
	cert *certModel
	rec  *record
}

type certModel struct {
	name, thumbprint         string
	profile                  string
	subject, issuer          string
	domains                  []string
	notBefore, notAfter      time.Time
	rec                      *record
	note                     string // why the profile
	lookalike                string // filled in once the lab has issued it
	selfSignedServer         string
	subjectFrom, domainsFrom string
}

func (m *model) assume(format string, args ...any) {
	m.assumptions = append(m.assumptions, fmt.Sprintf(format, args...))
}

func (m *model) warn(format string, args ...any) {
	m.warnings = append(m.warnings, fmt.Sprintf(format, args...))
}

// build works out the deployment from the records.
func build(ev *collected) (*model, error) {
	m := &model{ev: ev, byThumb: map[string]*certModel{}, setupThumbs: map[string]string{}}
	var certs, transports, stores []*record
	for _, r := range ev.records {
		switch {
		case r.kind == kindCertificate:
			certs = append(certs, r)
		case r.kind == kindTransportService:
			transports = append(transports, r)
		case r.kind == kindReceiveConnector:
			m.receive = append(m.receive, r)
		case r.kind == kindSendConnector:
			m.send = append(m.send, r)
		case r.kind == kindInboundConnector:
			m.inbound = append(m.inbound, r)
		case r.kind == kindOutboundConnector:
			m.outbound = append(m.outbound, r)
		case r.kind == kindOrganizationConfig:
			m.orgConfig = append(m.orgConfig, r)
		case r.kind == kindStore, r.kind == kindAuthRoot:
			stores = append(stores, r)
		case r.kind == kindAcceptedDomain && r.exo:
			m.exoAD = append(m.exoAD, r)
		case r.kind == kindAcceptedDomain:
			m.onPremAD = append(m.onPremAD, r)
		}
	}
	m.setClock(certs)
	m.findServers(certs, transports)
	if err := m.findCertificates(certs); err != nil {
		return nil, err
	}
	m.findStores(stores)
	if len(m.servers) > 38 {
		return nil, fmt.Errorf("evidence: the evidence names %d servers; the lab's address range holds 38", len(m.servers))
	}
	if len(m.servers) == 0 {
		return nil, errors.New("evidence: the evidence names no Exchange server; add the output of Get-TransportService, Get-ReceiveConnector or Get-ExchangeCertificate (README.md, \"Customer evidence\")")
	}
	return m, nil
}

// setClock takes Get-Date's output, or assumes a time.
func (m *model) setClock(certs []*record) {
	if m.ev.clockFrom != "" {
		m.clock = m.ev.clock.UTC()
		return
	}
	var latest time.Time
	for _, r := range certs {
		if nb, ok := m.time(r, "NotBefore"); ok && nb.After(latest) {
			latest = nb
		}
	}
	if latest.IsZero() {
		m.clock = pki.DefaultTime
		m.assume("the lab's clock starts at %s (no Get-Date output and no certificate dates); add `Get-Date -Format o > Date.txt` to the evidence", m.clock.Format(time.RFC3339))
		return
	}
	m.clock = latest.Add(24 * time.Hour)
	m.assume("the lab's clock starts at %s, a day after the newest certificate's NotBefore (no Get-Date output); add `Get-Date -Format o > Date.txt` to the evidence for the customer's time", m.clock.Format(time.RFC3339))
}

// time reads a date property: a CLIXML DT as is, Format-List text in any
// culture PowerShell prints (no zone: UTC, an assumption).
func (m *model) time(r *record, name string) (time.Time, bool) {
	f, ok := r.get(name)
	if !ok {
		return time.Time{}, false
	}
	if f.hasTime {
		return f.at.UTC(), true
	}
	if strings.TrimSpace(f.text) == "" {
		return time.Time{}, false
	}
	t, err := psh.ParseDate(f.text)
	if err != nil {
		m.warn("%s: %s: %v; the lab takes the profile's date", r.source, name, err)
		return time.Time{}, false
	}
	if !strings.ContainsAny(f.text, "Z+") && !strings.Contains(f.text[min(len(f.text), 11):], "-") {
		m.zoneless = true
	}
	return t.UTC(), true
}

// findServers lists the servers the evidence names, in a stable order: the
// transport services', the receive connectors', the send connectors'
// sources, then the certificates' (whose Identity starts with the server's
// FQDN).
func (m *model) findServers(certs, transports []*record) {
	add := func(name, from string) *serverModel {
		if name == "" {
			return nil
		}
		for _, s := range m.servers {
			if strings.EqualFold(s.name, name) {
				return s
			}
		}
		s := &serverModel{name: name, from: from}
		m.servers = append(m.servers, s)
		return s
	}
	for _, r := range transports {
		if s := add(firstOf(r.str("Name"), r.str("Identity")), r.source); s != nil {
			s.transport = r
		}
	}
	for _, r := range m.receive {
		add(r.str("Server"), r.source)
	}
	for _, r := range m.send {
		sources, _ := r.values("SourceTransportServers")
		for _, s := range sources {
			add(s, r.source)
		}
	}
	for _, r := range certs {
		prefix, _, _ := strings.Cut(r.str("Identity"), `\`)
		if prefix == "" {
			continue
		}
		label, _, dotted := strings.Cut(prefix, ".")
		if s := m.server(label); s != nil {
			if dotted && s.fqdn == "" {
				s.fqdn = strings.ToLower(prefix)
			}
			continue
		}
		if s := add(strings.ToUpper(label), r.source); s != nil && dotted {
			s.fqdn = strings.ToLower(prefix)
		}
	}
	for _, s := range m.servers {
		s.role = "Mailbox"
		for _, r := range m.receive {
			if strings.EqualFold(r.str("Server"), s.name) && strings.HasPrefix(strings.ToLower(r.str("Name")), "default internal receive connector") {
				s.role = "Edge"
			}
		}
		if s.fqdn == "" {
			for _, r := range m.receive {
				fqdn := r.str("Fqdn")
				label, _, _ := strings.Cut(fqdn, ".")
				if strings.EqualFold(r.str("Server"), s.name) && strings.EqualFold(label, s.name) {
					s.fqdn = strings.ToLower(fqdn)
					break
				}
			}
		}
		if s.fqdn == "" {
			// Setup's certificate names the server and its FQDN (S18).
			for _, r := range certs {
				if !strings.EqualFold(r.str("Subject"), "CN="+s.name) {
					continue
				}
				names, _ := r.values("CertificateDomains")
				for _, n := range names {
					if strings.HasPrefix(strings.ToLower(n), strings.ToLower(s.name)+".") {
						s.fqdn = strings.ToLower(n)
					}
				}
			}
		}
		if s.fqdn == "" {
			s.fqdn = strings.ToLower(s.name) + "." + firstOf(m.onPremDomain(), m.assumedDomain())
			m.assume("server %s's FQDN is %s (the evidence names no FQDN for it)", s.name, s.fqdn)
		}
	}
}

// server finds a server by name.
func (m *model) server(name string) *serverModel {
	for _, s := range m.servers {
		if strings.EqualFold(s.name, name) {
			return s
		}
	}
	return nil
}

// serverOf finds the server of a certificate's Identity (FQDN or name).
func (m *model) serverOf(identity string) *serverModel {
	prefix, _, _ := strings.Cut(identity, `\`)
	for _, s := range m.servers {
		if strings.EqualFold(s.fqdn, prefix) || strings.EqualFold(s.name, prefix) {
			return s
		}
	}
	return nil
}

// onPremDomain is the first on-premises accepted domain.
func (m *model) onPremDomain() string {
	for _, r := range m.onPremAD {
		return strings.ToLower(r.str("DomainName"))
	}
	return ""
}

// certificate facts, from RawData when the evidence carries it.
type certFacts struct {
	thumbprint, subject, issuer string
	domains                     []string
	notBefore, notAfter         time.Time
	selfSigned                  bool
}

func (m *model) facts(r *record) (certFacts, error) {
	f := certFacts{thumbprint: strings.ToUpper(r.str("Thumbprint")), subject: r.str("Subject"), issuer: r.str("Issuer")}
	if raw, ok := r.get("RawData"); ok && len(raw.raw) > 0 {
		c, err := parseRaw(raw.raw)
		if err != nil {
			return f, &sourceError{r.source, err}
		}
		f.subject, f.issuer, f.domains = pki.SubjectName(c), pki.IssuerName(c), c.DNSNames
		f.notBefore, f.notAfter = c.NotBefore.UTC(), c.NotAfter.UTC()
		f.selfSigned = string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
		if f.thumbprint == "" {
			f.thumbprint = pki.Thumbprint(c)
		}
		return f, nil
	}
	domains, truncated := r.values("CertificateDomains")
	if truncated {
		m.warn("%s: CertificateDomains was cut short by PowerShell (\"...\"); the look-alike has only %s; ask for `$FormatEnumerationLimit = -1` before the command, or for Export-Clixml", r.source, strings.Join(domains, ", "))
	}
	f.domains = domains
	f.notBefore, _ = m.time(r, "NotBefore")
	f.notAfter, _ = m.time(r, "NotAfter")
	f.selfSigned, _ = r.boolean("IsSelfSigned")
	if !f.selfSigned && f.subject != "" && strings.EqualFold(f.subject, f.issuer) {
		f.selfSigned = true
	}
	if f.subject == "" && len(domains) == 0 {
		return f, &sourceError{r.source, fmt.Errorf("the certificate %s has neither Subject, CertificateDomains nor RawData; send Get-ExchangeCertificate | Format-List *", f.thumbprint)}
	}
	return f, nil
}

// findCertificates makes a look-alike of each certificate and places it in
// its servers' stores.
func (m *model) findCertificates(certs []*record) error {
	authorities, onPremIntermediates := labAuthorities(m.clock)
	held := map[string]bool{} // servers the evidence lists certificates of
	for _, r := range certs {
		f, err := m.facts(r)
		if err != nil {
			return err
		}
		if f.thumbprint == "" {
			return &sourceError{r.source, fmt.Errorf("a certificate without a Thumbprint; send Get-ExchangeCertificate | Format-List")}
		}
		s := m.serverOf(r.str("Identity"))
		if s == nil && len(m.servers) > 0 && r.str("Identity") == "" {
			s = m.servers[0]
			m.assume("the certificate %s (%s) is in %s's store (its Identity names no server)", f.thumbprint, r.source, s.name)
		}
		if s == nil {
			return &sourceError{r.source, fmt.Errorf("the certificate %s names no server the evidence knows (Identity %q)", f.thumbprint, r.str("Identity"))}
		}
		held[strings.ToLower(s.name)] = true
		if s.certsFrom == "" {
			s.certsFrom = r.file
		}
		if f.selfSigned && (strings.EqualFold(f.subject, "CN="+s.name)) {
			m.setupThumbs[f.thumbprint] = s.name
			s.hasSetup = true
			if services := r.str("Services"); services != "" && !sameServices(services, "IMAP, POP, IIS, SMTP") {
				m.warn("%s: setup's certificate on %s is enabled for %s; the lab's setup certificate is enabled for IMAP, POP, IIS, SMTP", r.source, s.name, services)
			}
			continue
		}
		c, ok := m.byThumb[f.thumbprint]
		if !ok {
			c = &certModel{thumbprint: f.thumbprint, subject: f.subject, issuer: f.issuer, domains: f.domains,
				notBefore: f.notBefore, notAfter: f.notAfter, rec: r, profile: "trusted"}
			c.name = certName(f)
			status := strings.ToLower(r.str("Status"))
			known := authorities[strings.ToLower(f.issuer)]
			switch {
			case f.selfSigned:
				c.profile, c.issuer, c.note = "self-signed", "", "self-signed (IsSelfSigned True)"
			case status == "revoked":
				c.profile, c.note = "revoked", "Status Revoked: the issuer's CRL lists it"
			case status == "untrusted" && known && onPremIntermediates[strings.ToLower(f.issuer)]:
				c.note = "Status Untrusted, but the lab's PKI knows the issuer: the server's CA store lacks it (see the server's Intermediates)"
				m.lackIntermediate(s, f.issuer, r.source)
			case status == "untrusted" && !known:
				c.profile, c.note = "untrusted-root", "Status Untrusted: issued under a root no store trusts"
				m.assume("the certificate %s (%s) chains to a root neither side trusts (Status Untrusted)", c.name, r.source)
			case known:
				c.note = "the lab's PKI has the issuer: trust follows its authority"
			default:
				c.note = "CA-issued; the lab issues it from a CA with the same name under the public root"
				m.assume("the issuer %q of %s (%s) is a public CA that Exchange Online and the servers trust; if it is an enterprise CA, change the certificate's Profile to internal-ca", f.issuer, c.name, r.source)
			}
			m.certs = append(m.certs, c)
			m.byThumb[f.thumbprint] = c
		}
		s.entries = append(s.entries, storeEntryModel{cert: c, rec: r})
	}
	for _, s := range m.servers {
		if !held[strings.ToLower(s.name)] {
			m.assume("server %s holds only setup's self-signed certificate (the evidence lists none of its certificates)", s.name)
		}
	}
	return nil
}

// lackIntermediate records that a server's CA store lacks an issuer.
func (m *model) lackIntermediate(s *serverModel, issuer, source string) {
	if s.lacks != "" {
		return
	}
	s.lacks = issuer + " (" + source + ")"
	s.intermediates = []string{}
	for _, a := range onPremIntermediateNames(m.clock) {
		if !strings.EqualFold(a, issuer) {
			s.intermediates = append(s.intermediates, a)
		}
	}
}

// certName names a look-alike: its first name and the evidence
// thumbprint's first eight digits.
func certName(f certFacts) string {
	name := ""
	for _, part := range strings.Split(f.subject, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "CN="); ok {
			name = v
			break
		}
	}
	if name == "" && len(f.domains) > 0 {
		name = f.domains[0]
	}
	if name == "" {
		name = "certificate"
	}
	return name + " " + f.thumbprint[:min(8, len(f.thumbprint))]
}

func sameServices(a, b string) bool {
	norm := func(s string) string {
		v, _ := psh.ListValues(s)
		sort.Strings(v)
		return strings.ToLower(strings.Join(v, ","))
	}
	return norm(a) == norm(b)
}

// labAuthorities are the lab PKI's authorities by lower-case name, and the
// intermediates on-premises servers hold.
func labAuthorities(at time.Time) (map[string]bool, map[string]bool) {
	all, inter := map[string]bool{}, map[string]bool{}
	p, err := pki.New(pki.Options{At: at, Domains: pki.DefaultDomains()})
	if err != nil {
		return all, inter
	}
	for _, a := range p.Authorities() {
		all[strings.ToLower(a.Name)] = true
	}
	for _, c := range p.OnPremTrust().Intermediates {
		inter[strings.ToLower(pki.SubjectName(c))] = true
	}
	return all, inter
}

// onPremIntermediateNames are the intermediates on-premises servers hold,
// in the pki's order.
func onPremIntermediateNames(at time.Time) []string {
	p, err := pki.New(pki.Options{At: at, Domains: pki.DefaultDomains()})
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range p.OnPremTrust().Intermediates {
		out = append(out, pki.SubjectName(c))
	}
	return out
}

// serverAddress is the address the lab gives the i-th server: .10, .20,
// ... .240 of 203.0.113.0/24 (the default lab's EX01 and EDGE01 are .10 and
// .20), then .241 to .254.
func serverAddress(i int) netip.Addr {
	n := 10 * (i + 1)
	if i >= 24 {
		n = 241 + i - 24
	}
	return netip.AddrFrom4([4]byte{203, 0, 113, byte(min(n, 254))})
}

// findStores reads the servers' trusted-root and intermediate stores and
// their root auto-update policy. The stores name the lab's authorities;
// a server's own self-signed certificates are the lab's to add, and any
// other certificate is a warning.
func (m *model) findStores(stores []*record) {
	known, _ := labAuthorities(m.clock)
	seen := map[*serverModel]bool{}
	for _, r := range stores {
		s := m.server(r.str("PSComputerName"))
		if s == nil && len(m.servers) > 0 {
			s = m.servers[0]
			m.assume("%s is %s's (it names no PSComputerName)", r.source, s.name)
		}
		if s == nil {
			continue
		}
		if r.kind == kindAuthRoot {
			if v := r.str("DisableRootAutoUpdate"); v == "1" || strings.EqualFold(v, "true") {
				s.disableAuto = r
			}
			continue
		}
		if !seen[s] {
			seen[s] = true
			s.roots, s.intermediates, s.lacks = []string{}, []string{}, ""
			s.storeFrom = r.note("PSParentPath")
		}
		name := r.str("Subject")
		if raw, ok := r.get("RawData"); ok && len(raw.raw) > 0 {
			if c, err := parseRaw(raw.raw); err == nil {
				name = pki.SubjectName(c)
			}
		}
		switch {
		case strings.EqualFold(name, "CN="+s.name):
			// setup's certificate, trusted as a root: the lab adds it.
		case !known[strings.ToLower(name)]:
			m.warn("%s: %s's %s store holds %q, which the lab's PKI does not have; the lab leaves it out", r.source, s.name, storeOf(r), name)
		case storeOf(r) == "Root":
			s.roots = appendNew(s.roots, name)
		default:
			s.intermediates = appendNew(s.intermediates, name)
		}
	}
}
