package sim

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/pki"
)

// Lab is a running hybrid deployment: one PKI, the on-premises organization,
// Exchange Online and the internet's organizations, on one virtual network
// and one virtual clock. Its servers are real SMTP servers on loopback; the
// cmdlets of the fakes (OnPrem, EXO) break and fix it. Nothing happens in
// the background: deliveries run when Send or Advance moves the lab.
type Lab struct {
	Clock        *Clock
	PKI          *pki.PKI
	OnPrem       *fakeonprem.Organization
	EXO          *fakeexo.Service
	Internet     []*fakeonprem.Organization
	Certificates map[string]*pki.Certificate // the lab's certificates by Name

	cfg     Config
	network *labnet.Network            // simulated names and addresses on loopback sockets
	orgs    []*fakeonprem.Organization // OnPrem first, then Internet
	trace   *traceStream               // StreamLogs: EXO's message trace, appended at each Advance

	senderMessages int // Message-IDs of Senders' messages
}

// New starts a lab. Errors in the configuration name the lab file, line and
// field they come from when cfg came from a lab file.
func New(cfg Config) (*Lab, error) { return newLab(cfg, labnet.NewNetwork()) }

// newLab starts a lab on a network the caller prepared (serve's fixed ports).
func newLab(cfg Config, network *labnet.Network) (*Lab, error) {
	clock := clockFor(cfg)
	start := clock.Now()
	l := &Lab{Clock: clock, network: network, cfg: cfg, Certificates: map[string]*pki.Certificate{}}
	var err error
	if l.PKI, err = pki.New(pki.Options{At: start, Domains: labDomains(&cfg)}); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	for i, c := range cfg.Certificates {
		cert, err := l.issue(c)
		if err != nil {
			return nil, cfg.fieldError(fmt.Sprintf("Certificates[%d]", i), err)
		}
		l.Certificates[strings.ToLower(c.Name)] = cert
	}
	if err := l.startOrganizations(); err != nil {
		l.Close()
		return nil, err
	}
	if err := l.startEXO(); err != nil {
		l.Close()
		return nil, err
	}
	for _, mx := range cfg.MX {
		l.network.AddMX(mx.Domain, mx.Preference, mx.Host)
	}
	if err := l.startSenders(); err != nil {
		l.Close()
		return nil, err
	}
	if err := l.runSteps(context.Background()); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// issue has the lab's PKI issue one of the lab's certificates.
func (l *Lab) issue(c Certificate) (*pki.Certificate, error) {
	profile := pki.Trusted
	if c.Profile != "" {
		var err error
		if profile, err = pki.ParseProfile(c.Profile); err != nil {
			return nil, err
		}
	}
	return l.PKI.Issue(pki.Request{Profile: profile, Subject: c.Subject, Issuer: c.Issuer, DNSNames: c.CertificateDomains,
		NotBefore: c.NotBefore, NotAfter: c.NotAfter, ServerName: c.ServerName, ServerFQDN: c.ServerFQDN})
}

// startOrganizations starts the on-premises organization and the internet's.
func (l *Lab) startOrganizations() error {
	for oi, org := range l.cfg.organizations() {
		cfg, err := l.onPremConfig(oi, org)
		if err != nil {
			return err
		}
		for si, s := range org.Servers {
			if err := l.publish(s); err != nil {
				return l.cfg.fieldError(fmt.Sprintf("%s.Servers[%d].HostNames", orgPrefix(oi), si), err)
			}
		}
		o, err := fakeonprem.New(cfg, l.network, l.Clock, l.PKI)
		if err != nil {
			return l.cfg.objectError(err)
		}
		if err := l.checkThumbprints(oi, org, o); err != nil {
			o.Close()
			return err
		}
		l.orgs = append(l.orgs, o)
		if oi == 0 {
			l.OnPrem = o
		} else {
			l.Internet = append(l.Internet, o)
		}
		for _, edge := range org.EdgeSubscriptions {
			if err := o.NewEdgeSubscription(edge); err != nil {
				return l.cfg.objectError(err)
			}
		}
	}
	return nil
}

// onPremConfig builds a fake organization's configuration: certificates
// placed in stores by name, trust resolved to the PKI's authorities.
func (l *Lab) onPremConfig(oi int, org *Organization) (fakeonprem.Config, error) {
	prefix := orgPrefix(oi)
	o := l.cfg.Options
	cfg := fakeonprem.Config{Name: org.Name, AcceptedDomains: org.AcceptedDomains,
		ReceiveConnectors: org.receiveConnectors(), SendConnectors: org.SendConnectors,
		Mailboxes: org.Mailboxes, RemoteMailboxes: org.RemoteMailboxes,
		Options: fakeonprem.Options{SMTPEligibility: o.SMTPEligibility, TieBreak: o.TieBreak, LegacyNotFoundWording: o.LegacyNotFoundWording}}
	l.resolveCertificateNames(&cfg)
	trust := l.PKI.OnPremTrust()
	for si, s := range org.Servers {
		at := fmt.Sprintf("%s.Servers[%d]", prefix, si)
		fs := fakeonprem.Server{Name: s.Name, Fqdn: s.Fqdn, NetBIOSName: s.NetBIOSName, Role: s.Role,
			IPAddresses: s.IPAddresses, RevocationOffline: s.RevocationOffline, TransportService: s.TransportService, Schannel: s.Schannel,
			DisableRootAutoUpdate: s.DisableRootAutoUpdate,
			AdminDisplayVersion:   s.AdminDisplayVersion, OperatingSystem: s.OperatingSystem, Culture: s.Culture, TimeZone: s.TimeZone,
			TrustedRoots: trust.Roots, Intermediates: trust.Intermediates}
		fs.TransportService.InternalTransportCertificateThumbprint = l.thumbprintOf(s.TransportService.InternalTransportCertificateThumbprint)
		fs.NoSetupCertificate = setupRemoved(s.Certificates)
		fs.EmptyInternalTransportCertificate = s.TransportService.InternalTransportCertificateThumbprint == "" &&
			l.cfg.givenByFile(at+".TransportService.InternalTransportCertificateThumbprint") // $null: setupcertificate.go
		var err error
		if s.TrustedRoots != nil {
			if fs.TrustedRoots, err = l.authorities(s.TrustedRoots); err != nil {
				return cfg, l.cfg.fieldError(at+".TrustedRoots", err)
			}
		}
		if s.Intermediates != nil {
			if fs.Intermediates, err = l.authorities(s.Intermediates); err != nil {
				return cfg, l.cfg.fieldError(at+".Intermediates", err)
			}
		}
		for ei, e := range s.Certificates {
			if e.Remove {
				if err := setupEntry(e); err != nil {
					return cfg, l.cfg.fieldError(fmt.Sprintf("%s.Certificates[%d].Remove", at, ei), err)
				}
				continue // setup's certificate, removed
			}
			cert := l.Certificates[strings.ToLower(e.Certificate)]
			if e.HasPrivateKey != nil && !*e.HasPrivateKey {
				keyless := *cert
				keyless.Key = nil
				cert = &keyless
			}
			fs.Certificates = append(fs.Certificates, fakeonprem.ExchangeCertificate{Certificate: cert,
				Services: e.Services, PrivateKeyExportable: e.PrivateKeyExportable, FriendlyName: e.FriendlyName})
		}
		cfg.Servers = append(cfg.Servers, fs)
	}
	return cfg, nil
}

// authorities resolves authority subjects to their certificates.
func (l *Lab) authorities(names []string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, n := range names {
		a, err := l.PKI.Authority(n)
		if err != nil {
			return nil, err
		}
		out = append(out, a.Cert)
	}
	return out, nil
}

// startEXO starts Exchange Online and publishes its host names.
func (l *Lab) startEXO() error {
	o := l.cfg.Options
	svc, err := fakeexo.New(fakeexo.Config{Tenants: l.cfg.EXO.Tenants,
		LegacySubjectMismatch: o.LegacySubjectMismatch, ObservedExpiryNDR: o.ObservedExpiryNDR,
		EstablishSessionWording: o.EstablishSessionWording},
		l.network, l.Clock, l.PKI)
	if err != nil {
		return l.cfg.objectError(err)
	}
	l.EXO = svc
	for _, e := range svc.Endpoints() {
		if err := l.network.AddHost(e.Host, e.Address.Addr()); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	for _, t := range l.cfg.EXO.Tenants {
		for _, d := range l.microsoftDomains(t.Name) {
			l.network.AddMX(d, 0, fakeexo.MXHost(d))
		}
	}
	return nil
}

// microsoftDomains are a tenant's domains in onmicrosoft.com, whose MX
// Microsoft publishes: its initial domain, then its routing domain
// (contoso.mail.onmicrosoft.com).
func (l *Lab) microsoftDomains(tenant string) []string {
	org, err := l.EXO.Organization(tenant)
	if err != nil {
		return nil
	}
	domains, _ := org.GetAcceptedDomain()
	var initial, routing []string
	for _, d := range domains {
		switch name := strings.ToLower(d.DomainName); {
		case strings.HasSuffix(name, ".mail.onmicrosoft.com"):
			routing = append(routing, name)
		case strings.HasSuffix(name, ".onmicrosoft.com"):
			initial = append(initial, name)
		}
	}
	return append(initial, routing...)
}

// labDomains are the DNS subtrees the lab's test roots may vouch for: the
// pki's defaults and every domain the lab names.
func labDomains(cfg *Config) []string {
	domains := pki.DefaultDomains()
	add := func(name string) {
		name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "*."))
		if name == "" || !strings.Contains(name, ".") {
			return
		}
		for _, d := range domains {
			if name == d || strings.HasSuffix(name, "."+d) {
				return
			}
		}
		domains = append(domains, name)
	}
	for _, org := range cfg.organizations() {
		for _, d := range org.AcceptedDomains {
			add(d)
		}
		for _, s := range org.Servers {
			add(registered(s.Fqdn))
			for _, h := range s.HostNames {
				add(registered(h))
			}
		}
	}
	for _, c := range cfg.Certificates {
		for _, d := range c.CertificateDomains {
			add(registered(d))
		}
	}
	for _, t := range cfg.EXO.Tenants {
		for _, d := range t.AcceptedDomains {
			add(d.DomainName)
		}
	}
	return domains
}

