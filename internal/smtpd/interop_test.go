package smtpd

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// interopServer is a server for real clients: mail.contoso.com with the lab certificate,
// asking for a client certificate, recording what the hooks saw.
type interopServer struct {
	*Server
	mu      sync.Mutex
	msgs    []*Message
	clients []string // subject CN of the client certificate of each handshake; "" for none
}

func newInteropServer(t testing.TB, cfg Config) *interopServer {
	t.Helper()
	p := labPKI(t)
	s := &interopServer{}
	cfg.Policy = func(*Session) Hooks {
		return Hooks{
			Certificate: &p.Server,
			ClientAuth:  tls.VerifyClientCertIfGiven,
			ClientCAs:   p.Pool,
			Handshake: func(st *tls.ConnectionState, err error) *Reply {
				s.mu.Lock()
				defer s.mu.Unlock()
				cn := ""
				if len(st.PeerCertificates) > 0 {
					cn = st.PeerCertificates[0].Subject.CommonName
				}
				s.clients = append(s.clients, cn)
				return nil
			},
			Message: func(m *Message) Reply {
				s.mu.Lock()
				defer s.mu.Unlock()
				s.msgs = append(s.msgs, m)
				return ExchangeServer.QueuedReply("<c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com>", 5111011082268, "mail1.fabrikam.com")
			},
		}
	}
	s.Server = newTestServer(t, cfg)
	return s
}

// seen returns what the hooks saw once every session has ended.
func (s *interopServer) seen() ([]*Message, []string) {
	s.WaitIdle()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msgs, s.clients
}

func (s *interopServer) port() string {
	_, port, _ := net.SplitHostPort(s.Addr())
	return port
}

// tool returns the path of an interop client, or skips the test with what to install.
func tool(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("interop: %s is not installed; run `apt-get install %s` (.ci/run does) to run this test", name, pkg)
	}
	return path
}

// run runs a command with stdin and returns its stdout, failing on a non-zero exit.
func run(t testing.TB, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

const interopBody = "Subject: t\r\n\r\nhi\r\n"

// TestOpenSSL: spec/interop.md's s_client line with a client certificate. openssl pipelines
// everything after the handshake and exits 0 only after a clean close_notify following 221.
func TestOpenSSL(t *testing.T) {
	openssl := tool(t, "openssl", "openssl")
	srv := newInteropServer(t, Config{})
	ca, cert, key := labPKI(t).files(t)
	out := run(t, "EHLO onprem.contoso.com\r\nMAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nDATA\r\n"+
		"Subject: t\r\n\r\nhi\r\n.\r\nQUIT\r\n",
		openssl, "s_client", "-connect", srv.Addr(), "-starttls", "smtp", "-name", "onprem.contoso.com",
		"-servername", "mail.contoso.com", "-verify_hostname", "mail.contoso.com", "-CAfile", ca,
		"-verify_return_error", "-quiet", "-nocommands", "-cert", cert, "-key", key)
	want := strings.Join([]string{
		"250-mail.contoso.com Hello [203.0.113.10]", "250-SIZE 37748736", "250-PIPELINING", "250-DSN",
		"250-ENHANCEDSTATUSCODES", "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250-SMTPUTF8", "250 XRDST",
		senderOK, recipientOK, startMail, queuedS4, closing, ""}, "\r\n")
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("openssl s_client output (-want +got):\n%s", diff)
	}
	msgs, clients := srv.seen()
	wantMsgs := []*Message{{HeloName: "onprem.contoso.com", From: "a@contoso.com",
		To: []Recipient{{Address: "b@contoso.com"}}, Data: []byte(interopBody), Elapsed: BodyLatency(len(interopBody))}}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"relay.fabrikam.com"}, clients); diff != "" {
		t.Errorf("client certificates (-want +got):\n%s", diff)
	}
}

