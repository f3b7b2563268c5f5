package smtpd_test

import (
	"fmt"
	"net/textproto"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

type stoppedClock struct{ t time.Time }

func (c stoppedClock) Now() time.Time { return c.t }

// ExampleServer starts an Exchange Server receive connector that queues every message, and
// speaks to it as telnet would (S4).
func ExampleServer() {
	clock := stoppedClock{time.Date(2016, 8, 5, 16, 24, 41, 0, time.FixedZone("PDT", -7*3600))}
	srv, err := smtpd.NewServer(smtpd.Config{
		Hostname: "mail1.fabrikam.com",
		Clock:    clock,
		Policy: func(s *smtpd.Session) smtpd.Hooks {
			return smtpd.Hooks{
				Message: func(m *smtpd.Message) smtpd.Reply {
					fmt.Printf("-- queued %d bytes from %s to %s\n", len(m.Data), m.From, m.To[0].Address)
					return smtpd.ExchangeServer.QueuedReply("<c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com>", 5111011082268, "mail1.fabrikam.com")
				},
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := textproto.Dial("tcp", srv.Addr())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	say := func(line string) {
		if line != "" {
			c.PrintfLine("%s", line)
		}
		for {
			l, err := c.ReadLine()
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println(l)
			if len(l) < 4 || l[3] != '-' {
				return
			}
		}
	}
	say("")
	say("EHLO contoso.com")
	say("MAIL FROM: <chris@contoso.com>")
	say("RCPT TO: <kate@fabrikam.com> NOTIFY=success,failure")
	say("DATA")
	say("Subject: test\r\n\r\nThis is a test message.\r\n.")
	say("QUIT")
	// Output:
	// 220 mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug 2016 16:24:41 -0700
	// 250-mail1.fabrikam.com Hello [127.0.0.1]
	// 250-SIZE 37748736
	// 250-PIPELINING
	// 250-DSN
	// 250-ENHANCEDSTATUSCODES
	// 250-8BITMIME
	// 250-BINARYMIME
	// 250-CHUNKING
	// 250-SMTPUTF8
	// 250 XRDST
	// 250 2.1.0 Sender OK
	// 250 2.1.5 Recipient OK
	// 354 Start mail input; end with <CRLF>.<CRLF>
	// -- queued 42 bytes from chris@contoso.com to kate@fabrikam.com
	// 250 2.6.0 <c89b4fcc-3ad1-4758-a1ab-1e820065d622@mail1.fabrikam.com> [InternalId=5111011082268, Hostname=mail1.fabrikam.com] Queued mail for delivery
	// 221 2.0.0 Service closing transmission channel
}
