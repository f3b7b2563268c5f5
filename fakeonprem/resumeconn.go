package fakeonprem

import (
	"bytes"
	"net"
)

// resumeConn lets go-smtp's client upgrade a session whose banner and EHLO are already done:
// go-smtp's STARTTLS paths begin with their own greeting and "EHLO localhost"
// (spec/go-libs.md §2) and it has no X-ANONYMOUSTLS verb. A send connector first greets with
// a plain client (EHLO with its Fqdn, where it learns what the server offers), then hands the
// connection to smtp.NewClientStartTLS through a resumeConn, which
//   - answers go-smtp's greeting and its EHLO itself, without touching the wire, with a reply
//     that advertises STARTTLS: the keyword the server advertised (STARTTLS, or
//     X-ANONYMOUSTLS) as go-smtp knows it;
//   - writes go-smtp's "STARTTLS" on the wire as the verb chosen (X-ANONYMOUSTLS for
//     anonymous TLS, §3);
//   - from then on passes everything through: the server's 220, the handshake, the session.
//
// Only the plaintext before TLS is touched, and only go-smtp sees the synthetic lines: the
// protocol log (smtpd.ClientTap, below this conn) records the real wire.
type resumeConn struct {
	net.Conn
	verb    string // the verb written for go-smtp's STARTTLS
	pending []byte // synthetic reply bytes go-smtp has yet to read
	through bool   // the verb was written: pass through
}

// newResumeConn starts with the synthetic greeting go-smtp reads first.
func newResumeConn(c net.Conn, verb string) *resumeConn {
	return &resumeConn{Conn: c, verb: verb, pending: []byte(resumeGreeting)}
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
