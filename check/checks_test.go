package check

import (
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

const (
	hcwSend    = "send connector Outbound to Office 365 - 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93"
	frontend   = `receive connector EX01\Default Frontend EX01`
	hcwInbound = "inbound connector Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93 (tenant contoso)"
)

func on() *bool  { v := true; return &v }
func off() *bool { v := false; return &v }

// TestChecks trips each check with a lab and reads the same finding on the
// default lab, which must not trip it.
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name                string
		check, object, test string
		edit                func(*sim.Config)
		want                Colour
	}{
		{name: "SendTlsCertificateNameUnset", check: "ExoConnectorCheck", object: hcwSend, test: "TlsCertificateName set",
			edit: func(c *sim.Config) { c.OnPrem.SendConnectors[0].TlsCertificateName = "" }, want: Red},
		{name: "CloudServicesMailEnabledOff", check: "ExoConnectorCheck", object: hcwSend, test: "CloudServicesMailEnabled",
			edit: func(c *sim.Config) { c.OnPrem.SendConnectors[0].CloudServicesMailEnabled = false }, want: Red},
		{name: "ReceiveTlsCertificateNameUnset", check: "CloudConnectorCheck", object: frontend, test: "TlsCertificateName set",
			edit: func(c *sim.Config) { c.OnPrem.ReceiveConnectors[0].TlsCertificateName = "" }, want: Red},
		{name: "TlsCertificateNameNotFound", check: "CloudConnectorCheck", object: frontend, test: "certificate found on EX01",
			edit: func(c *sim.Config) {
				c.OnPrem.ReceiveConnectors[0].TlsCertificateName = "<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"
			}, want: Red},
		{name: "TlsCertificateNameNotHybrid", check: "CloudConnectorCheck", object: frontend, test: "TlsCertificateName equals the hybrid configuration's",
			edit: func(c *sim.Config) {
				c.OnPrem.ReceiveConnectors[0].TlsCertificateName = "<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com"
			}, want: Yellow},
		{name: "TlsAuthLevelEncryptionOnly", check: "ExoConnectorCheck", object: hcwSend, test: "TlsAuthLevel",
			edit: func(c *sim.Config) { c.OnPrem.SendConnectors[0].TlsAuthLevel = "EncryptionOnly" }, want: Yellow},
		{name: "TlsDomainWrong", check: "ExoConnectorCheck", object: hcwSend, test: "TlsDomain",
			edit: func(c *sim.Config) { c.OnPrem.SendConnectors[0].TlsDomain = "outlook.com" }, want: Yellow},
		{name: "InternalTransportCertificateUnset", check: "InternalTransportCertificateCheck", object: "EX01", test: "internal transport certificate present",
			edit: func(c *sim.Config) {
				c.OnPrem.Servers[0].TransportService.InternalTransportCertificateThumbprint = "0000000000000000000000000000000000000000"
			}, want: Red},
		{name: "TLS12Disabled", check: "TLSConfigurationCheck", object: "EX01", test: "TLS 1.2",
			edit: func(c *sim.Config) {
				c.OnPrem.Servers[0].Schannel.TLS12 = fakeonprem.SchannelProtocol{Client: fakeonprem.SchannelSide{Enabled: off(), DisabledByDefault: on()}, Server: fakeonprem.SchannelSide{Enabled: off(), DisabledByDefault: on()}}
			}, want: Red},
		{name: "TLS10Misconfigured", check: "TLSConfigurationCheck", object: "EX01", test: "TLS 1.0",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].Schannel.TLS10.Client.Enabled = off() }, want: Red},
		{name: "TLS11HalfDisabled", check: "TLSConfigurationCheck", object: "EX01", test: "TLS 1.1",
			edit: func(c *sim.Config) {
				c.OnPrem.Servers[0].Schannel.TLS11 = fakeonprem.SchannelProtocol{Client: fakeonprem.SchannelSide{Enabled: off()}, Server: fakeonprem.SchannelSide{Enabled: off()}}
			}, want: Red},
		{name: "SystemDefaultTlsVersionsAbsent", check: "TLSConfigurationCheck", object: "EX01", test: "SystemDefaultTlsVersions",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].Schannel.SystemDefaultTlsVersions = nil }, want: Red},
		{name: "SchUseStrongCryptoOff", check: "TLSConfigurationCheck", object: "EX01", test: "SchUseStrongCrypto",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].Schannel.SchUseStrongCrypto = off() }, want: Yellow},
		{name: "DisableRootAutoUpdate", check: "TrustedRootCertificatesCheck", object: "EX01", test: "DisableRootAutoUpdate",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].DisableRootAutoUpdate = true }, want: Yellow},
		{name: "G2MissingBeforeTheDate", check: "TrustedRootCertificatesCheck", object: "EX01", test: "DigiCert Global Root G2 trusted",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].DisableRootAutoUpdate = true }, want: Yellow},
		{name: "G2MissingFromTheDate", check: "TrustedRootCertificatesCheck", object: "EX01", test: "DigiCert Global Root G2 trusted",
			edit: func(c *sim.Config) { c.OnPrem.Servers[0].DisableRootAutoUpdate = true; c.Clock = pki.EXOG2Since }, want: Red},
		{name: "SenderNameNotAccepted", check: "BothSidesCheck", object: hcwInbound, test: "TlsSenderCertificateName is an accepted domain",
			edit: func(c *sim.Config) {
				c.EXO.Tenants[0].InboundConnectors[0].TlsSenderCertificateName = "mail.contoso.com"
			}, want: Red},
		{name: "SenderNameOtherCertificate", check: "BothSidesCheck", object: hcwInbound, test: "TlsSenderCertificateName names EX01's certificate",
			edit: func(c *sim.Config) { c.EXO.Tenants[0].InboundConnectors[0].TlsSenderCertificateName = "*.fabrikam.com" }, want: Red},
		{name: "OutboundTlsDomainOtherName", check: "BothSidesCheck", object: "outbound connector Outbound to 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93 -> mail.contoso.com",
			test: "certificate presented names TlsDomain mail.fabrikam.com",
			edit: func(c *sim.Config) { c.EXO.Tenants[0].OutboundConnectors[0].TlsDomain = "mail.fabrikam.com" }, want: Red},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sim.DefaultConfig()
			tc.edit(&cfg)
			if got := colourOf(t, inspect(t, cfg), tc.check, tc.object, tc.test); got != tc.want {
				t.Errorf("tripped: %s %s %q = %s, want %s", tc.check, tc.object, tc.test, got, tc.want)
			}
			for _, f := range inspect(t, sim.DefaultConfig()) {
				if f.Check == tc.check && f.Object == tc.object && f.Test == tc.test && f.Colour != Green {
					t.Errorf("default lab: %s %s %q = %s, want Green", tc.check, tc.object, tc.test, f.Colour)
				}
			}
		})
	}
}

