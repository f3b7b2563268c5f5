package evidence

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/sim"
)

// TestImportSetupAndInternalState: evidence that lists a server's
// certificates without setup's, an empty InternalTransportCertificateThumbprint
// and RejectDirectSend True gives a lab file that says so, and a lab in
// that state; evidence without those properties assumes the defaults.
func TestImportSetupAndInternalState(t *testing.T) {
	certs := "\r\nCertificateDomains : {mail.contoso.com}\r\nIsSelfSigned       : False\r\nIssuer             : CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US\r\n" +
		"NotAfter           : 7/8/2026 11:59:59 PM\r\nNotBefore          : 7/9/2025 12:00:00 AM\r\nServices           : IIS, SMTP\r\nStatus             : Valid\r\n" +
		"Subject            : CN=mail.contoso.com\r\nThumbprint         : 630621D440D0680126CE78C1D468E3CAED7DF1F5\r\nIdentity           : ex01.contoso.com\\630621D440D0680126CE78C1D468E3CAED7DF1F5\r\n\r\n"
	transport := "\r\nName                                   : EX01\r\nInternalTransportCertificateThumbprint : \r\nMessageRetryInterval                   : 00:15:00\r\n\r\n"
	org := "\r\nName             : contoso.onmicrosoft.com\r\nRejectDirectSend : True\r\n\r\n"
	res, err := Import(File{Name: "OnPremExCert.txt", Data: []byte(certs)}, File{Name: "OnPremTransport.txt", Data: []byte(transport)},
		File{Name: "EXOOrgConfig.txt", Data: []byte(org)})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(string(res.Lab), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.Contains(l, "Microsoft Exchange") || strings.Contains(l, "Remove:") || strings.Contains(l, "InternalTransportCertificateThumbprint:") || strings.Contains(l, "RejectDirectSend:") {
			lines = append(lines, l)
		}
	}
	want := []string{
		"        - Certificate: 'Microsoft Exchange'  # OnPremExCert.txt lists EX01's certificates without setup's self-signed CN=EX01",
		"          Remove: $true  # setup's certificate is gone from the store",
		"        InternalTransportCertificateThumbprint: $null  # OnPremTransport.txt line 3 (EX01): empty (event 12012 when the service starts)",
		"      RejectDirectSend: $true  # EXOOrgConfig.txt line 3 (contoso.onmicrosoft.com)",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("lab file (-want +got):\n%s\n%s", diff, res.Lab)
	}
	if want := "OnPremExCert.txt lists EX01's certificates without setup's self-signed CN=EX01, so the lab's EX01 has none (as after Remove-ExchangeCertificate); if the list was not the whole store, take the entry \"Microsoft Exchange\" out"; !contains(res.Assumptions, want) {
		t.Errorf("assumptions %q lack %q", res.Assumptions, want)
	}
	lab, err := sim.New(res.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	ts, err := lab.OnPrem.GetTransportService("EX01")
	if err != nil || ts.InternalTransportCertificateThumbprint != "" {
		t.Errorf("EX01's InternalTransportCertificateThumbprint = %q, %v; want empty", ts.InternalTransportCertificateThumbprint, err)
	}
	have, err := lab.OnPrem.GetExchangeCertificate("EX01", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range have {
		if c.Certificate.IsSelfSigned() {
			t.Errorf("EX01 holds the self-signed %s; want setup's certificate gone", c.Certificate.Subject())
		}
	}
	if !res.Config.EXO.Tenants[0].RejectDirectSend {
		t.Errorf("the tenant's RejectDirectSend is $false; want $true (EXOOrgConfig.txt)")
	}

	// Without the properties: setup's certificate, the default RejectDirectSend.
	res, err = Import(File{Name: "OnPremTransport.txt", Data: []byte("\r\nName                 : EX01\r\nMessageRetryInterval : 00:15:00\r\n\r\n")})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	for _, want := range []string{
		"OnPremTransport.txt line 2 gives no InternalTransportCertificateThumbprint: the lab's transport service uses setup's certificate",
		"the tenant's RejectDirectSend is $false, the default (the evidence has no Get-OrganizationConfig from Exchange Online)",
		"server EX01 holds only setup's self-signed certificate (the evidence lists none of its certificates)",
	} {
		if !contains(res.Assumptions, want) {
			t.Errorf("assumptions %q lack %q", res.Assumptions, want)
		}
	}
	if strings.Contains(string(res.Lab), "Remove:") || strings.Contains(string(res.Lab), "$null") {
		t.Errorf("the lab file removes or empties what the evidence does not show:\n%s", res.Lab)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
