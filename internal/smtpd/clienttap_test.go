package smtpd

import (
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// Endpoints of an on-prem send connector talking to EXO's front door.
var (
	sendLocal  = &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 49153}
	sendRemote = &net.TCPAddr{IP: net.IPv4(104, 47, 58, 43), Port: 25}
)

// tapTarget starts a server that sees the send connector's addresses, and dials it.
func tapTarget(t testing.TB, hooks Hooks) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var box mailbox
	srv := newTestServer(t, Config{
		Listener: &simListener{Listener: ln, local: sendRemote, remote: sendLocal},
		Clock:    fixedClock{s14Time},
		Policy:   func(*Session) Hooks { return box.hooks(hooks) },
	})
	raw, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &simConn{Conn: raw, local: sendLocal, remote: sendRemote}
}

// send sends one message with go-smtp's client, the way a send connector does.
func send(t testing.TB, c *smtp.Client) {
	t.Helper()
	if err := c.Hello("onprem.contoso.com"); err != nil {
		t.Fatalf("Hello: %v", err)
	}
	if err := c.Mail("chris@contoso.com", nil); err != nil {
		t.Fatalf("Mail: %v", err)
	}
	if err := c.Rcpt("kate@fabrikam.com", nil); err != nil {
		t.Fatalf("Rcpt: %v", err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("Data: %v", err)
	}
	io.WriteString(w, "Subject: test\r\n\r\n.\r\nA line that is only a dot, above.\r\nDATA\r\n")
	if err := w.Close(); err != nil {
		t.Fatalf("Data Close: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("Quit: %v", err)
	}
}

// TestClientTapStartTLS compares the whole send log of a STARTTLS session driven by go-smtp.
func TestClientTapStartTLS(t *testing.T) {
	p := labPKI(t)
	conn := tapTarget(t, Hooks{Certificate: &p.Server})
	var sink recordingSink
	tap := &ClientTap{Sink: &sink, Clock: fixedClock{s14Time}, ConnectorID: "Outbound to Office 365",
		SessionID: "08DD34FA30862790", Remote: sendRemote.String()}
	tap.Info("", "attempting to connect")
	cfg := p.clientTLS()
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		tap.Info(cs.PeerCertificates[0].Subject.String(), "Remote certificate")
		return nil
	}
	c, err := smtp.NewClientStartTLS(tap.Wrap(conn), cfg)
	if err != nil {
		t.Fatalf("NewClientStartTLS: %v", err)
	}
	c.DebugWriter = tap
	send(t, c)

	pre := func(ms string) string {
		return "2025-01-29T20:14:51." + ms + "Z,Outbound to Office 365,08DD34FA30862790,"
	}
	const ep = ",10.0.0.1:49153,104.47.58.43:25,"
	want := []string{
		pre("470") + "0,,104.47.58.43:25,*,,attempting to connect",
		pre("470") + "1" + ep + "+,,",
		pre("471") + "2" + ep + `<,"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",`,
		pre("471") + "3" + ep + ">,EHLO localhost,",
		pre("472") + "4" + ep + "<,250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("472") + "5" + ep + ">,STARTTLS,",
		pre("473") + "6" + ep + "<,220 2.0.0 SMTP server ready,",
		pre("473") + "7" + ep + "*,CN=mail.contoso.com,Remote certificate",
		pre("473") + "8" + ep + ">,EHLO onprem.contoso.com,",
		pre("474") + "9" + ep + "<,250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("474") + "10" + ep + ">,MAIL FROM:<chris@contoso.com> BODY=8BITMIME,",
		pre("475") + "11" + ep + "<,250 2.1.0 Sender OK,",
		pre("475") + "12" + ep + ">,RCPT TO:<kate@fabrikam.com>,",
		pre("476") + "13" + ep + "<,250 2.1.5 Recipient OK,",
		pre("476") + "14" + ep + ">,DATA,",
		pre("477") + "15" + ep + "<,354 Start mail input; end with <CRLF>.<CRLF>,",
		pre("478") + "16" + ep + `<,"` + queuedS4 + `",`,
		pre("478") + "17" + ep + ">,QUIT,",
		pre("479") + "18" + ep + "<,221 2.0.0 Service closing transmission channel,",
		pre("479") + "19" + ep + "-,,Local",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("send log (-want +got):\n%s", diff)
	}
}

// TestClientTapPlain: with DebugWriter set from the start, a plaintext session is logged once.
func TestClientTapPlain(t *testing.T) {
	conn := tapTarget(t, Hooks{})
	var sink recordingSink
	tap := &ClientTap{Sink: &sink, Clock: fixedClock{s14Time}, ConnectorID: "Outbound", SessionID: "08DD34FA30862791"}
	c := smtp.NewClient(tap.Wrap(conn))
	c.DebugWriter = tap
	send(t, c)

	pre := func(ms string) string { return "2025-01-29T20:14:51." + ms + "Z,Outbound,08DD34FA30862791," }
	const ep = ",10.0.0.1:49153,104.47.58.43:25,"
	want := []string{
		pre("470") + "0" + ep + "+,,",
		pre("471") + "1" + ep + `<,"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",`,
		pre("471") + "2" + ep + ">,EHLO onprem.contoso.com,",
		pre("472") + "3" + ep + "<,250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("472") + "4" + ep + ">,MAIL FROM:<chris@contoso.com> BODY=8BITMIME,",
		pre("473") + "5" + ep + "<,250 2.1.0 Sender OK,",
		pre("473") + "6" + ep + ">,RCPT TO:<kate@fabrikam.com>,",
		pre("474") + "7" + ep + "<,250 2.1.5 Recipient OK,",
		pre("474") + "8" + ep + ">,DATA,",
		pre("475") + "9" + ep + "<,354 Start mail input; end with <CRLF>.<CRLF>,",
		pre("476") + "10" + ep + `<,"` + queuedS4 + `",`,
		pre("476") + "11" + ep + ">,QUIT,",
		pre("477") + "12" + ep + "<,221 2.0.0 Service closing transmission channel,",
		pre("477") + "13" + ep + "-,,Local",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("send log (-want +got):\n%s", diff)
	}
}

// TestClientTapStream feeds the tap's parser by hand: a reply split across chunks, a BDAT
// chunk skipped, the server closing first.
func TestClientTapStream(t *testing.T) {
	var sink recordingSink
	tap := &ClientTap{Sink: &sink, Clock: fixedClock{s14Time}, ConnectorID: "Outbound", SessionID: "S"}
	client, server := net.Pipe()
	conn := tap.Wrap(&simConn{Conn: client, local: sendLocal, remote: sendRemote})
	go func() {
		server.Write([]byte("250-host Hello [10.0.0.1]\r\n250-CHUNK"))
		server.Write([]byte("ING\r\n250 SMTPUTF8\r\n"))
		buf := make([]byte, 64)
		n, _ := io.ReadAtLeast(server, buf, len("BDAT 5 LAST\r\nhelloQUIT\r\n"))
		_ = n
		server.Close()
	}()
	buf := make([]byte, 64)
	io.ReadAtLeast(conn, buf, len("250-host Hello [10.0.0.1]\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n"))
	conn.Write([]byte("BDAT 5 LAST\r\nhello"))
	conn.Write([]byte("QUIT\r\n"))
	conn.Read(buf)
	conn.Close()
	pre := func(ms string) string { return "2025-01-29T20:14:51." + ms + "Z,Outbound,S," }
	const ep = ",10.0.0.1:49153,104.47.58.43:25,"
	want := []string{
		pre("470") + "0" + ep + "+,,",
		pre("471") + "1" + ep + "<,250 host Hello [10.0.0.1] CHUNKING SMTPUTF8,",
		pre("471") + "2" + ep + ">,BDAT 5 LAST,",
		pre("471") + "3" + ep + ">,QUIT,",
		pre("471") + "4" + ep + "-,,Remote",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("send log (-want +got):\n%s", diff)
	}
}
