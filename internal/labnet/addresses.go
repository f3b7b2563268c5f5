package labnet

// AddressesOf returns every address of a host name, in the order they were
// added, without taking a round-robin turn: for a server that asks whether
// an address is one of a name's (Exchange Online recognising the tenant's
// on-premises hosts) rather than where to connect. Nil for an unknown
// name.
func (n *Network) AddressesOf(name string) []string {
	name = canonicalName(name)
	n.mu.Lock()
	defer n.mu.Unlock()
	if all := n.rr.addrs[name]; len(all) > 0 {
		out := make([]string, 0, len(all))
		for _, a := range all {
			out = append(out, a.String())
		}
		return out
	}
	if a, ok := n.hosts[name]; ok {
		return []string{a.String()}
	}
	return nil
}
