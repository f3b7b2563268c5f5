package sim

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// shell runs a command line that must succeed.
func shell(t testing.TB, l *Lab, line string) []psh.Object {
	t.Helper()
	objs, err := l.Shell(context.Background(), line)
	if err != nil {
		t.Fatalf("Shell(%q) = %v", line, err)
	}
	return objs
}

func property(t testing.TB, o psh.Object, name string) psh.Value {
	t.Helper()
	v, ok := o.Get(name)
	if !ok {
		t.Fatalf("object %v has no property %s", o.TypeNames, name)
	}
	return v
}

func TestShellReceiveConnector(t *testing.T) {
	l := newDefaultLab(t)
	shell(t, l, `Set-ReceiveConnector "EX01\Default Frontend EX01" -AuthMechanism Tls, ExchangeServer -RequireTLS:$true`)
	got := shell(t, l, `get-receiveconnector 'EX01\Default Frontend EX01'`)
	if len(got) != 1 {
		t.Fatalf("Get-ReceiveConnector = %d objects, want 1", len(got))
	}
	if diff := cmp.Diff([]psh.Value{"Tls", "ExchangeServer"}, property(t, got[0], "AuthMechanism")); diff != "" {
		t.Errorf("AuthMechanism -want +got:\n%s", diff)
	}
	if v := property(t, got[0], "RequireTLS"); v != true {
		t.Errorf("RequireTLS = %v, want true", v)
	}
	rc, err := l.OnPrem.GetReceiveConnector(`EX01\Default Frontend EX01`)
	if err != nil || !rc[0].RequireTLS {
		t.Errorf("the Go API sees RequireTLS %v, %v", rc, err)
	}
}

func TestShellRefusals(t *testing.T) {
	l := newDefaultLab(t)
	tests := []struct{ name, line, want string }{
		{name: "UnknownCmdlet", line: "Get-Mailbox", want: "psh: The term 'Get-Mailbox' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again. This lab's cmdlets: " +
			"Enable-ExchangeCertificate, Get-AcceptedDomain, Get-ChildItem, Get-Date, Get-ExchangeCertificate, Get-InboundConnector, Get-MessageTrace, " +
			"Get-MessageTraceDetail, Get-MessageTrackingLog, Get-OrganizationConfig, Get-OutboundConnector, Get-Queue, Get-ReceiveConnector, " +
			"Get-SendConnector, Get-TransportService, Get-WinEvent, Import-Certificate, Import-ExchangeCertificate, New-EdgeSubscription, " +
			"New-ExchangeCertificate, New-InboundConnector, New-ItemProperty, New-OutboundConnector, Remove-ExchangeCertificate, Remove-InboundConnector, Remove-Item, " +
			"Remove-OutboundConnector, Restart-Service, Retry-Queue, Send-MailMessage, Set-InboundConnector, Set-ItemProperty, Set-OrganizationConfig, " +
			"Set-OutboundConnector, Set-ReceiveConnector, Set-SendConnector, Set-TransportService, Start-HybridConfigurationWizard, Start-Sleep, " +
			"Test-Certificate, Validate-OutboundConnector."},
		{name: "UnknownParameter", line: "Get-Queue -Foo 1", want: "psh: Get-Queue: A parameter cannot be found that matches parameter name 'Foo'. Get-Queue takes -Identity, -Server."},
		{name: "BadValue", line: `Set-SendConnector "Outbound to Office 365 - 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93" -Port many`, want: `psh: -Port: takes a whole number, not "many"`},
		{name: "Variable", line: "Remove-ExchangeCertificate -Thumbprint $cert.Thumbprint", want: "psh: position 40: $cert.Thumbprint: this shell expands no variables (only $null, $true and $false); write the value itself"},
		{name: "UnknownServer", line: "Get-Queue -Server EX99", want: `fakeonprem: server "EX99" not found: the organization's servers are EX01, EDGE01`},
		{name: "NoSuchFile", line: `Import-Certificate -FilePath C:\certs\nothing.cer -CertStoreLocation Cert:\LocalMachine\Root`, want: `sim: C:\certs\nothing.cer: no such file: the shell reads C:\certs\<certificate>.pfx or .cer, where <certificate> is one of the lab's certificates (hybrid), root, issuing-ca or an authority's thumbprint`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Shell(context.Background(), tt.line)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Shell(%q) = %v,\nwant %s", tt.line, err, tt.want)
			}
		})
	}
	// A refused Set changes nothing.
	all, _ := l.OnPrem.GetSendConnector("")
	if all[0].Port != 25 {
		t.Errorf("Port after a refused Set-SendConnector = %d, want 25", all[0].Port)
	}
}

