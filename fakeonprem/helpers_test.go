package fakeonprem

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/gleak"
)

// labClock is the lab's virtual clock: it moves only when a test moves it.
type labClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *labClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *labClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Simulated hosts of the lab (documentation ranges: on-prem 203.0.113.0/24, EXO 198.51.100.0/24).
const (
	ex01Addr   = "203.0.113.10"
	ex02Addr   = "203.0.113.11"
	edgeAddr   = "203.0.113.20"
	exoMXHost  = "contoso-mail-onmicrosoft-com.mail.protection.outlook.com"
	exoMXAddr  = "198.51.100.10"
	exoOutHost = "nam02-bn1-obe.outbound.protection.outlook.com"
	exoOutAddr = "198.51.100.20"
	routingDom = "contoso.mail.onmicrosoft.com"
	hybridGUID = "eeebbbe0-5bab-442c-bdd6-24c37abf9f20"
	hybridName = "Outbound to Office 365 - " + hybridGUID
)

// lab is one test's world: the network, the clock and the PKI, started at pki.DefaultTime.
type lab struct {
	t     testing.TB
	net   *labnet.Network
	clock *labClock
	pki   *pki.PKI
}

func newLab(t testing.TB) *lab {
	t.Helper()
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		t.Fatalf("pki.New: %v", err)
	}
	return newLabWith(t, p)
}

// fork is a new lab (network, clock) for a subtest, with the same PKI: certificates issued
// for the table stay valid, revoked ones revoked.
func (l *lab) fork(t testing.TB) *lab {
	t.Helper()
	return newLabWith(t, l.pki)
}

// leakChecked remembers the tests whose leak check is registered.
var leakChecked sync.Map

func newLabWith(t testing.TB, p *pki.PKI) *lab {
	// The first lab of a test registers the leak check first, so that it runs last, after
	// every organization and stand-in of the test has closed.
	if _, done := leakChecked.LoadOrStore(t, true); !done {
		t.Cleanup(func() { checkNoGoroutines(t); leakChecked.Delete(t) })
	}
	n := labnet.NewNetwork()
	for name, addr := range map[string]string{
		"ex01.contoso.com": ex01Addr, "mail.contoso.com": ex01Addr, "ex02.contoso.com": ex02Addr,
		"edge01.contoso.com": edgeAddr, exoMXHost: exoMXAddr, exoOutHost: exoOutAddr, "mail.fabrikam.com": "192.0.2.25",
	} {
		if err := n.AddHost(name, netip.MustParseAddr(addr)); err != nil {
			t.Fatal(err)
		}
	}
	n.AddMX(routingDom, 0, exoMXHost)
	return &lab{t: t, net: n, clock: &labClock{now: pki.DefaultTime}, pki: p}
}

// issue issues a certificate or fails the test.
func (l *lab) issue(req pki.Request) *pki.Certificate {
	l.t.Helper()
	c, err := l.pki.Issue(req)
	if err != nil {
		l.t.Fatalf("Issue(%+v): %v", req, err)
	}
	return c
}

// contoso is the organization most tests start from: EX01 (Mailbox), alice's mailbox, bob
// moved to EXO, and the given extra configuration.
func contoso(servers ...Server) Config {
	if len(servers) == 0 {
		servers = []Server{{Name: "EX01", IPAddresses: []netip.Addr{netip.MustParseAddr(ex01Addr)}}}
	}
	return Config{
		Name:            "Contoso",
		AcceptedDomains: []string{"contoso.com"},
		Servers:         servers,
		Mailboxes:       []Mailbox{{Name: "Alice", PrimarySmtpAddress: "alice@contoso.com"}},
		RemoteMailboxes: []RemoteMailbox{{Name: "Bob", PrimarySmtpAddress: "bob@contoso.com",
			RemoteRoutingAddress: "bob@" + routingDom}},
	}
}

// start starts an organization on the lab and registers its Close and the leak check.
func (l *lab) start(cfg Config) *Organization {
	l.t.Helper()
	o, err := New(cfg, l.net, l.clock, l.pki)
	if err != nil {
		l.t.Fatalf("New: %v", err)
	}
	l.t.Cleanup(func() {
		if err := o.Close(); err != nil {
			l.t.Errorf("Close() = %v, want nil", err)
		}
	})
	return o
}

// checkNoGoroutines fails if a goroutine of an organization or a receive server outlives the
// test's Close calls (gleak; a goroutine on its way out is waited for, up to a second).
func checkNoGoroutines(t testing.TB) {
	t.Helper()
	ours := func() []string {
		var out []string
		for _, g := range gleak.Goroutines() {
			if strings.Contains(g.Backtrace, "internal/smtpd.(*Server)") || strings.Contains(g.Backtrace, "internal/smtpd.(*Session)") ||
				strings.Contains(g.Backtrace, "fakeonprem.(*Organization)") || strings.Contains(g.Backtrace, "fakeonprem.(*plan)") {
				out = append(out, g.Backtrace)
			}
		}
		return out
	}
	gomega.NewWithT(t).Eventually(ours).WithTimeout(time.Second).Should(gomega.BeEmpty(), "goroutines outlived Close")
}

// exo is a stand-in for Exchange Online's front door: internal/smtpd with EXO's dialect and
// EXO's certificate, recording what it takes, answering as hooks say.
type exo struct {
	*smtpd.Server
	mu    sync.Mutex
	msgs  []*smtpd.Message
	peers []string // the client certificate's subject at each handshake ("" for none)
}

