package control

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// frontend is the receive connector Exchange Online delivers to.
const frontend = `EX01\Default Frontend EX01`

// connectorIn finds a receive connector ("Server\Name") or a send
// connector (its name) of the deployment.
func connectorIn(t testing.TB, d deploymentBody, name string) connView {
	t.Helper()
	for _, o := range d.Organizations {
		for _, s := range o.Servers {
			for _, c := range s.ReceiveConnectors {
				if s.Name+`\`+c.Name == name {
					return c
				}
			}
		}
		for _, c := range o.SendConnectors {
			if c.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no connector %s in the deployment", name)
	return connView{}
}

// TestDeploymentFlagsOnlyBrokenEntries breaks catalogue entries and reads
// the frontend's chosen certificate, rule and flags; the unbroken lab is
// the negative control: nothing is flagged anywhere.
func TestDeploymentFlagsOnlyBrokenEntries(t *testing.T) {
	tests := []struct {
		name, entry string
		rule        string
		chosen      bool
		flags       []string
	}{
		{name: "unbroken", rule: "by TlsCertificateName", chosen: true, flags: []string{}},
		{name: "stale TlsCertificateName", entry: "F01", rule: "none: TlsCertificateName finds no usable certificate", flags: []string{"F01: no STARTTLS; Event 12014"}},
		{name: "self-signed presented", entry: "F02", rule: "self-signed fallback (FQDN ex01.contoso.lab)", chosen: true,
			flags: []string{"F02: the self-signed certificate fails a partner's certificate or domain validation"}},
		{name: "expired certificate", entry: "F06", rule: "by TlsCertificateName", chosen: true, flags: []string{"F06: presents an expired certificate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newAPIServer(t, true)
			if tc.entry != "" {
				if code, body := s.call(t, "POST", "/api/v1/catalogue/"+tc.entry+"/break", "{}", nil); code != 200 {
					t.Fatalf("break %s = %d %s", tc.entry, code, body)
				}
			}
			var d deploymentBody
			if code, body := s.call(t, "GET", "/api/v1/deployment", "", &d); code != 200 {
				t.Fatalf("deployment = %d %s", code, body)
			}
			c := connectorIn(t, d, frontend)
			if c.Rule != tc.rule || (c.Certificate != "") != tc.chosen {
				t.Errorf("%s: rule %q, certificate %q; want %q, chosen %v", frontend, c.Rule, c.Certificate, tc.rule, tc.chosen)
			}
			if diff := cmp.Diff(tc.flags, c.Flags); diff != "" {
				t.Errorf("%s flags (-want +got):\n%s", frontend, diff)
			}
			if tc.entry == "" {
				for _, o := range d.Organizations {
					for _, s := range o.Servers {
						for _, c := range s.ReceiveConnectors {
							if len(c.Flags) > 0 {
								t.Errorf("unbroken lab: %s\\%s flagged %q", s.Name, c.Name, c.Flags)
							}
						}
						for _, c := range s.Certificates {
							if len(c.Flags) > 0 || c.Validity != "valid" {
								t.Errorf("unbroken lab: certificate %s is %s, flagged %q", c.Subject, c.Validity, c.Flags)
							}
						}
					}
					for _, c := range o.SendConnectors {
						if len(c.Flags) > 0 {
							t.Errorf("unbroken lab: send connector %s flagged %q", c.Name, c.Flags)
						}
					}
				}
			}
		})
	}
}

// TestDeploymentChoiceIsWhatThePeerSees sends mail from Exchange Online to
// on-premises and compares the certificate the frontend presented (its
// receive protocol log's Sending certificate record) and the one Exchange
// Online received (its send protocol log's Remote certificate record),
// as the timeline reads them, with the one the deployment says the
// frontend chooses.
func TestDeploymentChoiceIsWhatThePeerSees(t *testing.T) {
	s := newAPIServer(t, false)
	var d deploymentBody
	s.call(t, "GET", "/api/v1/deployment", "", &d)
	var sent sendBody
	if code, body := s.call(t, "POST", "/api/v1/send", `{"from":"alice@contoso.com","to":"bob@contoso.com","subject":"which certificate"}`, &sent); code != 200 {
		t.Fatalf("send = %d %s", code, body)
	}
	var tl timelineBody
	s.call(t, "GET", "/api/v1/messages/"+url.PathEscape(sent.MessageID), "", &tl)
	var presented, received []string
	for _, h := range tl.Hops {
		for _, e := range h.Entries {
			if e.Source != "protocol log" {
				continue
			}
			switch {
			case h.Host == "EX01" && e.SentCertificate != nil:
				presented = append(presented, e.SentCertificate.Thumbprint)
			case h.Host == "Exchange Online" && e.RemoteCertificate != nil:
				received = append(received, e.RemoteCertificate.Thumbprint)
			}
		}
	}
	want := connectorIn(t, d, frontend).Certificate
	if want == "" {
		t.Fatalf("the deployment says %s chooses no certificate", frontend)
	}
	if diff := cmp.Diff([]string{want}, presented); diff != "" {
		t.Errorf("the certificates the frontend presented differ from the one the deployment says it chooses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{want}, received); diff != "" {
		t.Errorf("the certificates Exchange Online received differ from the one the deployment says the frontend chooses (-want +got):\n%s", diff)
	}
}
