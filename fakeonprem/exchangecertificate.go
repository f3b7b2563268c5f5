package fakeonprem

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
	"software.sslmate.com/src/go-pkcs12"
)

// ExchangeCertificate is an entry of a server's "LocalMachine\My" store as
// Get-ExchangeCertificate shows it: the certificate (pki gives Thumbprint, Subject, Issuer,
// CertificateDomains, NotBefore, NotAfter, IsSelfSigned, HasPrivateKey, SerialNumber) and
// what the store keeps beside it.
type ExchangeCertificate struct {
	Certificate *pki.Certificate
	// Services the certificate is enabled for (Enable-ExchangeCertificate).
	Services Services
	// PrivateKeyExportable decides Export-ExchangeCertificate (S16); it overrides
	// Certificate.Exportable.
	PrivateKeyExportable bool
	FriendlyName         string
	// Identity ("<server FQDN>\<thumbprint>") and Status (Valid, Untrusted, Revoked,
	// DateInvalid, RevocationCheckFailure, Invalid: the chain as this server judges it) are
	// filled in by GetExchangeCertificate; configuration leaves them empty.
	Identity, Status string
}

// entry finds a store entry by thumbprint. Callers hold o.mu.
func (s *server) entry(thumbprint string) (*ExchangeCertificate, error) {
	for _, e := range s.store {
		if strings.EqualFold(e.Certificate.Thumbprint(), thumbprint) {
			return e, nil
		}
	}
	return nil, fmt.Errorf("fakeonprem: server %q: no certificate with thumbprint %q in LocalMachine\\My; Get-ExchangeCertificate lists them", s.cfg.Name, thumbprint)
}

// certificate finds a server and one of its store entries. Callers hold o.mu.
func (o *Organization) certificate(serverName, thumbprint string) (*server, *ExchangeCertificate, error) {
	s, err := o.lookup(serverName)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.entry(thumbprint)
	return s, e, err
}

