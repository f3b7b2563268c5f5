package smtpd

import (
	"bytes"
	"crypto/tls"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// ehloAnonymous is ehloPlain with X-ANONYMOUSTLS and without STARTTLS: a connector that has
// an internal transport certificate and no STARTTLS certificate.
const ehloAnonymous = "250-mail.contoso.com Hello [203.0.113.10]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
	"250-ENHANCEDSTATUSCODES\n250-X-ANONYMOUSTLS\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"

// ehloStartTLS is ehloPlain with STARTTLS: a connector with a STARTTLS certificate only.
const ehloStartTLS = "250-mail.contoso.com Hello [203.0.113.10]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
	"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"

// handshakeSeen records what the Handshake hook saw.
type handshakeSeen struct {
	mu   sync.Mutex
	seen []string // "<anonymous> <server certificate CN> <client certificate CN>"
}

func (h *handshakeSeen) hook(s *Session) func(*tls.ConnectionState, error) *Reply {
	return func(st *tls.ConnectionState, err error) *Reply {
		h.mu.Lock()
		defer h.mu.Unlock()
		verb := "STARTTLS"
		if s.AnonymousTLS() {
			verb = "X-ANONYMOUSTLS"
		}
		client := ""
		if len(st.PeerCertificates) > 0 {
			client = st.PeerCertificates[0].Subject.CommonName
		}
		h.seen = append(h.seen, verb+" client="+client)
		return nil
	}
}

func (h *handshakeSeen) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.seen...)
}

// TestAnonymousTLS: the verb is advertised and answered only with the internal transport
// certificate, handshakes with that certificate (not the STARTTLS one), asks for the client's,
// and the session starts over under TLS without either verb.
func TestAnonymousTLS(t *testing.T) {
	p := labPKI(t)
	var seen handshakeSeen
	srv := newTestServer(t, Config{Policy: func(s *Session) Hooks {
		return Hooks{AnonymousTLSCertificate: &p.Client, ClientAuth: tls.RequestClientCert, Handshake: seen.hook(s)}
	}})
	c := dialRaw(t, srv)
	c.reply()
	got := []string{c.cmd("EHLO contoso.com"), c.cmd("X-ANONYMOUSTLS")}
	var presented string
	c.startTLS(&tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{p.Server},
		VerifyConnection: func(cs tls.ConnectionState) error {
			presented = cs.PeerCertificates[0].Subject.CommonName
			return nil
		}})
	got = append(got, c.cmd("EHLO contoso.com"), c.cmd("X-ANONYMOUSTLS"), c.cmd("STARTTLS"))
	want := []string{ehloAnonymous, "220 2.0.0 SMTP server ready",
		ehloPlain, "500 5.3.3 Unrecognized command", "500 5.3.3 Unrecognized command"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if presented != "relay.fabrikam.com" {
		t.Errorf("server certificate = %q, want the internal transport certificate's relay.fabrikam.com", presented)
	}
	c.cmd("QUIT")
	srv.WaitIdle()
	if diff := cmp.Diff([]string{"X-ANONYMOUSTLS client=mail.contoso.com"}, seen.all()); diff != "" {
		t.Errorf("Handshake hook (-want +got):\n%s", diff)
	}
}

