package fakeexo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/gleak"
)

// testClock is the lab's clock for tests: it moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// The simulated hosts of the tests.
var (
	onPremAddr   = netip.MustParseAddr("203.0.113.10") // mail.contoso.com, contoso's Exchange server
	fabrikamAddr = netip.MustParseAddr("192.0.2.20")   // mail.fabrikam.com, an internet sender
)

// hcwGUID stands for the GUID in the HCW's connector names (seed 000).
const hcwGUID = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"

var (
	pkiOnce    sync.Once
	pkiShared  *pki.PKI
	pkiErr     error
	catalogued map[pki.Profile]*pki.Certificate
)

// labPKI is one PKI at pki.DefaultTime with its catalogue, shared by every
// test (the PKI is safe for concurrent use and its certificates never change).
func labPKI(t testing.TB) (*pki.PKI, map[pki.Profile]*pki.Certificate) {
	t.Helper()
	pkiOnce.Do(func() {
		pkiShared, pkiErr = pki.New(pki.Options{At: pki.DefaultTime})
		if pkiErr != nil {
			return
		}
		var certs []*pki.Certificate
		certs, pkiErr = pkiShared.Catalogue()
		catalogued = map[pki.Profile]*pki.Certificate{}
		for _, c := range certs {
			catalogued[c.Profile] = c
		}
	})
	if pkiErr != nil {
		t.Fatalf("pki: %v", pkiErr)
	}
	return pkiShared, catalogued
}

// hcwInbound is the HCW's "Inbound from <GUID>" (seed 000, S14).
func hcwInbound(tlsSenderCertificateName string) InboundConnector {
	return InboundConnector{
		Name: "Inbound from " + hcwGUID, ConnectorType: OnPremises, ConnectorSource: "HybridWizard",
		SenderDomains: []string{"smtp:*;1"}, TlsSenderCertificateName: tlsSenderCertificateName,
		RequireTls: true, CloudServicesMailEnabled: true, Enabled: true,
	}
}

// hcwOutbound is the HCW's "Outbound to <GUID>" (seed 000, S14).
func hcwOutbound(smartHost string, settings TlsAuthLevel, tlsDomain string) OutboundConnector {
	return OutboundConnector{
		Name: "Outbound to " + hcwGUID, ConnectorType: OnPremises, ConnectorSource: "HybridWizard",
		RecipientDomains: []string{"contoso.com"}, SmartHosts: []string{smartHost}, UseMXRecord: false,
		TlsSettings: settings, TlsDomain: tlsDomain, CloudServicesMailEnabled: true, Enabled: true,
	}
}

// contoso is the hybrid tenant of the tests as the HCW leaves it: contoso.com
// accepted, a cloud mailbox (adele), a mail user for an on-premises mailbox
// (kate), and the HCW's connectors for certificate *.contoso.com.
func contoso() Tenant {
	return Tenant{
		Name:               "contoso",
		AcceptedDomains:    []AcceptedDomain{{DomainName: "contoso.com", DomainType: Authoritative}},
		Mailboxes:          []Mailbox{{Name: "Adele Vance", PrimarySmtpAddress: "adele@contoso.com"}},
		MailUsers:          []MailUser{{Name: "Kate Jones", PrimarySmtpAddress: "kate@contoso.com"}},
		InboundConnectors:  []InboundConnector{hcwInbound("*.contoso.com")},
		OutboundConnectors: []OutboundConnector{hcwOutbound("mail.contoso.com", DomainValidation, "mail.contoso.com")},
	}
}

// testLab is a service on a lab network with the test clock, and the hosts
// around it: mail.contoso.com (on-prem) and mail.fabrikam.com (the internet).
type testLab struct {
	t     testing.TB
	net   *labnet.Network
	clock *testClock
	pki   *pki.PKI
	certs map[pki.Profile]*pki.Certificate
	svc   *Service
}

// newLab starts a service with cfg (contoso alone when cfg has no tenant),
// publishes its endpoints in the lab's DNS, and registers its Close and the
// goroutine-leak check.
func newLab(t testing.TB, cfg Config) *testLab {
	t.Helper()
	p, certs := labPKI(t)
	if cfg.Tenants == nil {
		cfg.Tenants = []Tenant{contoso()}
	}
	lab := &testLab{t: t, net: labnet.NewNetwork(), clock: &testClock{t: pki.DefaultTime}, pki: p, certs: certs}
	for name, addr := range map[string]netip.Addr{"mail.contoso.com": onPremAddr, "mail.fabrikam.com": fabrikamAddr} {
		if err := lab.net.AddHost(name, addr); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := New(cfg, lab.net, lab.clock, p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := svc.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
		checkNoGoroutines(t)
	})
	for _, e := range svc.Endpoints() {
		if err := lab.net.AddHost(e.Host, e.Address.Addr()); err != nil {
			t.Fatal(err)
		}
	}
	lab.svc = svc
	return lab
}

