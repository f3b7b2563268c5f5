package fakeonprem

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// Organization is a running on-premises Exchange organization. Its methods are Exchange's
// cmdlets (Get-ExchangeCertificate is GetExchangeCertificate, ...) and the lab's lifecycle
// (RunDue, NextDue, WaitIdle, Close). It is safe for concurrent use.
type Organization struct {
	net   Network
	clock Clock
	pki   *pki.PKI
	opts  Options
	name  string

	mu       sync.Mutex
	accepted []string
	servers  []*server
	send     []*SendConnector
	boxes    []*mailbox
	remote   []RemoteMailbox
	subs     map[string]*subscription // New-EdgeSubscription, by Edge server name
	msgSeq   uint64
	ledger   ledger
	closed   bool
	retain   int // Retain; 0 keeps everything

	closeOnce sync.Once
	closeErr  error
}

// server is one server's running state.
type server struct {
	org        *Organization
	cfg        Server // the live configuration: store, trust, transport service
	store      []*ExchangeCertificate
	connectors []*receiveConnector
	queues     []*queue
	queueSeq   int
	internalID int64

	build      build
	windows    windows
	sessionIDs func() string
	tlsBase    map[string]*tls.Config // receive handshake bases by Schannel setting (schannelpolicy.go)
	schannel   Schannel               // the registry values the transport service started with
	decimal    string                 // the culture's decimal separator
	zone       *time.Location         // the server's time zone, for its banner

	events   []Event
	outcomes map[string]string // the last certificate outcome per connector, for events
	tracking []TrackingEntry
	logs     protocolLogs
	stream   *logStream // StreamLogs; nil keeps the logs in memory only
}

// receiveConnector is a receive connector's live configuration and its listeners.
type receiveConnector struct {
	cfg       ReceiveConnector
	listeners []*listener
}

type listener struct {
	addr netip.AddrPort
	srv  *smtpd.Server
	real net.Addr
}

// Endpoint is one listener, for `hybridsim serve`'s manifest: which server and connector, the
// simulated host name and address, and the real socket an outside tool connects to.
type Endpoint struct {
	Server    string
	Role      Role
	Connector string
	Host      string         // the server's FQDN
	Address   netip.AddrPort // simulated
	Real      net.Addr       // loopback socket
}

