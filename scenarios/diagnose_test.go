package scenarios_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestDiagnose: pasted evidence names the catalogue entries whose
// documented symptom it is and the rules that produce it; two symptoms
// at once name both; text with no documented symptom names none.
func TestDiagnose(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		entries []string
		rules   []string
	}{
		{name: "LED", text: "450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]",
			entries: []string{"F01", "F04"}, rules: []string{"exo-requires-starttls"}},
		{name: "QueueLastError", text: "454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found.",
			entries: []string{"F11"}, rules: []string{"send-connector-certificate-not-found"}},
		{name: "SendLogLine", text: "2026-01-05T09:00:00.000Z,Outbound to Office 365,08DE,5,203.0.113.10:1234,198.51.100.25:25,*,,TLS negotiation failed with error UnknownCredentials",
			entries: []string{"F13"}, rules: []string{"tls-not-enabled-for-smtp"}},
		{name: "NDRWrapped", text: "Remote Server returned\n  '550 5.7.64 TenantAttribution; Relay Access Denied\n  SMTP.'",
			entries: []string{"F15", "F16"}, rules: []string{"tenant-attribution-relay-denied"}},
		{name: "Event", text: "Microsoft Exchange could not find a certificate that contains the domain name <I>CN=X<S>CN=mail.contoso.com in the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the connector Default Frontend EX01 with a FQDN parameter of ex01.contoso.lab. If the connector's FQDN is not specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has access to the certificate key.",
			entries: []string{"F01", "F04"}, rules: []string{"receive-connector-certificate-not-found"}},
		{name: "TwoAtOnce", text: "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources\n454 4.7.5 Certificate validation failure, reason:untrustedroot",
			entries: []string{"F19", "F22"}, rules: []string{"on-prem-trusts-no-exo-root", "direct-send-rejected"}},
		{name: "Nothing", text: "250 2.6.0 Queued mail for delivery", entries: []string{}, rules: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := scenarios.Diagnose(tc.text)
			entries, rules := []string{}, []string{}
			for _, e := range d.Entries {
				entries = append(entries, e.ID)
			}
			for _, r := range d.Rules {
				rules = append(rules, r.Name)
				if r.Rule == "" || len(r.Check) == 0 || len(r.Evidence) == 0 || r.Sources == "" {
					t.Errorf("rule %s lacks its sentence, checks, evidence or sources", r.Name)
				}
			}
			if diff := cmp.Diff(tc.entries, entries); diff != "" {
				t.Errorf("Diagnose(%q) entries (-want +got):\n%s", tc.text, diff)
			}
			if diff := cmp.Diff(tc.rules, rules); diff != "" {
				t.Errorf("Diagnose(%q) rules (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// TestEverySymptomDiagnoses: every catalogue symptom that Explain can
// match is diagnosed back to its own entry.
func TestEverySymptomDiagnoses(t *testing.T) {
	for _, res := range []scenarios.Result{scenarios.Execute(mustFind(t, "F01")), scenarios.Execute(mustFind(t, "F18"))} {
		for _, s := range res.Symptoms {
			d := scenarios.Diagnose(s.Want)
			found := false
			for _, e := range d.Entries {
				found = found || e.ID == res.Entry.ID
			}
			if !found {
				t.Errorf("Diagnose(%s's symptom %q) = %v; want %s among them", res.Entry.ID, s.Want, d.Entries, res.Entry.ID)
			}
		}
	}
}

func mustFind(t testing.TB, id string) scenarios.Entry {
	t.Helper()
	e, ok := scenarios.Find(id)
	if !ok {
		t.Fatalf("no entry %s", id)
	}
	return e
}
