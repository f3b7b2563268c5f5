package scenarios_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// summary is what a test compares of a prediction: the outcome and the
// catalogue entries it matches.
type summary struct {
	Direction scenarios.Direction
	Outcome   string
	Matches   []string
}

func summarize(ps []scenarios.Prediction) []summary {
	var out []summary
	for _, p := range ps {
		s := summary{Direction: p.Direction, Outcome: p.Outcome}
		for _, m := range p.Matches {
			s.Matches = append(s.Matches, m.ID)
		}
		out = append(out, s)
	}
	return out
}

func TestExplain(t *testing.T) {
	broken := func(t *testing.T, file string) sim.Config {
		t.Helper()
		cfg, err := sim.Parse("lab.yaml", []byte(file))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	tests := []struct {
		name string
		cfg  func(*testing.T) sim.Config
		want []summary
	}{
		{name: "DefaultLabDelivers", cfg: func(*testing.T) sim.Config { return sim.DefaultConfig() }, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.OnPremToEXO, Outcome: "delivered"},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
		{name: "StaleTlsCertificateNameIsF01", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n"+
				"      TlsCertificateName: <I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\n")
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "deferred: still in Exchange Online's queue", Matches: []string{"F01"}},
			{Direction: scenarios.OnPremToEXO, Outcome: "delivered"},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
		{name: "PartnerRestrictionIsF18", cfg: func(t *testing.T) sim.Config {
			return broken(t, `Base: default
EXO:
  Tenants:
    - Name: contoso
      InboundConnectors:
        - Name: Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93
          TlsSenderCertificateName: hybrid.contoso.com
        - Name: From partners
          ConnectorType: Partner
          SenderDomains: '*'
          RequireTls: $true
          RestrictDomainsToCertificate: $true
          TlsSenderCertificateName: mail.fabrikam.com
          Enabled: $true
`)
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.OnPremToEXO, Outcome: "returned to its sender in an NDR", Matches: []string{"F18"}},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
		{name: "UnacceptedCertificateNameIs5751", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      InboundConnectors:\n        - Name: Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93\n          TlsSenderCertificateName: mail.contoso.com\n")
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.OnPremToEXO, Outcome: "returned to its sender in an NDR", Matches: []string{"F18"}},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
		{name: "SenderMeetsDirectSend", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      RejectDirectSend: $true\nSenders:\n  - Name: app01.contoso.com\n    IPAddresses: [203.0.113.77]\n    MailFrom: scanner@contoso.com\n")
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.OnPremToEXO, Outcome: "delivered"},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
			{Direction: scenarios.SenderToOnPrem, Outcome: "refused by contoso-com.mail.protection.outlook.com", Matches: []string{"F22"}},
			{Direction: scenarios.SenderToCloud, Outcome: "refused by contoso-com.mail.protection.outlook.com", Matches: []string{"F22"}},
		}},
		{name: "SenderWithCertificateDelivers", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nSenders:\n  - Name: app01.contoso.com\n    IPAddresses: [203.0.113.77]\n    MailFrom: scanner@contoso.com\n    Certificate: hybrid\n")
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.OnPremToEXO, Outcome: "delivered"},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
			{Direction: scenarios.SenderToOnPrem, Outcome: "delivered"},
			{Direction: scenarios.SenderToCloud, Outcome: "delivered"},
		}},
		{name: "TwoFailuresAtOnce", cfg: func(t *testing.T) sim.Config {
			return broken(t, twoFailures)
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "deferred: still in Exchange Online's queue", Matches: []string{"F01"}},
			{Direction: scenarios.OnPremToEXO, Outcome: "returned to its sender in an NDR", Matches: []string{"F18"}},
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
		{name: "NoTenantExplainsOnPremises", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      Remove: $true\n")
		}, want: []summary{
			{Direction: scenarios.OnPremToInternet, Outcome: "delivered"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scenarios.Explain(tc.cfg(t))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarize(got)); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
			for _, p := range got {
				if p.Outcome == "delivered" && (len(p.Matches) > 0 || len(p.Cause) > 0 || len(p.Fix) > 0) {
					t.Errorf("%s: a delivered probe matches %v, cause %v, fix %v; want none", p.Direction, p.Matches, p.Cause, p.Fix)
				}
				if p.Outcome != "delivered" && (len(p.Cause) == 0 || len(p.Receiver) == 0) {
					t.Errorf("%s: a failed probe has cause %v and receiving side %v; want both", p.Direction, p.Cause, p.Receiver)
				}
			}
		})
	}
}

// twoFailures is a lab with F01 (a stale TlsCertificateName on the
// frontend) and F18 (a restricted Partner connector) at once.
const twoFailures = `Base: default
OnPrem:
  ReceiveConnectors:
    - Name: Default Frontend EX01
      TlsCertificateName: <I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US
EXO:
  Tenants:
    - Name: contoso
      InboundConnectors:
        - Name: Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93
          TlsSenderCertificateName: hybrid.contoso.com
        - Name: From partners
          ConnectorType: Partner
          SenderDomains: '*'
          RequireTls: $true
          RestrictDomainsToCertificate: $true
          TlsSenderCertificateName: mail.fabrikam.com
          Enabled: $true
`

// TestExplainCause: the decisive rule is one sentence with the lab's own
// names, and the fix names the lab's objects.
func TestExplainCause(t *testing.T) {
	cfg, err := sim.Parse("lab.yaml", []byte(twoFailures))
	if err != nil {
		t.Fatal(err)
	}
	got, err := scenarios.Explain(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const stale = "<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"
	wantReceiver := []string{`EX01's "Default Frontend EX01" names ` + stale + `; EX01's store has no such certificate, so STARTTLS is not offered (Event 12014)`}
	if diff := cmp.Diff(wantReceiver, got[0].Receiver); diff != "" {
		t.Errorf("receiving side (-want +got):\n%s", diff)
	}
	wantCause := wantReceiver[0] + `; Exchange Online's outbound connector "Outbound to 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93" requires TLS (TlsSettings DomainValidation, TlsDomain *.contoso.com), so it defers with 450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]`
	if got[0].Cause[0] != wantCause {
		t.Errorf("cause = %q\nwant %q", got[0].Cause[0], wantCause)
	}
	wantFix := []string{`Set-ReceiveConnector "EX01\Default Frontend EX01" -TlsCertificateName $null -TlsDomainCapabilities $null`,
		"Hybrid Configuration Wizard: configure mail flow, transport certificate 630621D440D0680126CE78C1D468E3CAED7DF1F5 (CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US)"}
	if diff := cmp.Diff(wantFix, got[0].Fix); diff != "" {
		t.Errorf("fix (-want +got):\n%s", diff)
	}
}

// TestDeliveredNeverMatches: on every catalogue entry's lab after the
// documented fix, and on the default lab, a delivered probe matches no
// failure entry (Explain reads each probe's own lab only).
func TestDeliveredNeverMatches(t *testing.T) {
	labs := map[string]string{
		"Default": "Base: default\n",
		// The on-premises mail is attributed by certificate and delivered;
		// the internet probe (through the Edge) must not borrow F17.
		"WildcardInbound": "Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      InboundConnectors:\n        - Name: Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93\n          TlsSenderCertificateName: '*.contoso.com'\n",
		"TwoFailures":     twoFailures,
	}
	for name, file := range labs {
		cfg, err := sim.Parse("lab.yaml", []byte(file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := scenarios.Explain(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range got {
			if p.Outcome == "delivered" && len(p.Matches) > 0 {
				t.Errorf("%s: %s: delivered, and matches %v", name, p.Direction, p.Matches)
			}
		}
	}
}
