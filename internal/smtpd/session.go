package smtpd

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// Session is one SMTP connection as Policy and the hooks see it. Its methods are meant for
// them: they run on the session's goroutine.
type Session struct {
	srv    *Server
	id     string
	raw    net.Conn // the accepted connection; deadlines and Close go here
	conn   net.Conn // raw, or the *tls.Conn over it after STARTTLS
	r      *bufio.Reader
	out    []byte // replies not yet written (PIPELINING: written when input runs dry)
	local  net.Addr
	remote net.Addr
	log    protocolLog
	hooks  Hooks

	helo    string
	tls     *tls.ConnectionState
	msg     *Message // the open transaction; nil before MAIL
	chunked bool     // msg's body is coming by BDAT

	upgrade   bool   // STARTTLS accepted: handshake before the next command
	anonymous bool   // the upgrade (and then the TLS) is X-ANONYMOUSTLS's
	done      bool   // stop reading: the last reply closes the connection
	closeCtx  string // context of the '-' record
	evicted   atomic.Bool
	fromLab   bool // the lab's own dialer opened the connection (WaitLabIdle)

	readBy, writeBy time.Time // the socket deadlines last set
}

var (
	errLineTooLong     = errors.New("smtpd: command line too long")
	errEvicted         = errors.New("smtpd: session evicted by Shutdown")
	errHandshakeFailed = errors.New("smtpd: TLS handshake failed")
)

func newSession(srv *Server, c net.Conn, id string) *Session {
	s := &Session{srv: srv, id: id, raw: c, conn: c, local: c.LocalAddr(), remote: c.RemoteAddr()}
	if d, ok := c.(interface{ LabDialed() bool }); ok {
		s.fromLab = d.LabDialed()
	}
	s.log = protocolLog{sink: srv.cfg.Sink, clock: srv.cfg.Clock, connectorID: srv.cfg.ConnectorID,
		sessionID: id, local: s.local.String(), remote: s.remote.String()}
	s.r = bufio.NewReaderSize(connReader{s}, max(4096, srv.cfg.MaxLineLength+2))
	return s
}

// ID returns the session id, as in the protocol log and EXO's banner.
func (s *Session) ID() string { return s.id }

// LocalAddr returns the connection's local address as the listener gave it.
func (s *Session) LocalAddr() net.Addr { return s.local }

// RemoteAddr returns the connection's remote address as the listener gave it (in the lab, the
// simulated address of the sending host).
func (s *Session) RemoteAddr() net.Addr { return s.remote }

// HeloName returns the argument of the last accepted EHLO or HELO; "" before one, and again
// after STARTTLS until the client repeats it.
func (s *Session) HeloName() string { return s.helo }

// TLS returns the state of the STARTTLS handshake; nil while the session is plaintext.
func (s *Session) TLS() *tls.ConnectionState { return s.tls }

// AnonymousTLS reports whether the session's TLS came from X-ANONYMOUSTLS rather than
// STARTTLS; from the Handshake hook on, it tells which verb the handshake answered.
func (s *Session) AnonymousTLS() bool { return s.anonymous }

// Info adds a '*' information record to the protocol log, e.g. the certificate block of §10
// ("Sending certificate", "Certificate subject", ...) from the Handshake hook.
func (s *Session) Info(data, context string) { s.log.log('*', data, context) }

// serve runs the session to its end. over: the connection is over the limit. The TLS
// handshake runs from here, at the top of the goroutine's stack, rather than from within the
// STARTTLS command: crypto's deep frames then fit the stack the goroutine has (measured: a
// stack growth under ECDSA signing cost about 20 µs a handshake).
func (s *Session) serve(over bool) {
	s.log.log('+', "", "")
	defer s.finish()
	if !s.greet(over) {
		return
	}
	for !s.done {
		err := s.step()
		if err == nil && s.upgrade {
			err = s.handshake()
		}
		if err != nil {
			s.fail(err)
			return
		}
	}
}

// greet runs the policy and writes the banner, or the refusal that replaces it.
func (s *Session) greet(over bool) bool {
	if over {
		s.reply(s.srv.dialect.Replies.TooManyConnections)
		return false
	}
	if p := s.srv.cfg.Policy; p != nil {
		s.hooks = p(s)
	}
	if r := s.hooks.Refuse; r != nil {
		refusal := *r
		refusal.Close = true
		s.reply(refusal)
		return false
	}
	s.reply(s.srv.dialect.banner(s.srv.cfg.Hostname, s.srv.cfg.Clock.Now(), s.id))
	return true
}

