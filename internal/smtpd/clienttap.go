package smtpd

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
)

// ClientTap writes an SMTP Send protocol log (spec §10) for a session driven by go-smtp's
// client, so that send connectors keep go-smtp and still log as Exchange does:
//
//	tap := &smtpd.ClientTap{Sink: sink, Clock: clock, ConnectorID: `EX01\Outbound to Office 365`, SessionID: id}
//	c, err := smtp.NewClientStartTLS(tap.Wrap(conn), tlsConfig) // or smtp.NewClient
//	c.DebugWriter = tap // before the first command that follows
//	... c.Hello(name); c.Mail(...); ...; c.Quit()
//
// It logs '+' at Wrap, '>' per command, '<' per reply (a multi-line reply on one line, as
// Exchange's send log writes `250 host Hello [ip] SIZE ...`, OBS doc.go), never message
// bytes, and '-' when the connection closes: "Remote" if the server closed it first, else
// "Local". Info adds '*' records; from a tls.Config.VerifyConnection callback they land
// between the 220 to STARTTLS and the EHLO that follows, where Exchange writes its
// certificate records.
//
// Before TLS the tap reads the wrapped connection itself. Once the server has answered
// STARTTLS with 220 the connection carries ciphertext, and the plaintext comes from go-smtp's
// DebugWriter, which sees both directions through one writer: a chunk that follows a write on
// the connection is a command (tls.Conn writes through synchronously before io.MultiWriter
// reaches the debug writer), any other is a reply.
type ClientTap struct {
	Sink        Sink
	Clock       Clock // nil: the wall clock
	ConnectorID string
	SessionID   string
	// Remote is the remote endpoint of records logged before Wrap, such as Exchange's
	// `*,,attempting to connect`; Wrap replaces it with the connection's.
	Remote string

	mu       sync.Mutex
	log      *protocolLog
	tls      bool   // the server accepted STARTTLS: parse DebugWriter, not the connection
	echo     bool   // the DebugWriter's next chunk repeats the read that ended the plaintext
	wrote    bool   // the last operation on the connection was a write
	closedBy string // "-" context when the server closed first
	closed   bool
	cmd      []byte // partial command line
	rsp      []byte // partial reply line
	lines    []string
	startTLS bool  // STARTTLS sent, its reply pending
	dataCmd  bool  // DATA sent, its reply pending
	body     int   // match state of "\r\n.\r\n" while a DATA body goes out; -1 outside
	skip     int64 // bytes of a BDAT chunk still going out
}

// Wrap logs '+' and returns the connection to give go-smtp.
func (t *ClientTap) Wrap(conn net.Conn) net.Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.logger()
	l.local, l.remote = conn.LocalAddr().String(), conn.RemoteAddr().String()
	t.body = -1
	l.log('+', "", "")
	return &tapConn{Conn: conn, t: t}
}

// Info adds a '*' information record.
func (t *ClientTap) Info(data, context string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.logger().log('*', data, context)
}

// Write takes go-smtp's DebugWriter stream; it is used once the session is under TLS.
func (t *ClientTap) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.wrote
	t.wrote = false
	switch {
	case !t.tls:
	case t.echo:
		t.echo = false
	case out:
		t.outbound(p)
	default:
		t.inbound(p)
	}
	return len(p), nil
}

func (t *ClientTap) logger() *protocolLog {
	if t.log == nil {
		clock := t.Clock
		if clock == nil {
			clock = wallClock{}
		}
		t.log = &protocolLog{sink: t.Sink, clock: clock, connectorID: t.ConnectorID,
			sessionID: t.SessionID, remote: t.Remote}
	}
	return t.log
}

// outbound parses client-to-server bytes: commands, skipping DATA bodies and BDAT chunks.
func (t *ClientTap) outbound(p []byte) {
	for len(p) > 0 {
		switch {
		case t.skip > 0:
			n := min(int64(len(p)), t.skip)
			t.skip -= n
			p = p[n:]
		case t.body >= 0:
			const end = "\r\n.\r\n"
			for len(p) > 0 && t.body < len(end) {
				switch c := p[0]; {
				case c == end[t.body]:
					t.body++
				case c == '\r':
					t.body = 1
				default:
					t.body = 0
				}
				p = p[1:]
			}
			if t.body == len(end) {
				t.body = -1
			}
		default:
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				t.cmd = append(t.cmd, p...)
				return
			}
			line := strings.TrimRight(string(append(t.cmd, p[:i]...)), "\r")
			t.cmd, p = t.cmd[:0], p[i+1:]
			t.command(line)
		}
	}
}

func (t *ClientTap) command(line string) {
	t.log.log('>', line, "")
	cmd := parseCommand(line)
	switch cmd.verb {
	case "DATA":
		t.dataCmd = true
	case "STARTTLS", "X-ANONYMOUSTLS": // X-ANONYMOUSTLS: Exchange's STARTTLS with the internal certificate (§3)
		t.startTLS = true
	case "BDAT":
		if size, _, ok := parseBdat(cmd.arg); ok {
			t.skip = size
		}
	}
}

// inbound parses server-to-client bytes into replies.
func (t *ClientTap) inbound(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.rsp = append(t.rsp, p...)
			return
		}
		line := strings.TrimRight(string(append(t.rsp, p[:i]...)), "\r")
		t.rsp, p = t.rsp[:0], p[i+1:]
		if len(line) > 3 && line[3] == '-' {
			t.lines = append(t.lines, line[4:])
			continue
		}
		t.replyDone(line)
	}
}

// replyDone logs a whole reply, the lines before its last joined into it.
func (t *ClientTap) replyDone(last string) {
	code, text := last, ""
	if len(last) > 3 {
		code, text = last[:3], last[4:]
	}
	data := last
	if len(t.lines) > 0 {
		data = code + " " + strings.Join(append(t.lines, text), " ")
		t.lines = t.lines[:0]
	}
	t.log.log('<', data, "")
	if t.dataCmd {
		t.dataCmd = false
		if code == "354" {
			t.body = 2 // as if CRLF had just gone out: "." alone ends an empty body
		}
	}
	if t.startTLS {
		t.startTLS = false
		if code == "220" && !t.tls {
			t.tls, t.echo = true, true
		}
	}
}

// tapConn is the connection go-smtp talks through.
type tapConn struct {
	net.Conn
	t *ClientTap
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wrote, t.echo = false, false
	if !t.tls {
		t.inbound(p[:n])
	}
	if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		t.closedBy = disconnectContext(err)
	}
	return n, err
}

func (c *tapConn) Write(p []byte) (int, error) {
	t := c.t
	t.mu.Lock()
	t.wrote, t.echo = true, false
	if !t.tls {
		t.outbound(p)
	}
	t.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *tapConn) Close() error {
	t := c.t
	t.mu.Lock()
	if !t.closed {
		t.closed = true
		ctx := t.closedBy
		if ctx == "" {
			ctx = "Local"
		}
		t.log.log('-', "", ctx)
	}
	t.mu.Unlock()
	return c.Conn.Close()
}
