package smtpd

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/gleak"
)

// fixedClock is the lab's clock, stopped.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// s4Time is the date of S4's transcript, in its zone.
var s4Time = time.Date(2016, 8, 5, 16, 24, 41, 0, time.FixedZone("PDT", -7*3600))

// recordingSink keeps records in memory.
type recordingSink struct {
	mu      sync.Mutex
	records []Record
}

func (s *recordingSink) Log(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = append(s.records, r)
}

// Lines returns the records as log lines.
func (s *recordingSink) Lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.records {
		out = append(out, r.String())
	}
	return out
}

// testPKI is a CA, a server certificate for mail.contoso.com and a client certificate for
// relay.fabrikam.com, ECDSA P-256, valid for the whole century so that real clients (openssl,
// curl, swaks) accept them today.
type testPKI struct {
	CA                             *x509.Certificate
	Pool                           *x509.CertPool
	Server                         tls.Certificate
	Client                         tls.Certificate
	caPEM, clientPEM, clientKeyPEM []byte
}

var (
	pkiOnce sync.Once
	pkiVal  *testPKI
)

func labPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() {
		caKey, caCert, caDER := mustIssue(t, nil, nil, &x509.Certificate{
			Subject: pkix.Name{CommonName: "Lab Test Root CA"}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign,
		})
		srvKey, _, srvDER := mustIssue(t, caKey, caCert, &x509.Certificate{
			Subject: pkix.Name{CommonName: "mail.contoso.com"}, DNSNames: []string{"mail.contoso.com"},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			KeyUsage: x509.KeyUsageDigitalSignature,
		})
		cliKey, _, cliDER := mustIssue(t, caKey, caCert, &x509.Certificate{
			Subject: pkix.Name{CommonName: "relay.fabrikam.com"}, DNSNames: []string{"relay.fabrikam.com"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
		})
		p := &testPKI{CA: caCert, Pool: x509.NewCertPool()}
		p.Pool.AddCert(caCert)
		p.Server = tls.Certificate{Certificate: [][]byte{srvDER, caDER}, PrivateKey: srvKey}
		p.Client = tls.Certificate{Certificate: [][]byte{cliDER, caDER}, PrivateKey: cliKey}
		p.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
		p.clientPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cliDER})
		der, err := x509.MarshalPKCS8PrivateKey(cliKey)
		if err != nil {
			t.Fatalf("MarshalPKCS8PrivateKey: %v", err)
		}
		p.clientKeyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		pkiVal = p
	})
	if pkiVal == nil {
		t.Fatal("test PKI could not be created")
	}
	return pkiVal
}

var serial int64

func mustIssue(t testing.TB, parentKey *ecdsa.PrivateKey, parent, tmpl *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	tmpl.NotBefore = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl.NotAfter = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatalf("CreateCertificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("ParseCertificate: %v", err)
	}
	return key, cert, der
}

// files writes the CA and the client certificate and key as PEM files for external tools.
func (p *testPKI) files(t testing.TB) (ca, cert, key string) {
	t.Helper()
	dir := t.TempDir()
	ca, cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cli.pem"), filepath.Join(dir, "cli.key")
	for name, data := range map[string][]byte{ca: p.caPEM, cert: p.clientPEM, key: p.clientKeyPEM} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatalf("WriteFile: %v", err)
		}
	}
	return ca, cert, key
}

// clientTLS trusts the lab CA for mail.contoso.com.
func (p *testPKI) clientTLS() *tls.Config {
	return &tls.Config{RootCAs: p.Pool, ServerName: "mail.contoso.com"}
}

// simListener gives every accepted connection the lab's simulated addresses, as package sim
// does: the server must use them, never loopback.
type simListener struct {
	net.Listener
	local, remote *net.TCPAddr
}

func (l *simListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &simConn{Conn: c, local: l.local, remote: l.remote}, nil
}

type simConn struct {
	net.Conn
	local, remote net.Addr
}

func (c *simConn) LocalAddr() net.Addr  { return c.local }
func (c *simConn) RemoteAddr() net.Addr { return c.remote }