// step reads and runs one command.
func (s *Session) step() error {
	line, err := s.readLine()
	switch {
	case errors.Is(err, errLineTooLong):
		s.reply(s.srv.dialect.Replies.LineTooLong)
		return nil
	case err != nil:
		return err
	}
	s.log.log('<', line, "")
	return s.dispatch(parseCommand(line))
}

// finish writes what is pending, closes the connection (a *tls.Conn sends close_notify
// first) and logs the disconnect.
func (s *Session) finish() {
	if s.closeCtx == "" {
		s.closeCtx = "Local"
	}
	s.flush()
	s.conn.Close()
	s.log.log('-', "", s.closeCtx)
}

// fail ends the session on a broken or silent connection, replying when it still can.
func (s *Session) fail(err error) {
	var ne net.Error
	switch {
	case errors.Is(err, errHandshakeFailed):
		// startTLS chose the context.
	case errors.Is(err, errEvicted), s.evicted.Load() && errors.As(err, &ne) && ne.Timeout():
		s.reply(s.srv.dialect.Replies.ShuttingDown)
	case errors.As(err, &ne) && ne.Timeout():
		s.reply(s.srv.dialect.Replies.Timeout)
	default:
		s.closeCtx = disconnectContext(err)
	}
}

// disconnectContext names who ended the connection, in the words of Exchange's logs: "Local"
// when this side closed it, "Remote(ConnectionReset)" on a reset (2024 RECV log), "Remote"
// when the peer closed it (2016 RECV log).
func disconnectContext(err error) string {
	switch {
	case errors.Is(err, net.ErrClosed):
		return "Local"
	case errors.Is(err, syscall.ECONNRESET):
		return "Remote(ConnectionReset)"
	default:
		return "Remote"
	}
}

// reply queues r for the next write and logs it.
func (s *Session) reply(r Reply) {
	s.out = r.appendWire(s.out)
	s.log.log('>', r.String(), "")
	if r.Close {
		s.done = true
		s.closeCtx = "Local"
	}
}

// flush writes the pending replies in one write, so that no reply is ever split.
func (s *Session) flush() error {
	if len(s.out) == 0 {
		return nil
	}
	if d, ok := rearm(s.writeBy, s.srv.cfg.WriteTimeout); ok {
		s.raw.SetWriteDeadline(d)
		s.writeBy = d
	}
	_, err := s.conn.Write(s.out)
	s.out = s.out[:0]
	return err
}

// readLine reads one command line without its line end. A line over MaxLineLength is read to
// its end and dropped (errLineTooLong); the session goes on.
func (s *Session) readLine() (string, error) {
	line, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		for err == bufio.ErrBufferFull {
			_, err = s.r.ReadSlice('\n')
		}
		if err == nil {
			err = errLineTooLong
		}
		return "", err
	}
	if err != nil {
		return "", err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > s.srv.cfg.MaxLineLength {
		return "", errLineTooLong
	}
	return string(line), nil
}

// connReader is the session's source of input. bufio calls it only when its buffer is
// empty, which is when the session is about to wait for the client: the moment to write the
// pending replies (RFC 2920 §3.2) and to arm the read timeout.
type connReader struct{ s *Session }

func (c connReader) Read(p []byte) (int, error) {
	s := c.s
	if err := s.flush(); err != nil {
		return 0, err
	}
	if d, ok := rearm(s.readBy, s.srv.cfg.ReadTimeout); ok {
		s.raw.SetReadDeadline(d)
		s.readBy = d
	}
	if s.evicted.Load() {
		return 0, errEvicted
	}
	return s.conn.Read(p)
}

// rearm returns the deadline timeout from now, and whether it is worth setting: a socket
// deadline costs a runtime timer update, so one less than timeout/16 old is kept. Each read or
// write thus gets at least 15/16 of its timeout.
func rearm(last time.Time, timeout time.Duration) (time.Time, bool) {
	d := deadline(timeout)
	return d, d.Sub(last) > timeout/16
}

// evict wakes the session for Shutdown: its next (or current) read fails at once.
func (s *Session) evict() {
	s.evicted.Store(true)
	s.raw.SetReadDeadline(longAgo)
}
