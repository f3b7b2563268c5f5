package scenarios

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// The default lab's names, as the entries use them.
const (
	hybridServer   = "EX01"
	edgeServer     = "EDGE01"
	frontend       = `EX01\Default Frontend EX01`
	hybridCertName = "hybrid"
	alice          = "alice@contoso.com"  // a cloud mailbox
	bob            = "bob@contoso.com"    // an on-premises mailbox
	carol          = "carol@fabrikam.com" // on the internet
	tenant         = "contoso"
	pfxPassword    = pki.DefaultPFXPassword
)

// cert returns a certificate the run knows by name: the lab's own (hybrid)
// or one a step issued.
func (r *Run) cert(name string) *pki.Certificate {
	if c, ok := r.certs[name]; ok {
		return c
	}
	return r.Lab.Certificates[name]
}

// aliasHybrid remembers, before any step runs, which certificate is the
// lab's hybrid certificate when the lab does not call it "hybrid".
func (r *Run) aliasHybrid() {
	if _, ok := r.Lab.Certificates[hybridCertName]; ok {
		return
	}
	if c := r.namedByFrontend(); c != nil {
		r.setCert(hybridCertName, c)
		r.hybridAlias = c
	}
}

// labCertificate is one of the lab's own certificates as its PKI issued
// it (with its key), whatever steps have since imported under the name.
func (r *Run) labCertificate(name string) *pki.Certificate {
	if c, ok := r.Lab.Certificates[name]; ok || name != hybridCertName {
		return c
	}
	return r.hybridAlias
}

// namedByFrontend is the lab certificate the frontend's TlsCertificateName
// names: the hybrid certificate of a lab that calls it something else.
func (r *Run) namedByFrontend() *pki.Certificate {
	found, err := r.Lab.OnPrem.GetReceiveConnector(frontend)
	if err != nil || len(found) == 0 {
		return nil
	}
	var names []string
	for name := range r.Lab.Certificates {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if c := r.Lab.Certificates[name]; strings.EqualFold(c.TlsCertificateName().String(), found[0].TlsCertificateName) {
			return c
		}
	}
	return nil
}

// setCert remembers a certificate a step issued.
func (r *Run) setCert(name string, c *pki.Certificate) {
	if r.certs == nil {
		r.certs = map[string]*pki.Certificate{}
	}
	r.certs[name] = c
}

// selfSigned returns Exchange setup's certificate of a server.
func (r *Run) selfSigned(server string) *pki.Certificate {
	certs, _ := r.Lab.OnPrem.GetExchangeCertificate(server, "")
	for _, c := range certs {
		if c.Certificate.IsSelfSigned() && c.Certificate.Leaf.Subject.CommonName == server {
			return c.Certificate
		}
	}
	return nil
}

// importCertificate issues a certificate from the lab's PKI, as a CA would
// deliver it, and imports it into a server's store from its PFX file, as
// Import-ExchangeCertificate does; the variable names it in later steps.
func importCertificate(server, variable string, req func(*Run) pki.Request) Step {
	return Step{
		Cmdlet: fmt.Sprintf("$%s = Import-ExchangeCertificate -Server %s -FileData ([System.IO.File]::ReadAllBytes('C:\\certs\\%s.pfx')) -Password $pw -PrivateKeyExportable $true",
			variable, server, variable),
		Do: func(r *Run) error {
			c, err := r.Lab.PKI.Issue(req(r))
			if err != nil {
				return err
			}
			delivered := *c // a PFX file from the CA or another server: its key is exportable
			delivered.Exportable = true
			pfx, err := delivered.PFX(pfxPassword, pki.TripleDESSHA1)
			if err != nil {
				return err
			}
			got, err := r.Lab.OnPrem.ImportExchangeCertificate(server, pfx, pfxPassword, true)
			if err != nil {
				return err
			}
			r.setCert(variable, got.Certificate)
			return nil
		},
	}
}

// request is a certificate request that needs nothing from the run.
func request(req pki.Request) func(*Run) pki.Request { return func(*Run) pki.Request { return req } }

