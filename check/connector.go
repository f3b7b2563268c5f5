package check

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/scenarios"
)

// exoTlsDomain is the TlsDomain ExoConnectorCheck expects under
// DomainValidation (HC-EXO).
const exoTlsDomain = "mail.protection.outlook.com"

// hybridSendConnectorPrefix is the name the hybrid configuration wizard
// gives its send connector ("Outbound to Office 365 - <GUID>", seed 000).
const hybridSendConnectorPrefix = "Outbound to Office 365"

// hybridTlsCertificateName stands for Get-HybridConfiguration's
// TlsCertificateName, which the lab does not model: the wizard writes the
// same value to its send connector, so that connector's value is taken.
// Empty when the lab has no wizard send connector.
func (v *view) hybridTlsCertificateName() string {
	for _, sc := range v.send {
		if strings.HasPrefix(sc.Name, hybridSendConnectorPrefix) {
			return sc.TlsCertificateName
		}
	}
	return ""
}

// connectorChecks runs CloudConnectorCheck on every cloud-enabled
// connector (send connectors with CloudServicesMailEnabled, Frontend
// receive connectors with TlsDomainCapabilities) and ExoConnectorCheck on
// every send connector destined for Exchange Online.
func (v *view) connectorChecks() []Finding {
	var out []Finding
	for _, s := range v.servers {
		for _, rc := range s.receive {
			if len(rc.TlsDomainCapabilities) == 0 || !strings.EqualFold(rc.TransportRole, "FrontendTransport") {
				continue
			}
			obj := fmt.Sprintf(`receive connector %s\%s`, rc.Server, rc.Name)
			out = append(out, v.tlsCertificateNameFindings(obj, rc.TlsCertificateName, []serverView{s}, scenarios.EXOToOnPrem)...)
		}
	}
	for _, sc := range v.send {
		toEXO := destinedForEXO(sc)
		if !sc.CloudServicesMailEnabled && !toEXO {
			continue
		}
		obj := "send connector " + sc.Name
		var servers []serverView
		for _, name := range sc.SourceTransportServers {
			if s := v.server(name); s != nil {
				servers = append(servers, *s)
			}
		}
		if sc.CloudServicesMailEnabled {
			out = append(out, v.tlsCertificateNameFindings(obj, sc.TlsCertificateName, servers, scenarios.OnPremToEXO)...)
		}
		if toEXO {
			out = append(out, exoConnectorFindings(obj, sc)...)
		}
	}
	return out
}

// destinedForEXO is ExoConnectorCheck's test (HC-EXO): a smart host in
// mail.protection.outlook.com or an address space in mail.onmicrosoft.com.
func destinedForEXO(sc fakeonprem.SendConnector) bool {
	for _, h := range sc.SmartHosts {
		if strings.HasSuffix(strings.ToLower(h), ".mail.protection.outlook.com") {
			return true
		}
	}
	for _, a := range sc.AddressSpaces {
		a = strings.ToLower(a)
		if i := strings.IndexByte(a, ':'); i >= 0 {
			a = a[i+1:]
		}
		a, _, _ = strings.Cut(a, ";")
		if strings.HasSuffix(a, ".mail.onmicrosoft.com") {
			return true
		}
	}
	return false
}

