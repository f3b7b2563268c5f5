package pki

import (
	"errors"
	"fmt"
)

// Errors a caller may test for with errors.Is. The errors returned wrap
// them with the certificate's thumbprint and subject and what to do.
var (
	// ErrNoPrivateKey is wrapped when a certificate has no private key
	// (HasPrivateKey False).
	ErrNoPrivateKey = errors.New("pki: certificate has no private key")
	// ErrKeyNotExportable is wrapped when a certificate's key may not be
	// exported (PrivateKeyExportable False).
	ErrKeyNotExportable = errors.New("pki: private key is not exportable")
)

func errNoKey(c *Certificate, consequence string) error {
	return fmt.Errorf("%w: thumbprint %s (%s) has HasPrivateKey False, so %s", ErrNoPrivateKey, c.Thumbprint(), c.Subject(), consequence)
}

func errNotExportable(c *Certificate) error {
	return fmt.Errorf("%w: thumbprint %s (%s) has PrivateKeyExportable False, so Export-ExchangeCertificate refuses it (S16, S18); export the certificate alone with PEM, or import it with an exportable key (Import-ExchangeCertificate -PrivateKeyExportable $true, i.e. Certificate.Exportable)", ErrKeyNotExportable, c.Thumbprint(), c.Subject())
}