// TestTransportRetryDefaults: Exchange's defaults are off Health Checker's
// recommendation; 40 connections and 5 minutes are on it.
func TestTransportRetryDefaults(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.OnPrem.Servers[0].TransportService.MaxPerDomainOutboundConnections = 40
	tripped := sim.DefaultConfig()
	tripped.OnPrem.Servers[0].TransportService.MaxPerDomainOutboundConnections = 39
	if got := colourOf(t, inspect(t, tripped), "TransportRetryConfigCheck", "EX01", "MaxPerDomainOutboundConnections"); got != Yellow {
		t.Errorf("MaxPerDomainOutboundConnections 39 = %s, want Yellow", got)
	}
	cfg.OnPrem.Servers[0].TransportService.MessageRetryInterval = 5 * time.Minute
	f := inspect(t, cfg)
	for _, test := range []string{"MaxPerDomainOutboundConnections", "MessageRetryInterval"} {
		if got := colourOf(t, f, "TransportRetryConfigCheck", "EX01", test); got != Green {
			t.Errorf("%s at the recommendation = %s, want Green", test, got)
		}
		if got := colourOf(t, inspect(t, sim.DefaultConfig()), "TransportRetryConfigCheck", "EX01", test); got != Yellow {
			t.Errorf("%s at Exchange's default = %s, want Yellow", test, got)
		}
	}
}
