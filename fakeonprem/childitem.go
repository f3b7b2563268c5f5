package fakeonprem

import (
	"crypto/x509"
	"slices"
)

// GetChildItem is `Get-ChildItem Cert:\LocalMachine\Root` (or `\CA`) on a server: the
// certificates of its trusted-root or intermediate store, in store order. The slice is a
// copy; the certificates are shared and must not be changed.
func (o *Organization) GetChildItem(serverName, path string) ([]*x509.Certificate, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return nil, err
	}
	list, err := s.certStore(path)
	if err != nil {
		return nil, err
	}
	return slices.Clone(*list), nil
}
