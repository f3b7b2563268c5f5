package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

// receiverChoice says what the receiving side of a probe chose, or would
// choose, in the lab's own names: for mail into the on-premises
// organization, the certificate each Mailbox server's "Default Frontend"
// connector offers; for mail into Exchange Online, how its front door
// attributed the sender, or, when nothing reached it, what its OnPremises
// inbound connectors expect.
func (r *Run) receiverChoice(dir Direction) []string {
	switch dir {
	case EXOToOnPrem:
		return r.frontendChoices()
	case OnPremToEXO, OnPremToInternet, SenderToCloud:
		return r.frontDoorChoices()
	case SenderToOnPrem:
		return append(r.frontDoorChoices(), r.frontendChoices()...)
	}
	return []string{}
}

// frontendChoices describes each Mailbox server's Default Frontend.
func (r *Run) frontendChoices() []string {
	out := []string{}
	for _, s := range r.Lab.Config().OnPrem.Servers {
		if s.Role == fakeonprem.RoleEdge {
			continue
		}
		id := s.Name + `\Default Frontend ` + s.Name
		found, err := r.Lab.OnPrem.GetReceiveConnector(id)
		if err != nil || len(found) == 0 {
			continue
		}
		out = append(out, r.frontendChoice(s.Name, found[0]))
	}
	return out
}

// frontendChoice is one connector's certificate choice (S14's order:
// TlsCertificateName first, then the connector's FQDN).
func (r *Run) frontendChoice(server string, c fakeonprem.ReceiveConnector) string {
	certs, _ := r.Lab.OnPrem.GetExchangeCertificate(server, "")
	if c.TlsCertificateName == "" {
		fqdn := c.Fqdn
		var names []string
		for _, e := range certs {
			if e.Services&fakeonprem.SMTP != 0 && slices.ContainsFunc(e.Certificate.CertificateDomains(), func(d string) bool { return strings.EqualFold(d, fqdn) }) {
				names = append(names, fmt.Sprintf("%s (thumbprint %s)", e.Certificate.Subject(), e.Certificate.Thumbprint()))
			}
		}
		if len(names) == 0 {
			return fmt.Sprintf("%s's %q names no certificate in TlsCertificateName, and no certificate enabled for SMTP has its FQDN %s, so it offers no STARTTLS (Event 12014)", server, c.Name, fqdn)
		}
		return fmt.Sprintf("%s's %q names no certificate in TlsCertificateName, so it picks one by its FQDN %s: %s", server, c.Name, fqdn, strings.Join(names, "; "))
	}
	for _, e := range certs {
		if !strings.EqualFold(e.Certificate.TlsCertificateName().String(), c.TlsCertificateName) {
			continue
		}
		what := fmt.Sprintf("%s's %q names %s; %s's store holds it: thumbprint %s, Services %s, Status %s", server, c.Name, c.TlsCertificateName, server, e.Certificate.Thumbprint(), e.Services, e.Status)
		switch {
		case e.Status != "" && e.Status != "Valid":
			what += fmt.Sprintf(", so %s cannot use it and offers no STARTTLS", server)
		case !e.Certificate.HasPrivateKey():
			what += ", without its private key"
		}
		return what
	}
	return fmt.Sprintf("%s's %q names %s; %s's store has no such certificate, so STARTTLS is not offered (Event 12014)", server, c.Name, c.TlsCertificateName, server)
}

// frontDoorChoices describes Exchange Online's attribution of the probe's
// sessions, or what its OnPremises inbound connectors expect.
func (r *Run) frontDoorChoices() []string {
	out := []string{}
	for _, v := range r.Lab.EXO.Verdicts() {
		cert := "no client certificate"
		if v.Certificate != "" {
			cert = "client certificate " + v.Certificate
		}
		switch {
		case v.Connector != "":
			out = append(out, fmt.Sprintf("Exchange Online's front door attributed the session from %s (%s) to tenant %s by %s through %q", v.Source, cert, v.Tenant, v.Rule, v.Connector))
		case v.Tenant != "":
			out = append(out, fmt.Sprintf("Exchange Online's front door attributed the session from %s (%s) to tenant %s by %s only, through no connector", v.Source, cert, v.Tenant, v.Rule))
		default:
			out = append(out, fmt.Sprintf("Exchange Online's front door attributed the session from %s (%s) to no tenant", v.Source, cert))
		}
		for _, n := range v.NotTaken {
			out = append(out, "  not taken: "+n)
		}
	}
	if len(out) > 0 || r.Entry.Direction == OnPremToInternet {
		return out
	}
	for _, t := range r.Lab.Config().EXO.Tenants {
		for _, c := range t.InboundConnectors {
			if string(c.ConnectorType) != "OnPremises" {
				continue
			}
			what := fmt.Sprintf("nothing reached Exchange Online's front door; tenant %s's %q would attribute", t.Name, c.Name)
			switch {
			case c.TlsSenderCertificateName != "":
				what += " a client certificate named " + c.TlsSenderCertificateName
			case len(c.SenderIPAddresses) > 0:
				what += " the addresses " + strings.Join(c.SenderIPAddresses, ", ")
			default:
				what = fmt.Sprintf("nothing reached Exchange Online's front door; tenant %s's %q names neither a certificate nor addresses", t.Name, c.Name)
			}
			out = append(out, what)
		}
	}
	return out
}
