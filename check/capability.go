package check

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/scenarios"
)

// acceptCloudServicesMail is the capability the hybrid configuration wizard
// grants Exchange Online on the Default Frontend (S14, S16).
const acceptCloudServicesMail = "AcceptCloudServicesMail"

// capabilityChecks judge each receive connector's TlsDomainCapabilities
// against the certificate Exchange Online presents at the view's instant:
// a connector that grants AcceptCloudServicesMail only to names Exchange
// Online's certificate does not carry treats Exchange Online's mail as
// anonymous (KB 3156771's stale `<I>CN=MSIT Machine Auth CA 2...` value,
// F08). A connector without TlsDomainCapabilities gives no finding: the
// other checks name what the wizard left undone.
func (v *view) capabilityChecks() []Finding {
	exo, err := v.lab.PKI.EXOCertificateAt(v.at)
	if err != nil || exo == nil {
		return nil
	}
	var out []Finding
	for _, s := range v.servers {
		for _, rc := range s.receive {
			var granted []string
			for _, entry := range rc.TlsDomainCapabilities {
				domain, caps, _ := strings.Cut(entry, ":")
				if strings.Contains(strings.ReplaceAll(caps, " ", ""), acceptCloudServicesMail) {
					granted = append(granted, domain)
				}
			}
			if len(granted) == 0 {
				continue
			}
			f := Finding{Check: "BothSidesCheck", Object: fmt.Sprintf(`receive connector %s\%s`, s.cfg.Name, rc.Name),
				Test: "TlsDomainCapabilities names Exchange Online's certificate", Value: strings.Join(rc.TlsDomainCapabilities, ", "),
				Colour: Green, Directions: []scenarios.Direction{scenarios.EXOToOnPrem}}
			if !grantsTo(granted, exo.Leaf) {
				f.Colour = Red
				f.Detail = fmt.Sprintf("Exchange Online presents %s; no AcceptCloudServicesMail entry names it, so its mail is anonymous and is not relayed: "+
					"Set-ReceiveConnector -TlsDomainCapabilities mail.protection.outlook.com:AcceptCloudServicesMail (KB 3156771)", pki.SubjectName(exo.Leaf))
			}
			out = append(out, f)
		}
	}
	return out
}

// grantsTo reports whether a capability's domain names a certificate: a
// domain its CN or a SAN matches, or an "<I>issuer<S>subject" value equal to
// the certificate's.
func grantsTo(domains []string, c *x509.Certificate) bool {
	for _, d := range domains {
		if n, err := pki.ParseTlsCertificateName(d); err == nil {
			if n.Matches(c) {
				return true
			}
			continue
		}
		if pki.CertificateMatches(c, d, false) {
			return true
		}
	}
	return false
}

// outboundEnabledChecks name an OnPremises outbound connector saved
// disabled: Exchange Online does not route through it, and validating it
// fails for every recipient (KB 3179588, F29).
func (v *view) outboundEnabledChecks() []Finding {
	var out []Finding
	for _, t := range v.tenants {
		for _, c := range t.outbound {
			if c.ConnectorType != fakeexo.OnPremises {
				continue
			}
			f := Finding{Check: "ExoConnectorCheck", Object: fmt.Sprintf("outbound connector %s (tenant %s)", c.Name, t.name),
				Test: "Enabled", Value: fmt.Sprint(c.Enabled), Colour: Green, Directions: []scenarios.Direction{scenarios.EXOToOnPrem}}
			if !c.Enabled {
				f.Value, f.Colour = "False", Red
				f.Detail = "Exchange Online does not use a disabled connector, and Validate-OutboundConnector fails for every recipient: Set-OutboundConnector -Enabled $true (KB 3179588)"
			} else {
				f.Value = "True"
			}
			out = append(out, f)
		}
	}
	return out
}