// tlsCertificateNameFindings is CloudConnectorCheck's TlsCertificateName
// configuration check (HC-Cloud,
// docs/Diagnostics/HealthChecker/CloudConnectorCheck.md): set, well formed
// (<I>X.500Issuer<S>X.500Subject), found on the server, not expiring within
// 60 days, equal to the hybrid configuration's. hybridsim adds what the
// certificate found must also have for mail to flow: its private key and
// the SMTP service (F12, F13).
func (v *view) tlsCertificateNameFindings(obj, value string, servers []serverView, dir scenarios.Direction) []Finding {
	dirs := []scenarios.Direction{dir}
	mk := func(test, val string, c Colour, detail string) Finding {
		return Finding{Check: "CloudConnectorCheck", Object: obj, Test: test, Value: val, Colour: c, Detail: detail, Directions: dirs}
	}
	if value == "" {
		return []Finding{mk("TlsCertificateName set", "$null", Red,
			`set it to the hybrid certificate: -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)" (or run the hybrid configuration wizard)`)}
	}
	out := []Finding{mk("TlsCertificateName set", value, Green, "")}
	n, err := pki.ParseTlsCertificateName(value)
	if err != nil {
		return append(out, mk("TlsCertificateName well formed", value, Red,
			"expected <I>X.500Issuer<S>X.500Subject: rewrite it from the certificate's Issuer and Subject"))
	}
	out = append(out, mk("TlsCertificateName well formed", n.String(), Green, ""))
	if hybrid := v.hybridTlsCertificateName(); hybrid != "" {
		f := mk("TlsCertificateName equals the hybrid configuration's", hybrid, Green, "")
		if h, err := pki.ParseTlsCertificateName(hybrid); err != nil || !strings.EqualFold(h.String(), n.String()) {
			f.Colour = Yellow
			f.Detail = "the connector names another certificate than the hybrid configuration: run the wizard's Update Secure Mail Certificate for Connectors"
		}
		out = append(out, f)
	}
	for _, s := range servers {
		var found *fakeonprem.ExchangeCertificate
		for i, e := range s.certs {
			if n.Matches(e.Certificate.Leaf) && (found == nil || e.Certificate.NotAfter().After(found.Certificate.NotAfter())) {
				found = &s.certs[i]
			}
		}
		if found == nil {
			out = append(out, mk("certificate found on "+s.cfg.Name, "no", Red,
				"no certificate in the store has this issuer and subject: import the renewed certificate and set TlsCertificateName to its <I>Issuer<S>Subject"))
			continue
		}
		tp := found.Certificate.Thumbprint()
		out = append(out, mk("certificate found on "+s.cfg.Name, tp, Green, ""))
		days := lifetimeDays(found.Certificate.Leaf, v.at)
		exp := mk("certificate expires within 60 days", fmt.Sprintf("%d days", days), Green, "")
		exp.Expires = found.Certificate.NotAfter().Add(1e9)
		switch {
		case days < 0 || !v.at.Before(found.Certificate.NotAfter()):
			exp.Colour, exp.Detail = Red, "the certificate has expired: import the renewed certificate and enable it for SMTP"
		case days < lifetimeGreenDays:
			exp.Colour, exp.Detail = Yellow, "the certificate expires within 60 days: renew it and update TlsCertificateName"
		}
		out = append(out, exp)
		if !found.Certificate.HasPrivateKey() {
			out = append(out, mk("certificate has its private key on "+s.cfg.Name, "no", Red,
				"the certificate was imported without its private key: import the PFX with its key and enable it for SMTP (KB 4495258)"))
		}
		if found.Services&fakeonprem.SMTP == 0 {
			out = append(out, mk("certificate enabled for SMTP on "+s.cfg.Name, found.Services.String(), Red,
				"Enable-ExchangeCertificate -Thumbprint "+tp+" -Services IIS, SMTP (KB 4051498)"))
		}
	}
	return out
}

// exoConnectorFindings is ExoConnectorCheck (HC-EXO,
// docs/Diagnostics/HealthChecker/ExoConnectorCheck.md): TlsCertificateName
// and CloudServicesMailEnabled set (misconfigured otherwise: red);
// TlsAuthLevel CertificateValidation or DomainValidation and, under
// DomainValidation, TlsDomain mail.protection.outlook.com (warnings:
// yellow). CloudConnectorCheck's RequireTLS is judged with them.
func exoConnectorFindings(obj string, sc fakeonprem.SendConnector) []Finding {
	dirs := []scenarios.Direction{scenarios.OnPremToEXO}
	mk := func(test, val string, c Colour, detail string) Finding {
		return Finding{Check: "ExoConnectorCheck", Object: obj, Test: test, Value: val, Colour: c, Detail: detail, Directions: dirs}
	}
	var out []Finding
	if sc.TlsCertificateName == "" {
		out = append(out, mk("TlsCertificateName set", "$null", Red,
			"without it the connector presents the certificate the FQDN selects, and Exchange Online cannot attribute the mail to the tenant: set it to the hybrid certificate"))
	}
	cs := mk("CloudServicesMailEnabled", fmt.Sprint(sc.CloudServicesMailEnabled), Green, "")
	if !sc.CloudServicesMailEnabled {
		cs.Colour, cs.Detail = Red, "Set-SendConnector -CloudServicesMailEnabled $true"
	}
	out = append(out, cs)
	level := sc.TlsAuthLevel
	if level == "" {
		level = "$null"
	}
	lv := mk("TlsAuthLevel", level, Green, "")
	if !strings.EqualFold(level, "CertificateValidation") && !strings.EqualFold(level, "DomainValidation") {
		lv.Colour, lv.Detail = Yellow, "Set-SendConnector -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -RequireTLS $true"
	}
	out = append(out, lv)
	if strings.EqualFold(level, "DomainValidation") {
		d := mk("TlsDomain", sc.TlsDomain, Green, "")
		if !strings.EqualFold(sc.TlsDomain, exoTlsDomain) {
			d.Colour, d.Detail = Yellow, "Set-SendConnector -TlsDomain mail.protection.outlook.com"
		}
		out = append(out, d)
	}
	rt := mk("RequireTLS", fmt.Sprint(sc.RequireTLS), Green, "")
	if !sc.RequireTLS {
		rt.Check, rt.Colour, rt.Detail = "CloudConnectorCheck", Yellow, "Set-SendConnector -RequireTLS $true"
	}
	return append(out, rt)
}
