package fakeexo

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/smtplog"
)

// Service is a running Exchange Online: its front door is bound and serving
// when New returns (httptest style), deliveries happen only in RunDue, and
// Close stops it. Its methods are safe for concurrent use; the lab calls
// RunDue from one goroutine at a time.
type Service struct {
	cfg   Config
	net   Network
	clock Clock
	pki   *pki.PKI
	cert  tls.Certificate // cfg.Certificate as presented
	front *smtpd.Server
	log   *memoryLog

	cmdlets sync.Mutex // one cmdlet at a time
	dir     atomic.Pointer[directory]

	mu        sync.Mutex
	withheld  map[netip.Addr]bool
	mailboxes map[string][]Message // by the mailbox's primary address, lower case
	queue     []*queueItem         // in creation order
	ledger    []*LedgerEntry
	traces    []*traceRecord
	verdicts  []Verdict
	messages  uint64 // messages stored so far
	items     int
	outbound  uint64 // outbound sessions so far
	retain    int    // Retain; 0 keeps everything
	verdictAt int    // the slot of verdicts[0]: Retain forgets the oldest

	closeOnce sync.Once
	closeErr  error

	rotates bool         // Config.Certificate was defaulted: it follows pki.EXOCertificateAt
	certMu  sync.Mutex   // guards rotated
	rotated presentedTLS // the certificate presented once it rotated
}

// First session ids: the front door's and the outbound sessions' (distinct
// from internal/smtpd's default 08DD..., on-prem's, so that the lab's timeline
// of a message across hops never mixes two sessions up).
const (
	frontDoorSessions = 0x08DE000000000000
	outboundSessions  = 0x08DE800000000000
	messageIDs        = 0x08DE000000000000
)

