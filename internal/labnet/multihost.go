package labnet

import (
	"fmt"
	"net/netip"
	"slices"
)

// AddHostAddress gives a simulated host name one more address: several
// servers behind one namespace (two Front End servers published as
// mail.contoso.com). LookupHost returns a name's addresses in the order
// they were added, which is the order senders try them in.
func (n *Network) AddHostAddress(name string, addr netip.Addr) error {
	name = canonicalName(name)
	if name == "" || !addr.IsValid() {
		return fmt.Errorf("labnet: host %q with address %v: both a name and an address are required", name, addr)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	first, ok := n.hosts[name]
	switch {
	case !ok:
		n.hosts[name] = addr
	case first == addr || slices.Contains(n.more[name], addr):
	default:
		if n.more == nil {
			n.more = map[string][]netip.Addr{}
		}
		n.more[name] = append(n.more[name], addr)
	}
	return nil
}
