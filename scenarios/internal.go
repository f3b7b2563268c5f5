package scenarios

import (
	"fmt"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
)

// throughEdge is the probe for mail that crosses the Mailbox and Edge
// servers: to the internet, through the Edge.
var throughEdge = Probe{From: bob, To: []string{carol}, Subject: "From on-premises to the internet through the Edge"}

// internalEntries are the failures inside the on-premises organization
// (the internal transport certificate, anonymous TLS, the Edge) and the
// configuration a cmdlet refuses.
func internalEntries() []Entry {
	return []Entry{
		{
			ID: "F23", Slug: "internal-certificate-missing-in-ad",
			Title:   "the internal transport certificate's thumbprint is gone from Active Directory when the Transport service starts",
			Sources: []string{"S2", "S3", "S6"}, Tag: "DOC", Direction: Internal,
			Labels: []string{AreaInternalTLS},
			Break: []Step{
				getSelfSigned(hybridServer),
				{Cmdlet: "Set-TransportService EX01 -InternalTransportCertificateThumbprint $null", Do: func(r *Run) error {
					return r.Lab.OnPrem.SetTransportService(hybridServer, func(t *fakeonprem.TransportService) { t.InternalTransportCertificateThumbprint = "" })
				}},
				restartTransport(hybridServer),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: literal(event12012)},
				{Where: ReceiveLog, Want: ehloWithoutAnonymousTLS, Infer: "S4's keyword list without X-ANONYMOUSTLS (S3 step 3)"},
			},
			Fix: []Step{enableCertificate(hybridServer, "selfsigned", fakeonprem.SMTP, true)},
		},
		{
			ID: "F24", Slug: "internal-certificate-not-in-store",
			Title:   "the internal transport certificate was removed from the store: its thumbprint names nothing",
			Sources: []string{"S2", "S3", "S6"}, Tag: "DOC", Direction: Internal,
			Labels: []string{AreaInternalTLS},
			Break:  []Step{getSelfSigned(hybridServer), removeCertificate(hybridServer, "selfsigned")},
			Probe:  toOnPrem,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: templated(event12013, func(r *Run) []any {
					t := r.cert("selfsigned").Thumbprint()
					return []any{t, t}
				})},
				{Where: ReceiveLog, Want: ehloWithoutAnonymousTLS, Infer: "S4's keyword list without X-ANONYMOUSTLS (S3 step 4)"},
			},
			Fix: []Step{newCertificate(hybridServer)},
		},
		{
			ID: "F25", Slug: "internal-certificate-expired",
			Title:   "the internal transport certificate has expired: the sender logs 12015, the receiving Edge 12019, and mail still flows",
			Sources: []string{"S2", "S3", "S6"}, Tag: "DOC", Direction: Internal,
			Labels: []string{AreaInternalTLS, AreaEdge},
			Break: []Step{
				importCertificate(hybridServer, "oldinternal", func(r *Run) pki.Request {
					return pki.Request{Profile: pki.SelfSigned, ServerName: hybridServer, ServerFQDN: hybridFQDN,
						NotBefore: r.Lab.Now().AddDate(-5, 0, -1), NotAfter: r.Lab.Now().Add(-24 * time.Hour)}
				}),
				enableCertificate(hybridServer, "oldinternal", fakeonprem.SMTP, true),
				newEdgeSubscription(edgeServer),
			},
			Probe: throughEdge,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: templated(event12015, func(r *Run) []any { return []any{r.cert("oldinternal").Thumbprint()} })},
				{Where: ApplicationLog, Want: templated(event12019, func(*Run) []any { return []any{"CN=" + hybridServer} })},
			},
			Fix: []Step{newCertificate(hybridServer), newEdgeSubscription(edgeServer)},
		},
		{
			ID: "F26", Slug: "starttls-certificate-expires-soon",
			Title:   "the hybrid certificate expires in ten days: every session warns",
			Sources: []string{"S6"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaReceiveConnector, AreaCertificate},
			Break: []Step{
				importCertificate(hybridServer, "expiring", func(r *Run) pki.Request {
					return pki.Request{Profile: pki.Trusted, NotBefore: r.Lab.Now().AddDate(0, 0, -355), NotAfter: r.Lab.Now().AddDate(0, 0, 10)}
				}),
				enableCertificate(hybridServer, "expiring", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: templated(event12018, func(r *Run) []any {
					c := r.cert("expiring")
					return []any{c.Subject(), c.Thumbprint(), 240}
				}), Infer: "when the warning starts (30 days before NotAfter); S6 gives the text, not the threshold"},
			},
			Fix: []Step{
				importCertificate(hybridServer, "renewed", request(pki.Request{Profile: pki.RenewedSameName})),
				enableCertificate(hybridServer, "renewed", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, "expiring"),
			},
		},
		{
			ID: "F27", Slug: "edge-subscription-broken",
			Title:   "the hybrid certificate replaced the internal transport certificate (the prompt was answered Yes): the Edge no longer trusts the Mailbox server",
			Sources: []string{"S9 (KB 2989382)", "S14", "S19", "S20"}, Tag: "DOC", Direction: Internal,
			Labels: []string{KB2989382, AreaEdge, AreaInternalTLS},
			Break:  []Step{enableCertificate(hybridServer, hybridCertName, fakeonprem.IIS|fakeonprem.SMTP, true)},
			Probe:  throughEdge,
			Symptoms: []Symptom{
				{Where: Queue, Want: edgeQueueError, Infer: "no source gives the error of a broken Edge Subscription (\"EdgeSync breaks\", S9); the Edge's refusal is fakeonprem's"},
			},
			Fix: []Step{newEdgeSubscription(edgeServer), retryQueues(hybridServer)},
		},
		{
			ID: "F28", Slug: "requiretls-without-tls",
			Title:   "RequireTLS on a receive connector whose AuthMechanism lacks Tls is refused",
			Sources: []string{"S16", "Exchange 2007 MOM rule"}, Tag: "DOC", Direction: Config,
			Labels: []string{AreaReceiveConnector, AreaValidation},
			Break: []Step{{
				Cmdlet: `Set-ReceiveConnector "EX01\Default Frontend EX01" -AuthMechanism ExchangeServer -RequireTLS $true`,
				Do: func(r *Run) error {
					return r.Lab.OnPrem.SetReceiveConnector(frontend, func(c *fakeonprem.ReceiveConnector) {
						c.AuthMechanism, c.RequireTLS = []string{"ExchangeServer"}, true
					})
				},
				Refused: true,
			}},
			Probe:    toOnPrem,
			Symptoms: []Symptom{{Where: CmdletError, Want: literal(requireTLSWithoutTls)}},
			Fix: []Step{setReceiveConnector(frontend, "-AuthMechanism Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer -RequireTLS $true",
				func(_ *Run, c *fakeonprem.ReceiveConnector) {
					c.AuthMechanism = []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"}
					c.RequireTLS = true
				})},
		},
	}
}