func TestShellCertificateStores(t *testing.T) {
	l := newDefaultLab(t)
	issuing, err := l.PKI.Authority(pki.PublicIssuingCA)
	if err != nil {
		t.Fatal(err)
	}
	tp := pki.Thumbprint(issuing.Cert)
	shell(t, l, `Remove-Item Cert:\LocalMachine\CA\`+tp+` -Server EX01`)
	if _, err := l.Shell(context.Background(), `Remove-Item Cert:\LocalMachine\CA\`+tp+` -Server EX01`); err == nil {
		t.Errorf("Remove-Item twice succeeded")
	}
	shell(t, l, `Import-Certificate -FilePath C:\certs\issuing-ca.cer -CertStoreLocation Cert:\LocalMachine\CA -Server EX01`)
	shell(t, l, `Remove-Item Cert:\LocalMachine\CA\`+tp+` -Server EX01`)

	hybrid := l.Certificates["hybrid"].Thumbprint()
	test := `Test-Certificate Cert:\LocalMachine\My\` + hybrid + ` -Server EX01`
	if v := property(t, shell(t, l, test)[0], "Result"); v != true {
		t.Errorf("Test-Certificate: Result %v, want true", v)
	}
	root, err := l.PKI.Authority(pki.PublicRootCA)
	if err != nil {
		t.Fatal(err)
	}
	shell(t, l, `Remove-Item Cert:\LocalMachine\Root\`+pki.Thumbprint(root.Cert)+` -Server EX01`)
	got := shell(t, l, test)
	if v := property(t, got[0], "Result"); v != false {
		t.Errorf("Test-Certificate without the root: %s", psh.FormatList(got...))
	}
	shell(t, l, `Import-Certificate C:\certs\root.cer -CertStoreLocation Cert:\LocalMachine\Root -Server EX01`)
	if v := property(t, shell(t, l, test)[0], "Result"); v != true {
		t.Errorf("Test-Certificate with the root again: Result %v, want true", v)
	}
	certs := shell(t, l, "Get-ExchangeCertificate -Server EX01 "+hybrid)
	if len(certs) != 1 || property(t, certs[0], "Thumbprint") != hybrid {
		t.Errorf("Get-ExchangeCertificate %s = %v", hybrid, certs)
	}
}

func TestShellClockAndMail(t *testing.T) {
	l := newDefaultLab(t)
	start := l.Now()
	got := shell(t, l, "Start-Sleep -Seconds 900")
	if v := property(t, got[0], "DateTime"); v != start.Add(15*time.Minute) {
		t.Errorf("Start-Sleep 900: DateTime %v, want %v", v, start.Add(15*time.Minute))
	}
	shell(t, l, "Start-Sleep -Duration 01:00:00")
	if l.Now() != start.Add(75*time.Minute) {
		t.Errorf("clock = %v, want %v", l.Now(), start.Add(75*time.Minute))
	}
	sent := shell(t, l, "Send-MailMessage -From alice@contoso.com -To bob@contoso.com -Subject 'Quarterly report'")
	id := property(t, sent[0], "MessageId").(string)
	trace := shell(t, l, "Get-MessageTrace -MessageId '"+id+"'")
	if len(trace) != 1 || property(t, trace[0], "Status") != "Delivered" || property(t, trace[0], "Subject") != "Quarterly report" {
		t.Fatalf("Get-MessageTrace = %s", psh.FormatList(trace...))
	}
	detail := shell(t, l, "Get-MessageTraceDetail -MessageTraceId "+property(t, trace[0], "MessageTraceId").(string)+" -RecipientAddress bob@contoso.com")
	if len(detail) == 0 {
		t.Errorf("Get-MessageTraceDetail: no events")
	}
	tracking := shell(t, l, "Get-MessageTrackingLog -Server EX01 -MessageId '"+id+"' -EventId DELIVER")
	if len(tracking) != 1 {
		t.Errorf("Get-MessageTrackingLog DELIVER = %s", psh.FormatList(tracking...))
	}
}

func TestShellTransportService(t *testing.T) {
	l := newDefaultLab(t)
	shell(t, l, "Set-TransportService EX01 -MessageRetryInterval 00:05:00 -TransientFailureRetryCount 3")
	got := shell(t, l, "Get-TransportService EX01")
	if v := property(t, got[0], "MessageRetryInterval"); v != "00:05:00" {
		t.Errorf("MessageRetryInterval = %v, want 00:05:00", v)
	}
	if v := property(t, got[0], "TransientFailureRetryCount"); v != int64(3) {
		t.Errorf("TransientFailureRetryCount = %v, want 3", v)
	}
	if v := property(t, got[0], "MessageExpirationTimeOut"); v != "2.00:00:00" {
		t.Errorf("MessageExpirationTimeOut = %v, want 2.00:00:00", v)
	}
}

func TestShellEXOConnectors(t *testing.T) {
	l := newDefaultLab(t)
	name := "Outbound to 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93"
	shell(t, l, `Set-OutboundConnector "`+name+`" -TlsSettings DomainValidation -TlsDomain wrong.contoso.com`)
	res := shell(t, l, `Validate-OutboundConnector "`+name+`" -Recipients bob@contoso.com`)
	if property(t, res[0], "Status") != "Failed" {
		t.Errorf("Validate-OutboundConnector with a wrong TlsDomain = %s", psh.FormatList(res...))
	}
	shell(t, l, `Set-OutboundConnector "`+name+`" -TlsDomain mail.contoso.com`)
	res = shell(t, l, `Validate-OutboundConnector "`+name+`" -Recipients bob@contoso.com`)
	if property(t, res[0], "Status") != "Succeeded" {
		t.Errorf("Validate-OutboundConnector = %s", psh.FormatList(res...))
	}
	domains := shell(t, l, "Get-AcceptedDomain")
	if len(domains) == 0 {
		t.Errorf("Get-AcceptedDomain: none")
	}
	if got := shell(t, l, "Get-InboundConnector"); len(got) != 1 {
		t.Errorf("Get-InboundConnector = %d connectors, want 1", len(got))
	}
}

func TestFeed(t *testing.T) {
	l := newDefaultLab(t)
	l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "before")
	f := NewFeed(l, 0)
	if got := f.Collect(); len(got) != 0 {
		t.Errorf("Collect on a new feed = %d events, want none (history is skipped)", len(got))
	}
	id, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "hello"); err != nil {
		t.Fatal(err)
	}
	got := f.Collect()
	kinds := map[string]int{}
	for i, e := range got {
		if e.Seq != uint64(i+1) {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
		kinds[e.Kind]++
	}
	for _, k := range []string{EventSession, EventCertificate, EventVerdict, EventReceive, EventDelivery} {
		if kinds[k] == 0 {
			t.Errorf("no %s event after a delivery; got %v", k, kinds)
		}
	}
	delivered := false
	for _, e := range got {
		if e.Kind == EventDelivery && e.MessageID == id && e.Host == "EX01" {
			delivered = true
		}
	}
	if !delivered {
		t.Errorf("no delivery of %s on EX01 among %+v", id, got)
	}
	if again := f.Collect(); len(again) != 0 {
		t.Errorf("a second Collect = %+v, want nothing new", again)
	}
	since, complete := f.Since(2)
	if len(since) != len(got)-2 || !complete || since[0].Seq != 3 {
		t.Errorf("Since(2) = %d events from %d, complete %v", len(since), since[0].Seq, complete)
	}
}

func TestFeedDeferralAndEventLog(t *testing.T) {
	l := newDefaultLab(t)
	f := NewFeed(l, 5)
	shell(t, l, `Remove-ExchangeCertificate -Server EX01 -Thumbprint `+l.Certificates["hybrid"].Thumbprint())
	shell(t, l, `Restart-Service MSExchangeTransport -Server EX01`)
	l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hello")
	l.Advance(20 * time.Minute)
	got := f.Collect()
	kinds := map[string]int{}
	for _, e := range got {
		kinds[e.Kind]++
	}
	if kinds[EventLogEntry] == 0 || kinds[EventDeferral] == 0 {
		t.Errorf("after removing the hybrid certificate: kinds %v, want event log entries and a deferral", kinds)
	}
	if len(got) <= 5 {
		t.Fatalf("only %d events", len(got))
	}
	kept, complete := f.Since(0)
	if len(kept) != 5 || complete {
		t.Errorf("Since(0) on a feed keeping 5 = %d events, complete %v; want 5, false", len(kept), complete)
	}
}

// FuzzShell: whatever the command line, the shell answers objects or an
// error, and never panics.
func FuzzShell(f *testing.F) {
	for _, s := range []string{
		`Set-ReceiveConnector "EX01\Default Frontend EX01" -TlsCertificateName $null -RequireTLS:$true`,
		"Get-ExchangeCertificate -Server EX01 -DomainName mail.contoso.com",
		"Set-TransportService EX01 -MessageRetryInterval 1.00:00:00",
		"Start-Sleep -Seconds 60",
		`Remove-Item Cert:\LocalMachine\CA\00 -Server EDGE01`,
		"Set-OutboundConnector x -SmartHosts @() -TlsSettings $null",
		"Get-WinEvent Application -ComputerName EX01 -MaxEvents 2",
		"New-InboundConnector -Name n -ConnectorType OnPremises -SenderIPAddresses 1.2.3.4",
	} {
		f.Add(s)
	}
	l, err := New(DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { l.Close() })
	f.Fuzz(func(t *testing.T, line string) {
		objs, err := l.Shell(context.Background(), line)
		if err != nil && err.Error() == "" {
			t.Fatalf("Shell(%q): an empty error", line)
		}
		_ = psh.FormatList(objs...)
	})
}

func TestShellInvokeCommand(t *testing.T) {
	l := newDefaultLab(t)
	got := shell(t, l, `Invoke-Command -ComputerName EDGE01 { Get-ChildItem Cert:\LocalMachine\Root }   # the Edge's roots`)
	want := shell(t, l, `Get-ChildItem Cert:\LocalMachine\Root -Server EDGE01`)
	if diff := cmp.Diff(psh.FormatList(want...), psh.FormatList(got...)); diff != "" || len(got) == 0 {
		t.Errorf("Invoke-Command -want +got:\n%s", diff)
	}
	for _, tt := range []struct{ name, line, want string }{
		{name: "NoBraces", line: "Invoke-Command -ComputerName EX01 Restart-Service", want: "sim: Invoke-Command: give the command in braces: Invoke-Command -ComputerName EX01 { Restart-Service MSExchangeTransport }"},
		{name: "NoComputer", line: "Invoke-Command { Restart-Service MSExchangeTransport }", want: "sim: Invoke-Command: give -ComputerName, the server to run the command on"},
		{name: "Variable", line: `Invoke-Command -ComputerName EX01 { Remove-Item Cert:\LocalMachine\CA\$issuingCA.Thumbprint }`, want: "sim: Invoke-Command's command: psh: position 71: $issuingCA.Thumbprint: this shell expands no variables; quote the word with '...' for a literal $"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Shell(context.Background(), tt.line); err == nil || err.Error() != tt.want {
				t.Errorf("Shell(%q) = %v, want %s", tt.line, err, tt.want)
			}
		})
	}
}