// enableCertificate is Enable-ExchangeCertificate -Services, with the answer
// to "overwrite the existing default SMTP certificate?".
func enableCertificate(server, variable string, services fakeonprem.Services, overwrite bool) Step {
	answer := "No"
	if overwrite {
		answer = "Yes"
	}
	return Step{
		Cmdlet: fmt.Sprintf("Enable-ExchangeCertificate -Server %s -Thumbprint $%s.Thumbprint -Services %s   # overwrite the default SMTP certificate? %s",
			server, variable, services, answer),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.EnableExchangeCertificate(server, r.thumbprint(server, variable), services, overwrite)
		},
	}
}

// removeCertificate is Remove-ExchangeCertificate.
func removeCertificate(server, variable string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Remove-ExchangeCertificate -Server %s -Thumbprint $%s.Thumbprint -Confirm:$false", server, variable),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.RemoveExchangeCertificate(server, r.thumbprint(server, variable))
		},
	}
}

// thumbprint is a named certificate's thumbprint; "selfsigned" names the
// server's setup certificate.
func (r *Run) thumbprint(server, variable string) string {
	if c := r.cert(variable); c != nil {
		return c.Thumbprint()
	}
	if c := r.selfSigned(server); variable == "selfsigned" && c != nil {
		return c.Thumbprint()
	}
	return ""
}

// tlsName is the TlsCertificateName of a named certificate.
func (r *Run) tlsName(variable string) string { return r.cert(variable).TlsCertificateName().String() }

// setReceiveConnector is Set-ReceiveConnector.
func setReceiveConnector(identity, params string, edit func(*Run, *fakeonprem.ReceiveConnector)) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Set-ReceiveConnector \"%s\" %s", identity, params),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.SetReceiveConnector(identity, func(c *fakeonprem.ReceiveConnector) { edit(r, c) })
		},
	}
}

// setSendConnector is Set-SendConnector on the hybrid send connector
// "Outbound to Office 365 <GUID>".
func setSendConnector(params string, edit func(*Run, *fakeonprem.SendConnector)) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Set-SendConnector \"Outbound to Office 365 - <GUID>\" %s", params),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.SetSendConnector(r.hybridSendConnector(), func(c *fakeonprem.SendConnector) { edit(r, c) })
		},
	}
}

func (r *Run) hybridSendConnector() string {
	all, _ := r.Lab.OnPrem.GetSendConnector("")
	for _, c := range all {
		if strings.HasPrefix(c.Name, "Outbound to Office 365") {
			return c.Name
		}
	}
	return ""
}

// setInboundConnector is Set-InboundConnector on EXO's "Inbound from <GUID>".
func setInboundConnector(params string, edit func(*Run, *fakeexo.InboundConnector)) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Set-InboundConnector \"Inbound from <GUID>\" %s", params),
		Do: func(r *Run) error {
			org, err := r.Lab.EXO.Organization(tenant)
			if err != nil {
				return err
			}
			name, err := r.exoConnector(org)
			if err != nil {
				return err
			}
			return org.SetInboundConnector(name, func(c *fakeexo.InboundConnector) { edit(r, c) })
		},
	}
}

func (r *Run) exoConnector(org *fakeexo.Organization) (string, error) {
	all, err := org.GetInboundConnector("")
	if err != nil {
		return "", err
	}
	for _, c := range all {
		if strings.HasPrefix(c.Name, "Inbound from ") {
			return c.Name, nil
		}
	}
	return "", fmt.Errorf("no inbound connector \"Inbound from <GUID>\"")
}

// runWizard runs the hybrid configuration wizard with a named certificate.
func runWizard(variable string, certOnly bool) Step {
	what := "configure mail flow"
	if certOnly {
		what = "Update Secure Mail Certificate for Connectors"
	}
	return Step{
		Cmdlet: fmt.Sprintf("Hybrid Configuration Wizard: %s, transport certificate $%s", what, variable),
		Do: func(r *Run) error {
			_, err := r.Lab.RunHybridWizard(r.thumbprint(hybridServer, variable), sim.WizardOptions{UpdateCertificateOnly: certOnly})
			return err
		},
	}
}