// New starts an organization: it validates cfg (errors name the object and the property),
// issues what Exchange setup would, starts each server's transport service (its startup
// checks log their events) and binds every receive connector's listeners on the lab's
// network. The organization is running when New returns; Close stops it. New fills in:
//   - Name: the first accepted domain;
//   - Server.Role: Mailbox; Server.Fqdn: the lower-case Name and the first accepted domain;
//     Server.NetBIOSName: the upper-case Name;
//   - Server.Certificates: Exchange setup's self-signed certificate first (pki's SelfSigned
//     profile, CN=<Name>, SANs Name and Fqdn, Services IMAP, POP, IIS, SMTP, not exportable,
//     FriendlyName "Microsoft Exchange", S18), unless an entry is already self-signed with
//     subject CN=<Name> or Server.NoSetupCertificate says setup's certificate is gone;
//   - Server.TrustedRoots and Server.Intermediates: pki.OnPremTrust's when nil; the setup
//     certificate is trusted as a root (RootCAType Registry, S18);
//   - TransportService: the setup certificate's thumbprint as an empty
//     InternalTransportCertificateThumbprint (unless Server.EmptyInternalTransportCertificate
//     keeps it empty), and the retry values of S34 (see
//     TransportService);
//   - ReceiveConnectors: DefaultReceiveConnectors for each server that no connector names;
//   - SendConnector: DNSRoutingEnabled $true when SmartHosts is empty, Port 25;
//   - Server.AdminDisplayVersion: DefaultAdminDisplayVersion (Exchange 2019 CU15);
//   - Server.OperatingSystem: DefaultOperatingSystem (Windows Server 2019).
func New(cfg Config, network Network, clock Clock, p *pki.PKI) (*Organization, error) {
	if network == nil || clock == nil || p == nil {
		return nil, errors.New("fakeonprem: New needs the lab's network, clock and PKI")
	}
	o := &Organization{net: network, clock: clock, pki: p, opts: cfg.Options, subs: map[string]*subscription{}}
	if err := o.configure(cfg); err != nil {
		return nil, err
	}
	o.mu.Lock()
	for _, s := range o.servers {
		s.startTransport()
	}
	var err error
	for _, s := range o.servers {
		for _, rc := range s.connectors {
			err = errors.Join(err, s.listen(rc))
		}
	}
	o.mu.Unlock()
	if err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

// configure applies the defaults listed on New, validates and builds the running state.
func (o *Organization) configure(cfg Config) error {
	cfg.Servers = slices.Clone(cfg.Servers)
	if cfg.Name == "" && len(cfg.AcceptedDomains) > 0 {
		cfg.Name = cfg.AcceptedDomains[0]
	}
	o.name = cfg.Name
	for i := range cfg.Servers {
		s := &cfg.Servers[i]
		if s.Role == "" {
			s.Role = RoleMailbox
		}
		if s.Fqdn == "" && len(cfg.AcceptedDomains) > 0 {
			s.Fqdn = strings.ToLower(s.Name) + "." + cfg.AcceptedDomains[0]
		}
		if s.NetBIOSName == "" {
			s.NetBIOSName = strings.ToUpper(s.Name)
		}
		if s.AdminDisplayVersion == "" {
			s.AdminDisplayVersion = DefaultAdminDisplayVersion
		}
		if s.OperatingSystem == "" {
			s.OperatingSystem = DefaultOperatingSystem
		}
		s.TransportService = s.TransportService.withDefaults(s.Role)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	trust := o.pki.OnPremTrust()
	for i := range cfg.Servers {
		if err := o.setup(&cfg.Servers[i], trust); err != nil {
			return err
		}
	}
	o.accepted = slices.Clone(cfg.AcceptedDomains)
	o.remote = slices.Clone(cfg.RemoteMailboxes)
	for _, m := range cfg.Mailboxes {
		o.boxes = append(o.boxes, &mailbox{cfg: m})
	}
	var errs []error
	for i, sc := range cfg.Servers {
		s := &server{org: o, cfg: sc, outcomes: map[string]string{}}
		s.build, _ = parseBuild(sc.AdminDisplayVersion) // validated
		s.windows, _ = parseWindows(sc.OperatingSystem)
		s.internalID = firstInternalID(i)
		s.decimal, _ = decimalSeparator(sc.Culture) // validated
		s.zone, _ = timeZone(sc.TimeZone)
		// Session ids are ticks some hours before the session (real-artifacts §1.3: 14 h in
		// two samples), tagged per server so that servers never share one (EXO's tag is 0).
		s.sessionIDs = smtpd.TickSessionIDs(o.clock, 14*time.Hour, uint64(1+i%15))
		for j := range sc.Certificates {
			e := sc.Certificates[j]
			s.store = append(s.store, &e)
		}
		s.cfg.Certificates = nil // the store is the live copy
		o.servers = append(o.servers, s)
	}
	connectors := slices.Clone(cfg.ReceiveConnectors)
	for _, s := range o.servers {
		if !slices.ContainsFunc(connectors, func(c ReceiveConnector) bool { return strings.EqualFold(c.Server, s.cfg.Name) }) {
			connectors = append(connectors, DefaultReceiveConnectors(s.cfg)...)
		}
	}
	for _, c := range connectors {
		s := o.server(c.Server)
		if s == nil {
			errs = append(errs, fmt.Errorf("fakeonprem: receive connector \"%s\": Server %q: no such server", c.Name, c.Server))
			continue
		}
		if err := s.validateReceive(c, ""); err != nil {
			errs = append(errs, err)
			continue
		}
		s.connectors = append(s.connectors, &receiveConnector{cfg: c.clone()})
	}
	for _, c := range cfg.SendConnectors {
		c = cloneSend(c).withDefaults()
		if err := o.validateSend(c, ""); err != nil {
			errs = append(errs, err)
			continue
		}
		o.send = append(o.send, &c)
	}
	return errors.Join(errs...)
}

// setup is what Exchange setup leaves on a server: its self-signed certificate (in My and
// trusted as a root), the default trust, and the internal transport certificate.
func (o *Organization) setup(s *Server, trust pki.TrustStore) error {
	var setupCert *ExchangeCertificate
	for i := range s.Certificates {
		e := &s.Certificates[i]
		if e.Certificate.IsSelfSigned() && strings.EqualFold(e.Certificate.Subject(), "CN="+s.Name) {
			setupCert = e
			break
		}
	}
	if setupCert == nil && !s.NoSetupCertificate {
		c, err := o.pki.Issue(pki.Request{Profile: pki.SelfSigned, ServerName: s.Name, ServerFQDN: s.Fqdn})
		if err != nil {
			return fmt.Errorf("fakeonprem: server %q: issuing Exchange setup's self-signed certificate: %w", s.Name, err)
		}
		s.Certificates = append([]ExchangeCertificate{{Certificate: c, Services: IMAP | POP | IIS | SMTP,
			FriendlyName: "Microsoft Exchange"}}, s.Certificates...)
		setupCert = &s.Certificates[0]
	}
	if s.TrustedRoots == nil {
		s.TrustedRoots = trust.Roots
	}
	if s.Intermediates == nil {
		s.Intermediates = trust.Intermediates
	}
	// The server owns its stores: Import-Certificate and Remove-Item change
	// them in place, and must not reach the caller's slices or another server.
	s.TrustedRoots = slices.Clone(s.TrustedRoots)
	s.Intermediates = slices.Clone(s.Intermediates)
	if setupCert == nil {
		return nil // NoSetupCertificate
	}
	s.TrustedRoots = append(s.TrustedRoots, setupCert.Certificate.Leaf)
	if s.TransportService.InternalTransportCertificateThumbprint == "" && !s.EmptyInternalTransportCertificate {
		s.TransportService.InternalTransportCertificateThumbprint = setupCert.Certificate.Thumbprint()
	}
	return nil
}

// isAccepted reports whether a domain is an accepted domain. Callers hold o.mu.
func (o *Organization) isAccepted(domain string) bool {
	return slices.ContainsFunc(o.accepted, func(d string) bool { return strings.EqualFold(d, domain) })
}

// server finds a server by name (case-insensitive). Callers hold o.mu or are configuring.
func (o *Organization) server(name string) *server {
	for _, s := range o.servers {
		if strings.EqualFold(s.cfg.Name, name) {
			return s
		}
	}
	return nil
}

// lookup is server for the cmdlets: an error names the server and the ones there are.
func (o *Organization) lookup(name string) (*server, error) {
	if s := o.server(name); s != nil {
		return s, nil
	}
	var names []string
	for _, s := range o.servers {
		names = append(names, s.cfg.Name)
	}
	return nil, fmt.Errorf("fakeonprem: server %q not found: the organization's servers are %s", name, strings.Join(names, ", "))
}

// listen binds a receive connector's listeners: every binding on every matching address of
// the server. Callers hold o.mu.
func (s *server) listen(rc *receiveConnector) error {
	addrs, err := s.bindings(rc.cfg)
	if err != nil {
		return err
	}
	fqdn := rc.cfg.Fqdn
	if fqdn == "" {
		fqdn = s.cfg.Fqdn
	}
	for _, a := range addrs {
		ln, err := s.org.net.Listen(a)
		if err != nil {
			return fmt.Errorf("fakeonprem: receive connector \"%s\": Bindings %v: %w", rc.cfg.identity(), a, err)
		}
		srv, err := smtpd.NewServer(smtpd.Config{
			Listener: ln, Hostname: fqdn, Dialect: s.dialect(), Policy: s.policy(rc),
			Sink: s.logs.sink(s.receiveFolder(rc.cfg)), ConnectorID: rc.cfg.identity(),
			Clock: localClock{s.org.clock, s.zone}, SessionIDs: s.nextSessionID,
		})
		if err != nil {
			ln.Close()
			return fmt.Errorf("fakeonprem: receive connector \"%s\": %w", rc.cfg.identity(), err)
		}
		rc.listeners = append(rc.listeners, &listener{addr: a, srv: srv, real: ln.Addr()})
	}
	return nil
}

// bindings resolves a connector's Bindings to the server's simulated addresses: 0.0.0.0 and
// [::] stand for every address of the server.
func (s *server) bindings(c ReceiveConnector) ([]netip.AddrPort, error) {
	var out []netip.AddrPort
	for _, b := range c.Bindings {
		ap, err := netip.ParseAddrPort(b)
		if err != nil {
			return nil, fmt.Errorf("fakeonprem: receive connector \"%s\": Bindings %q: write IPAddress:Port, e.g. 0.0.0.0:25", c.identity(), b)
		}
		for _, ip := range s.cfg.IPAddresses {
			if ap.Addr().IsUnspecified() || ap.Addr() == ip {
				if a := netip.AddrPortFrom(ip, ap.Port()); !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
	}
	return out, nil
}

// nextSessionID is the server's SMTP session ids, receive and send alike: .NET ticks of a
// moment before the session, unique per server (smtpd.TickSessionIDs).
func (s *server) nextSessionID() string { return s.sessionIDs() }

// Endpoints lists every receive connector's listeners, server by server.
func (o *Organization) Endpoints() []Endpoint {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Endpoint
	for _, s := range o.servers {
		for _, rc := range s.connectors {
			for _, l := range rc.listeners {
				out = append(out, Endpoint{Server: s.cfg.Name, Role: s.cfg.Role, Connector: rc.cfg.Name, Host: s.cfg.Fqdn,
					Address: l.addr, Real: l.real})
			}
		}
	}
	return out
}

// smtpServers returns every running receive server.
func (o *Organization) smtpServers() []*smtpd.Server {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*smtpd.Server
	for _, s := range o.servers {
		for _, rc := range s.connectors {
			for _, l := range rc.listeners {
				out = append(out, l.srv)
			}
		}
	}
	return out
}

// WaitIdle blocks until every receive session has finished: its hooks returned and its last
// protocol log record written.
func (o *Organization) WaitIdle() {
	for _, srv := range o.smtpServers() {
		srv.WaitIdle()
	}
}

// WaitLabIdle is WaitIdle for the sessions the lab's own clients opened (through the lab
// network's dialer): sessions of tools outside the lab are not waited for, so an idle outside
// client never holds up deliveries. A message an outside session hands in is queued when its
// 250 goes out and runs at the lab's next RunDue.
func (o *Organization) WaitLabIdle() {
	for _, srv := range o.smtpServers() {
		srv.WaitLabIdle()
	}
}

// Close stops every listener and waits for every session; it is idempotent and returns the
// first error a listener reported.
func (o *Organization) Close() error {
	o.closeOnce.Do(func() {
		srvs := o.smtpServers()
		o.mu.Lock()
		o.closed = true
		for _, s := range o.servers {
			for _, rc := range s.connectors {
				rc.listeners = nil
			}
		}
		o.mu.Unlock()
		for _, srv := range srvs {
			o.closeErr = errors.Join(o.closeErr, srv.Close())
		}
	})
	return o.closeErr
}
