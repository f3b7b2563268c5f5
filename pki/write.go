package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DefaultPFXPassword is the password of the PFX files `hybridsim certs`
// writes unless told otherwise (--password).
const DefaultPFXPassword = "hybridsim"

// The files WriteCatalogue writes outside the profile directories.
const (
	exoTrustFile          = "trust/exo.pem"
	onPremTrustFile       = "trust/onprem.pem"
	onPremIntermediatesFn = "trust/onprem-intermediates.pem"
	allCRLsFile           = "crl/all.pem"
	indexFile             = "index.json"
)

// index is index.json: what WriteCatalogue wrote, and what each certificate
// is, in Get-ExchangeCertificate's terms.
type index struct {
	At             string             `json:"at"` // the instant validity is relative to
	PFXPassword    string             `json:"pfxPassword"`
	PFXEncryption  string             `json:"pfxEncryption"`
	Trust          indexTrust         `json:"trust"`
	CRLs           string             `json:"crls"`
	Authorities    []indexAuthority   `json:"authorities"`
	ExchangeOnline indexCertificate   `json:"exchangeOnline"`
	Certificates   []indexCertificate `json:"certificates"`
}

type indexTrust struct {
	ExchangeOnline          string `json:"exchangeOnline"`
	OnPremises              string `json:"onPremises"`
	OnPremisesIntermediates string `json:"onPremisesIntermediates"`
}

type indexAuthority struct {
	Name        string `json:"name"`
	Issuer      string `json:"issuer"`
	Thumbprint  string `json:"thumbprint"`
	NotBefore   string `json:"notBefore"`
	NotAfter    string `json:"notAfter"`
	Certificate string `json:"certificate"`
	CRL         string `json:"crl"`
	CRLURL      string `json:"crlDistributionPoint"`
}

type indexCertificate struct {
	Profile              string     `json:"profile,omitempty"`
	Description          string     `json:"description"`
	Files                indexFiles `json:"files"`
	Subject              string     `json:"subject"`
	Issuer               string     `json:"issuer"`
	Thumbprint           string     `json:"thumbprint"`
	SerialNumber         string     `json:"serialNumber"`
	NotBefore            string     `json:"notBefore"`
	NotAfter             string     `json:"notAfter"`
	CertificateDomains   []string   `json:"certificateDomains"`
	TlsCertificateName   string     `json:"tlsCertificateName"`
	HasPrivateKey        bool       `json:"hasPrivateKey"`
	PrivateKeyExportable bool       `json:"privateKeyExportable"`
	VerifiesForEXO       bool       `json:"verifiesForExchangeOnline"`
	VerifiesForOnPrem    bool       `json:"verifiesForOnPremises"`
	Notes                []string   `json:"notes,omitempty"`
}

type indexFiles struct {
	Certificate string `json:"certificate"`
	Chain       string `json:"chain,omitempty"`
	Presented   string `json:"presented"`
	Key         string `json:"key,omitempty"`
	PFX         string `json:"pfx,omitempty"`
}

// catalogueWriter writes files under one directory and remembers them.
type catalogueWriter struct {
	dir     string
	written []string
}

// write writes data to the relative path name with the given mode, making
// parent directories with mode 0700. An existing file is replaced and
// takes the mode.
func (w *catalogueWriter) write(name string, data []byte, mode os.FileMode) error {
	path := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("pki: writing the catalogue: %w", err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		return fmt.Errorf("pki: writing the catalogue: %w", err)
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("pki: writing the catalogue: %w", err)
	}
	w.written = append(w.written, name)
	return nil
}

// WriteCatalogue writes the catalogue into dir (created with mode 0700 if
// missing) and returns the paths it wrote, relative to dir, in order:
//   - <profile>/cert.pem, the leaf; chain.pem, its issuing CAs (issuer
//     first, no root; absent when empty); presented.pem, what the server
//     sends in the handshake (leaf, then chain unless leaf-only); key.pem,
//     the PKCS#8 key (mode 0600; absent for no-private-key); cert.pfx,
//     leaf, chain, root and key under password, TripleDES_SHA1 (mode 0600;
//     absent when the key is missing or not exportable);
//   - exchange-online/: the same for Exchange Online's certificate (whose
//     key is not exportable: no PFX);
//   - ca/<name>.pem for every authority, crl/<name>.crl (DER) for every
//     authority and crl/all.pem (every CRL, PEM, for openssl -CRLfile);
//   - trust/exo.pem (the roots EXO trusts), trust/onprem.pem (the roots
//     on-prem trusts), trust/onprem-intermediates.pem;
//   - index.json, describing all of it (why a file is absent is in "notes").
func (p *PKI) WriteCatalogue(dir, password string) ([]string, error) {
	if password == "" {
		return nil, errors.New("pki: the PFX password is empty; give one (hybridsim certs --password), since PFX files hold private keys")
	}
	certs, err := p.Catalogue()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("pki: writing the catalogue: %w", err)
	}
	w := &catalogueWriter{dir: dir}
	idx := index{
		At:            p.opts.At.Format(time.RFC3339),
		PFXPassword:   password,
		PFXEncryption: string(TripleDESSHA1),
		Trust:         indexTrust{ExchangeOnline: exoTrustFile, OnPremises: onPremTrustFile, OnPremisesIntermediates: onPremIntermediatesFn},
		CRLs:          allCRLsFile,
	}
	for _, c := range certs {
		entry, err := w.writeCertificate(string(c.Profile), c, password)
		if err != nil {
			return nil, err
		}
		entry.Profile, entry.Description = string(c.Profile), c.Profile.Description()
		entry.VerifiesForEXO, entry.VerifiesForOnPrem = c.Profile.VerifiesForEXO(), c.Profile.VerifiesForOnPrem()
		idx.Certificates = append(idx.Certificates, entry)
	}
	if idx.ExchangeOnline, err = w.writeCertificate("exchange-online", p.exo, password); err != nil {
		return nil, err
	}
	idx.ExchangeOnline.Description = "Exchange Online's own certificate: its front door's server certificate and its client certificate when it sends to on-prem"
	idx.ExchangeOnline.VerifiesForEXO, idx.ExchangeOnline.VerifiesForOnPrem = true, true
	if idx.Authorities, err = p.writeAuthorities(w); err != nil {
		return nil, err
	}
	if err := w.write(exoTrustFile, p.EXOTrust().PEM(), 0o644); err != nil {
		return nil, err
	}
	if err := w.write(onPremTrustFile, p.OnPremTrust().PEM(), 0o644); err != nil {
		return nil, err
	}
	if err := w.write(onPremIntermediatesFn, pemCertificates(p.OnPremTrust().Intermediates), 0o644); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(idx); err != nil {
		return nil, fmt.Errorf("pki: encoding index.json: %w", err)
	}
	if err := w.write(indexFile, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return w.written, nil
}