// retryQueues is Retry-Queue for every on-premises queue in Retry.
func retryQueues(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Get-Queue -Server %s | ? Status -eq Retry | Retry-Queue", server),
		Do: func(r *Run) error {
			queues, err := r.Lab.OnPrem.GetQueue(server)
			if err != nil {
				return err
			}
			for _, q := range queues {
				if q.Status == "Retry" {
					if err := r.Lab.OnPrem.RetryQueue(q.Identity); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
}

// authority is one of the lab PKI's authorities.
func (r *Run) authority(subject string) *x509.Certificate {
	a, err := r.Lab.PKI.Authority(subject)
	if err != nil {
		return nil
	}
	return a.Cert
}

// removeIntermediate removes the issuing CA's certificate from a server's
// intermediate store (Cert:\LocalMachine\CA).
func removeIntermediate(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Invoke-Command -ComputerName %s { Remove-Item Cert:\\LocalMachine\\CA\\$issuingCA.Thumbprint }", server),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.RemoveItem(server, `Cert:\LocalMachine\CA\`+pki.Thumbprint(r.authority(pki.PublicIssuingCA)))
		},
	}
}

// importIntermediate installs the issuing CA's certificate in a server's
// intermediate store again.
func importIntermediate(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Invoke-Command -ComputerName %s { Import-Certificate -FilePath C:\\certs\\issuing-ca.cer -CertStoreLocation Cert:\\LocalMachine\\CA }", server),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.ImportCertificate(server, `Cert:\LocalMachine\CA`, r.authority(pki.PublicIssuingCA))
		},
	}
}

// setSendConnectorCertificate points every send connector that names a
// certificate at a named certificate, as an administrator who renewed one
// does: TlsCertificateName "<I>$($new.Issuer)<S>$($new.Subject)".
func setSendConnectorCertificate(variable string) Step {
	return Step{
		Cmdlet: fmt.Sprintf(`Get-SendConnector | ? TlsCertificateName | Set-SendConnector -TlsCertificateName "<I>$($%s.Issuer)<S>$($%s.Subject)"`, variable, variable),
		Do: func(r *Run) error {
			all, err := r.Lab.OnPrem.GetSendConnector("")
			if err != nil {
				return err
			}
			for _, c := range all {
				if c.TlsCertificateName == "" {
					continue
				}
				if err := r.Lab.OnPrem.SetSendConnector(c.Name, func(c *fakeonprem.SendConnector) { c.TlsCertificateName = r.tlsName(variable) }); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// importCertificateFile imports a named certificate from a .cer file: the
// certificate alone, without its private key.
func importCertificateFile(server, variable string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("$%s = Import-ExchangeCertificate -Server %s -FileData ([System.IO.File]::ReadAllBytes('C:\\certs\\%s.cer'))", variable, server, variable),
		Do: func(r *Run) error {
			der, _, _, err := r.cert(variable).PEM()
			if err != nil {
				return err
			}
			got, err := r.Lab.OnPrem.ImportExchangeCertificate(server, der, "", false)
			if err == nil {
				r.setCert(variable, got.Certificate)
			}
			return err
		},
	}
}

// importPFX imports a named certificate again from its PFX, with its key.
func importPFX(server, variable string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("$%s = Import-ExchangeCertificate -Server %s -FileData ([System.IO.File]::ReadAllBytes('C:\\certs\\%s.pfx')) -Password $pw -PrivateKeyExportable $true", variable, server, variable),
		Do: func(r *Run) error {
			pfx, err := r.labCertificate(variable).PFX(pfxPassword, pki.TripleDESSHA1)
			if err != nil {
				return err
			}
			got, err := r.Lab.OnPrem.ImportExchangeCertificate(server, pfx, pfxPassword, true)
			if err == nil {
				r.setCert(variable, got.Certificate)
			}
			return err
		},
	}
}

// removeRoot removes an authority from a server's trusted roots.
func removeRoot(server, subject string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Invoke-Command -ComputerName %s { Remove-Item Cert:\\LocalMachine\\Root\\<thumbprint of %q> }", server, subject),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.RemoveItem(server, `Cert:\LocalMachine\Root\`+pki.Thumbprint(r.authority(subject)))
		},
	}
}

// importRoot trusts an authority on a server again.
func importRoot(server, subject string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Invoke-Command -ComputerName %s { Import-Certificate -FilePath C:\\certs\\root.cer -CertStoreLocation Cert:\\LocalMachine\\Root }   # %s", server, subject),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.ImportCertificate(server, `Cert:\LocalMachine\Root`, r.authority(subject))
		},
	}
}

// action is a step that is not a cmdlet: something a CA, a firewall or
// time does; text says what.
func action(text string, do func(*Run) error) Step { return Step{Cmdlet: "# " + text, Do: do} }
