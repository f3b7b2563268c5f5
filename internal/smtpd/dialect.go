package smtpd

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dialect is what makes a server sound like one Exchange product on the wire: its banner, its
// EHLO keywords in their order, its limits and every reply text. It is plain data: copy one of
// the two values and change a field to model another build.
type Dialect struct {
	Name string // "Exchange Server" or "Exchange Online", for messages

	// BannerSessionID appends " [<session id>]" to the banner, as EXO's 2025 banners do (§11).
	BannerSessionID bool
	// BannerUTC writes the banner date in UTC (EXO's +0000, §11) rather than in the zone of the
	// Clock's time (an on-premises server's local offset, S4's -0700).
	BannerUTC bool

	// Keywords lists the EHLO keywords in the order the dialect sends them (§11). SIZE gets the
	// maximum message size appended. STARTTLS appears iff the session has a certificate and is
	// not yet TLS; X-ANONYMOUSTLS iff Extensions.AnonymousTLS or Hooks.AnonymousTLSCertificate
	// and not yet TLS; AUTH and X-EXPS iff Extensions name mechanisms. Any other keyword is
	// always sent.
	Keywords []string

	MaxMessageBytes int64 // default maximum message size (Config.MaxMessageBytes)
	MaxRecipients   int   // default maximum recipients per message (Config.MaxRecipients)

	Replies Replies
}

// ExchangeServer is Exchange Server 2016/2019/SE's Default Frontend receive connector: the S4
// session with the newer builds' SMTPUTF8 before XRDST (S14 receive-log sample, §1/§11).
var ExchangeServer = Dialect{
	Name: "Exchange Server",
	Keywords: []string{"SIZE", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS",
		"X-ANONYMOUSTLS", "AUTH", "X-EXPS", "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8", "XRDST"},
	MaxMessageBytes: 37748736, // §11 `250-SIZE 37748736`; S16 MaxMessageSize default 36 MB
	MaxRecipients:   200,      // S16 Set-ReceiveConnector MaxRecipientsPerMessage default
	Replies:         exchangeReplies,
}

// ExchangeOnline is EXO's front door (mail.protection.outlook.com) as captured in §11.
var ExchangeOnline = Dialect{
	Name:            "Exchange Online",
	BannerSessionID: true,
	BannerUTC:       true,
	// §11 OBS; AUTH takes STARTTLS's place once TLS is up (INFER from the client endpoint's
	// `250-AUTH LOGIN XOAUTH2` after STARTTLS).
	Keywords: []string{"SIZE", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS", "AUTH",
		"8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"},
	MaxMessageBytes: 157286400, // §11 `250-SIZE 157286400`
	MaxRecipients:   1000,      // INFER: EXO's published per-message recipient limit; not in the spec
	Replies:         exchangeReplies,
}

// bannerDate is the banner's date layout: S4 `Fri, 5 Aug 2016 16:24:41 -0700`.
const bannerDate = "Mon, 2 Jan 2006 15:04:05 -0700"

// QueuedReply renders the reply to an accepted message, `250 2.6.0 <id> [InternalId=<n>,
// Hostname=<fqdn>] Queued mail for delivery` (S4). messageID is the Message-ID as written in
// the header, angle brackets included.
func (d *Dialect) QueuedReply(messageID string, internalID int64, hostname string) Reply {
	r := d.Replies.Queued
	r.Text = fmt.Sprintf(r.Text, messageID, internalID, hostname)
	return r
}

// QueuedReplyStats renders the reply to an accepted message as current builds write it
// (real-artifacts §3.1, §3.2): QueuedReply's text with `<bytes> bytes in <s>, <rate> KB/sec`
// before "Queued mail for delivery". Both numbers have three decimals; the seconds are
// written with a point whatever the locale, the rate with decimal, the server locale's
// decimal separator ("." for en-US, "," for de-DE or ru-RU): a German server writes `0.102,
// 109,173 KB/sec` (Relay-2024), a Russian one `2.970, 0,514 KB/sec` (QA-1193037), EXO
// `0.064, 171.566 KB/sec`. The rate is KiB per second over the uncut time.
func (d *Dialect) QueuedReplyStats(messageID string, internalID int64, hostname string, bytes int, elapsed time.Duration, decimal string) Reply {
	rate := 0.0
	if elapsed > 0 {
		rate = float64(bytes) / 1024 / elapsed.Seconds()
	}
	// The seconds are cut, not rounded: 11511 bytes at 109,173 KB/sec took 0.10297 s, which
	// Relay-2024's log writes 0.102.
	secs := strconv.FormatFloat(elapsed.Truncate(time.Millisecond).Seconds(), 'f', 3, 64)
	r := d.Replies.QueuedStats
	r.Text = fmt.Sprintf(r.Text, messageID, internalID, hostname, bytes, secs,
		strings.Replace(strconv.FormatFloat(rate, 'f', 3, 64), ".", decimal, 1))
	return r
}

// banner renders the 220 greeting.
func (d *Dialect) banner(hostname string, now time.Time, sessionID string) Reply {
	if d.BannerUTC {
		now = now.UTC()
	}
	r := d.Replies.Banner
	r.Text = fmt.Sprintf(r.Text, hostname, now.Format(bannerDate))
	if d.BannerSessionID {
		r.Text += " [" + sessionID + "]"
	}
	return r
}

// hello renders the HELO reply, whose text is also EHLO's first line: `<fqdn> Hello [<ip>]`,
// the IP taken from the connection's remote address as given (the lab's simulated one).
func (d *Dialect) hello(hostname string, remote net.Addr) Reply {
	ip := remote.String()
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	r := d.Replies.Hello
	r.Text = fmt.Sprintf(r.Text, hostname, ip)
	return r
}

// clone returns a copy that shares nothing mutable with d.
func (d *Dialect) clone() *Dialect {
	c := *d
	c.Keywords = slices.Clone(d.Keywords)
	return &c
}
