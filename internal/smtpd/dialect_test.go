package smtpd

import (
	"net"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestGreeting compares the banner, the EHLO reply before and after STARTTLS and the HELO
// reply, whole, with the spec's strings (§11).
func TestGreeting(t *testing.T) {
	p := labPKI(t)
	s4Build := ExchangeServer.clone() // S4's 2016 build: no SMTPUTF8 yet
	s4Build.Keywords = slices.DeleteFunc(s4Build.Keywords, func(k string) bool { return k == "SMTPUTF8" })
	frontend := Extensions{AnonymousTLS: true, Auth: []string{"NTLM"}, ExchangeAuth: []string{"GSSAPI", "NTLM"}}
	frontendTLS := Extensions{AnonymousTLS: true, Auth: []string{"NTLM", "LOGIN"}, ExchangeAuth: []string{"GSSAPI", "NTLM"}}
	// The Default Frontend's keywords: BasicAuth adds AUTH LOGIN once TLS is up.
	defaultFrontend := func(s *Session) Extensions {
		if s.TLS() != nil {
			return frontendTLS
		}
		return frontend
	}

	tests := []struct {
		name     string
		dialect  *Dialect
		hostname string
		clock    time.Time
		remote   string
		ext      func(s *Session) Extensions
		want     []string // banner, EHLO, EHLO after STARTTLS, HELO after STARTTLS
	}{{
		name: "S4Transcript", dialect: s4Build, hostname: "mail1.fabrikam.com", clock: s4Time, remote: "172.16.0.5",
		ext: defaultFrontend,
		want: []string{
			"220 mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700",
			"250-mail1.fabrikam.com Hello [172.16.0.5]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
				"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-X-ANONYMOUSTLS\n250-AUTH NTLM\n250-X-EXPS GSSAPI NTLM\n" +
				"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250 XRDST",
			// Post-TLS: the 2023 RECV log's list (OBS), AUTH LOGIN added by the connector.
			"250-mail1.fabrikam.com Hello [172.16.0.5]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
				"250-ENHANCEDSTATUSCODES\n250-AUTH NTLM LOGIN\n250-X-EXPS GSSAPI NTLM\n" +
				"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250 XRDST",
			"250 mail1.fabrikam.com Hello [172.16.0.5]",
		},
	}, {
		name: "ExchangeServerS14", dialect: &ExchangeServer, hostname: "E19.Contoso.lab",
		clock: time.Date(2025, 1, 29, 20, 14, 51, 470e6, time.UTC), remote: "104.47.58.43",
		ext: defaultFrontend,
		want: []string{
			"220 E19.Contoso.lab Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",
			"250-E19.Contoso.lab Hello [104.47.58.43]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
				"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-X-ANONYMOUSTLS\n250-AUTH NTLM\n250-X-EXPS GSSAPI NTLM\n" +
				"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST",
			"250-E19.Contoso.lab Hello [104.47.58.43]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
				"250-ENHANCEDSTATUSCODES\n250-AUTH NTLM LOGIN\n250-X-EXPS GSSAPI NTLM\n" +
				"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST",
			"250 E19.Contoso.lab Hello [104.47.58.43]",
		},
	}, {
		name: "ExchangeOnline", dialect: &ExchangeOnline, hostname: "AMS0EPF0000019A.mail.protection.outlook.com",
		clock: time.Date(2025, 3, 9, 19, 25, 28, 0, time.FixedZone("CET", 3600)), remote: "198.51.100.7",
		want: []string{
			"220 AMS0EPF0000019A.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 9 Mar 2025 18:25:28 +0000 [08DD59CA63652EED]",
			"250-AMS0EPF0000019A.mail.protection.outlook.com Hello [198.51.100.7]\n250-SIZE 157286400\n" +
				"250-PIPELINING\n250-DSN\n250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-8BITMIME\n250-BINARYMIME\n" +
				"250-CHUNKING\n250 SMTPUTF8",
			"250-AMS0EPF0000019A.mail.protection.outlook.com Hello [198.51.100.7]\n250-SIZE 157286400\n" +
				"250-PIPELINING\n250-DSN\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-BINARYMIME\n" +
				"250-CHUNKING\n250 SMTPUTF8",
			"250 AMS0EPF0000019A.mail.protection.outlook.com Hello [198.51.100.7]",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := newTestServer(t, Config{
				Listener: &simListener{Listener: ln, local: onpremEndpoint,
					remote: &net.TCPAddr{IP: net.ParseIP(tt.remote), Port: 57811}},
				Hostname: tt.hostname, Dialect: tt.dialect, Clock: fixedClock{tt.clock},
				SessionIDs: func() string { return "08DD59CA63652EED" },
				Policy: func(s *Session) Hooks {
					h := Hooks{Certificate: &p.Server}
					if tt.ext != nil {
						h.Extensions = func() Extensions { return tt.ext(s) }
					}
					return h
				},
			})
			c := dialRaw(t, srv)
			var got []string
			got = append(got, c.reply(), c.cmd("EHLO contoso.com"))
			if r := c.cmd("STARTTLS"); r != "220 2.0.0 SMTP server ready" {
				t.Fatalf("STARTTLS = %q, want %q", r, "220 2.0.0 SMTP server ready")
			}
			c.startTLS(p.clientTLS())
			got = append(got, c.cmd("EHLO contoso.com"), c.cmd("HELO contoso.com"))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("greeting (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGreetingWithoutCertificate: no certificate, no STARTTLS (§1 steps 2, 6, 8), and the
// verb is refused.
func TestGreetingWithoutCertificate(t *testing.T) {
	srv := newTestServer(t, Config{})
	c := dialRaw(t, srv)
	c.reply()
	got := []string{c.cmd("EHLO contoso.com"), c.cmd("STARTTLS")}
	want := []string{
		"250-mail.contoso.com Hello [203.0.113.10]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
			"250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST",
		"500 5.3.3 Unrecognized command",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EHLO, STARTTLS without a certificate (-want +got):\n%s", diff)
	}
}

func TestQueuedReply(t *testing.T) {
	got := ExchangeServer.QueuedReply("<c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com>", 5111011082268, "mail1.fabrikam.com").String()
	if got != queuedS4 {
		t.Errorf("QueuedReply() = %q, want %q", got, queuedS4)
	}
}

func TestReplyRendering(t *testing.T) {
	tests := []struct {
		name           string
		reply          Reply
		wantWire, want string
	}{
		{name: "Single", reply: exchangeReplies.SenderOK, wantWire: "250 2.1.0 Sender OK\r\n", want: "250 2.1.0 Sender OK"},
		{name: "NoEnhancedCode", reply: exchangeReplies.StartMail,
			wantWire: "354 Start mail input; end with <CRLF>.<CRLF>\r\n", want: "354 Start mail input; end with <CRLF>.<CRLF>"},
		{name: "MultiLine", reply: exchangeReplies.Help,
			wantWire: "214-This server supports the following commands:\r\n214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT\r\n",
			want:     "214 This server supports the following commands: HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"},
		{name: "MultiLineEnhanced", reply: Reply{Code: 550, Enhanced: "5.7.1", Text: "first\nsecond"},
			wantWire: "550-5.7.1 first\r\n550 5.7.1 second\r\n", want: "550 5.7.1 first 5.7.1 second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.reply.appendWire(nil)); got != tt.wantWire {
				t.Errorf("appendWire() = %q, want %q", got, tt.wantWire)
			}
			if got := tt.reply.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
