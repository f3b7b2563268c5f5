package scenarios

import (
	"fmt"
	"net/netip"
	"regexp"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/sim"
)

// The second Frontend server behind mail.contoso.com (F03).
const (
	secondServer   = "EX02"
	secondFrontend = `EX02\Default Frontend EX02`
	secondIP       = "203.0.113.11"
)

// withSecondFrontend adds EX02, a second Mailbox server that publishes
// mail.contoso.com too (DNS round robin), with the hybrid certificate and
// a Default Frontend configured as the wizard configures EX01's.
func withSecondFrontend(cfg *sim.Config) {
	org := &cfg.OnPrem
	ex01 := org.Servers[0]
	org.Servers = append(org.Servers, sim.Server{Name: secondServer, Fqdn: "ex02.contoso.lab", Role: ex01.Role,
		IPAddresses: []netip.Addr{netip.MustParseAddr(secondIP)}, HostNames: []string{onPremHost},
		Certificates: ex01.Certificates})
	for _, c := range org.ReceiveConnectors {
		if c.Server == hybridServer && c.Name == "Default Frontend EX01" {
			c.Server, c.Name, c.Fqdn = secondServer, "Default Frontend EX02", ""
			org.ReceiveConnectors = append(org.ReceiveConnectors, c)
			break
		}
	}
}

// twoFrontends is the failure of a namespace shared by two Frontend
// servers configured differently.
func twoFrontends() Entry {
	return Entry{
		ID: "F03", Slug: "one-of-two-frontends",
		Title:   "mail.contoso.com has two Frontend servers and only EX01's Default Frontend names the hybrid certificate: the messages Exchange Online sends to EX02 are deferred",
		Sources: []string{"S40 (xostmoen)"}, Tag: "DOC-3P", Direction: EXOToOnPrem,
		Labels: []string{AreaReceiveConnector, AreaCertificate},
		Lab:    withSecondFrontend,
		Break: []Step{
			setReceiveConnector(secondFrontend, "-TlsCertificateName $null -TlsDomainCapabilities $null", func(_ *Run, c *fakeonprem.ReceiveConnector) {
				c.TlsCertificateName, c.TlsDomainCapabilities = "", nil
			}),
			action("mail flows as before: a message from Alice reaches Bob through EX01, mail.contoso.com's first address", func(r *Run) error {
				_, err := r.Lab.Send(alice, []string{bob}, "Through the first frontend")
				return err
			}),
		},
		Probe: toOnPrem,
		Symptoms: []Symptom{
			{Where: MessageTrace, Want: deferralAt(secondIP, ledSubjectMismatch, func(r *Run) []any {
				self := r.selfSigned(secondServer)
				return []any{"*.contoso.com", self.Subject(), self.Thumbprint()}
			}, subjectMismatch, smtpSecurity)},
		},
		Fix: []Step{
			setReceiveConnector(secondFrontend, "-TlsCertificateName \"<I>$($hybrid.Issuer)<S>$($hybrid.Subject)\" -TlsDomainCapabilities mail.protection.outlook.com:AcceptCloudServicesMail",
				func(r *Run, c *fakeonprem.ReceiveConnector) {
					c.TlsCertificateName = r.tlsName(hybridCertName)
					c.TlsDomainCapabilities = []string{"mail.protection.outlook.com:AcceptCloudServicesMail"}
				}),
		},
		Readings: []Reading{{Conflict: "C6", Name: "EXO's 2017 form of a name mismatch (S40, the source's own sample)", Options: sim.Options{LegacySubjectMismatch: true},
			Symptoms: []Symptom{{Where: MessageTrace, Want: deferralAt(secondIP, ledSubjectMismatch2017, nil, subjectMismatch)}}}},
	}
}

// deferralAt expects EXO's DEFER detail for a delivery to the hybrid
// name's address ip, whose LED is led (a template filled with args, which
// may be nil).
func deferralAt(ip, led string, args func(*Run) []any, msg string, more ...string) Expectation {
	x := exoDeferral(led, args, msg, more...)
	x.text = func(r *Run) string {
		l := led
		if args != nil {
			l = fmtArgs(led, args(r))
		}
		return r.exoReasonAt(ip, l, msg, more...)
	}
	x.pattern = regexp.MustCompile(x.pattern.String() + `.*\[LastAttemptedIP=` + regexp.QuoteMeta(ip) + `:25\]`)
	return x
}

func fmtArgs(template string, args []any) string { return fmt.Sprintf(template, args...) }
