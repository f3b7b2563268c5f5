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
			{Direction: scenarios.Internal, Outcome: "delivered"},
		}},
		{name: "StaleTlsCertificateNameIsF01", cfg: func(t *testing.T) sim.Config {
			return broken(t, "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n"+
				"      TlsCertificateName: <I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\n")
		}, want: []summary{
			{Direction: scenarios.EXOToOnPrem, Outcome: "deferred: still in Exchange Online's queue", Matches: []string{"F01"}},
			{Direction: scenarios.OnPremToEXO, Outcome: "delivered"},
			{Direction: scenarios.Internal, Outcome: "delivered"},
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
			{Direction: scenarios.Internal, Outcome: "delivered"},
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
		})
	}
}
