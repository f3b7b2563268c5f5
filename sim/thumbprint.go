package sim

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

// orgPrefix is an organization's path in a lab file.
func orgPrefix(oi int) string {
	if oi == 0 {
		return "OnPrem"
	}
	return fmt.Sprintf("Internet[%d]", oi-1)
}

// thumbprintOf resolves a value where Exchange stores a thumbprint: a lab
// certificate's Name stands for its thumbprint, so that a lab file need
// not spell one out; anything else is taken as a thumbprint.
func (l *Lab) thumbprintOf(value string) string {
	if c, ok := l.Certificates[strings.ToLower(strings.TrimSpace(value))]; ok && value != "" {
		return c.Thumbprint()
	}
	return value
}

// checkThumbprints refuses a thumbprint a lab file gave that names no
// certificate in the server's store (Exchange would take it and fail at
// the first session; a lab file that means to reproduce that failure
// removes the certificate with Remove: $true, or runs the catalogue's F24).
func (l *Lab) checkThumbprints(oi int, org *Organization, o *fakeonprem.Organization) error {
	for si, s := range org.Servers {
		at := fmt.Sprintf("%s.Servers[%d].TransportService.InternalTransportCertificateThumbprint", orgPrefix(oi), si)
		want := l.thumbprintOf(s.TransportService.InternalTransportCertificateThumbprint)
		if want == "" || !l.cfg.givenByFile(at) || isThumbprint(want) {
			// A configuration built in Go, or a well-formed thumbprint (F24's
			// state; a customer's, imported as evidence), may name a
			// certificate that is gone; a value that is neither a thumbprint
			// nor a certificate's Name is a mistake in the file.
			continue
		}
		certs, err := o.GetExchangeCertificate(s.Name, "")
		if err != nil {
			return err
		}
		var have []string
		for _, c := range certs {
			if strings.EqualFold(c.Certificate.Thumbprint(), want) {
				return nil
			}
			have = append(have, c.Certificate.Thumbprint())
		}
		return l.cfg.fieldError(at,
			fmt.Errorf("%q is neither a thumbprint nor the Name of a certificate in %s's store (it holds %s); give a thumbprint from Get-ExchangeCertificate, or the Name of one of the lab's Certificates that %s holds",
				want, s.Name, strings.Join(have, ", "), s.Name))
	}
	return nil
}

// resolveCertificateNames lets a connector's TlsCertificateName be a lab
// certificate's Name: it becomes "<I>issuer<S>subject" as the wizard
// writes it, so a lab file can name a certificate whose issuer it does
// not spell out.
func (l *Lab) resolveCertificateNames(cfg *fakeonprem.Config) {
	name := func(v string) string {
		if c, ok := l.Certificates[strings.ToLower(strings.TrimSpace(v))]; ok && v != "" && !strings.Contains(v, "<") {
			return c.TlsCertificateName().String()
		}
		return v
	}
	rcs := make([]fakeonprem.ReceiveConnector, len(cfg.ReceiveConnectors))
	for i, rc := range cfg.ReceiveConnectors {
		rc.TlsCertificateName = name(rc.TlsCertificateName)
		rcs[i] = rc
	}
	scs := make([]fakeonprem.SendConnector, len(cfg.SendConnectors))
	for i, sc := range cfg.SendConnectors {
		sc.TlsCertificateName = name(sc.TlsCertificateName)
		scs[i] = sc
	}
	cfg.ReceiveConnectors, cfg.SendConnectors = rcs, scs
}

// givenByFile reports whether a lab file gave the value at path itself.
func (c *Config) givenByFile(path string) bool {
	if c.src == nil {
		return false
	}
	_, ok := c.src.fields[path]
	return ok
}

// isThumbprint reports whether a value is written as a thumbprint: 40
// hexadecimal digits.
func isThumbprint(v string) bool {
	if len(v) != 40 {
		return false
	}
	for _, r := range v {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}
