package smtpd

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// The benchmarks compare this engine with a bare go-smtp v0.24 server doing the same work:
// same certificate (ECDSA P-256), same TLS configuration (pinnedTLS), same SIZE, a handler
// that takes the message and answers 250, both driven by go-smtp's client. Each iteration is
// a round per server, alternating which goes first: eight clients at once (spec/go-libs.md
// §6's load) each send one message, and the round is timed. The metrics are each side's
// messages per second and the ratio (this engine / go-smtp).
//
//	go test -run '^$' -bench . -count 6 ./internal/smtpd
//
// (spec/go-libs.md §6 has go-smtp's baseline on this kind of machine.)

// clients is the number of concurrent clients of a round.
const clients = 8

// benchMessage is about 1.1 KB, as in spec/go-libs.md §6.
var benchMessage = "From: chris@contoso.com\r\nTo: kate@fabrikam.com\r\nSubject: benchmark\r\n\r\n" +
	strings.Repeat("The quick brown fox jumps over the lazy dog, again and again.\r\n", 16)

func BenchmarkPlaintextPerConnection(b *testing.B) { compare(b, perConnection(nil)) }

func BenchmarkStartTLSPerConnection(b *testing.B) {
	compare(b, perConnection(labPKI(b).clientTLS()))
}

func BenchmarkManyPerConnection(b *testing.B) { compare(b, onOneConnection) }

// sender prepares one client of a server and returns its way to send one message.
type sender func(b testing.TB, addr string) func() error

func compare(b *testing.B, newSender sender) {
	ours, theirs := benchServers(b)
	var oursSend, theirsSend []func() error
	for range clients {
		oursSend = append(oursSend, newSender(b, ours))
		theirsSend = append(theirsSend, newSender(b, theirs))
	}
	round := func(sends []func() error) time.Duration {
		start := wallClock{}.Now()
		errs := make(chan error, len(sends))
		var wg sync.WaitGroup
		for _, send := range sends {
			wg.Go(func() { errs <- send() })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		return wallClock{}.Now().Sub(start)
	}
	var oursTime, theirsTime time.Duration
	rounds := 0
	for ; b.Loop(); rounds++ {
		if rounds%2 == 0 {
			oursTime += round(oursSend)
			theirsTime += round(theirsSend)
		} else {
			theirsTime += round(theirsSend)
			oursTime += round(oursSend)
		}
	}
	n := float64(rounds * clients)
	b.ReportMetric(n/oursTime.Seconds(), "smtpd-msg/s")
	b.ReportMetric(n/theirsTime.Seconds(), "gosmtp-msg/s")
	b.ReportMetric(theirsTime.Seconds()/oursTime.Seconds(), "ratio")
}

// benchServers starts this engine and a bare go-smtp server with the same certificate and
// TLS configuration, each taking every message.
func benchServers(b testing.TB) (ours, theirs string) {
	p := labPKI(b)
	queued := ExchangeServer.QueuedReply("<id@mail.contoso.com>", 1, "mail.contoso.com")
	srv, err := NewServer(Config{Hostname: "mail.contoso.com", Policy: func(*Session) Hooks {
		return Hooks{Certificate: &p.Server, Message: func(*Message) Reply { return queued }}
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })

	be := smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return discard{}, nil })
	gs := smtp.NewServer(be)
	gs.Domain = "mail.contoso.com"
	gs.MaxMessageBytes = ExchangeServer.MaxMessageBytes
	gs.TLSConfig = pinnedTLS()
	gs.TLSConfig.Certificates = []tls.Certificate{p.Server}
	gs.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { gs.Serve(ln); close(done) }()
	b.Cleanup(func() { gs.Close(); <-done })
	return srv.Addr(), ln.Addr().String()
}

// discard is go-smtp's session that takes every message.
type discard struct{}

func (discard) Reset()                               {}
func (discard) Logout() error                        { return nil }
func (discard) Mail(string, *smtp.MailOptions) error { return nil }
func (discard) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discard) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }

// perConnection sends each message on a new connection: EHLO, MAIL, RCPT, DATA, QUIT, with
// STARTTLS first when cfg is set (a full handshake each time: no session cache).
func perConnection(cfg *tls.Config) sender {
	return func(_ testing.TB, addr string) func() error {
		return func() error {
			var c *smtp.Client
			var err error
			if cfg == nil {
				c, err = smtp.Dial(addr)
			} else {
				c, err = smtp.DialStartTLS(addr, cfg)
			}
			if err != nil {
				return err
			}
			defer c.Close()
			if err := transaction(c); err != nil {
				return err
			}
			return c.Quit()
		}
	}
}

// onOneConnection sends every message of a client on one plaintext connection opened
// beforehand.
func onOneConnection(b testing.TB, addr string) func() error {
	c, err := smtp.Dial(addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	if err := c.Hello("relay.fabrikam.com"); err != nil {
		b.Fatal(err)
	}
	return func() error { return transaction(c) }
}

func transaction(c *smtp.Client) error {
	if err := c.Mail("chris@contoso.com", nil); err != nil {
		return err
	}
	if err := c.Rcpt("kate@fabrikam.com", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, benchMessage); err != nil {
		return err
	}
	return w.Close()
}