// TestAnonymousTLSNotOffered: without the certificate the verb is refused, even when
// Extensions.AnonymousTLS advertises it; STARTTLS is not affected.
func TestAnonymousTLSNotOffered(t *testing.T) {
	p := labPKI(t)
	tests := []struct {
		name  string
		hooks Hooks
		verb  string
		want  []string // EHLO, the verb
	}{
		{name: "NoCertificate", hooks: Hooks{}, verb: "X-ANONYMOUSTLS",
			want: []string{ehloPlain, "500 5.3.3 Unrecognized command"}},
		{name: "AdvertisedOnly", hooks: Hooks{Extensions: func() Extensions { return Extensions{AnonymousTLS: true} }},
			verb: "X-ANONYMOUSTLS", want: []string{ehloAnonymous, "500 5.3.3 Unrecognized command"}},
		{name: "StartTLSOnly", hooks: Hooks{Certificate: &p.Server}, verb: "X-ANONYMOUSTLS",
			want: []string{ehloStartTLS, "500 5.3.3 Unrecognized command"}},
		{name: "Argument", hooks: Hooks{AnonymousTLSCertificate: &p.Client}, verb: "X-ANONYMOUSTLS now",
			want: []string{ehloAnonymous, "501 5.5.4 Invalid arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, Config{Policy: func(*Session) Hooks { return tt.hooks }})
			c := dialRaw(t, srv)
			c.reply()
			got := []string{c.cmd("EHLO contoso.com"), c.cmd(tt.verb)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
		})
	}
}

// anonymousVerbConn carries go-smtp's STARTTLS on the wire as X-ANONYMOUSTLS, as fakeonprem's
// send side does.
type anonymousVerbConn struct{ net.Conn }

func (c anonymousVerbConn) Write(b []byte) (int, error) {
	if bytes.Equal(b, []byte("STARTTLS\r\n")) {
		_, err := c.Conn.Write([]byte("X-ANONYMOUSTLS\r\n"))
		return len(b), err
	}
	return c.Conn.Write(b)
}

// TestClientTapAnonymousTLS: the send log shows X-ANONYMOUSTLS and, after its 220, reads the
// session from the DebugWriter as it does after STARTTLS.
func TestClientTapAnonymousTLS(t *testing.T) {
	p := labPKI(t)
	conn := tapTarget(t, Hooks{Certificate: &p.Server, AnonymousTLSCertificate: &p.Client})
	var sink recordingSink
	tap := &ClientTap{Sink: &sink, Clock: fixedClock{s14Time}, ConnectorID: "EdgeSync - Default-First-Site-Name to Internet",
		SessionID: "08DD34FA30862792"}
	c, err := smtp.NewClientStartTLS(anonymousVerbConn{tap.Wrap(conn)}, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("NewClientStartTLS: %v", err)
	}
	c.DebugWriter = tap
	send(t, c)

	pre := func(ms string) string {
		return "2025-01-29T20:14:51." + ms + "Z,EdgeSync - Default-First-Site-Name to Internet,08DD34FA30862792,"
	}
	const ep = ",10.0.0.1:49153,104.47.58.43:25,"
	want := []string{
		pre("470") + "0" + ep + "+,,",
		pre("471") + "1" + ep + `<,"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",`,
		pre("471") + "2" + ep + ">,EHLO localhost,",
		pre("472") + "3" + ep + "<,250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("472") + "4" + ep + ">,X-ANONYMOUSTLS,",
		pre("473") + "5" + ep + "<,220 2.0.0 SMTP server ready,",
		pre("473") + "6" + ep + ">,EHLO onprem.contoso.com,",
		pre("474") + "7" + ep + "<,250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("474") + "8" + ep + ">,MAIL FROM:<chris@contoso.com> BODY=8BITMIME,",
		pre("475") + "9" + ep + "<,250 2.1.0 Sender OK,",
		pre("475") + "10" + ep + ">,RCPT TO:<kate@fabrikam.com>,",
		pre("476") + "11" + ep + "<,250 2.1.5 Recipient OK,",
		pre("476") + "12" + ep + ">,DATA,",
		pre("477") + "13" + ep + "<,354 Start mail input; end with <CRLF>.<CRLF>,",
		pre("478") + "14" + ep + `<,"` + queuedS4 + `",`,
		pre("478") + "15" + ep + ">,QUIT,",
		pre("479") + "16" + ep + "<,221 2.0.0 Service closing transmission channel,",
		pre("479") + "17" + ep + "-,,Local",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("send log (-want +got):\n%s", diff)
	}
	if st, ok := c.TLSConnectionState(); !ok || st.PeerCertificates[0].Subject.CommonName != "relay.fabrikam.com" {
		t.Errorf("the session's server certificate is not the internal transport certificate (TLS %v)", ok)
	}
}
