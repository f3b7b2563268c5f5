package sim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/textproto"
	"strings"
)

// Sender is a mail client that is not Exchange: an application server, a
// scanner, an internet sender. It sends straight to the recipient domain's
// MX (Exchange Online's front door for the tenant's domains) from its own
// address, with STARTTLS when offered, presenting its client certificate
// when it has one and the server asks. Exchange Online sees it as what it
// is: attributed by its certificate or address if a connector names them,
// else by its envelope (Direct Send).
type Sender struct {
	Name        string       // its host name, e.g. app01.contoso.com (its EHLO name)
	IPAddresses []netip.Addr // its address; the first is used
	MailFrom    string       // the envelope sender it writes
	// Certificate is a lab certificate's Name the sender presents when the
	// server asks for a client certificate; "" for none.
	Certificate string
	// RequireTLS gives up when the server offers no STARTTLS.
	RequireTLS bool
}

// SenderResult is what one message from a Sender met: the Message-ID it
// sent under, and the server's refusal, if any ("" when accepted).
type SenderResult struct {
	MessageID string
	Host      string // the MX host it reached
	Refusal   string
}

// startSenders gives each sender's name its address on the lab network,
// and checks what it names.
func (l *Lab) startSenders() error {
	for i, s := range l.cfg.Senders {
		at := fmt.Sprintf("Senders[%d]", i)
		switch {
		case s.Name == "":
			return l.cfg.fieldError(at+".Name", errors.New("a sender needs a Name, its host name (e.g. app01.contoso.com)"))
		case len(s.IPAddresses) == 0:
			return l.cfg.fieldError(at+".IPAddresses", fmt.Errorf("sender %s has no address; give IPAddresses: [203.0.113.50]", s.Name))
		case !strings.Contains(s.MailFrom, "@"):
			return l.cfg.fieldError(at+".MailFrom", fmt.Errorf("sender %s: MailFrom %q is not an SMTP address; give the envelope sender it writes, e.g. scanner@contoso.com", s.Name, s.MailFrom))
		}
		if s.Certificate != "" {
			if _, ok := l.Certificates[strings.ToLower(s.Certificate)]; !ok {
				return l.cfg.fieldError(at+".Certificate", fmt.Errorf("no certificate named %q; name one of the lab's Certificates", s.Certificate))
			}
		}
		if err := l.network.AddHost(s.Name, s.IPAddresses[0]); err != nil {
			return l.cfg.fieldError(at+".IPAddresses", err)
		}
	}
	return nil
}

// SendFrom sends a message from a Sender of the lab, as that client does:
// to the first MX host of the first recipient's domain that answers. A
// refusal is in the result, not an error; an error means the sender could
// not reach any server. Everything due then runs.
func (l *Lab) SendFrom(sender string, to []string, subject string) (SenderResult, error) {
	var s *Sender
	for i := range l.cfg.Senders {
		if strings.EqualFold(l.cfg.Senders[i].Name, sender) {
			s = &l.cfg.Senders[i]
		}
	}
	if s == nil || len(to) == 0 {
		return SenderResult{}, fmt.Errorf("sim: no sender %q in the lab, or no recipient; name one of the lab file's Senders", sender)
	}
	l.senderMessages++
	res := SenderResult{MessageID: fmt.Sprintf("<%08d.%s>", l.senderMessages, strings.ToLower(s.Name))}
	ctx := context.Background()
	mxs, err := l.network.LookupMX(ctx, to[0][strings.LastIndex(to[0], "@")+1:])
	if err != nil || len(mxs) == 0 {
		return res, fmt.Errorf("sim: sender %s: no MX for %s", s.Name, to[0])
	}
	var lastErr error
	for _, mx := range mxs {
		res.Host = strings.TrimSuffix(mx.Host, ".")
		conn, err := l.network.DialFrom(ctx, s.Name, net.JoinHostPort(res.Host, "25"))
		if err != nil {
			lastErr = err
			continue
		}
		res.Refusal, err = l.converseAs(s, conn, res, to, subject)
		if err != nil {
			lastErr = err
			continue
		}
		l.Advance(0)
		return res, nil
	}
	return res, fmt.Errorf("sim: sender %s reached no server for %s: %w", s.Name, to[0], lastErr)
}

// converseAs runs the sender's SMTP session on conn (RFC 5321 and 3207,
// written out with net/textproto: go-smtp's client cannot start TLS
// opportunistically after its own EHLO).
func (l *Lab) converseAs(s *Sender, conn net.Conn, res SenderResult, to []string, subject string) (string, error) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	step := func(code int, format string, args ...any) (string, error) {
		if format != "" {
			if err := tp.PrintfLine(format, args...); err != nil {
				return "", err
			}
		}
		_, msg, err := tp.ReadResponse(code)
		return msg, err
	}
	if _, err := step(220, ""); err != nil {
		return refusal(err)
	}
	ehlo, err := step(250, "EHLO %s", s.Name)
	if err != nil {
		return refusal(err)
	}
	if strings.Contains(strings.ToUpper(ehlo), "STARTTLS") {
		if _, err := step(220, "STARTTLS"); err != nil {
			return refusal(err)
		}
		cfg := &tls.Config{ServerName: res.Host, InsecureSkipVerify: true, Time: l.Clock.Now} // an application server that checks nothing
		if s.Certificate != "" {
			tc, err := l.Certificates[strings.ToLower(s.Certificate)].TLS()
			if err != nil {
				return "", err
			}
			cfg.Certificates = []tls.Certificate{tc}
		}
		tc := tls.Client(conn, cfg)
		if err := tc.Handshake(); err != nil {
			return "", err
		}
		tp = textproto.NewConn(tc)
		if _, err := step(250, "EHLO %s", s.Name); err != nil {
			return refusal(err)
		}
	} else if s.RequireTLS {
		return "", fmt.Errorf("sim: sender %s requires TLS, and %s offers no STARTTLS", s.Name, res.Host)
	}
	if _, err := step(250, "MAIL FROM:<%s>", s.MailFrom); err != nil {
		return refusal(err)
	}
	for _, rcpt := range to {
		if _, err := step(250, "RCPT TO:<%s>", rcpt); err != nil {
			return refusal(err)
		}
	}
	if _, err := step(354, "DATA"); err != nil {
		return refusal(err)
	}
	w := tp.DotWriter()
	fmt.Fprintf(w, "Message-ID: %s\r\nDate: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nA message from %s.\r\n",
		res.MessageID, l.Clock.Now().UTC().Format("Mon, 2 Jan 2006 15:04:05 -0700"), s.MailFrom, strings.Join(to, ", "), subject, s.Name)
	if err := w.Close(); err != nil {
		return "", err
	}
	if _, err := step(250, ""); err != nil {
		return refusal(err)
	}
	step(221, "QUIT")
	return "", nil
}

// refusal turns a server's SMTP refusal into its reply, as the server
// wrote it; any other error stays an error.
func refusal(err error) (string, error) {
	var te *textproto.Error
	if errors.As(err, &te) {
		return fmt.Sprintf("%d %s", te.Code, te.Msg), nil
	}
	return "", err
}