// Simulated endpoints: the on-prem frontend and the sending host (the lab's ranges).
var (
	onpremEndpoint = &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 25}
	senderEndpoint = &net.TCPAddr{IP: net.IPv4(203, 0, 113, 10), Port: 49152}
)

// newTestServer starts a server for the test and registers its Close and the leak check.
// Unless cfg says otherwise it is mail.contoso.com on the stopped S4 clock, behind a
// simListener with the lab's endpoints.
func newTestServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Hostname == "" {
		cfg.Hostname = "mail.contoso.com"
	}
	if cfg.Clock == nil {
		cfg.Clock = fixedClock{s4Time}
	}
	if cfg.Listener == nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("Listen: %v", err)
		}
		cfg.Listener = &simListener{Listener: ln, local: onpremEndpoint, remote: senderEndpoint}
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
		checkNoServerGoroutines(t)
	})
	return srv
}

// checkNoServerGoroutines fails if a goroutine still runs server code after Close. Close
// returns once every goroutine has done its last statement (wg.Done); one may still be on its
// way out, so the check waits for the runtime to reap it, as gleak's docs prescribe
// (Eventually), and fails after a second.
func checkNoServerGoroutines(t testing.TB) {
	t.Helper()
	serverGoroutines := func() []string {
		var out []string
		for _, g := range gleak.Goroutines() {
			if strings.Contains(g.Backtrace, "internal/smtpd.(*Server)") ||
				strings.Contains(g.Backtrace, "internal/smtpd.(*Session)") {
				out = append(out, g.Backtrace)
			}
		}
		return out
	}
	gomega.NewWithT(t).Eventually(serverGoroutines).WithTimeout(time.Second).Should(gomega.BeEmpty(),
		"goroutines outlived Close")
}

// rawClient speaks SMTP by hand, to see the exact bytes go-smtp's client hides.
type rawClient struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

func dialRaw(t testing.TB, srv *Server) *rawClient {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	conn.SetDeadline(deadline(20 * time.Second))
	c := &rawClient{t: t, conn: conn, r: bufio.NewReader(conn)}
	t.Cleanup(func() { conn.Close() })
	return c
}

// reply reads one whole reply, its lines joined with "\n", line ends removed.
func (c *rawClient) reply() string {
	c.t.Helper()
	var lines []string
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("reading reply after %q: %v", lines, err)
		}
		line = strings.TrimSuffix(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

// send writes raw bytes.
func (c *rawClient) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("write %q: %v", s, err)
	}
}

// cmd sends one command line and returns the reply.
func (c *rawClient) cmd(line string) string {
	c.t.Helper()
	c.send(line + "\r\n")
	return c.reply()
}

// rest reads everything until the server closes the connection.
func (c *rawClient) rest() string {
	c.t.Helper()
	b, err := io.ReadAll(c.r)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		c.t.Fatalf("reading to EOF: %v", err)
	}
	return string(b)
}

// startTLS upgrades the connection after the server's 220.
func (c *rawClient) startTLS(cfg *tls.Config) {
	c.t.Helper()
	if c.r.Buffered() > 0 {
		c.t.Fatalf("unread bytes before TLS")
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("Handshake: %v", err)
	}
	c.conn = tc
	c.r = bufio.NewReader(tc)
}

// mailbox keeps the messages its Message hook takes, answering with S4's queued reply.
type mailbox struct {
	mu   sync.Mutex
	msgs []*Message
}

func (b *mailbox) hooks(h Hooks) Hooks {
	h.Message = func(m *Message) Reply {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.msgs = append(b.msgs, m)
		return ExchangeServer.QueuedReply("<c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com>", 5111011082268, "mail1.fabrikam.com")
	}
	return h
}

func (b *mailbox) messages() []*Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*Message(nil), b.msgs...)
}

// queuedS4 is the reply mailbox gives, on the wire.
const queuedS4 = "250 2.6.0 <c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com> [InternalId=5111011082268, Hostname=mail1.fabrikam.com] Queued mail for delivery"
