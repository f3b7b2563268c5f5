package sim

import "fmt"

// publish gives a server's names its first address: its FQDN alone, its
// published host names shared with any other server that publishes them
// (DNS round robin).
func (l *Lab) publish(s Server) error {
	if len(s.IPAddresses) == 0 {
		return nil
	}
	if s.Fqdn != "" {
		if err := l.network.AddHost(s.Fqdn, s.IPAddresses[0]); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	for _, name := range s.HostNames {
		if name == "" {
			continue
		}
		if err := l.network.AddAddress(name, s.IPAddresses[0]); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	return nil
}
