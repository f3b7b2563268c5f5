package check

import (
	"fmt"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/scenarios"
)

// TLS configurations as TLSConfigurationCheck names them (HC-TLS,
// docs/Diagnostics/HealthChecker/TLSConfigurationCheck.md).
const (
	tlsEnabled       = "Enabled"       // Client and Server Enabled 1, DisabledByDefault 0
	tlsDisabled      = "Disabled"      // Client and Server Enabled 0, DisabledByDefault 1
	tlsHalfDisabled  = "Half Disabled" // Enabled and DisabledByDefault equal: unsupported
	tlsMisconfigured = "Misconfigured" // Client and Server differ: Exchange is both
)

// registry reads a value the way TLSConfigurationCheck does: a value the
// registry does not hold is the default.
func registry(v *bool, absent bool) bool {
	if v == nil {
		return absent
	}
	return *v
}

// tlsConfiguration is the Configuration TLSConfigurationCheck gives one
// TLS version. An absent key is Enabled 1 and DisabledByDefault 0 (HC-TLS).
func tlsConfiguration(p fakeonprem.SchannelProtocol) string {
	ce, cd := registry(p.Client.Enabled, true), registry(p.Client.DisabledByDefault, false)
	se, sd := registry(p.Server.Enabled, true), registry(p.Server.DisabledByDefault, false)
	switch {
	case ce != se || cd != sd:
		return tlsMisconfigured
	case ce && !cd:
		return tlsEnabled
	case !ce && cd:
		return tlsDisabled
	}
	return tlsHalfDisabled
}

// tlsChecks is TLSConfigurationCheck on every server: TLS 1.0, 1.1 and 1.2
// and .NET Framework's SystemDefaultTlsVersions and SchUseStrongCrypto
// (absent: false, HC-TLS). Health Checker's page gives no colours; these
// are hybridsim's (INFER): Misconfigured and Half Disabled red (the page:
// "needs to be addressed ASAP", "not a supported configuration"), TLS 1.2
// Disabled red (Exchange Online takes only TLS 1.2 or later), .NET not
// inheriting Schannel's defaults red, weak .NET cryptography yellow.
func (v *view) tlsChecks() []Finding {
	all := []scenarios.Direction{scenarios.EXOToOnPrem, scenarios.OnPremToEXO, scenarios.Internal}
	var out []Finding
	for _, s := range v.servers {
		sch := s.cfg.Schannel
		for _, ver := range []struct {
			name string
			p    fakeonprem.SchannelProtocol
		}{{"TLS 1.0", sch.TLS10}, {"TLS 1.1", sch.TLS11}, {"TLS 1.2", sch.TLS12}} {
			conf := tlsConfiguration(ver.p)
			f := Finding{Check: "TLSConfigurationCheck", Object: s.cfg.Name, Test: ver.name, Value: conf, Colour: Green, Directions: all}
			switch {
			case conf == tlsMisconfigured:
				f.Colour, f.Detail = Red, "the Client and Server keys of "+ver.name+" differ: set Enabled and DisabledByDefault the same under both (Exchange Server TLS guidance)"
			case conf == tlsHalfDisabled:
				f.Colour, f.Detail = Red, "Enabled and DisabledByDefault are not opposite: set Enabled 1 and DisabledByDefault 0, or Enabled 0 and DisabledByDefault 1"
			case conf == tlsDisabled && ver.name == "TLS 1.2":
				f.Colour, f.Detail = Red, "TLS 1.2 is disabled: enable it (Client and Server Enabled 1, DisabledByDefault 0) and restart the server"
			}
			out = append(out, f)
		}
		sd := registry(sch.SystemDefaultTlsVersions, false)
		f := Finding{Check: "TLSConfigurationCheck", Object: s.cfg.Name, Test: "SystemDefaultTlsVersions", Value: fmt.Sprint(sd), Colour: Green, Directions: all}
		if !sd {
			f.Colour, f.Detail = Red, `.NET Framework does not take Schannel's TLS versions: set SystemDefaultTlsVersions 1 under HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319`
		}
		out = append(out, f)
		sc := registry(sch.SchUseStrongCrypto, false)
		f = Finding{Check: "TLSConfigurationCheck", Object: s.cfg.Name, Test: "SchUseStrongCrypto", Value: fmt.Sprint(sc), Colour: Green, Directions: all}
		if !sc {
			f.Colour, f.Detail = Yellow, `set SchUseStrongCrypto 1 under HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319`
		}
		out = append(out, f)
	}
	return out
}