func TestShellWizardAndEdge(t *testing.T) {
	l := newDefaultLab(t)
	rows := shell(t, l, "Start-HybridConfigurationWizard hybrid")
	if len(rows) == 0 {
		t.Fatal("the wizard wrote no rows")
	}
	for _, r := range rows {
		if property(t, r, "Equals") != true {
			t.Errorf("the wizard changed the default lab: %s", psh.FormatList(r))
		}
	}
	report, err := l.RunHybridWizard(l.Certificates["hybrid"].Thumbprint(), WizardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tb := range report.Tables {
		n += len(tb.Rows)
	}
	if n != len(rows) {
		t.Errorf("Start-HybridConfigurationWizard wrote %d rows, the wizard's report has %d", len(rows), n)
	}
	shell(t, l, "New-EdgeSubscription -Server EDGE01 -Site Default-First-Site-Name")
	if _, err := l.Shell(context.Background(), "New-EdgeSubscription -Server EDGE01 -Site Tokyo"); err == nil ||
		err.Error() != "fakeonprem: New-EdgeSubscription -Site Tokyo: the lab has one site, Default-First-Site-Name" {
		t.Errorf("New-EdgeSubscription -Site Tokyo = %v", err)
	}
}

func TestShellImportExchangeCertificate(t *testing.T) {
	l := newDefaultLab(t)
	hybrid := l.Certificates["hybrid"]
	shell(t, l, "Remove-ExchangeCertificate -Server EX01 -Thumbprint "+hybrid.Thumbprint()+" -Confirm:$false")
	got := shell(t, l, `Import-ExchangeCertificate -Server EX01 -FileName C:\certs\hybrid.pfx -Password '`+pki.DefaultPFXPassword+`' -PrivateKeyExportable $true`)
	if len(got) != 1 || property(t, got[0], "Thumbprint") != hybrid.Thumbprint() || property(t, got[0], "HasPrivateKey") != true {
		t.Errorf("Import-ExchangeCertificate = %s", psh.FormatList(got...))
	}
	shell(t, l, "Enable-ExchangeCertificate "+`EX01\`+hybrid.Thumbprint()+" -Services IIS, SMTP")
	certs := shell(t, l, "Get-ExchangeCertificate -Server EX01 -Thumbprint "+hybrid.Thumbprint())
	if v := property(t, certs[0], "Services"); v != "IIS, SMTP" {
		t.Errorf("Services after Enable-ExchangeCertificate = %v, want IIS, SMTP", v)
	}
	if _, err := l.Shell(context.Background(), "Import-ExchangeCertificate -Server EX01 -FileData 'not base64!'"); err == nil ||
		err.Error() != "fakeonprem: -FileData is not base64 (illegal base64 data at input byte 3): give the file's bytes in base64" {
		t.Errorf("Import-ExchangeCertificate with bad -FileData = %v", err)
	}
}
