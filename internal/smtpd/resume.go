package smtpd

import (
	"bytes"
	"crypto/tls"
	"net"

	"github.com/emersion/go-smtp"
)

// ResumeTLS upgrades a session that a plain go-smtp client has already
// greeted, and returns a new client on the TLS connection; call its Hello.
//
// It is the lab's one workaround for go-smtp's client, whose STARTTLS
// path begins with its own greeting and "EHLO localhost", which closes the
// connection when the server offers no STARTTLS, and which has no
// X-ANONYMOUSTLS verb. A sender therefore greets with smtp.NewClient and
// Hello(its own name), reads the server's extensions, goes on in the clear
// with that client when it may, and otherwise hands conn (the same
// connection the plain client used, e.g. a ClientTap's) to ResumeTLS with
// the verb to send: STARTTLS, or X-ANONYMOUSTLS for anonymous TLS.
//
// Only go-smtp sees the synthetic greeting and EHLO reply that stand in for
// the ones already exchanged; the wire, and a ClientTap below conn, carry
// the real session.
func ResumeTLS(conn net.Conn, verb string, cfg *tls.Config) (*smtp.Client, error) {
	return smtp.NewClientStartTLS(&resumeConn{Conn: conn, verb: verb, pending: []byte(resumeGreeting)}, cfg)
}

// The lines resumeConn answers go-smtp with; they never reach the wire or a
// log, so they are not Exchange's.
const (
	resumeGreeting = "220 resume\r\n"
	resumeEHLO     = "250-resume\r\n250 STARTTLS\r\n"
)

// resumeConn answers go-smtp's greeting and its EHLO itself, without
// touching the wire, writes go-smtp's STARTTLS as the verb chosen, and from
// then on passes everything through: the server's 220, the handshake, the
// session.
type resumeConn struct {
	net.Conn
	verb    string // the verb written for go-smtp's STARTTLS
	pending []byte // synthetic reply bytes go-smtp has yet to read
	through bool   // the verb was written: pass through
}

func (c *resumeConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

func (c *resumeConn) Write(p []byte) (int, error) {
	switch {
	case c.through:
	case bytes.HasPrefix(p, []byte("EHLO ")):
		c.pending = append(c.pending, resumeEHLO...)
		return len(p), nil
	case bytes.Equal(p, []byte("STARTTLS\r\n")):
		c.through = true
		if _, err := c.Conn.Write([]byte(c.verb + "\r\n")); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}
