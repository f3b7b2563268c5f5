package scenarios

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
)

// labNames rewrites the default lab's names in an entry's fix into this
// lab's: the hybrid certificate's thumbprint for $hybrid.Thumbprint, the
// connectors' real names for their <GUID> forms, and the hybrid server's
// name for EX01 when the lab calls it otherwise.
func (r *Run) labNames() *strings.Replacer {
	var pairs []string
	if c := r.cert(hybridCertName); c != nil {
		pairs = append(pairs, "$"+hybridCertName+".Thumbprint", c.Thumbprint())
	}
	if c := r.usableCertificate(); c != nil {
		// The entries' fixes call the certificate to use $new: on this lab,
		// the newest CA-issued certificate enabled for SMTP.
		pairs = append(pairs, `"<I>$($new.Issuer)<S>$($new.Subject)"`, `"`+c.TlsCertificateName().String()+`"`,
			"$new.Thumbprint", c.Thumbprint(), "transport certificate $new", "transport certificate "+c.Thumbprint()+" ("+c.Subject()+")")
	}
	if name := r.hybridSendConnector(); name != "" {
		pairs = append(pairs, `"Outbound to Office 365 - <GUID>"`, `"`+name+`"`)
	}
	if org, err := r.Lab.EXO.Organization(tenant); err == nil {
		if name, err := r.exoConnector(org); err == nil {
			pairs = append(pairs, `"Inbound from <GUID>"`, `"`+name+`"`)
		}
	}
	if server := r.hybridServerName(); server != "" && server != hybridServer {
		pairs = append(pairs, hybridServer, server)
	}
	return strings.NewReplacer(pairs...)
}

// hybridServerName is the lab's first Mailbox server (EX01 in the
// default lab).
func (r *Run) hybridServerName() string {
	for _, s := range r.Lab.Config().OnPrem.Servers {
		if s.Role != "Edge" {
			return s.Name
		}
	}
	return ""
}

// causes says, for each symptom the probe shows, the decisive rule in one
// sentence with the lab's own names: what the receiving side chose, and
// the rule of the side that refused or deferred.
func (r *Run) causes(pr Prediction) []string {
	out := []string{}
	have := map[string]bool{}
	add := func(s string) {
		if s != "" && !have[s] {
			have[s] = true
			out = append(out, s)
		}
	}
	stated := map[string]bool{}
	for _, s := range pr.Shows {
		rule := ruleFor(s.Text)
		if s.Where == ApplicationLog && stated[rule] {
			continue // the event repeats a refusal already explained
		}
		stated[rule] = true
		if rule == "" {
			rule = "no documented rule of the catalogue explains it; 'hybridsim diagnose' it, and read the records (--verbose)"
		}
		switch s.Where {
		case MessageTrace:
			add(fmt.Sprintf("%s; Exchange Online's outbound connector %s, so it defers with %s", firstOr(r.frontendChoices(), "the on-premises server"), r.outboundSummary(), ledOf(s.Text)))
		case FrontDoorReply:
			add(fmt.Sprintf("Exchange Online's front door refused the message with %q: %s", s.Text, rule))
		case Queue:
			add(fmt.Sprintf("the on-premises queue holds the message with %q: %s", s.Text, rule))
		case NDR:
			add(fmt.Sprintf("the sender got an NDR %q: %s", s.Text, rule))
		case ApplicationLog:
			if ruleFor(s.Text) != "" {
				add(fmt.Sprintf("%s: %s", strings.SplitN(s.Text, ":", 2)[0], rule))
			}
		}
	}
	if len(out) == 0 {
		add("the probe did not arrive and no documented symptom shows; read the records (--verbose)")
	}
	return out
}

// outboundSummary names the tenant's OnPremises outbound connector and
// what it requires.
func (r *Run) outboundSummary() string {
	for _, t := range r.Lab.Config().EXO.Tenants {
		for _, c := range t.OutboundConnectors {
			if string(c.ConnectorType) == "OnPremises" {
				return fmt.Sprintf("%q requires TLS (TlsSettings %s, TlsDomain %s)", c.Name, c.TlsSettings, c.TlsDomain)
			}
		}
	}
	return "requires TLS"
}

// ruleFor is the sentence of the first rule whose documented string the
// text holds, or "".
func ruleFor(text string) string {
	flat := strings.Join(strings.Fields(text), " ")
	for _, r := range rules {
		if r.fingerprint.MatchString(flat) {
			return r.Rule
		}
	}
	return ""
}

// ledOf is the LED of a message trace detail ("Reason: [{LED=...};..."),
// or the whole text.
func ledOf(detail string) string {
	_, rest, ok := strings.Cut(detail, "{LED=")
	if !ok {
		return detail
	}
	led, _, _ := strings.Cut(rest, "};")
	if i := strings.Index(led, " [LastAttemptedServerName="); i > 0 {
		led = led[:i]
	}
	return led
}

func firstOr(items []string, or string) string {
	if len(items) > 0 {
		return items[0]
	}
	return or
}

// usableCertificate is the newest certificate in the hybrid server's store
// that a fix can use: issued by a CA, enabled for SMTP, valid; nil if none.
func (r *Run) usableCertificate() *pki.Certificate {
	server := r.hybridServerName()
	if server == "" {
		return nil
	}
	certs, _ := r.Lab.OnPrem.GetExchangeCertificate(server, "")
	var best *pki.Certificate
	for _, e := range certs {
		c := e.Certificate
		if c.IsSelfSigned() || e.Services&fakeonprem.SMTP == 0 || e.Status != "Valid" || !c.HasPrivateKey() {
			continue
		}
		if best == nil || c.NotAfter().After(best.NotAfter()) {
			best = c
		}
	}
	return best
}