// writeCertificate writes one certificate's files into its directory and
// returns its index entry (without profile fields).
func (w *catalogueWriter) writeCertificate(dir string, c *Certificate, password string) (indexCertificate, error) {
	entry := indexCertificate{
		Subject:              c.Subject(),
		Issuer:               c.Issuer(),
		Thumbprint:           c.Thumbprint(),
		SerialNumber:         c.SerialNumber(),
		NotBefore:            c.NotBefore().Format(time.RFC3339),
		NotAfter:             c.NotAfter().Format(time.RFC3339),
		CertificateDomains:   c.CertificateDomains(),
		TlsCertificateName:   c.TlsCertificateName().String(),
		HasPrivateKey:        c.HasPrivateKey(),
		PrivateKeyExportable: c.Exportable,
	}
	cert, chain, key, err := c.PEM()
	if err != nil {
		return entry, err
	}
	entry.Files.Certificate = dir + "/cert.pem"
	if err := w.write(entry.Files.Certificate, cert, 0o644); err != nil {
		return entry, err
	}
	if len(chain) > 0 {
		entry.Files.Chain = dir + "/chain.pem"
		if err := w.write(entry.Files.Chain, chain, 0o644); err != nil {
			return entry, err
		}
	}
	presented := cert
	if c.PresentChain {
		presented = append(append([]byte(nil), cert...), chain...)
	} else {
		entry.Notes = append(entry.Notes, "presented.pem holds the leaf alone: the server sends no intermediate, and EXO never fetches one (S29); chain.pem is what it should send")
	}
	entry.Files.Presented = dir + "/presented.pem"
	if err := w.write(entry.Files.Presented, presented, 0o644); err != nil {
		return entry, err
	}
	if key == nil {
		entry.Notes = append(entry.Notes, "no key.pem and no cert.pfx: the certificate has no private key (HasPrivateKey False), as one imported from a .cer file (KB 4495258, NoCredentials)")
		return entry, nil
	}
	entry.Files.Key = dir + "/key.pem"
	if err := w.write(entry.Files.Key, key, 0o600); err != nil {
		return entry, err
	}
	switch {
	case !c.Exportable:
		entry.Notes = append(entry.Notes, "no cert.pfx: PrivateKeyExportable is False, so Export-ExchangeCertificate refuses it (S16); key.pem is the lab's own copy of the key")
	default:
		pfx, err := c.PFX(password, TripleDESSHA1)
		if err != nil {
			return entry, err
		}
		entry.Files.PFX = dir + "/cert.pfx"
		if err := w.write(entry.Files.PFX, pfx, 0o600); err != nil {
			return entry, err
		}
	}
	return entry, nil
}

// writeAuthorities writes every authority's certificate and CRL.
func (p *PKI) writeAuthorities(w *catalogueWriter) ([]indexAuthority, error) {
	var out []indexAuthority
	var all bytes.Buffer
	for _, a := range p.Authorities() {
		crl, err := p.CRL(a)
		if err != nil {
			return nil, err
		}
		entry := indexAuthority{
			Name:        a.Name,
			Issuer:      IssuerName(a.Cert),
			Thumbprint:  Thumbprint(a.Cert),
			NotBefore:   a.Cert.NotBefore.UTC().Format(time.RFC3339),
			NotAfter:    a.Cert.NotAfter.UTC().Format(time.RFC3339),
			Certificate: "ca/" + a.slug + ".pem",
			CRL:         "crl/" + a.slug + ".crl",
			CRLURL:      a.crlURL(),
		}
		if err := w.write(entry.Certificate, pemCertificates([]*x509.Certificate{a.Cert}), 0o644); err != nil {
			return nil, err
		}
		if err := w.write(entry.CRL, crl, 0o644); err != nil {
			return nil, err
		}
		_ = pem.Encode(&all, &pem.Block{Type: "X509 CRL", Bytes: crl})
		out = append(out, entry)
	}
	return out, w.write(allCRLsFile, all.Bytes(), 0o644)
}
