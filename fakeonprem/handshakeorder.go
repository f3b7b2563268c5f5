package fakeonprem

import "errors"

// The reasons a chosen STARTTLS certificate cannot be used.
var (
	errNoPrivateKey    = errors.New("fakeonprem: the certificate has no private key: the transport service has nothing to sign with")
	errKeyInaccessible = errors.New("fakeonprem: the certificate is not enabled for SMTP: the transport service cannot use its key")
)

// unusableCertificate is the order of checks inside one handshake: a
// certificate the receiving server's rules chose but cannot use — no
// private key (S11, KB 4495258: NoCredentials), or not enabled for SMTP
// (S12, KB 4051498: UnknownCredentials) — fails on that server's side
// before it sends any certificate, so the sender never judges a chain the
// server could not have used, and each documented fix (import the PFX,
// Enable-ExchangeCertificate -Services SMTP) clears the symptom it belongs
// to. It returns why the certificate cannot be used, or nil.
func unusableCertificate(hasPrivateKey bool, services Services) error {
	switch {
	case !hasPrivateKey:
		return errNoPrivateKey
	case services&SMTP == 0:
		return errKeyInaccessible
	}
	return nil
}

// credentialsError is the protocol log's TLS failure for an unusable
// certificate (S11, S12).
func credentialsError(why error) string {
	if errors.Is(why, errNoPrivateKey) {
		return tlsNoCredentials
	}
	return tlsUnknownCredentials
}
