package sim

import (
	"context"
	"net"
	"net/netip"

	"github.com/hybridsim/hybridsim/internal/labnet"
)

// Firewall is what a firewall in front of a simulated destination does to
// new connections (failure catalogue F10).
type Firewall int

// What a firewall does.
const (
	// Allow lets connections through (the default).
	Allow Firewall = iota
	// Drop discards connection attempts: the sender sees a timeout
	// (EXO: 450 4.4.315 Connection timed out). Nothing waits for it.
	Drop
	// Reject answers with a TCP reset: the sender sees "connection
	// refused" (EXO: 450 4.4.316 Connection refused).
	Reject
)

// SetFirewall sets what happens to new connections to a simulated address
// and port, such as the hybrid server's 203.0.113.10:25.
func (l *Lab) SetFirewall(dst netip.AddrPort, f Firewall) {
	rule := labnet.Allow
	switch f {
	case Drop:
		rule = labnet.Drop
	case Reject:
		rule = labnet.Reject
	}
	l.network.SetFirewall(dst, rule)
}

// DialFrom opens a connection inside the lab as a simulated host would:
// from a host name or address of the lab to a simulated address:port or
// host:port, through the lab's resolver and firewalls. Nothing outside the
// lab can be reached.
func (l *Lab) DialFrom(ctx context.Context, from, address string) (net.Conn, error) {
	return l.network.DialFrom(ctx, from, address)
}