// checkNoGoroutines fails if a goroutine still runs the service's or the
// engine's code after Close (gleak, waiting for the runtime to reap them).
func checkNoGoroutines(t testing.TB) {
	t.Helper()
	leaked := func() []string {
		var out []string
		for _, g := range gleak.Goroutines() {
			if strings.Contains(g.Backtrace, "hybridsim/fakeexo.(*") || strings.Contains(g.Backtrace, "internal/smtpd.(*") {
				out = append(out, g.Backtrace)
			}
		}
		return out
	}
	gomega.NewWithT(t).Eventually(leaked).WithTimeout(time.Second).Should(gomega.BeEmpty(), "goroutines outlived Close")
}

// org returns a tenant's cmdlets.
func (l *testLab) org(name string) *Organization {
	l.t.Helper()
	o, err := l.svc.Organization(name)
	if err != nil {
		l.t.Fatal(err)
	}
	return o
}

// runDue runs every delivery that falls due now, as the lab does.
func (l *testLab) runDue() int {
	n := l.svc.RunDue(context.Background())
	l.svc.WaitIdle()
	return n
}

// onPrem is contoso's Exchange server as EXO meets it: an internal/smtpd
// server with the Exchange Server dialect at mail.contoso.com:25, presenting
// a certificate that the test can replace (the fix), asking for a client
// certificate, and taking every message.
type onPrem struct {
	srv *smtpd.Server

	mu      sync.Mutex
	cert    *tls.Certificate // nil: no STARTTLS
	msgs    []*smtpd.Message
	clients []string // subject of the client certificate of each handshake
	refuse  *smtpd.Reply
}

// newOnPrem starts the on-prem server with a catalogue profile's certificate.
func (l *testLab) newOnPrem(profile pki.Profile) *onPrem {
	l.t.Helper()
	o := &onPrem{}
	o.present(l.t, l.certs[profile])
	ln, err := l.net.Listen(netip.AddrPortFrom(onPremAddr, 25))
	if err != nil {
		l.t.Fatal(err)
	}
	o.srv, err = smtpd.NewServer(smtpd.Config{Listener: ln, Hostname: "mail.contoso.com", Clock: l.clock,
		Policy: o.policy})
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { o.srv.Close() })
	return o
}

// present makes the server present c from its next session on; a
// certificate without a key means no STARTTLS (the engine cannot load it).
func (o *onPrem) present(t testing.TB, c *pki.Certificate) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cert = nil
	if c.Key == nil {
		return
	}
	tc, err := c.TLS()
	if err != nil {
		t.Fatal(err)
	}
	o.cert = &tc
}

func (o *onPrem) policy(*smtpd.Session) smtpd.Hooks {
	o.mu.Lock()
	defer o.mu.Unlock()
	return smtpd.Hooks{
		Certificate: o.cert,
		ClientAuth:  tls.RequestClientCert,
		Handshake: func(st *tls.ConnectionState, err error) *smtpd.Reply {
			if err == nil && len(st.PeerCertificates) > 0 {
				o.mu.Lock()
				o.clients = append(o.clients, pki.SubjectName(st.PeerCertificates[0]))
				o.mu.Unlock()
			}
			return nil
		},
		Rcpt: func(*smtpd.Message, smtpd.Recipient) *smtpd.Reply {
			o.mu.Lock()
			defer o.mu.Unlock()
			return o.refuse
		},
		Message: func(m *smtpd.Message) smtpd.Reply {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.msgs = append(o.msgs, m)
			return smtpd.ExchangeServer.QueuedReply("<onprem-1@mail.contoso.com>", 1, "mail.contoso.com")
		},
	}
}

// messages returns what the server took, once its sessions are over.
func (o *onPrem) messages() []*smtpd.Message {
	o.srv.WaitIdle()
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]*smtpd.Message(nil), o.msgs...)
}

// presented returns the chain a client presents with a certificate: the leaf,
// then the chain unless leaf-only.
func presented(c *pki.Certificate) []*x509.Certificate {
	out := []*x509.Certificate{c.Leaf}
	if c.PresentChain {
		out = append(out, c.Chain...)
	}
	return out
}

// details returns the trace events of the last message for recipient in the
// tenant's message trace.
func (l *testLab) details(tenant, recipient string) []MessageTraceDetail {
	l.t.Helper()
	o := l.org(tenant)
	var id string
	for _, r := range o.GetMessageTrace() {
		if r.RecipientAddress == recipient {
			id = r.MessageTraceId
		}
	}
	d, err := o.GetMessageTraceDetail(id, recipient)
	if err != nil {
		l.t.Fatal(err)
	}
	return d
}
