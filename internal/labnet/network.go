// Package labnet is the lab's virtual network: simulated host names,
// addresses and MX records, with listeners that are real TCP sockets on
// loopback. The lab (package sim) builds one per lab; the fakes' tests use it
// directly. Nothing in it resolves real DNS or dials outside the lab.
package labnet

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// Network is the lab's virtual network: simulated host names and addresses,
// MX records, and listeners that are real TCP sockets on loopback.
//
// Every connection inside the lab is a real socket, but both ends see
// simulated addresses: a listener bound for 203.0.113.10:25 accepts on an
// ephemeral loopback port, and the connections it returns report
// 203.0.113.10:25 as their local address and the dialing host's simulated
// address (with a per-host source port counter) as their remote address.
// The dialer records which simulated host opened each connection before the
// listener can see it, so attribution by source address (EXO's
// SenderIPAddresses) and protocol logs never show a real port.
//
// Nothing resolves real DNS and nothing dials outside the lab: a dial to an
// address that is not a lab listener fails as "connection refused", with an
// error that says so.
type Network struct {
	mu        sync.Mutex
	changed   *sync.Cond // signalled when an in-flight dial registers or fails
	bind      netip.Addr
	hosts     map[string]netip.Addr
	mx        map[string][]*net.MX
	listeners map[netip.AddrPort]*listener
	nextPort  map[netip.Addr]uint16
	inflight  map[string]int              // real listener address -> lab dials in flight
	origins   map[string]netip.AddrPort   // real client address -> simulated source
	rules     map[netip.AddrPort]Firewall // destination -> what the firewall does
	rr        roundRobin                  // names with several addresses
	portBase  int                         // SetPortBase; 0: ephemeral ports
	pinned    map[netip.AddrPort]int      // PinPort
	bound     int                         // listeners bound so far
}

// Firewall is what a firewall in front of a destination does to new
// connections (failure catalogue F10).
type Firewall int

const (
	// Allow lets connections through (the default).
	Allow Firewall = iota
	// Drop discards connection attempts silently: the dialer sees a timeout
	// (EXO: 450 4.4.315 Connection timed out). The lab does not wait for it.
	Drop
	// Reject answers connection attempts with a TCP reset: the dialer sees
	// "connection refused" (EXO: 450 4.4.316 Connection refused).
	Reject
)

// firstSourcePort is where each simulated host's source ports start (the
// IANA dynamic range).
const firstSourcePort = 49152

// NewNetwork returns an empty network whose listeners bind the loopback
// address 127.0.0.1.
func NewNetwork() *Network {
	n := &Network{
		bind:      netip.MustParseAddr("127.0.0.1"),
		hosts:     map[string]netip.Addr{},
		mx:        map[string][]*net.MX{},
		listeners: map[netip.AddrPort]*listener{},
		nextPort:  map[netip.Addr]uint16{},
		inflight:  map[string]int{},
		origins:   map[string]netip.AddrPort{},
		rules:     map[netip.AddrPort]Firewall{},
	}
	n.changed = sync.NewCond(&n.mu)
	return n
}