// New validates the configuration (errors name the tenant, the object and the
// property) and returns a running service whose front door listens on
// FrontDoorAddress:25 in the lab's network. Config lists the defaults.
func New(cfg Config, network Network, clock Clock, p *pki.PKI) (*Service, error) {
	if network == nil || clock == nil || p == nil {
		return nil, errors.New("fakeexo: New needs the lab's network, clock and PKI: none may be nil")
	}
	rotates := cfg.Certificate == nil
	cfg = defaultConfig(cfg, p)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tenants := make([]Tenant, len(cfg.Tenants))
	for i, t := range cfg.Tenants {
		tenants[i] = tenantDefaults(t)
		if err := tenants[i].validate(); err != nil {
			return nil, err
		}
	}
	dir, err := newDirectory(tenants)
	if err != nil {
		return nil, err
	}
	cert, err := cfg.Certificate.TLS()
	if err != nil {
		return nil, fmt.Errorf("fakeexo: Config.Certificate %s: %w", cfg.Certificate.Thumbprint(), err)
	}
	cfg.Tenants = nil // the directory holds them from now on
	s := &Service{cfg: cfg, net: network, clock: clock, pki: p, cert: cert, log: &memoryLog{}, rotates: rotates,
		withheld: map[netip.Addr]bool{}, mailboxes: map[string][]Message{}}
	s.dir.Store(dir)
	ln, err := network.Listen(netip.AddrPortFrom(cfg.FrontDoorAddress, smtpPort))
	if err != nil {
		return nil, fmt.Errorf("fakeexo: front door on %v: %w", cfg.FrontDoorAddress, err)
	}
	next := uint64(frontDoorSessions)
	s.front, err = smtpd.NewServer(smtpd.Config{
		Listener: ln, Hostname: cfg.Hostname, Dialect: &smtpd.ExchangeOnline, Policy: s.policy,
		Sink: s.log, ConnectorID: shortName(cfg.Hostname) + `\` + frontDoorConnector, Clock: clock,
		SessionIDs: func() string { next++; return fmt.Sprintf("%016X", next) },
	})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("fakeexo: front door: %w", err)
	}
	return s, nil
}

// frontDoorConnector names the front door in the protocol log's
// connector-id, `<server>\Front Door` (INFER: EXO's own logs are not
// published).
const frontDoorConnector = "Front Door"

// shortName is a host name's first label.
func shortName(host string) string {
	name, _, _ := strings.Cut(host, ".")
	return name
}

// Close stops the front door and waits for every session; it returns the
// front door's serve error, if any. Calling it again returns the same.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.front.Close() })
	return s.closeErr
}

// WaitIdle blocks until every front-door session has finished: its hooks
// returned, its messages persisted, its log records written.
func (s *Service) WaitIdle() { s.front.WaitIdle() }

// WaitLabIdle is WaitIdle for the sessions the lab's own clients opened (through the lab
// network's dialer): sessions of tools outside the lab are not waited for. A message an
// outside session hands in is queued when its 250 goes out and runs at the next RunDue.
func (s *Service) WaitLabIdle() { s.front.WaitLabIdle() }

// Endpoints lists the service's simulated host names: the front door under
// its Hostname first, then every tenant's MX host names (all at
// FrontDoorAddress:25, one listener), and last the outbound host. The lab publishes A records for all
// of them.
func (s *Service) Endpoints() []Endpoint {
	addr := netip.AddrPortFrom(s.cfg.FrontDoorAddress, smtpPort)
	real := s.front.Addr()
	hosts := []string{s.cfg.Hostname}
	for _, t := range s.dir.Load().tenants {
		for _, d := range t.AcceptedDomains {
			if h := MXHost(d.DomainName); !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
	}
	var out []Endpoint
	for _, h := range hosts {
		out = append(out, Endpoint{Role: roleFrontDoor, Host: h, Address: addr, Real: real})
	}
	return append(out, Endpoint{Role: roleOutbound, Host: s.cfg.OutboundHost,
		Address: netip.AddrPortFrom(s.cfg.OutboundAddress, 0)})
}

// ClientTLSConfig returns a configuration for a client of the front door
// that trusts its certificate at the lab's time: RootCAs holds the root of
// Config.Certificate (EXO's trust store when it has none) and Time is the
// clock. Set ServerName to the host name dialled and Certificates to present
// a client certificate.
func (s *Service) ClientTLSConfig() *tls.Config {
	pool := s.cfg.Trust.Pool()
	if root := s.cfg.Certificate.Root; root != nil {
		pool = x509.NewCertPool()
		pool.AddCert(root)
	}
	return &tls.Config{RootCAs: pool, Time: s.clock.Now, MinVersion: tls.VersionTLS12}
}

// WithholdStartTLS makes the front door offer no STARTTLS to connections
// from addr (or offer it again): EXO's answer to a source it does not allow
// or has on a block list (F20).
func (s *Service) WithholdStartTLS(addr netip.Addr, withhold bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if withhold {
		s.withheld[addr] = true
	} else {
		delete(s.withheld, addr)
	}
}

// Verdicts returns the front door's verdicts, one per transaction, ordered
// by session id and then by time of MAIL FROM.
func (s *Service) Verdicts() []Verdict {
	s.mu.Lock()
	out := make([]Verdict, len(s.verdicts))
	for i := range s.verdicts {
		out[i] = copyVerdict(&s.verdicts[i])
	}
	s.mu.Unlock()
	slices.SortStableFunc(out, func(a, b Verdict) int { return strings.Compare(a.SessionID, b.SessionID) })
	return out
}

// recordVerdict stores a copy of v in its slot (-1: a new slot) and returns
// the slot.
func (s *Service) recordVerdict(slot int, v *Verdict) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slot < 0 {
		s.verdicts = append(s.verdicts, Verdict{})
		slot = s.verdictAt + len(s.verdicts) - 1
		s.trimVerdicts()
	}
	if i := slot - s.verdictAt; i >= 0 {
		s.verdicts[i] = copyVerdict(v)
	}
	return slot
}

// ProtocolLog returns the protocol-log records of one SMTP session of the
// service (the front door's receive sessions and the outbound send
// sessions), in order; for "" every session's, ordered by session id.
func (s *Service) ProtocolLog(sessionID string) []smtplog.Record { return s.log.records(sessionID) }

// Ledger returns where every (message, recipient) the service accepted or
// submitted is now, in the order they came.
func (s *Service) Ledger() []LedgerEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LedgerEntry, len(s.ledger))
	for i, e := range s.ledger {
		out[i] = *e
	}
	return out
}

// Organization returns the tenant named name (case-insensitive) as its
// administrator's session sees it: the cmdlets are its methods.
func (s *Service) Organization(name string) (*Organization, error) {
	t := s.dir.Load().byName[strings.ToLower(name)]
	if t == nil {
		return nil, fmt.Errorf("fakeexo: no tenant %q in the service: use one of %s", name, strings.Join(s.tenantNames(), ", "))
	}
	return &Organization{svc: s, name: t.Name}, nil
}

func (s *Service) tenantNames() []string {
	var names []string
	for _, t := range s.dir.Load().tenants {
		names = append(names, t.Name)
	}
	return names
}

// isWithheld reports whether STARTTLS is withheld from addr.
func (s *Service) isWithheld(addr netip.Addr) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.withheld[addr]
}

// nextOutboundSession returns a new outbound session id.
func (s *Service) nextOutboundSession() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbound++
	return fmt.Sprintf("%016X", outboundSessions+s.outbound)
}

// outboundConnectorID is the connector-id of an outbound session's log:
// `<outbound host>\<connector name>`, or `<outbound host>\<domain>` for
// delivery by MX (INFER).
func (s *Service) outboundConnectorID(conn *outbound, queue string) string {
	if conn != nil {
		queue = conn.Name
	}
	return shortName(s.cfg.OutboundHost) + `\` + queue
}
