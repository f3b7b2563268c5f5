package smtpd

import (
	"bytes"
	"errors"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseCommand: the command-line parser never panics, upper-cases verbs, and what MAIL and
// RCPT accept survives being written out and parsed again.
func FuzzParseCommand(f *testing.F) {
	for _, seed := range []string{
		"EHLO contoso.com", "helo [192.0.2.1]", "EHLO [IPv6:2001:db8::1]",
		"MAIL FROM:<chris@contoso.com> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=QQ314159 SMTPUTF8 AUTH=<>",
		"mail from: <>", `MAIL FROM:<"odd>name"@contoso.com>`, "MAIL FROM:<@a.example,@b.example:user@host>",
		"RCPT TO:<kate@fabrikam.com> NOTIFY=success,failure ORCPT=rfc822;kate+40fabrikam.com",
		"RCPT TO:<postmaster>", "RCPT TO:<user@host@target>", "BDAT 100 LAST", "BDAT 0", "DATA", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmd := parseCommand(line)
		if cmd.verb != asciiUpper(cmd.verb) || strings.Contains(cmd.verb, " ") {
			t.Fatalf("parseCommand(%q).verb = %q", line, cmd.verb)
		}
		switch cmd.verb {
		case "EHLO", "HELO":
			validDomain(cmd.arg, false)
		case "MAIL":
			m, perr := parseMail(cmd.arg)
			if perr != parsedOK {
				return
			}
			again, perr := parseMail(mailArg(m))
			if perr != parsedOK || !cmp.Equal(m, again) {
				t.Fatalf("parseMail(%q) = %+v; written out as %q it parses as %+v, %v", cmd.arg, m, mailArg(m), again, perr)
			}
		case "RCPT":
			r, perr := parseRcpt(cmd.arg)
			if perr != parsedOK {
				return
			}
			again, perr := parseRcpt(rcptArg(r))
			if perr != parsedOK || !cmp.Equal(r, again) {
				t.Fatalf("parseRcpt(%q) = %+v; written out as %q it parses as %+v, %v", cmd.arg, r, rcptArg(r), again, perr)
			}
		case "BDAT":
			if size, _, ok := parseBdat(cmd.arg); ok && size < 0 {
				t.Fatalf("parseBdat(%q) size = %d", cmd.arg, size)
			}
		}
	})
}

// mailArg writes a parsed MAIL back out.
func mailArg(m *Message) string {
	s := "FROM:<" + m.From + ">"
	if m.Size != 0 {
		s += " SIZE=" + strconv.FormatInt(m.Size, 10)
	}
	if m.Body != "" {
		s += " BODY=" + m.Body
	}
	if m.SMTPUTF8 {
		s += " SMTPUTF8"
	}
	if m.Ret != "" {
		s += " RET=" + m.Ret
	}
	if m.EnvID != "" {
		s += " ENVID=" + m.EnvID
	}
	return s
}

// rcptArg writes a parsed RCPT back out.
func rcptArg(r Recipient) string {
	s := "TO:<" + r.Address + ">"
	if r.Notify != nil {
		s += " NOTIFY=" + strings.Join(r.Notify, ",")
	}
	if r.ORcpt != "" {
		s += " ORCPT=" + r.ORcpt
	}
	return s
}

// replyLine is a well-formed reply line.
var replyLine = regexp.MustCompile(`^[2-5][0-9][0-9][ -][^\r\n]*\r\n$`)

// FuzzSession throws whole command streams at a live server: every reply is well formed, the
// first is the banner, the connection ends, and the Message hook gets no more messages than
// the stream could have finished.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"EHLO contoso.com\r\nMAIL FROM:<chris@contoso.com>\r\nRCPT TO:<kate@fabrikam.com>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n",
		"EHLO contoso.com\r\nMAIL FROM:<a@b> BODY=BINARYMIME\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhelloBDAT 3 LAST\r\nbye",
		"STARTTLS\r\n\x16\x03\x01\x00\x05hello",
		"EHLO x\r\nMAIL FROM:<a@b> SIZE=99999999\r\nRSET\r\nVRFY a\r\nHELP\r\nNOOP\r\nAUTH LOGIN\r\nQUIT\r\n",
		"DATA\r\n.\r\nBDAT x\r\n", strings.Repeat("A", 3000) + "\r\nNOOP\r\n", "\r\n\n\r\r\n",
	} {
		f.Add([]byte(seed))
	}
	p := labPKI(f)
	var delivered atomic.Int64
	// A Unix socket, not TCP: at ten thousand connections a second the server side's TIME_WAIT
	// sockets exhaust loopback's ephemeral ports within seconds and stall every Dial.
	ln, err := net.Listen("unix", filepath.Join(f.TempDir(), "smtpd.sock"))
	if err != nil {
		f.Fatal(err)
	}
	srv, err := NewServer(Config{
		Listener: ln, Hostname: "mail.contoso.com", Clock: fixedClock{s4Time}, MaxMessageBytes: 4096, MaxLineLength: 512,
		ReadTimeout: 5 * time.Second,
		Policy: func(*Session) Hooks {
			return Hooks{Certificate: &p.Server, Message: func(*Message) Reply {
				delivered.Add(1)
				return ExchangeServer.QueuedReply("<id@contoso.com>", 1, "mail.contoso.com")
			}}
		},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() {
		if err := srv.Close(); err != nil {
			f.Errorf("Close() = %v", err)
		}
		checkNoServerGoroutines(f)
	})
	const banner = "220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700"
	f.Fuzz(func(t *testing.T, input []byte) {
		before := delivered.Load()
		conn, err := net.Dial("unix", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(deadline(20 * time.Second))
		go func() {
			conn.Write(input)
			conn.(*net.UnixConn).CloseWrite()
		}()
		out, err := io.ReadAll(conn)
		reset := errors.Is(err, syscall.ECONNRESET) // the server closed with input unread
		if err != nil && !reset {
			t.Fatalf("reading replies: %v", err)
		}
		srv.WaitIdle()
		for i, line := range strings.SplitAfter(string(out), "\n") {
			switch {
			case line == "" || reset && !strings.HasSuffix(line, "\n"):
			case i == 0 && line != banner+"\r\n":
				t.Fatalf("first line %q, want the banner", line)
			case !replyLine.MatchString(line):
				t.Fatalf("malformed reply line %q in %q", line, out)
			}
		}
		upper := bytes.ToUpper(input)
		n := int64(bytes.Count(upper, []byte("DATA")) + bytes.Count(upper, []byte("BDAT")))
		if got := delivered.Load() - before; got > n {
			t.Fatalf("%d messages delivered from a stream with %d DATA/BDAT", got, n)
		}
	})
}