// AddHost gives a simulated host name an address (an A record). Several names
// may share one address.
func (n *Network) AddHost(name string, addr netip.Addr) error {
	name = canonicalName(name)
	if name == "" || !addr.IsValid() {
		return fmt.Errorf("labnet: host %q with address %v: both a name and an address are required", name, addr)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if old, ok := n.hosts[name]; ok && old != addr {
		return fmt.Errorf("labnet: host %s already has address %v; remove it before giving it %v", name, old, addr)
	}
	n.hosts[name] = addr
	return nil
}

// AddMX adds an MX record for domain pointing at host with the given
// preference.
func (n *Network) AddMX(domain string, pref uint16, host string) {
	domain = canonicalName(domain)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.mx[domain] = append(n.mx[domain], &net.MX{Host: canonicalName(host) + ".", Pref: pref})
	sort.SliceStable(n.mx[domain], func(i, j int) bool { return n.mx[domain][i].Pref < n.mx[domain][j].Pref })
}

// LookupHost returns the simulated addresses of a host name, or a
// *net.DNSError with IsNotFound set.
func (n *Network) LookupHost(_ context.Context, name string) ([]string, error) {
	if addr, err := netip.ParseAddr(name); err == nil {
		return []string{addr.String()}, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if all := n.rotated(canonicalName(name)); all != nil {
		return all, nil
	}
	addr, ok := n.hosts[canonicalName(name)]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	return []string{addr.String()}, nil
}

// LookupMX returns the MX records of a domain, lowest preference first, or a
// *net.DNSError with IsNotFound set.
func (n *Network) LookupMX(_ context.Context, domain string) ([]*net.MX, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	recs := n.mx[canonicalName(domain)]
	if len(recs) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: domain, IsNotFound: true}
	}
	out := make([]*net.MX, len(recs))
	for i, r := range recs {
		c := *r
		out[i] = &c
	}
	return out, nil
}

// SetFirewall sets what happens to new connections to a simulated
// destination.
func (n *Network) SetFirewall(dst netip.AddrPort, f Firewall) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if f == Allow {
		delete(n.rules, dst)
		return
	}
	n.rules[dst] = f
}

// Listen binds a real loopback socket for the simulated address addr. The
// returned listener's Addr is the real socket address (what an outside tool
// connects to); the connections it accepts report simulated addresses.
func (n *Network) Listen(addr netip.AddrPort) (net.Listener, error) {
	n.mu.Lock()
	if _, ok := n.listeners[addr]; ok {
		n.mu.Unlock()
		return nil, fmt.Errorf("labnet: %v already has a listener; close it before listening again", addr)
	}
	port, err := n.realPort(addr)
	n.mu.Unlock()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", netip.AddrPortFrom(n.bind, uint16(port)).String())
	if err != nil {
		return nil, fmt.Errorf("labnet: listen for %v: %w", addr, err)
	}
	l := &listener{Listener: ln, net: n, sim: addr, real: ln.Addr().String()}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.listeners[addr] = l
	return l, nil
}

// DialFrom connects to address ("ip:port" or "name:port") on behalf of the
// simulated host from (a name or an address). It is what the fakes' send
// connectors and EXO's outbound delivery use.
func (n *Network) DialFrom(ctx context.Context, from, address string) (net.Conn, error) {
	return n.Dialer(from).DialContext(ctx, "tcp", address)
}

// Dialer returns a dialer for the simulated host named from: connections it
// opens come from that host's address. Its DialContext accepts "ip:port" or
// "name:port" (names resolve through the lab's A records).
func (n *Network) Dialer(from string) *Dialer { return &Dialer{net: n, from: canonicalName(from)} }

// Dialer opens connections inside the lab on behalf of one simulated host.
type Dialer struct {
	net  *Network
	from string
}

// DialContext connects to address ("ip:port" or "name:port") inside the lab.
// Errors are the ones a real dialer gives: connection refused, a timeout
// (net.Error with Timeout() true) for a dropping firewall, or a
// *net.DNSError for an unknown name.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if network != "tcp" && network != "tcp4" {
		return nil, fmt.Errorf("labnet: dial %s %s: the lab only carries tcp", network, address)
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("labnet: dial %s: %w", address, err)
	}
	addrs, err := d.net.LookupHost(ctx, host)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
	}
	dst, err := netip.ParseAddrPort(net.JoinHostPort(addrs[0], port))
	if err != nil {
		return nil, fmt.Errorf("labnet: dial %s: %w", address, err)
	}
	src, err := d.net.LookupHost(ctx, d.from)
	if err != nil {
		return nil, fmt.Errorf("labnet: dialer for %q: the source host has no address in the lab: %w", d.from, err)
	}
	return d.net.dial(ctx, netip.MustParseAddr(src[0]), dst)
}

