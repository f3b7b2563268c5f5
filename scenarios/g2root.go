package scenarios

import (
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// ledCannotEstablish is G2-2026's LED detail (real-artifacts §4.5): Exchange Online could not
// establish TLS with a server that refused its certificate.
const ledCannotEstablish = "450 4.4.317 Cannot establish session with remote server [Message=451 5.7.3 STARTTLS is required to send mail]"

// tlsUntrustedRoot is what the on-premises receive log says of the refused handshake (INFER:
// G2-2026 gives Exchange Online's side only).
const tlsUntrustedRoot = "*,,TLS negotiation failed with error UntrustedRoot"

// rootChangeEntries are the failures a change of Exchange Online's roots causes.
func rootChangeEntries() []Entry {
	return []Entry{
		{
			ID: "F30", Slug: "digicert-global-root-g2",
			Title:   "from 2026-03-15 Exchange Online's certificates chain to DigiCert Global Root G2: a server with DisableRootAutoUpdate set lacks the root and refuses Exchange Online's certificate",
			Sources: []string{"G2-2026 (Exchange Team blog, January 2026)", "Health Checker TrustedRootCertificatesCheck"},
			Tag:     "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaRootChange, AreaReceiveConnector, AreaCertificate},
			Lab: func(c *sim.Config) {
				for i := range c.OnPrem.Servers {
					if c.OnPrem.Servers[i].Name == hybridServer {
						c.OnPrem.Servers[i].DisableRootAutoUpdate = true
					}
				}
			},
			Break: []Step{
				action("Group Policy sets HKLM:\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\AuthRoot\\DisableRootAutoUpdate = 1 on EX01 (the lab starts with it)", func(*Run) error { return nil }),
				action("2026-03-15: Exchange Online begins presenting certificates that chain to DigiCert Global Root G2", func(r *Run) error {
					if now := r.Lab.Now(); now.Before(pki.EXOG2Since) {
						r.Lab.Advance(pki.EXOG2Since.Sub(now))
					}
					return nil
				}),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: MessageTrace, Want: exoDeferral(ledCannotEstablish, nil, startTLSRequired),
					Infer: "the brackets after the LED's [Message=...]: G2-2026 quotes the LED only"},
				{Where: ReceiveLog, Want: literal(tlsUntrustedRoot), Infer: "G2-2026 gives no on-premises receive log line"},
			},
			Fix: []Step{importRoot(hybridServer, pki.DigiCertGlobalRootG2)},
		},
	}
}