// registered returns a host name's last two labels (its registered domain,
// near enough for name constraints).
func registered(host string) string {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(labels) <= 2 {
		return host
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// Close stops every server of the lab and waits for their goroutines.
func (l *Lab) Close() error {
	var errs []error
	if l.EXO != nil {
		errs = append(errs, l.EXO.Close())
	}
	for _, o := range l.orgs {
		errs = append(errs, o.Close())
	}
	return errors.Join(errs...)
}

// Now is the lab clock's current instant.
func (l *Lab) Now() time.Time { return l.Clock.Now() }

// Advance moves the virtual clock forward by d, running every delivery
// attempt that falls due on the way, in time order. Advance(0) runs what
// is due now. Nothing sleeps.
func (l *Lab) Advance(d time.Duration) {
	ctx := context.Background()
	target := l.Clock.Now().Add(d)
	for {
		l.settle(ctx)
		next, ok := l.nextDue()
		if !ok || next.After(target) || !next.After(l.Clock.Now()) {
			break
		}
		l.Clock.set(next)
	}
	l.Clock.set(target)
	l.settle(ctx)
	if l.trace != nil {
		l.trace.flush(l, false)
	}
}

// settle runs every delivery due at the current instant, on every side,
// until none is left, waiting after each round for the receiving servers
// to finish the sessions the lab's own clients opened, so that logs are
// whole. Sessions of outside tools run alongside: the lab never waits for
// them.
func (l *Lab) settle(ctx context.Context) {
	for round := 0; round < maxSettleRounds; round++ {
		n := 0
		for _, o := range l.orgs {
			n += o.RunDue(ctx)
			l.waitIdle()
		}
		n += l.EXO.RunDue(ctx)
		l.waitIdle()
		if n == 0 {
			return
		}
	}
}

// maxSettleRounds bounds one instant's delivery rounds: a message that
// loops between hosts is a configuration error, not a reason to hang.
const maxSettleRounds = 64

func (l *Lab) waitIdle() {
	for _, o := range l.orgs {
		o.WaitLabIdle()
	}
	l.EXO.WaitLabIdle()
}

// nextDue is the earliest retry any side has scheduled.
func (l *Lab) nextDue() (time.Time, bool) {
	var next time.Time
	found := false
	consider := func(t time.Time, ok bool) {
		if ok && (!found || t.Before(next)) {
			next, found = t, true
		}
	}
	for _, o := range l.orgs {
		consider(o.NextDue())
	}
	consider(l.EXO.NextDue())
	return next, found
}

// Send submits a message from a mailbox to recipients, as a user would from
// Outlook: from a cloud mailbox into Exchange Online, from an on-premises
// mailbox into its organization. Everything due then runs. It returns the
// message's Message-ID.
func (l *Lab) Send(from string, to []string, subject string) (string, error) {
	id, err := l.submit(from, to, subject)
	if err != nil {
		return "", err
	}
	l.Advance(0)
	return id, nil
}

func (l *Lab) submit(from string, to []string, subject string) (string, error) {
	for _, org := range l.cfg.organizations() {
		for _, m := range org.Mailboxes {
			if strings.EqualFold(m.PrimarySmtpAddress, from) {
				return l.organization(org.Name).Submit(from, to, subject)
			}
		}
	}
	for _, t := range l.cfg.EXO.Tenants {
		for _, m := range t.Mailboxes {
			if strings.EqualFold(m.PrimarySmtpAddress, from) {
				return l.EXO.Submit(from, to, subject)
			}
		}
	}
	return "", fmt.Errorf("sim: no mailbox %s in the lab; send from an on-premises or cloud mailbox", from)
}

// organization returns the running organization with that name.
func (l *Lab) organization(name string) *fakeonprem.Organization {
	for i, org := range l.cfg.organizations() {
		if strings.EqualFold(org.Name, name) {
			return l.orgs[i]
		}
	}
	return nil
}

// Config returns the configuration the lab was started with.
func (l *Lab) Config() Config { return l.cfg }

// MailboxMessage is a message in a mailbox of the lab, on either side.
type MailboxMessage struct {
	MessageID string
	From      string // the envelope sender; "" for a report
	Text      string // the whole message as stored: header fields, a blank line, the body
}

// Mailbox returns the messages in a mailbox of the lab, on-premises, in the
// cloud or on the internet, oldest first.
func (l *Lab) Mailbox(address string) ([]MailboxMessage, error) {
	for i, org := range l.cfg.organizations() {
		for _, m := range org.Mailboxes {
			if !strings.EqualFold(m.PrimarySmtpAddress, address) {
				continue
			}
			msgs, err := l.orgs[i].GetMessages(address)
			out := make([]MailboxMessage, len(msgs))
			for j, msg := range msgs {
				var b strings.Builder
				for _, k := range sortedKeys(msg.Header) {
					for _, v := range msg.Header[k] {
						fmt.Fprintf(&b, "%s: %s\r\n", k, v)
					}
				}
				b.WriteString("\r\n")
				b.WriteString(msg.Body)
				out[j] = MailboxMessage{MessageID: msg.MessageID, From: msg.Sender, Text: b.String()}
			}
			return out, err
		}
	}
	msgs, err := l.EXO.Mailbox(address)
	if err != nil {
		return nil, fmt.Errorf("sim: no mailbox %s in the lab: %w", address, err)
	}
	out := make([]MailboxMessage, len(msgs))
	for j, msg := range msgs {
		out[j] = MailboxMessage{MessageID: msg.MessageID, From: msg.From, Text: string(msg.Data)}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
