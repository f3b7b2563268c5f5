package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Server. Its zero value, with Hostname set, is a loopback Exchange Server
// Default Frontend that logs nothing and takes no message. NewServer fills in zero fields:
//
//   - Addr: "127.0.0.1:0" (loopback only, an ephemeral port)
//   - Dialect: ExchangeServer
//   - Clock: the wall clock
//   - SessionIDs: a counter from 08DD000000000001, 16 upper-case hex digits as Exchange's
//   - TLSConfig: TLS 1.2 to 1.3; ECDHE with AES-GCM suites for TLS 1.2; X25519, P-256, P-384,
//     pinned so interop results do not move with the go line (spec/interop.md)
//   - MaxMessageBytes: the dialect's (37748736 Exchange Server, 157286400 Exchange Online)
//   - MaxRecipients: the dialect's (200 Exchange Server, 1000 Exchange Online)
//   - MaxLineLength: 2000 (RFC 5321's 1000 doubled, as go-smtp; Exchange's default unknown)
//   - ReadTimeout: 5 minutes (S16 ConnectionInactivityTimeout on Mailbox servers)
//   - WriteTimeout: 1 minute
//   - MaxConnections: 5000 (S16 MaxInboundConnection)
type Config struct {
	Listener net.Listener // serve this listener (the lab wraps one); otherwise listen on Addr
	Addr     string       // listen address when Listener is nil

	Hostname    string   // the connector's FQDN, in the banner and the EHLO reply; required
	Dialect     *Dialect // ExchangeServer or ExchangeOnline (copied at construction)
	Policy      Policy   // per-session hooks
	Sink        Sink     // receive protocol log; nil logs nothing
	ConnectorID string   // connector-id of the log, e.g. `EX01\Default Frontend EX01`

	Clock      Clock         // banner dates, log timestamps, tls.Config.Time
	SessionIDs func() string // session ids, called from the accept loop in accept order

	// TLSConfig is the base configuration of STARTTLS. Each session clones it and sets the
	// policy's certificate and client-certificate request; GetCertificate and
	// GetConfigForClient are cleared so that SNI never chooses. Time defaults to Clock.Now.
	TLSConfig *tls.Config

	MaxMessageBytes int64         // SIZE advertised and enforced (MAIL SIZE=, DATA, BDAT)
	MaxLineLength   int           // longest command line, CRLF excluded
	MaxRecipients   int           // RCPT per transaction
	ReadTimeout     time.Duration // wait for each read (at least 15/16 of it); then Timeout and close
	WriteTimeout    time.Duration // longest wait for each write
	MaxConnections  int           // concurrent sessions; more get TooManyConnections

	// ErrorLog receives the engine's own diagnostics (not an Exchange log): an accept that
	// failed for a temporary reason (EMFILE, ENFILE, ECONNABORTED, ENOBUFS, ENOMEM) and the
	// wait before the next try. nil: the log package's standard logger, as net/http's.
	ErrorLog *log.Logger
}

// withDefaults validates c and fills in the defaults listed on Config: the only place they
// are written.
func (c Config) withDefaults() (Config, error) {
	if c.Hostname == "" {
		return c, errors.New("smtpd: Config.Hostname is empty: set it to the receive connector's FQDN, e.g. mail.contoso.com")
	}
	if !validDomain(c.Hostname, false) {
		return c, fmt.Errorf("smtpd: Config.Hostname %q is not a host name: use the connector's FQDN", c.Hostname)
	}
	if c.MaxMessageBytes < 0 || c.MaxLineLength < 0 || c.MaxRecipients < 0 || c.ReadTimeout < 0 ||
		c.WriteTimeout < 0 || c.MaxConnections < 0 {
		return c, errors.New("smtpd: Config limits must not be negative: use 0 for the default")
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Dialect == nil {
		c.Dialect = &ExchangeServer
	}
	c.Dialect = c.Dialect.clone()
	if c.Clock == nil {
		c.Clock = wallClock{}
	}
	if c.SessionIDs == nil {
		n := uint64(0x08DD000000000000)
		c.SessionIDs = func() string { n++; return fmt.Sprintf("%016X", n) }
	}
	if c.TLSConfig == nil {
		c.TLSConfig = pinnedTLS()
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = c.Dialect.MaxMessageBytes
	}
	if c.MaxRecipients == 0 {
		c.MaxRecipients = c.Dialect.MaxRecipients
	}
	if c.MaxLineLength == 0 {
		c.MaxLineLength = 2000
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 5 * time.Minute
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = time.Minute
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = 5000
	}
	return c, nil
}

// pinnedTLS is the default base TLS configuration, every choice spelled out.
func pinnedTLS() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		MaxVersion: tls.VersionTLS13,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		},
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384},
	}
}