// dial connects a simulated source to a simulated destination.
func (n *Network) dial(ctx context.Context, from netip.Addr, to netip.AddrPort) (net.Conn, error) {
	tcpTo := net.TCPAddrFromAddrPort(to)
	n.mu.Lock()
	switch n.rules[to] {
	case Drop:
		n.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: tcpTo, Err: os.ErrDeadlineExceeded}
	case Reject:
		n.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: tcpTo, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	l, ok := n.listeners[to]
	if !ok {
		n.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: tcpTo, Err: &notInLab{addr: to}}
	}
	port := n.nextPort[from]
	if port < firstSourcePort {
		port = firstSourcePort
	}
	n.nextPort[from] = port + 1
	if port == 65535 {
		n.nextPort[from] = firstSourcePort
	}
	src := netip.AddrPortFrom(from, port)
	n.inflight[l.real]++
	n.mu.Unlock()

	var nd net.Dialer
	raw, err := nd.DialContext(ctx, "tcp", l.real)

	n.mu.Lock()
	n.inflight[l.real]--
	if err == nil {
		n.origins[raw.LocalAddr().String()] = src
	}
	n.changed.Broadcast()
	n.mu.Unlock()
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: tcpTo, Err: err}
	}
	return &conn{Conn: raw, local: net.TCPAddrFromAddrPort(src), remote: tcpTo, dialed: true}, nil
}

// origin returns the simulated source of an accepted connection. A
// connection opened by the lab's dialer is registered before its dial
// returns; while a lab dial to this listener is in flight, wait for it. A
// connection nobody registered comes from outside the lab and keeps its real
// address; dialed is false for it.
func (n *Network) origin(l *listener, real net.Addr) (addr net.Addr, dialed bool) {
	key := real.String()
	n.mu.Lock()
	defer n.mu.Unlock()
	for {
		if src, ok := n.origins[key]; ok {
			delete(n.origins, key)
			return net.TCPAddrFromAddrPort(src), true
		}
		if n.inflight[l.real] == 0 {
			return real, false
		}
		n.changed.Wait()
	}
}

func (n *Network) forget(l *listener) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.listeners[l.sim] == l {
		delete(n.listeners, l.sim)
	}
}

// listener is a real loopback listener standing for a simulated address.
type listener struct {
	net.Listener
	net  *Network
	sim  netip.AddrPort
	real string
	once sync.Once
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	remote, dialed := l.net.origin(l, c.RemoteAddr())
	return &conn{Conn: c, local: net.TCPAddrFromAddrPort(l.sim), remote: remote, dialed: dialed}, nil
}

func (l *listener) Close() error {
	l.once.Do(func() { l.net.forget(l) })
	return l.Listener.Close()
}

// conn is a real connection that reports simulated addresses.
type conn struct {
	net.Conn
	local, remote net.Addr
	dialed        bool // the lab's dialer opened it
}

// LabDialed reports whether the lab's own dialer opened the connection: false
// for a connection an outside tool made to a listener's real address. The
// SMTP engine waits only for the sessions of lab-dialed connections before
// the lab moves on (internal/smtpd's Server.WaitLabIdle).
func (c *conn) LabDialed() bool { return c.dialed }

func (c *conn) LocalAddr() net.Addr  { return c.local }
func (c *conn) RemoteAddr() net.Addr { return c.remote }

// notInLab is the error for a dial to an address no lab listener holds.
type notInLab struct{ addr netip.AddrPort }

func (e *notInLab) Error() string {
	return fmt.Sprintf("connection refused: %v is not a lab listener (the lab never dials outside itself; add the host and its listener to the lab)", e.addr)
}

// Is makes a dial outside the lab look like any refused connection.
func (e *notInLab) Is(target error) bool { return target == syscall.ECONNREFUSED }

func canonicalName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}