// view is an entry as Get-ExchangeCertificate returns it.
func (s *server) view(e *ExchangeCertificate) ExchangeCertificate {
	v := *e
	v.Identity = s.cfg.Fqdn + `\` + e.Certificate.Thumbprint()
	v.Status = certificateStatus(s.ownStatus(e.Certificate))
	return v
}

// rules are the organization's selection options.
func (o *Organization) rules() rules {
	return rules{tieBreak: o.opts.TieBreak, smtp: o.opts.SMTPEligibility}
}

// GetExchangeCertificate is Get-ExchangeCertificate -Server server [-DomainName domainName]:
// without a domain name, the store in its order; with one, the certificates whose subject or
// SANs match it, in the order selection considers them, so the first is the one a connector
// with that FQDN selects when it can select one (S16 example 4; doc.go).
func (o *Organization) GetExchangeCertificate(serverName, domainName string) ([]ExchangeCertificate, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return nil, err
	}
	list := s.store
	if domainName != "" {
		list, _ = ordered(s.store, query{fqdn: domainName}, o.rules(), s.validPKI)
	}
	var out []ExchangeCertificate
	for _, e := range list {
		out = append(out, s.view(e))
	}
	return out, nil
}

// NewExchangeCertificate is New-ExchangeCertificate with its defaults: a self-signed
// certificate for the server (CN=<Name>, SANs Name and Fqdn, valid five years from now, key not
// exportable, trusted as a root like setup's), enabled for services. With SMTP, overwrite is
// the answer to the prompt to overwrite the default SMTP certificate (see
// EnableExchangeCertificate).
func (o *Organization) NewExchangeCertificate(serverName string, services Services, overwrite bool) (ExchangeCertificate, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return ExchangeCertificate{}, err
	}
	now := o.clock.Now()
	c, err := o.pki.Issue(pki.Request{Profile: pki.SelfSigned, ServerName: s.cfg.Name, ServerFQDN: s.cfg.Fqdn,
		NotBefore: now, NotAfter: now.AddDate(5, 0, 0)})
	if err != nil {
		return ExchangeCertificate{}, fmt.Errorf("fakeonprem: New-ExchangeCertificate on %q: %w", s.cfg.Name, err)
	}
	e := &ExchangeCertificate{Certificate: c}
	s.store = append(s.store, e)
	s.cfg.TrustedRoots = append(s.cfg.TrustedRoots, c.Leaf)
	s.enable(e, services, overwrite)
	return s.view(e), nil
}

// parseCertificateFile reads a .cer, .crt or .der file: DER or PEM.
func parseCertificateFile(data []byte) (*x509.Certificate, error) {
	if block, _ := pem.Decode(data); block != nil && block.Type == "CERTIFICATE" {
		data = block.Bytes
	}
	return x509.ParseCertificate(data)
}

// ImportExchangeCertificate is Import-ExchangeCertificate -FileData -Password
// [-PrivateKeyExportable]: the PFX's leaf joins the store with no service (run
// EnableExchangeCertificate next), its intermediates join the server's CA store (INFER). A
// .cer, .crt or .der file (DER or PEM, S16) imports the certificate without a private key.
func (o *Organization) ImportExchangeCertificate(serverName string, fileData []byte, password string, privateKeyExportable bool) (ExchangeCertificate, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return ExchangeCertificate{}, err
	}
	c, err := pki.ImportPFX(fileData, password)
	if err != nil {
		leaf, cerErr := parseCertificateFile(fileData)
		switch {
		case cerErr != nil && errors.Is(err, pkcs12.ErrIncorrectPassword):
			return ExchangeCertificate{}, fmt.Errorf("fakeonprem: Import-ExchangeCertificate on %q: FileData: %w", s.cfg.Name, err)
		case cerErr != nil:
			return ExchangeCertificate{}, fmt.Errorf("fakeonprem: Import-ExchangeCertificate on %q: FileData is neither a PFX (PKCS#12) file nor a certificate file (.cer, .crt, .der; DER or PEM); export the certificate with its key as a PFX, or the certificate alone as a .cer", s.cfg.Name)
		}
		// A .cer/.crt/.der file (S16): the certificate alone, without its private key.
		c = &pki.Certificate{Leaf: leaf, PresentChain: true}
	}
	if _, err := s.entry(c.Thumbprint()); err == nil {
		return ExchangeCertificate{}, fmt.Errorf("fakeonprem: Import-ExchangeCertificate on %q: the certificate with thumbprint %s is already in LocalMachine\\My", s.cfg.Name, c.Thumbprint())
	}
	e := &ExchangeCertificate{Certificate: c, PrivateKeyExportable: privateKeyExportable}
	s.store = append(s.store, e)
	for _, ca := range c.Chain {
		if !containsCert(s.cfg.Intermediates, ca) {
			s.cfg.Intermediates = append(s.cfg.Intermediates, ca)
		}
	}
	return s.view(e), nil
}

// EnableExchangeCertificate is Enable-ExchangeCertificate -Thumbprint -Services. The services
// replace the certificate's set, as KB 2888788's fix (S10) relies on to unbind SMTP (conflict
// C4: S16 calls them additive; doc.go). With SMTP, overwrite is the answer to the prompt to
// overwrite the default SMTP certificate: yes makes the certificate the internal transport
// certificate (InternalTransportCertificateThumbprint, S2, S9, S14); when the server has no
// loadable internal certificate the thumbprint is set without asking (S3's fix for 12012).
// SMTP needs the private key.
func (o *Organization) EnableExchangeCertificate(serverName, thumbprint string, services Services, overwrite bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, e, err := o.certificate(serverName, thumbprint)
	if err != nil {
		return err
	}
	if services&SMTP != 0 && !e.Certificate.HasPrivateKey() {
		return fmt.Errorf("fakeonprem: certificate %s on %q: Services: it has no private key (PrivateKeyMissing), so it cannot be enabled for SMTP; import it from a PFX that holds its key (KB 4495258)", e.Certificate.Thumbprint(), s.cfg.Name)
	}
	s.enable(e, services, overwrite)
	return nil
}

// enable sets an entry's services and, for SMTP, answers the overwrite prompt.
func (s *server) enable(e *ExchangeCertificate, services Services, overwrite bool) {
	e.Services = services
	if services&SMTP == 0 {
		return
	}
	ts := &s.cfg.TransportService
	if _, st := selectInternal(s.store, ts.InternalTransportCertificateThumbprint, s.org.clock.Now()); overwrite || st == internalNotSet || st == internalNotFound {
		ts.InternalTransportCertificateThumbprint = e.Certificate.Thumbprint()
	}
}

// ExportExchangeCertificate is Export-ExchangeCertificate -BinaryEncoded -Password: a PFX
// with the chain and the key, refused unless PrivateKeyExportable (S16).
func (o *Organization) ExportExchangeCertificate(serverName, thumbprint, password string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, e, err := o.certificate(serverName, thumbprint)
	if err != nil {
		return nil, err
	}
	c := *e.Certificate
	c.Exportable = e.PrivateKeyExportable
	pfx, err := c.PFX(password, pki.TripleDESSHA1)
	if err != nil {
		return nil, fmt.Errorf("fakeonprem: Export-ExchangeCertificate %s on %q: %w", e.Certificate.Thumbprint(), s.cfg.Name, err)
	}
	return pfx, nil
}

// RemoveExchangeCertificate is Remove-ExchangeCertificate: the certificate leaves the store,
// even when a connector names it or it is the internal transport certificate (F01, F24).
func (o *Organization) RemoveExchangeCertificate(serverName, thumbprint string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, e, err := o.certificate(serverName, thumbprint)
	if err != nil {
		return err
	}
	s.store = slices.DeleteFunc(s.store, func(x *ExchangeCertificate) bool { return x == e })
	return nil
}

// TestCertificate is `Get-ChildItem Cert:\LocalMachine\My\<thumbprint> | Test-Certificate`:
// the chain's status on this server (revocation checked, S39) and the output S14 shows, e.g.
//
//	WARNING: Chain status:
//	    CERT_TRUST_IS_REVOKED
//	Test-Certificate : The certificate is revoked. 0x80092010 (-2146885616 CRYPT_E_REVOKED)
//
// or "True" for a good chain.
func (o *Organization) TestCertificate(serverName, thumbprint string) (pki.ChainStatus, string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, e, err := o.certificate(serverName, thumbprint)
	if err != nil {
		return 0, "", err
	}
	st := s.ownStatus(e.Certificate)
	if st == pki.CertTrustNoError {
		return st, "True", nil
	}
	var b strings.Builder
	b.WriteString(testCertificateWarning)
	for _, name := range strings.Split(st.String(), "\n") {
		b.WriteString("\n    " + name)
	}
	b.WriteString("\n" + testCertificatePrefix + st.Message())
	return st, b.String(), nil
}

// Certificate store paths of Import-Certificate -CertStoreLocation and Remove-Item.
const (
	storeRoot = `Cert:\LocalMachine\Root`
	storeCA   = `Cert:\LocalMachine\CA`
)

// ImportCertificate is Import-Certificate -CertStoreLocation Cert:\LocalMachine\Root (a
// trusted root) or Cert:\LocalMachine\CA (an intermediate) on a server.
func (o *Organization) ImportCertificate(serverName, certStoreLocation string, cert *x509.Certificate) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return err
	}
	list, err := s.certStore(certStoreLocation)
	if err != nil {
		return err
	}
	if !containsCert(*list, cert) {
		*list = append(*list, cert)
	}
	return nil
}

// RemoveItem is Remove-Item Cert:\LocalMachine\Root\<thumbprint> (or ...\CA\<thumbprint>) on
// a server.
func (o *Organization) RemoveItem(serverName, path string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return err
	}
	i := strings.LastIndexByte(path, '\\')
	if i < 0 {
		return fmt.Errorf("fakeonprem: Remove-Item %q: write the path as %s\\<thumbprint>", path, storeRoot)
	}
	list, err := s.certStore(path[:i])
	if err != nil {
		return err
	}
	n := len(*list)
	*list = slices.DeleteFunc(*list, func(c *x509.Certificate) bool { return strings.EqualFold(pki.Thumbprint(c), path[i+1:]) })
	if len(*list) == n {
		return fmt.Errorf("fakeonprem: Remove-Item %q on %q: no certificate with that thumbprint", path, s.cfg.Name)
	}
	return nil
}

// certStore maps a store path to the server's list.
func (s *server) certStore(location string) (*[]*x509.Certificate, error) {
	switch {
	case strings.EqualFold(location, storeRoot):
		return &s.cfg.TrustedRoots, nil
	case strings.EqualFold(location, storeCA):
		return &s.cfg.Intermediates, nil
	}
	return nil, fmt.Errorf("fakeonprem: certificate store %q: use %s (trusted roots) or %s (intermediates)", location, storeRoot, storeCA)
}

func containsCert(list []*x509.Certificate, c *x509.Certificate) bool {
	return slices.ContainsFunc(list, func(x *x509.Certificate) bool { return bytes.Equal(x.Raw, c.Raw) })
}