// Server is a running SMTP server speaking one Dialect, started the httptest way: NewServer
// returns it bound and serving; Close stops it and waits for every goroutine.
type Server struct {
	cfg     Config
	dialect *Dialect
	ln      net.Listener

	closing    atomic.Bool   // no new sessions; accept errors are the listener closing
	quit       chan struct{} // closed with closing set: ends an accept back-off
	quitOnce   sync.Once
	acceptDone chan struct{} // closed when the accept loop has returned
	closeOnce  sync.Once
	wg         sync.WaitGroup // the accept loop and every session

	mu        sync.Mutex
	idle      sync.Cond // signalled when active or labActive drops to 0
	started   bool
	closed    bool // sessions registered from now on are closed at once
	active    int
	labActive int // sessions on connections the lab's own dialer opened (see WaitLabIdle)
	sessions  map[*Session]struct{}
	serveErr  error

	tlsConfigs map[tlsConfigKey]*tls.Config // handshake configurations by certificate and client-auth policy
}

// NewServer returns a server that is already bound and serving.
func NewServer(cfg Config) (*Server, error) {
	s, err := NewUnstartedServer(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// NewUnstartedServer returns a server that is bound (Addr works) but does not accept
// connections until Start.
func NewUnstartedServer(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ln := cfg.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return nil, fmt.Errorf("smtpd: listen on %s: %w", cfg.Addr, err)
		}
	}
	s := &Server{cfg: cfg, dialect: cfg.Dialect, ln: ln, acceptDone: make(chan struct{}), quit: make(chan struct{}),
		sessions: map[*Session]struct{}{}, tlsConfigs: map[tlsConfigKey]*tls.Config{}}
	s.idle.L = &s.mu
	return s, nil
}

// Start starts accepting connections.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed || s.closing.Load():
		return errors.New("smtpd: Start after Close: create a new server")
	case s.started:
		return errors.New("smtpd: server already started")
	}
	s.started = true
	s.wg.Add(1)
	go s.acceptLoop()
	return nil
}

// Addr returns the listener's address, e.g. "127.0.0.1:49152".
func (s *Server) Addr() string { return s.ln.Addr().String() }

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	defer close(s.acceptDone)
	var backoff time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil && !s.closing.Load() && temporaryAcceptError(err) {
			backoff = nextBackoff(backoff)
			s.logf("smtpd: accept on %s: %v; retrying in %v", s.Addr(), err, backoff)
			if !wait(backoff, s.quit) {
				return
			}
			continue
		}
		if err == nil && backoff > 0 {
			s.logf("smtpd: accept on %s: accepting again", s.Addr())
			backoff = 0
		}
		if err != nil {
			if !s.closing.Load() {
				s.mu.Lock()
				s.serveErr = fmt.Errorf("smtpd: accept on %s: %w", s.Addr(), err)
				s.mu.Unlock()
			}
			return
		}
		sess := newSession(s, c, s.cfg.SessionIDs())
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.sessions[sess] = struct{}{}
		s.active++
		if sess.fromLab {
			s.labActive++
		}
		over := s.active > s.cfg.MaxConnections
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveSession(sess, over)
	}
}

func (s *Server) serveSession(sess *Session, over bool) {
	defer s.wg.Done()
	sess.serve(over)
	s.mu.Lock()
	delete(s.sessions, sess)
	s.active--
	if sess.fromLab {
		s.labActive--
	}
	if s.active == 0 || (sess.fromLab && s.labActive == 0) {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

// WaitIdle blocks until no session is active: every accepted connection has been closed, its
// hooks have returned and its last log record is written. The lab calls it after a client
// session ends, before reading logs. A connection still in the listen backlog is not a session
// yet.
func (s *Server) WaitIdle() {
	s.mu.Lock()
	for s.active > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// WaitLabIdle is WaitIdle for the sessions the lab's own clients opened: connections whose
// net.Conn has a method LabDialed() bool that returns true (the lab network's do). Sessions of
// tools outside the lab run alongside and are not waited for, so that an idle outside client
// never holds up the lab's deliveries.
func (s *Server) WaitLabIdle() {
	s.mu.Lock()
	for s.labActive > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// Close stops the server at once: it closes the listener and every session's connection and
// returns when every goroutine has exited, with the error that stopped the accept loop, if
// any. Calling it again returns the same error.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stopAccepting()
		s.mu.Lock()
		s.closed = true
		for sess := range s.sessions {
			sess.raw.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.serveErr
}

// Shutdown stops the server gracefully: it stops accepting, lets open sessions finish, and
// when ctx is done sends every session still open the dialect's ShuttingDown (421) and closes
// it. It returns ctx's error if it had to do so, else Close's.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopAccepting()
	idle := make(chan struct{})
	go func() { s.WaitIdle(); close(idle) }()
	var err error
	select {
	case <-idle:
	case <-ctx.Done():
		err = ctx.Err()
		s.mu.Lock()
		for sess := range s.sessions {
			sess.evict()
		}
		s.mu.Unlock()
		<-idle
	}
	return errors.Join(err, s.Close())
}

// stopAccepting closes the listener and waits for the accept loop to return, so that no
// session starts afterwards.
func (s *Server) stopAccepting() {
	s.closing.Store(true)
	s.quitOnce.Do(func() { close(s.quit) })
	s.ln.Close()
	s.mu.Lock()
	started := s.started
	s.mu.Unlock()
	if started {
		<-s.acceptDone
	}
}
