package sim

import "testing"

// TestWizardRefusesSubjectWithoutCN: seed 003's rule; the connectors stay
// as they were.
func TestWizardRefusesSubjectWithoutCN(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte("Base: default\nCertificates:\n  - Name: sanonly\n    Profile: no-cn\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: sanonly\n          Services: IIS, SMTP\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	c := l.Certificates["sanonly"]
	_, err = l.RunHybridWizard(c.Thumbprint(), WizardOptions{})
	want := `sim: hybrid configuration wizard: the certificate ` + c.Thumbprint() + ` (Subject "` + c.Subject() + `") has no CN in its Subject; the connectors' TlsCertificateName is written from the Subject, which must contain a CN (seed 003): request a certificate whose Subject is CN=<your published name>, and run the wizard with it`
	if err == nil || err.Error() != want {
		t.Errorf("RunHybridWizard(SAN-only) = %v\nwant %s", err, want)
	}
	rc, _ := l.OnPrem.GetReceiveConnector(`EX01\Default Frontend EX01`)
	if got, was := rc[0].TlsCertificateName, l.Certificates["hybrid"].TlsCertificateName().String(); got != was {
		t.Errorf("the refused wizard changed the frontend's TlsCertificateName to %s", got)
	}
}

// TestWizardConnectivityTest: the wizard's mail-flow test is a real
// session from Exchange Online's outbound connector; with a certificate
// the server will not load (revoked), the server offers no STARTTLS and
// the test fails with S9's proxy failure; on the default lab it passes.
func TestWizardConnectivityTest(t *testing.T) {
	l := newDefaultLab(t)
	hybrid := l.Certificates["hybrid"]
	r, err := l.RunHybridWizard(hybrid.Thumbprint(), WizardOptions{})
	if err != nil || !r.Test.Passed || r.Test.Recipient != "bob@contoso.com" {
		t.Fatalf("wizard on the default lab: test %+v, %v; want passed to bob@contoso.com", r.Test, err)
	}
	if err := l.PKI.Revoke(hybrid.Leaf, l.Now()); err != nil {
		t.Fatal(err)
	}
	if err := l.OnPrem.RestartTransportService("EX01"); err != nil {
		t.Fatal(err)
	}
	r, err = l.RunHybridWizard(hybrid.Thumbprint(), WizardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `450 4.4.101 Proxy session setup failed on Frontend with '451 4.4.0 Primary target IP address responded with "451 5.7.3 STARTTLS is required to send mail." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.10:25'.`
	if r.Test.Passed || r.Test.Result != want {
		t.Errorf("wizard with a revoked certificate: test %+v\nwant result %s", r.Test, want)
	}
}

// TestWizardTestResult: which failures the wizard quotes as the on-premises
// server's reply.
func TestWizardTestResult(t *testing.T) {
	tests := []struct{ name, details, want string }{
		{name: "ServerReply",
			details: "450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.mail.protection.outlook.com]",
			want:    `450 4.4.101 Proxy session setup failed on Frontend with '451 4.4.0 Primary target IP address responded with "451 5.7.3 STARTTLS is required to send mail." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.10:25'.`},
		{name: "CertificateRefused",
			details: "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.mail.protection.outlook.com]",
			want:    "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.mail.protection.outlook.com]"},
		{name: "Disabled", details: "The domain of the recipient is not configured as part of connector.", want: "The domain of the recipient is not configured as part of connector."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wizardTestResult(tc.details); got != tc.want {
				t.Errorf("wizardTestResult(%q) =\n%s\nwant\n%s", tc.details, got, tc.want)
			}
		})
	}
}