// getSelfSigned names a server's setup certificate $selfsigned.
func getSelfSigned(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf(`$selfsigned = Get-ExchangeCertificate -Server %s | ? { $_.IsSelfSigned -and $_.Subject -eq "CN=%s" }`, server, server),
		Do: func(r *Run) error {
			c := r.selfSigned(server)
			if c == nil {
				return fmt.Errorf("%s has no self-signed certificate CN=%s", server, server)
			}
			r.setCert("selfsigned", c)
			return nil
		},
	}
}

// restartTransport is Restart-Service MSExchangeTransport.
func restartTransport(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Invoke-Command -ComputerName %s { Restart-Service MSExchangeTransport }", server),
		Do:     func(r *Run) error { return r.Lab.OnPrem.RestartTransportService(server) },
	}
}

// newCertificate is New-ExchangeCertificate -Services SMTP, answering Yes
// to overwriting the default SMTP certificate: a new self-signed internal
// transport certificate (12013's documented fix).
func newCertificate(server string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("New-ExchangeCertificate -Server %s -DomainName %s -Services SMTP   # overwrite the default SMTP certificate? Yes", server, hybridFQDN),
		Do: func(r *Run) error {
			_, err := r.Lab.OnPrem.NewExchangeCertificate(server, fakeonprem.SMTP, true)
			return err
		},
	}
}

// newEdgeSubscription subscribes the Edge again (S20).
func newEdgeSubscription(edge string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("New-EdgeSubscription -FileData ([System.IO.File]::ReadAllBytes('C:\\%s.xml')) -Site Default-First-Site-Name", edge),
		Do:     func(r *Run) error { return r.Lab.OnPrem.NewEdgeSubscription(edge) },
	}
}

// ehloWithoutAnonymousTLS is the hybrid server's first EHLO reply to EXO
// without X-ANONYMOUSTLS.
var ehloWithoutAnonymousTLS = templated(">,"+ehloNoAnonymousTLS+",", func(r *Run) []any { return []any{hybridFQDN, r.exoOutIP()} })

// edgeQueueError is the Mailbox server's queue to the Edge when the Edge
// refuses it.
var edgeQueueError = queueErrorAt(edgeRefusal, edgeFQDN, func(*Run) string { return edgeIP })

// The Edge server's names.
const (
	edgeFQDN = "edge01.contoso.com"
	edgeIP   = "203.0.113.20"
)
