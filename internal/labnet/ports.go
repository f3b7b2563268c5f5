package labnet

import (
	"fmt"
	"net/netip"
)

// SetPortBase makes the listeners bound from now on take fixed real ports:
// the n-th Listen of the network (counting from 1) binds 127.0.0.1:base+n,
// so a lab whose listeners are bound in the same order gets the same ports on
// every run. base 0 (the default) binds ephemeral ports. A port pinned with
// PinPort wins over the base.
func (n *Network) SetPortBase(base int) error {
	if base < 0 || base > 65535 {
		return fmt.Errorf("labnet: port base %d is not a port number: give 1024-65535, or 0 for ephemeral ports", base)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.portBase = base
	return nil
}

// PinPort makes the listener for the simulated address sim bind the real
// loopback port, e.g. to bring a lab back on the ports it had before.
func (n *Network) PinPort(sim netip.AddrPort, port int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pinned == nil {
		n.pinned = map[netip.AddrPort]int{}
	}
	n.pinned[sim] = port
}

// RealPorts returns the real port of every listener, by simulated address.
func (n *Network) RealPorts() map[netip.AddrPort]int {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make(map[netip.AddrPort]int, len(n.listeners))
	for sim, l := range n.listeners {
		if ap, err := netip.ParseAddrPort(l.real); err == nil {
			out[sim] = int(ap.Port())
		}
	}
	return out
}

// realPort chooses the real port for the next listener of sim: pinned, from
// the base, or 0 (ephemeral). Callers hold n.mu.
func (n *Network) realPort(sim netip.AddrPort) (int, error) {
	n.bound++
	if p, ok := n.pinned[sim]; ok {
		return p, nil
	}
	if n.portBase == 0 {
		return 0, nil
	}
	p := n.portBase + n.bound
	if p > 65535 {
		return 0, fmt.Errorf("labnet: port base %d leaves no port for listener %d (%v): give a lower --port-base", n.portBase, n.bound, sim)
	}
	return p, nil
}