// TestCurl: spec/interop.md's curl line, plaintext and STARTTLS with a client certificate.
func TestCurl(t *testing.T) {
	curl := tool(t, "curl", "curl")
	ca, cert, key := labPKI(t).files(t)
	msg := filepath.Join(t.TempDir(), "msg.eml")
	if err := os.WriteFile(msg, []byte(interopBody), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		args        []string
		wantClients []string
	}{
		{name: "Plaintext"},
		{name: "StartTLS", args: []string{"--ssl-reqd", "--cacert", ca}, wantClients: []string{""}},
		{name: "StartTLSClientCert", args: []string{"--ssl-reqd", "--cacert", ca, "--cert", cert, "--key", key},
			wantClients: []string{"relay.fabrikam.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newInteropServer(t, Config{})
			args := append([]string{"--silent", "--show-error",
				"--url", "smtp://mail.contoso.com:" + srv.port() + "/onprem.contoso.com",
				"--resolve", "mail.contoso.com:" + srv.port() + ":127.0.0.1",
				"--mail-from", "a@contoso.com", "--mail-rcpt", "b@contoso.com", "--upload-file", msg}, tt.args...)
			run(t, "", curl, args...)
			msgs, clients := srv.seen()
			wantMsgs := []*Message{{HeloName: "onprem.contoso.com", From: "a@contoso.com", Size: int64(len(interopBody)),
				To: []Recipient{{Address: "b@contoso.com"}}, Data: []byte(interopBody), Elapsed: BodyLatency(len(interopBody))}}
			if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantClients, clients); diff != "" {
				t.Errorf("client certificates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSwaks: spec/interop.md's swaks line, with PIPELINING and a client certificate.
func TestSwaks(t *testing.T) {
	swaks := tool(t, "swaks", "swaks libnet-ssleay-perl")
	ca, cert, key := labPKI(t).files(t)
	tests := []struct {
		name        string
		args        []string
		wantClients []string
	}{
		{name: "PlaintextPipelined", args: []string{"--pipeline"}},
		{name: "StartTLSClientCertPipelined", args: []string{"--pipeline", "--tls", "--tls-verify", "--tls-ca-path", ca,
			"--tls-sni", "mail.contoso.com", "--tls-cert", cert, "--tls-key", key},
			wantClients: []string{"relay.fabrikam.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newInteropServer(t, Config{})
			args := append([]string{"--server", "127.0.0.1", "--port", srv.port(), "--ehlo", "onprem.contoso.com",
				"--from", "a@contoso.com", "--to", "b@contoso.com", "--hide-all",
				"--data", strings.TrimSuffix(interopBody, "\r\n")}, tt.args...) // swaks adds the last CRLF
			run(t, "", swaks, args...)
			msgs, clients := srv.seen()
			wantMsgs := []*Message{{HeloName: "onprem.contoso.com", From: "a@contoso.com",
				To: []Recipient{{Address: "b@contoso.com"}}, Data: []byte(interopBody), Elapsed: BodyLatency(len(interopBody))}}
			if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantClients, clients); diff != "" {
				t.Errorf("client certificates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGoSMTPClient: go-smtp's client, the client of every sender in the lab.
func TestGoSMTPClient(t *testing.T) {
	p := labPKI(t)
	withCert := p.clientTLS()
	withCert.Certificates = []tls.Certificate{p.Client}
	tests := []struct {
		name        string
		tls         *tls.Config // nil: plaintext
		wantClients []string
	}{
		{name: "Plaintext"},
		{name: "StartTLS", tls: p.clientTLS(), wantClients: []string{""}},
		{name: "StartTLSClientCert", tls: withCert, wantClients: []string{"relay.fabrikam.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newInteropServer(t, Config{})
			var c *smtp.Client
			var err error
			if tt.tls == nil {
				c, err = smtp.Dial(srv.Addr())
			} else {
				c, err = smtp.DialStartTLS(srv.Addr(), tt.tls)
			}
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			t.Cleanup(func() { c.Close() })
			if err := c.SendMail("a@contoso.com", []string{"b@contoso.com"}, strings.NewReader(interopBody)); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			if err := c.Quit(); err != nil {
				t.Fatalf("Quit: %v", err)
			}
			msgs, clients := srv.seen()
			wantMsgs := []*Message{{HeloName: "localhost", From: "a@contoso.com", Body: "8BITMIME",
				To: []Recipient{{Address: "b@contoso.com"}}, Data: []byte(interopBody), Elapsed: BodyLatency(len(interopBody))}}
			if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantClients, clients); diff != "" {
				t.Errorf("client certificates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSizeRefusal: SIZE is advertised and enforced, at MAIL and on the body.
func TestSizeRefusal(t *testing.T) {
	srv := newInteropServer(t, Config{MaxMessageBytes: 1000})
	c, err := smtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("onprem.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if size, ok := c.MaxMessageSize(); !ok || size != 1000 {
		t.Errorf("MaxMessageSize() = %d, %v, want 1000, true", size, ok)
	}
	want := &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message size exceeds fixed maximum message size"}
	var got *smtp.SMTPError
	err = c.Mail("a@contoso.com", &smtp.MailOptions{Size: 1001})
	if !errors.As(err, &got) || !cmp.Equal(want, got) {
		t.Errorf("Mail(SIZE=1001) = %#v, want %#v", err, want)
	}
	err = c.SendMail("a@contoso.com", []string{"b@contoso.com"}, strings.NewReader(strings.Repeat("x", 1001)))
	if !errors.As(err, &got) || !cmp.Equal(want, got) {
		t.Errorf("SendMail(1001 bytes) = %#v, want %#v", err, want)
	}
	if err := c.Quit(); err != nil {
		t.Errorf("Quit: %v", err)
	}
	if msgs, _ := srv.seen(); len(msgs) != 0 {
		t.Errorf("Message hook got %d messages, want 0", len(msgs))
	}
}
