package labnet

import (
	"fmt"
	"net/netip"
)

// roundRobin holds the host names that have several addresses, as DNS
// round robin publishes one name for several servers (two Frontend
// servers behind mail.contoso.com, failure catalogue F03).
type roundRobin struct {
	addrs map[string][]netip.Addr // name -> every address, in the order added
	turn  map[string]int          // name -> lookups so far
}

// AddAddress gives a host name one more address. LookupHost returns a
// name's addresses in turn: each lookup starts one further along, as a
// DNS server rotates round-robin records, so a client that connects to
// the first address reaches each server in turn.
func (n *Network) AddAddress(name string, addr netip.Addr) error {
	name = canonicalName(name)
	if name == "" || !addr.IsValid() {
		return fmt.Errorf("labnet: host %q with address %v: both a name and an address are required", name, addr)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	first, ok := n.hosts[name]
	if !ok {
		n.hosts[name] = addr
		return nil
	}
	if n.rr.addrs == nil {
		n.rr.addrs, n.rr.turn = map[string][]netip.Addr{}, map[string]int{}
	}
	all := n.rr.addrs[name]
	if all == nil {
		all = []netip.Addr{first}
	}
	for _, a := range all {
		if a == addr {
			return nil
		}
	}
	n.rr.addrs[name] = append(all, addr)
	return nil
}

// rotated returns a name's addresses starting at its next turn, or nil if
// it has one address; n.mu is held.
func (n *Network) rotated(name string) []string {
	all := n.rr.addrs[name]
	if len(all) < 2 {
		return nil
	}
	start := n.rr.turn[name] % len(all)
	n.rr.turn[name]++
	out := make([]string, 0, len(all))
	for i := range all {
		out = append(out, all[(start+i)%len(all)].String())
	}
	return out
}