// startEXO listens as EXO's MX host; hooks may refuse (their Message hook is replaced).
func (l *lab) startEXO(hooks smtpd.Hooks, withTLS bool) *exo {
	l.t.Helper()
	ln, err := l.net.Listen(netip.MustParseAddrPort(exoMXAddr + ":25"))
	if err != nil {
		l.t.Fatal(err)
	}
	e := &exo{}
	cert, err := l.pki.EXOCertificate().TLS()
	if err != nil {
		l.t.Fatal(err)
	}
	srv, err := smtpd.NewServer(smtpd.Config{Listener: ln, Hostname: exoMXHost, Dialect: &smtpd.ExchangeOnline,
		Clock: l.clock, SessionIDs: counter(0x08DEAD0000000000),
		Policy: func(*smtpd.Session) smtpd.Hooks {
			h := hooks
			if withTLS {
				h.Certificate, h.ClientAuth = &cert, tls.RequestClientCert
			}
			inner := h.Handshake
			h.Handshake = func(st *tls.ConnectionState, err error) *smtpd.Reply {
				e.mu.Lock()
				subject := ""
				if len(st.PeerCertificates) > 0 {
					subject = pki.SubjectName(st.PeerCertificates[0])
				}
				e.peers = append(e.peers, subject)
				e.mu.Unlock()
				if inner != nil {
					return inner(st, err)
				}
				return nil
			}
			h.Message = func(m *smtpd.Message) smtpd.Reply {
				e.mu.Lock()
				defer e.mu.Unlock()
				e.msgs = append(e.msgs, m)
				return smtpd.ExchangeOnline.QueuedReply(messageIDOf(m.Data), int64(len(e.msgs)), exoMXHost)
			}
			return h
		}})
	if err != nil {
		l.t.Fatal(err)
	}
	e.Server = srv
	l.t.Cleanup(func() { srv.Close() })
	return e
}

func (e *exo) messages() []*smtpd.Message {
	e.WaitIdle()
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*smtpd.Message(nil), e.msgs...)
}

func (e *exo) handshakes() []string {
	e.WaitIdle()
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.peers...)
}

// counter is a source of session ids from base.
func counter(base uint64) func() string {
	var n atomic.Uint64
	n.Store(base)
	return func() string { return fmt.Sprintf("%016X", n.Add(1)) }
}

func messageIDOf(data []byte) string {
	h, _ := splitMessage(data)
	return h.get("Message-ID")
}

// runAll is the lab's loop at one instant: RunDue until nothing more happens, waiting for the
// receive sessions between rounds.
func runAll(t testing.TB, o *Organization, others ...interface{ WaitIdle() }) int {
	t.Helper()
	total := 0
	for range 20 {
		n := o.RunDue(context.Background())
		o.WaitIdle()
		for _, x := range others {
			x.WaitIdle()
		}
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatalf("RunDue did not settle after 20 rounds")
	return total
}

// rawSMTP speaks SMTP by hand from a simulated host, to see Exchange's exact replies.
type rawSMTP struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

func (l *lab) dialRaw(from, addr string) *rawSMTP {
	l.t.Helper()
	conn, err := l.net.DialFrom(context.Background(), from, addr)
	if err != nil {
		l.t.Fatalf("DialFrom(%s, %s): %v", from, addr, err)
	}
	l.t.Cleanup(func() { conn.Close() })
	return &rawSMTP{t: l.t, conn: conn, r: bufio.NewReader(conn)}
}

// reply reads one whole reply, lines joined with "\n".
func (c *rawSMTP) reply() string {
	c.t.Helper()
	var lines []string
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("reading a reply after %q: %v", lines, err)
		}
		line = strings.TrimSuffix(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

func (c *rawSMTP) cmd(line string) string {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		c.t.Fatalf("write %q: %v", line, err)
	}
	return c.reply()
}

// startTLS upgrades after the server's 220, presenting cert (if any), and returns the chain
// the server presented.
func (c *rawSMTP) startTLS(cert *pki.Certificate) []string {
	c.t.Helper()
	cfg := &tls.Config{InsecureSkipVerify: true}
	if cert != nil {
		tc, err := cert.TLS()
		if err != nil {
			c.t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{tc}
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("Handshake: %v", err)
	}
	c.conn, c.r = tc, bufio.NewReader(tc)
	var chain []string
	for _, pc := range tc.ConnectionState().PeerCertificates {
		chain = append(chain, pki.SubjectName(pc))
	}
	return chain
}

// tryTLS attempts a handshake after the server's 220 and returns its error.
func (c *rawSMTP) tryTLS() error {
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true})
	err := tc.Handshake()
	if err == nil {
		c.conn, c.r = tc, bufio.NewReader(tc)
	}
	return err
}

// exoSend delivers one message to on-prem as EXO's outbound would: go-smtp's client from EXO's
// outbound host, STARTTLS when offered, EXO's certificate as the client certificate.
func (l *lab) exoSend(addr, from, to, data string) error {
	l.t.Helper()
	conn, err := l.net.DialFrom(context.Background(), exoOutHost, addr)
	if err != nil {
		return err
	}
	cert, err := l.pki.EXOCertificate().TLS()
	if err != nil {
		l.t.Fatal(err)
	}
	c, err := smtp.NewClientStartTLS(conn, &tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{cert}})
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello(exoOutHost); err != nil {
		return err
	}
	return sendOne(c, from, to, data)
}

func sendOne(c *smtp.Client, from, to, data string) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
