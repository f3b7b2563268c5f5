package fakeexo

import (
	"bytes"
	"net"
	"strings"
)

// go-smtp's client always says "EHLO localhost" before STARTTLS, and closes
// the connection when the server offers no STARTTLS (spec/go-libs.md §2).
// EXO says its outbound host name (§11) and, with TlsSettings $null, goes on
// in the clear. ehloConn and replayConn make go-smtp do both on one
// connection, with one EHLO on the wire.

// ehloConn sits between go-smtp and the connection for the part before TLS:
// it renames the first "EHLO localhost" to the outbound host name, keeps what
// it reads (the banner and the EHLO reply), and ignores Close while held, so
// that the session can go on after go-smtp gave up on STARTTLS.
type ehloConn struct {
	net.Conn
	name    string
	renamed bool
	hold    bool
	record  bool
	read    []byte
}

func newEHLOConn(c net.Conn, name string) *ehloConn {
	return &ehloConn{Conn: c, name: name, hold: true, record: true}
}

func (c *ehloConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.record {
		c.read = append(c.read, p[:n]...)
	}
	return n, err
}

func (c *ehloConn) Write(p []byte) (int, error) {
	if !c.renamed && bytes.Equal(p, []byte("EHLO localhost\r\n")) {
		c.renamed = true
		if _, err := c.Conn.Write([]byte("EHLO " + c.name + "\r\n")); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

func (c *ehloConn) Close() error {
	if c.hold {
		return nil
	}
	return c.Conn.Close()
}

// release ends the plaintext part: Close closes again and nothing more is
// recorded (what follows is TLS).
func (c *ehloConn) release() {
	c.hold, c.record = false, false
}

// startTLSOffered reads the recorded banner and EHLO reply: complete is
// whether the whole EHLO reply came and was a 250, offered whether it lists
// STARTTLS.
func (c *ehloConn) startTLSOffered() (complete, offered bool) {
	replies := 0
	for line := range strings.SplitSeq(string(c.read), "\r\n") {
		if len(line) < 3 {
			continue
		}
		if replies == 1 && len(line) > 4 && strings.EqualFold(strings.Fields(line[4:] + " ")[0], "STARTTLS") {
			offered = true
		}
		if len(line) == 3 || line[3] == ' ' {
			replies++
			if replies == 2 {
				return strings.HasPrefix(line, "250"), offered
			}
		}
	}
	return false, false
}

// replayConn gives a new go-smtp client the banner and EHLO reply another one
// already read, and swallows its EHLO: the server sees the session go on.
type replayConn struct {
	net.Conn
	replay []byte
	ehlo   bool // the client's EHLO was swallowed
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.replay) > 0 {
		n := copy(p, c.replay)
		c.replay = c.replay[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

func (c *replayConn) Write(p []byte) (int, error) {
	if !c.ehlo && bytes.HasPrefix(p, []byte("EHLO ")) {
		c.ehlo = true
		return len(p), nil
	}
	return c.Conn.Write(p)
}
