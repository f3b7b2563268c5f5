package smtpd

import (
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// step is one command and the whole reply it must get.
type step struct{ send, want string }

const (
	senderOK    = "250 2.1.0 Sender OK"
	recipientOK = "250 2.1.5 Recipient OK"
	startMail   = "354 Start mail input; end with <CRLF>.<CRLF>"
	closing     = "221 2.0.0 Service closing transmission channel"
	ehloPlain   = "250-mail.contoso.com Hello [203.0.113.10]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
		"250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"
)

// TestCommands runs command sequences, in order and out of it, and compares each whole reply.
func TestCommands(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{name: "UnknownVerb", steps: []step{{"XYZZY", "500 5.3.3 Unrecognized command"}, {"", "500 5.3.3 Unrecognized command"}}},
		{name: "KnownButRefusedVerbs", steps: []step{
			{"EXPN staff", "502 5.3.3 Command not implemented"}, {"ETRN contoso.com", "502 5.3.3 Command not implemented"},
			{"X-ANONYMOUSTLS", "500 5.3.3 Unrecognized command"}, {"AUTH LOGIN", "504 5.7.4 Unrecognized authentication type"},
		}},
		{name: "Housekeeping", steps: []step{
			{"noop", "250 2.0.0 OK"}, {"RSET", "250 2.0.0 Resetting"}, {"VRFY kate", "252 2.1.5 Cannot VRFY user"},
			{"VRFY", "501 5.5.4 Invalid arguments"},
			{"HELP", "214-This server supports the following commands:\n214 HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"},
		}},
		{name: "MailBeforeHello", steps: []step{{"MAIL FROM:<chris@contoso.com>", "503 5.5.2 Send hello first"}}},
		{name: "RcptBeforeMail", steps: []step{{"EHLO contoso.com", ehloPlain}, {"RCPT TO:<kate@fabrikam.com>", "503 5.5.2 Need mail command"}}},
		{name: "DataBeforeMail", steps: []step{{"HELO contoso.com", "250 mail.contoso.com Hello [203.0.113.10]"}, {"DATA", "503 5.5.2 Need mail command"}}},
		{name: "DataWithoutRcpt", steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com>", senderOK}, {"DATA", "503 5.5.2 Need rcpt command"},
			{"BDAT 0 LAST", "503 5.5.2 Need rcpt command"},
		}},
		{name: "SecondMail", steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com>", senderOK},
			{"MAIL FROM:<chris@contoso.com>", "503 5.5.2 Sender already specified"},
			{"RSET", "250 2.0.0 Resetting"}, {"MAIL FROM:<>", senderOK},
		}},
		{name: "EhloResetsTransaction", steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com>", senderOK},
			{"EHLO contoso.com", ehloPlain}, {"RCPT TO:<kate@fabrikam.com>", "503 5.5.2 Need mail command"},
		}},
		{name: "InvalidDomain", steps: []step{
			{"EHLO", "501 5.5.4 Invalid domain name"}, {"EHLO bad domain", "501 5.5.4 Invalid domain name"},
			{"HELO bad!name", "501 5.5.4 Invalid domain name"}, {"EHLO [95.10.20.33]", ehloPlain},
		}},
		{name: "InvalidAddresses", steps: []step{
			{"EHLO ylmf-pc", ehloPlain},
			{"MAIL TO:<chris@contoso.com>", "501 5.5.4 Invalid arguments"},
			{"MAIL FROM:<chris>", "550 5.1.7 Invalid address"},
			{"MAIL FROM:<chris@contoso.com> BOGUS=1", "501 5.5.4 Invalid arguments"},
			{"MAIL FROM: <chris@contoso.com> BODY=8BITMIME", senderOK},
			{"RCPT TO:<user@host@target>", "501 5.1.3 Invalid address"},
			{"RCPT TO:<kate@fabrikam.com> NOTIFY=SOMETIMES", "501 5.5.4 Invalid arguments"},
			{"RCPT TO:<kate@fabrikam.com> NOTIFY=success,failure", recipientOK},
			{"RCPT TO:<postmaster>", recipientOK},
		}},
		{name: "SizeRefusedAtMail", steps: []step{
			{"EHLO contoso.com", ehloPlain},
			{"MAIL FROM:<chris@contoso.com> SIZE=37748737", "552 5.3.4 Message size exceeds fixed maximum message size"},
			{"MAIL FROM:<chris@contoso.com> SIZE=37748736", senderOK},
		}},
		{name: "TooManyRecipients", cfg: Config{MaxRecipients: 2}, steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com>", senderOK},
			{"RCPT TO:<a@fabrikam.com>", recipientOK}, {"RCPT TO:<b@fabrikam.com>", recipientOK},
			{"RCPT TO:<c@fabrikam.com>", "452 4.5.3 Too many recipients"},
		}},
		{name: "OverlongLine", cfg: Config{MaxLineLength: 100}, steps: []step{
			{"NOOP " + strings.Repeat("x", 95), "250 2.0.0 OK"},
			{"NOOP " + strings.Repeat("x", 96), "500 5.3.3 Line too long"},
			{"NOOP " + strings.Repeat("x", 10000), "500 5.3.3 Line too long"},
			{"NOOP", "250 2.0.0 OK"},
		}},
		{name: "BinaryMIMENeedsBDAT", steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com> BODY=BINARYMIME", senderOK},
			{"RCPT TO:<kate@fabrikam.com>", recipientOK}, {"DATA", "503 5.5.1 Bad sequence of commands"},
		}},
		{name: "NoMessageHook", steps: []step{
			{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<chris@contoso.com>", senderOK},
			{"RCPT TO:<kate@fabrikam.com>", recipientOK}, {"DATA", startMail},
			{"Subject: test\r\n\r\nThis is a test message.\r\n.", "451 4.3.2 System not accepting network messages"},
		}},
		{name: "Quit", steps: []step{{"QUIT", closing}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.cfg)
			c := dialRaw(t, srv)
			c.reply()
			var got, want []string
			for _, s := range tt.steps {
				got = append(got, c.cmd(s.send))
				want = append(want, s.want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMessage sends S4's session and checks what the Message hook got, whole.
func TestMessage(t *testing.T) {
	var box mailbox
	srv := newTestServer(t, Config{Policy: func(*Session) Hooks { return box.hooks(Hooks{}) }})
	c := dialRaw(t, srv)
	c.reply()
	got := []string{
		c.cmd("EHLO contoso.com"),
		c.cmd("MAIL FROM: <chris@contoso.com> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=QQ314159 SMTPUTF8"),
		c.cmd("RCPT TO: <kate@fabrikam.com> NOTIFY=success,failure"),
		c.cmd("RCPT TO:<sam@fabrikam.com> NOTIFY=NEVER ORCPT=rfc822;sam+40fabrikam.com"),
		c.cmd("DATA"),
		c.cmd("Subject: test\r\n\r\nThis is a test message.\r\n..leading dot\r\n..\r\n."),
		c.cmd("QUIT"),
	}
	want := []string{ehloPlain, senderOK, recipientOK, recipientOK, startMail, queuedS4, closing}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	c.rest()
	srv.WaitIdle()
	wantMsg := []*Message{{
		HeloName: "contoso.com", From: "chris@contoso.com", Size: 100, Body: "8BITMIME", SMTPUTF8: true,
		Ret: "HDRS", EnvID: "QQ314159",
		To: []Recipient{
			{Address: "kate@fabrikam.com", Notify: []string{"SUCCESS", "FAILURE"}},
			{Address: "sam@fabrikam.com", Notify: []string{"NEVER"}, ORcpt: "rfc822;sam+40fabrikam.com"},
		},
		Data:    []byte("Subject: test\r\n\r\nThis is a test message.\r\n.leading dot\r\n.\r\n"),
		Elapsed: 6 * time.Millisecond, // BodyLatency: 5 ms and one started KiB
	}}
	if diff := cmp.Diff(wantMsg, box.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// TestPipelining sends whole groups without waiting (RFC 2920): replies come back in order,
// each group's replies in one write once the input runs dry, a reply never split.
func TestPipelining(t *testing.T) {
	var box mailbox
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &writeRecorder{Listener: ln}
	srv := newTestServer(t, Config{
		Listener: &simListener{Listener: rec, local: onpremEndpoint, remote: senderEndpoint},
		Policy:   func(*Session) Hooks { return box.hooks(Hooks{}) },
	})
	c := dialRaw(t, srv)
	c.reply()
	c.send("EHLO contoso.com\r\nMAIL FROM:<chris@contoso.com>\r\nRCPT TO:<kate@fabrikam.com>\r\nRCPT TO:<nobody>\r\nDATA\r\n")
	got := []string{c.reply(), c.reply(), c.reply(), c.reply(), c.reply()}
	c.send("Subject: pipelined\r\n\r\nbody\r\n.\r\nBDAT 3\r\nabcBDAT 0 LAST\r\nQUIT\r\n")
	got = append(got, c.reply(), c.reply(), c.reply(), c.reply())
	want := []string{ehloPlain, senderOK, recipientOK, "501 5.1.3 Invalid address", startMail,
		queuedS4, "503 5.5.2 Need mail command", "503 5.5.2 Need mail command", closing}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	c.rest()
	srv.WaitIdle()
	wantWrites := []string{
		"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700\r\n",
		strings.ReplaceAll(ehloPlain, "\n", "\r\n") + "\r\n" + senderOK + "\r\n" + recipientOK + "\r\n" +
			"501 5.1.3 Invalid address\r\n" + startMail + "\r\n",
		queuedS4 + "\r\n503 5.5.2 Need mail command\r\n503 5.5.2 Need mail command\r\n" + closing + "\r\n",
	}
	if diff := cmp.Diff(wantWrites, rec.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

// writeRecorder records every Write of the connections it accepts.
type writeRecorder struct {
	net.Listener
	mu  sync.Mutex
	log []string
}

func (l *writeRecorder) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{Conn: c, l: l}, nil
}

func (l *writeRecorder) writes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.log...)
}

type recordingConn struct {
	net.Conn
	l *writeRecorder
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	c.l.log = append(c.l.log, string(p))
	c.l.mu.Unlock()
	return c.Conn.Write(p)
}

// TestBDAT sends a message in chunks, one of them pipelined with its successor.
func TestBDAT(t *testing.T) {
	var box mailbox
	srv := newTestServer(t, Config{MaxMessageBytes: 20, Policy: func(*Session) Hooks { return box.hooks(Hooks{}) }})
	c := dialRaw(t, srv)
	c.reply()
	// cmd ends each chunk with the CRLF it appends: "BDAT 7" + "hello" + CRLF.
	got := []string{
		c.cmd("EHLO contoso.com"),
		c.cmd("MAIL FROM:<chris@contoso.com> BODY=BINARYMIME"),
		c.cmd("RCPT TO:<kate@fabrikam.com>"),
		c.cmd("BDAT 7\r\nhello"),
	}
	c.send("BDAT 7\r\nworld\r\nBDAT 0 LAST\r\n")
	got = append(got, c.reply(), c.reply(),
		c.cmd("MAIL FROM:<chris@contoso.com>"), c.cmd("RCPT TO:<kate@fabrikam.com>"),
		c.cmd("BDAT 21 LAST\r\n"+strings.Repeat("x", 19)), c.cmd("BDAT 2 LAST\r\n"), c.cmd("BDAT x"))
	want := []string{strings.Replace(ehloPlain, "SIZE 37748736", "SIZE 20", 1), senderOK, recipientOK,
		"250 2.0.0 Chunk received", "250 2.0.0 Chunk received", queuedS4,
		senderOK, recipientOK, "552 5.3.4 Message size exceeds fixed maximum message size",
		"503 5.5.2 Need mail command", "501 5.5.4 Invalid arguments"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if rest := c.rest(); rest != "" {
		t.Errorf("after an unparsable BDAT the server sent %q, want the connection closed", rest)
	}
	srv.WaitIdle()
	msgs := box.messages()
	if len(msgs) != 1 || string(msgs[0].Data) != "hello\r\nworld\r\n" || msgs[0].Body != "BINARYMIME" {
		t.Errorf("messages = %+v, want one BINARYMIME message %q", msgs, "hello\r\nworld\r\n")
	}
}

// TestDataTooBig reads an oversized body to its end and refuses it; the session goes on.
func TestDataTooBig(t *testing.T) {
	var box mailbox
	srv := newTestServer(t, Config{MaxMessageBytes: 10, Policy: func(*Session) Hooks { return box.hooks(Hooks{}) }})
	c := dialRaw(t, srv)
	c.reply()
	got := []string{
		c.cmd("EHLO contoso.com"), c.cmd("MAIL FROM:<chris@contoso.com>"), c.cmd("RCPT TO:<kate@fabrikam.com>"),
		c.cmd("DATA"), c.cmd(strings.Repeat("0123456789\r\n", 1000) + "."), c.cmd("NOOP"),
	}
	want := []string{strings.Replace(ehloPlain, "SIZE 37748736", "SIZE 10", 1), senderOK, recipientOK, startMail,
		"552 5.3.4 Message size exceeds fixed maximum message size", "250 2.0.0 OK"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if n := len(box.messages()); n != 0 {
		t.Errorf("Message hook called %d times, want 0", n)
	}
}

// TestSmuggling: only <CRLF>.<CRLF> ends a body; <LF>.<CRLF> and <CRLF>.<LF> are content.
func TestSmuggling(t *testing.T) {
	var box mailbox
	srv := newTestServer(t, Config{Policy: func(*Session) Hooks { return box.hooks(Hooks{}) }})
	c := dialRaw(t, srv)
	c.reply()
	c.cmd("EHLO contoso.com")
	c.cmd("MAIL FROM:<chris@contoso.com>")
	c.cmd("RCPT TO:<kate@fabrikam.com>")
	c.cmd("DATA")
	if got := c.cmd("a\n.\r\nMAIL FROM:<evil@fabrikam.com>\r\n.\nRCPT TO:<x@y>\r\n."); got != queuedS4 {
		t.Fatalf("end of body = %q, want %q", got, queuedS4)
	}
	c.cmd("QUIT")
	c.rest()
	srv.WaitIdle()
	// The dot after a bare LF stays; the dot after CRLF is unstuffed though its line ends in LF.
	body := "a\n.\r\nMAIL FROM:<evil@fabrikam.com>\r\n\nRCPT TO:<x@y>\r\n"
	if msgs := box.messages(); len(msgs) != 1 || string(msgs[0].Data) != body {
		t.Errorf("messages = %+v, want one with body %q", msgs, body)
	}
}

// TestHooks: a refusal at each stage with its own reply, a custom acceptance, Close.
func TestHooks(t *testing.T) {
	relay := Reply{Code: 550, Enhanced: "5.7.1", Text: "Unable to relay"}
	tests := []struct {
		name  string
		hooks Hooks
		steps []step
	}{
		{name: "RefuseOnConnect", hooks: Hooks{Refuse: &Reply{Code: 554, Enhanced: "5.7.1", Text: "Access denied"}},
			steps: []step{{"", "554 5.7.1 Access denied"}}},
		{name: "MustStartTLS", hooks: Hooks{Mail: func(*Message) *Reply { r := exchangeReplies.MustStartTLS; return &r }},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", "451 5.7.3 Must issue a STARTTLS command first"},
				{"RCPT TO:<kate@fabrikam.com>", "503 5.5.2 Need mail command"}}},
		{name: "RefuseRcpt", hooks: Hooks{Rcpt: func(m *Message, to Recipient) *Reply {
			if to.Address == "nobody@fabrikam.com" {
				r := exchangeReplies.UserUnknown
				return &r
			}
			return nil
		}},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", senderOK},
				{"RCPT TO:<nobody@fabrikam.com>", "550 5.1.1 User unknown"}, {"DATA", "503 5.5.2 Need rcpt command"},
				{"RCPT TO:<kate@fabrikam.com>", recipientOK}}},
		{name: "RefuseDataBefore354", hooks: Hooks{Data: func(*Message) *Reply { return &relay }},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", senderOK},
				{"RCPT TO:<kate@fabrikam.com>", recipientOK}, {"DATA", "550 5.7.1 Unable to relay"},
				{"RCPT TO:<kate@fabrikam.com>", "503 5.5.2 Need mail command"}}},
		{name: "RefuseFirstChunk", hooks: Hooks{Data: func(*Message) *Reply { return &relay }},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", senderOK},
				{"RCPT TO:<kate@fabrikam.com>", recipientOK}, {"BDAT 7\r\nhello", "550 5.7.1 Unable to relay"},
				{"NOOP", "250 2.0.0 OK"}}},
		{name: "AcceptWithOtherWords", hooks: Hooks{Mail: func(m *Message) *Reply {
			return &Reply{Code: 250, Enhanced: "2.1.0", Text: m.From + "....Sender OK"}
		}},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", "250 2.1.0 a@contoso.com....Sender OK"},
				{"RCPT TO:<kate@fabrikam.com>", recipientOK}}},
		{name: "RefuseAndClose", hooks: Hooks{Rcpt: func(*Message, Recipient) *Reply {
			return &Reply{Code: 421, Enhanced: "4.4.2", Text: "Connection dropped", Close: true}
		}},
			steps: []step{{"EHLO contoso.com", ehloPlain}, {"MAIL FROM:<a@contoso.com>", senderOK},
				{"RCPT TO:<kate@fabrikam.com>", "421 4.4.2 Connection dropped"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, Config{Policy: func(*Session) Hooks { return tt.hooks }})
			c := dialRaw(t, srv)
			var got, want []string
			for i, s := range tt.steps {
				if i == 0 && s.send == "" {
					got = append(got, c.reply())
				} else {
					if i == 0 {
						c.reply()
					}
					got = append(got, c.cmd(s.send))
				}
				want = append(want, s.want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBadInput: each misbehaving client gets the dialect's reply or a clean close, no
// partial message reaches the Message hook, and (newTestServer's cleanup) no goroutine
// outlives the server.
func TestBadInput(t *testing.T) {
	p := labPKI(t)
	tests := []struct {
		name    string
		timeout time.Duration
		client  func(c *rawClient) string // returns what the client saw after the banner
		want    string
		wantLog string // the session's last record
		wantTLS string // the error the Handshake hook saw
		wantMsg int    // messages the Message hook took
	}{{
		name: "NeverSpeaks", timeout: 50 * time.Millisecond,
		client: func(c *rawClient) string { return c.rest() },
		want:   "451 4.7.0 Timeout waiting for client input\r\n", wantLog: "-,,Local",
	}, {
		name: "DropMidData",
		client: func(c *rawClient) string {
			c.cmd("EHLO contoso.com")
			c.cmd("MAIL FROM:<chris@contoso.com>")
			c.cmd("RCPT TO:<kate@fabrikam.com>")
			c.cmd("DATA")
			c.send("Subject: half a message\r\n\r\nThe rest never co")
			c.conn.(*net.TCPConn).CloseWrite()
			return c.rest()
		},
		wantLog: "-,,Remote",
	}, {
		name: "DropMidChunk",
		client: func(c *rawClient) string {
			c.cmd("EHLO contoso.com")
			c.cmd("MAIL FROM:<chris@contoso.com>")
			c.cmd("RCPT TO:<kate@fabrikam.com>")
			c.send("BDAT 100 LAST\r\nonly part")
			c.conn.(*net.TCPConn).CloseWrite()
			return c.rest()
		},
		wantLog: "-,,Remote",
	}, {
		name: "GarbageInsteadOfClientHello",
		client: func(c *rawClient) string {
			c.cmd("STARTTLS")
			c.send("EHLO contoso.com\r\n")
			return c.rest()
		},
		wantLog: "-,,Local", wantTLS: "tls: first record does not look like a TLS handshake",
	}, {
		name: "DropMidHandshake",
		client: func(c *rawClient) string {
			c.cmd("STARTTLS")
			c.send("\x16\x03\x01\x00\x80\x01\x00\x00\x7c\x03\x03") // a ClientHello's first bytes
			c.conn.(*net.TCPConn).CloseWrite()
			return c.rest()
		},
		wantLog: "-,,Remote", wantTLS: "unexpected EOF",
	}, {
		name: "SendsWithoutWaiting",
		client: func(c *rawClient) string {
			c.send("EHLO contoso.com\r\nMAIL FROM:<chris@contoso.com>\r\nRCPT TO:<kate@fabrikam.com>\r\nDATA\r\n" +
				"Subject: eager\r\n\r\nbody\r\n.\r\nQUIT\r\nNOOP\r\n")
			return c.rest()
		},
		want: strings.ReplaceAll(strings.Join([]string{strings.Replace(ehloPlain, "CODES\n", "CODES\n250-STARTTLS\n", 1), senderOK, recipientOK, startMail,
			"451 4.3.2 System not accepting network messages", closing}, "\n"), "\n", "\r\n") + "\r\n",
		wantLog: "-,,Local", wantMsg: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink recordingSink
			var hsErr string
			var delivered int
			srv := newTestServer(t, Config{ReadTimeout: tt.timeout, Sink: &sink, Policy: func(*Session) Hooks {
				return Hooks{
					Certificate: &p.Server,
					Handshake: func(_ *tls.ConnectionState, err error) *Reply {
						if err != nil {
							hsErr = err.Error()
						}
						return nil
					},
					Data:    func(*Message) *Reply { return nil },
					Message: func(*Message) Reply { delivered++; return exchangeReplies.NotAccepted },
				}
			}})
			c := dialRaw(t, srv)
			c.reply()
			got := tt.client(c)
			srv.WaitIdle()
			if got != tt.want {
				t.Errorf("client saw %q, want %q", got, tt.want)
			}
			last := sink.records[len(sink.records)-1]
			if got := string(last.Event) + "," + last.Data + "," + last.Context; got != tt.wantLog {
				t.Errorf("last log record %q, want %q", got, tt.wantLog)
			}
			if hsErr != tt.wantTLS {
				t.Errorf("Handshake hook error = %q, want %q", hsErr, tt.wantTLS)
			}
			if delivered != tt.wantMsg {
				t.Errorf("Message hook called %d times, want %d", delivered, tt.wantMsg)
			}
		})
	}
}
