package evidence

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// contosoFiles are the hand-written evidence of testdata/contoso: Format-List
// text in en-GB and de-DE, a Format-Table, a certificate exported from a
// workstation with only RawData, Exchange Online's inbound connector as a
// remote session exports it, the wizard's log and Get-Date.
func contosoFiles(t testing.TB, names ...string) []File {
	t.Helper()
	var files []File
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", "contoso", n))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: n, Data: data})
	}
	return files
}

var allContoso = []string{"Date.txt", "OnPremExCert.txt", "CertRawData.xml", "OnPremRcptCon.txt", "OnPremTransport.txt",
	"EXOAcceptedDomain.txt", "EXOInConBkp.xml", "HCW20261203.log"}

const (
	contosoTLSName = "<I>CN=Fabrikam TLS RSA CA 2025, O=Fabrikam Trust Services, C=US<S>CN=mail.contoso.com, O=Contoso Ltd, L=Redmond, S=Washington, C=US"
	contosoThumb   = "9FE84946E42F5BE293A49EB0D842EFD6078ED73E"
	contosoSetup   = "3C1E7A2B9D4F6E8A0B1C2D3E4F5A6B7C8D9E0F1A"
)

func TestImportHandWritten(t *testing.T) {
	res, err := Import(contosoFiles(t, allContoso...)...)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	cfg := res.Config
	if want := time.Date(2026, 12, 10, 7, 30, 0, 0, time.UTC); !cfg.Clock.Equal(want) {
		t.Errorf("Clock = %v, want %v (Date.txt)", cfg.Clock, want)
	}
	wantCert := sim.Certificate{
		Name: "mail.contoso.com 9FE84946", Profile: "trusted",
		Subject:            "CN=mail.contoso.com, O=Contoso Ltd, L=Redmond, S=Washington, C=US",
		Issuer:             "CN=Fabrikam TLS RSA CA 2025, O=Fabrikam Trust Services, C=US",
		CertificateDomains: []string{"mail.contoso.com", "autodiscover.contoso.com", "owa.contoso.com", "smtp.contoso.com", "legacy.contoso.com"},
		NotBefore:          time.Date(2026, 12, 2, 17, 39, 15, 0, time.UTC),
		NotAfter:           time.Date(2027, 12, 2, 17, 39, 15, 0, time.UTC),
	}
	if diff := cmp.Diff([]sim.Certificate{wantCert}, cfg.Certificates, cmp.AllowUnexported(sim.Config{})); diff != "" {
		t.Errorf("Certificates (-want +got), the SANs and dates from RawData:\n%s", diff)
	}
	if len(cfg.OnPrem.Servers) != 1 {
		t.Fatalf("Servers = %+v, want EX01 alone", cfg.OnPrem.Servers)
	}
	ex01 := cfg.OnPrem.Servers[0]
	if ex01.Name != "EX01" || ex01.Fqdn != "ex01.contoso.com" || ex01.Role != fakeonprem.RoleMailbox {
		t.Errorf("server = %s %s %s, want EX01 ex01.contoso.com Mailbox", ex01.Name, ex01.Fqdn, ex01.Role)
	}
	if len(ex01.Certificates) != 1 || ex01.Certificates[0].Services != fakeonprem.IIS|fakeonprem.SMTP ||
		!ex01.Certificates[0].PrivateKeyExportable || ex01.Certificates[0].FriendlyName != "mail.contoso.com 2026" {
		t.Errorf("EX01's store = %+v, want the certificate for IIS, SMTP, exportable, named \"mail.contoso.com 2026\"", ex01.Certificates)
	}
	if got, want := ex01.TransportService.InternalTransportCertificateThumbprint, res.Thumbprints[contosoSetup]; got != want || got == "" {
		t.Errorf("InternalTransportCertificateThumbprint = %q, want setup's look-alike %q", got, want)
	}
	var frontend fakeonprem.ReceiveConnector
	for _, rc := range cfg.OnPrem.ReceiveConnectors {
		if rc.Name == "Default Frontend EX01" {
			frontend = rc
		}
	}
	wantFrontend := fakeonprem.ReceiveConnector{Name: "Default Frontend EX01", Server: "EX01", TransportRole: "FrontendTransport",
		Bindings: []string{"[::]:25", "0.0.0.0:25"}, Fqdn: "ex01.contoso.com",
		AuthMechanism:      []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"},
		PermissionGroups:   []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"},
		TlsCertificateName: contosoTLSName, TlsDomainCapabilities: []string{"mail.protection.outlook.com:AcceptCloudServicesMail"}}
	if diff := cmp.Diff(wantFrontend, frontend); diff != "" {
		t.Errorf("Default Frontend EX01 (-want +got), its wrapped TlsCertificateName joined:\n%s", diff)
	}
	wantSend := []fakeonprem.SendConnector{{Name: "Outbound to Office 365 - 6c8e1f2a-4b3d-4f1e-8a7c-2d9b0e5f3a41",
		AddressSpaces: []string{"smtp:contoso.mail.onmicrosoft.com;1"}, SourceTransportServers: []string{"EX01"},
		DNSRoutingEnabled: true, Fqdn: "mail.contoso.com", RequireTLS: true, TlsAuthLevel: "DomainValidation",
		TlsDomain: "mail.protection.outlook.com", TlsCertificateName: contosoTLSName, CloudServicesMailEnabled: true}}
	if diff := cmp.Diff(wantSend, cfg.OnPrem.SendConnectors); diff != "" {
		t.Errorf("SendConnectors from the wizard's log (-want +got):\n%s", diff)
	}
	tenant := cfg.EXO.Tenants[0]
	wantIn := []fakeexo.InboundConnector{{Name: "Inbound from 6c8e1f2a-4b3d-4f1e-8a7c-2d9b0e5f3a41", ConnectorType: fakeexo.OnPremises,
		ConnectorSource: "HybridWizard", SenderDomains: []string{"smtp:*;1"}, SenderIPAddresses: []string{}, TlsSenderCertificateName: "*.contoso.com",
		RequireTls: true, CloudServicesMailEnabled: true, Enabled: true}}
	if diff := cmp.Diff(wantIn, tenant.InboundConnectors, cmp.Transformer("nilEmpty", func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	})); diff != "" {
		t.Errorf("InboundConnectors from EXOInConBkp.xml (-want +got):\n%s", diff)
	}
	if tenant.Name != "contoso" || tenant.RoutingDomain != "contoso.mail.onmicrosoft.com" || len(tenant.OutboundConnectors) != 1 ||
		tenant.OutboundConnectors[0].TlsDomain != "mail.contoso.com" {
		t.Errorf("tenant = %s %s, outbound %+v; want contoso, its routing domain and the wizard's Expected TlsDomain mail.contoso.com",
			tenant.Name, tenant.RoutingDomain, tenant.OutboundConnectors)
	}
	for _, line := range strings.Split(string(res.Lab), "\n") {
		if v, _, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(strings.TrimSpace(line), "#") && strings.TrimSpace(v) != "" &&
			!strings.HasSuffix(line, ":") && !strings.Contains(line, "  # ") {
			t.Errorf("lab file line %q has no comment naming its source", line)
		}
	}
	wantAssumed := "the issuer \"CN=Fabrikam TLS RSA CA 2025, O=Fabrikam Trust Services, C=US\" of mail.contoso.com 9FE84946 (OnPremExCert.txt line 4) is a public CA that Exchange Online and the servers trust; if it is an enterprise CA, change the certificate's Profile to internal-ca"
	if !containsString(res.Assumptions, wantAssumed) {
		t.Errorf("Assumptions = %q, want among them %q", res.Assumptions, wantAssumed)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("Warnings = %q, want none: RawData completes the truncated CertificateDomains", res.Warnings)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestImportTruncatedList: a list PowerShell cut short is a warning naming
// the property, and the look-alike has what was printed.
func TestImportTruncatedList(t *testing.T) {
	res, err := Import(contosoFiles(t, "Date.txt", "OnPremExCert.txt", "OnPremTransport.txt")...)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := []string{"OnPremExCert.txt line 4: CertificateDomains was cut short by PowerShell (\"...\"); the look-alike has only mail.contoso.com, autodiscover.contoso.com, owa.contoso.com, smtp.contoso.com; ask for `$FormatEnumerationLimit = -1` before the command, or for Export-Clixml"}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("Warnings (-want +got):\n%s", diff)
	}
	if got := res.Config.Certificates[0].NotBefore; !got.Equal(time.Date(2026, 12, 2, 17, 39, 15, 0, time.UTC)) {
		t.Errorf("NotBefore = %v, want 2 December 2026 17:39:15 from en-GB's 02/12/2026 17:39:15", got)
	}
}

// TestImportEncodings: the same evidence as Windows PowerShell's `>`
// writes it (UTF-16LE with a BOM, CRLF), as PowerShell 7 writes it (UTF-8),
// and with a UTF-8 BOM makes the same lab.
func TestImportEncodings(t *testing.T) {
	base, err := Import(contosoFiles(t, allContoso...)...)
	if err != nil {
		t.Fatal(err)
	}
	encodings := []struct {
		name   string
		encode func([]byte) []byte
	}{
		{name: "UTF16LE", encode: func(b []byte) []byte { return psh.EncodeUTF16LE(string(b)) }},
		{name: "UTF8BOMCRLF", encode: func(b []byte) []byte {
			return append([]byte{0xEF, 0xBB, 0xBF}, []byte(strings.ReplaceAll(string(b), "\n", "\r\n"))...)
		}},
	}
	for _, enc := range encodings {
		t.Run(enc.name, func(t *testing.T) {
			files := contosoFiles(t, allContoso...)
			for i := range files {
				files[i].Data = enc.encode(files[i].Data)
			}
			res, err := Import(files...)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if diff := cmp.Diff(string(base.Lab), string(res.Lab)); diff != "" {
				t.Errorf("lab file differs from the UTF-8 evidence's (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	truncated, err := os.ReadFile("testdata/contoso/EXOInConBkp.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file File
		want string
	}{
		{name: "TruncatedCLIXML", file: File{Name: "EXOInConBkp.xml", Data: truncated[:len(truncated)/2]},
			want: "evidence: EXOInConBkp.xml: line 27: XML syntax: unexpected EOF"},
		{name: "UnknownType", file: File{Name: "procs.xml", Data: []byte("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n" +
			"  <Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Diagnostics.Process</T></TN><ToString>System.Diagnostics.Process (svchost)</ToString></Obj>\r\n</Objs>")},
			want: "evidence: procs.xml object 1: a System.Diagnostics.Process (\"System.Diagnostics.Process (svchost)\") is not an object of Get-ExchangeCertificate, Get-ReceiveConnector, Get-SendConnector, Get-TransportService, Get-AcceptedDomain, Get-InboundConnector, Get-OutboundConnector, Get-OrganizationConfig; export only their output"},
		{name: "WrongEncoding", file: File{Name: "OnPremRcptCon.txt", Data: []byte("Name   : Default Frontend EX01\nServer : EX01\nBanner : 220 Gr\xfc\xdfe\n")},
			want: "evidence: OnPremRcptCon.txt: byte 60 (line 3) is not UTF-8 or UTF-16: save the file as UTF-8 or Unicode, as PowerShell writes it (Out-File -Encoding utf8)"},
		{name: "NotFormatList", file: File{Name: "notes.txt", Data: []byte("Name : EX01\nthe customer says mail stopped on Monday\n")},
			want: "evidence: notes.txt: line 2: \"the customer says mail stopped on Monday\" is not a \"Name : Value\" line of Format-List output; send the output of the command piped to Format-List (| fl)"},
		{name: "UnknownObject", file: File{Name: "mailbox.txt", Data: []byte("\r\nAlias    : bob\r\nDatabase : DB01\r\n")},
			want: "evidence: mailbox.txt line 2: an object with properties Alias, Database is none of Get-ExchangeCertificate, Get-ReceiveConnector, Get-SendConnector, Get-TransportService, Get-AcceptedDomain, Get-InboundConnector, Get-OutboundConnector, Get-OrganizationConfig; send only their output"},
		{name: "Empty", file: File{Name: "empty.txt", Data: []byte{0xFF, 0xFE}},
			want: "evidence: empty.txt: the file is empty; ask for the command's output again"},
		{name: "BadRawData", file: File{Name: "cert.xml", Data: []byte("<Objs><Obj><TN><T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2</T></TN><Props>\n<BA N=\"RawData\">AAEC</BA><S N=\"Thumbprint\">00</S></Props></Obj></Objs>")},
			want: "evidence: cert.xml object 1: RawData is not a DER certificate: x509: malformed certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.file)
			var se *sourceError
			if !errors.As(err, &se) || err.Error() != tt.want {
				t.Errorf("Import(%s) = %v,\nwant %q", tt.file.Name, err, tt.want)
			}
		})
	}
}

// FuzzImport: whatever a file holds, Import answers with a lab or an
// error, never a panic.
func FuzzImport(f *testing.F) {
	for _, n := range allContoso {
		if data, err := os.ReadFile(filepath.Join("testdata", "contoso", n)); err == nil {
			f.Add(n, data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		res, err := Import(File{Name: name, Data: data})
		if err == nil && len(res.Lab) == 0 {
			t.Fatal("Import returned neither a lab nor an error")
		}
	})
}

func TestImportWithoutServers(t *testing.T) {
	_, err := Import(contosoFiles(t, "EXOAcceptedDomain.txt")...)
	want := "evidence: the evidence names no Exchange server; add the output of Get-TransportService, Get-ReceiveConnector or Get-ExchangeCertificate (README.md, \"Customer evidence\")"
	if err == nil || err.Error() != want {
		t.Errorf("Import(EXOAcceptedDomain.txt) = %v, want %q", err, want)
	}
}

// TestImportServerFromPrompt: Get-ExchangeCertificate's default view has no
// Identity; the prompt's -Server names the store.
func TestImportServerFromPrompt(t *testing.T) {
	text := "[PS] C:\\>Get-ExchangeCertificate -Server EX02 | fl\r\n\r\n" +
		"CertificateDomains : {EX02, ex02.contoso.com}\r\nIsSelfSigned       : True\r\nIssuer             : CN=EX02\r\n" +
		"Services           : IMAP, POP, IIS, SMTP\r\nSubject            : CN=EX02\r\nThumbprint         : 0123456789ABCDEF0123456789ABCDEF01234567\r\n\r\n" +
		"[PS] C:\\>Get-TransportService EX02 | fl\r\n\r\nName                                   : EX02\r\n" +
		"InternalTransportCertificateThumbprint : 0123456789ABCDEF0123456789ABCDEF01234567\r\n"
	res, err := Import(File{Name: "EX02.txt", Data: []byte(text)})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	s := res.Config.OnPrem.Servers
	if len(s) != 1 || s[0].Name != "EX02" || s[0].Fqdn != "ex02.contoso.com" {
		t.Fatalf("Servers = %+v, want EX02 alone, ex02.contoso.com", s)
	}
	if got, want := s[0].TransportService.InternalTransportCertificateThumbprint, res.Thumbprints["0123456789ABCDEF0123456789ABCDEF01234567"]; got == "" || got != want {
		t.Errorf("InternalTransportCertificateThumbprint = %q, want setup's look-alike %q", got, want)
	}
}

// TestImportTruncatedText: a Format-List file cut off in the middle of a
// UTF-16 character is an error naming the file, not a lab.
func TestImportTruncatedText(t *testing.T) {
	data := psh.EncodeUTF16LE("\r\nName : EX01\r\n")
	_, err := Import(File{Name: "OnPremTransport.txt", Data: data[:len(data)-1]})
	want := "evidence: OnPremTransport.txt: the UTF-16 text ends in the middle of a character (byte 30, line 2): the file is truncated; ask for it again"
	if err == nil || err.Error() != want {
		t.Errorf("Import(truncated) = %v, want %q", err, want)
	}
}

// TestImportCertStores: Get-ChildItem of a server's Root and CA stores
// through Invoke-Command (PSComputerName names the server) sets its
// TrustedRoots and Intermediates to the lab's authorities among them; a
// root the lab's PKI lacks is a warning; the AuthRoot policy sets
// DisableRootAutoUpdate.
func TestImportCertStores(t *testing.T) {
	text := "\r\n" +
		"Subject        : CN=Hybridsim Root Certification Authority, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US\r\n" +
		"Thumbprint     : 1111111111111111111111111111111111111111\r\n" +
		"PSParentPath   : Microsoft.PowerShell.Security\\Certificate::LocalMachine\\Root\r\n" +
		"PSComputerName : EX01\r\n\r\n" +
		"Subject        : CN=Baltimore CyberTrust Root, OU=CyberTrust, O=Baltimore, C=IE\r\n" +
		"Thumbprint     : 2222222222222222222222222222222222222222\r\n" +
		"PSParentPath   : Microsoft.PowerShell.Security\\Certificate::LocalMachine\\Root\r\n" +
		"PSComputerName : EX01\r\n\r\n" +
		"Subject        : CN=EX01\r\n" +
		"Thumbprint     : 3333333333333333333333333333333333333333\r\n" +
		"PSParentPath   : Microsoft.PowerShell.Security\\Certificate::LocalMachine\\Root\r\n" +
		"PSComputerName : EX01\r\n\r\n" +
		"DisableRootAutoUpdate : 1\r\n" +
		"PSPath                : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\AuthRoot\r\n" +
		"PSComputerName        : EX01\r\n"
	files := append(contosoFiles(t, "Date.txt", "OnPremTransport.txt"), File{Name: "OnPremCertStores.txt", Data: []byte(text)})
	res, err := Import(files...)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	ex01 := res.Config.OnPrem.Servers[0]
	if diff := cmp.Diff([]string{"CN=Hybridsim Root Certification Authority, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"}, ex01.TrustedRoots); diff != "" {
		t.Errorf("TrustedRoots (-want +got):\n%s", diff)
	}
	if ex01.Intermediates == nil || len(ex01.Intermediates) != 0 || !ex01.DisableRootAutoUpdate {
		t.Errorf("Intermediates = %#v, DisableRootAutoUpdate = %v; want an empty CA store and true", ex01.Intermediates, ex01.DisableRootAutoUpdate)
	}
	want := []string{`OnPremCertStores.txt line 7: EX01's Root store holds "CN=Baltimore CyberTrust Root, OU=CyberTrust, O=Baltimore, C=IE", which the lab's PKI does not have; the lab leaves it out`,
		"OnPremTransport.txt line 2: InternalTransportCertificateThumbprint 3C1E7A2B9D4F6E8A0B1C2D3E4F5A6B7C8D9E0F1A names no certificate of EX01's store in the evidence; kept as is"}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("Warnings (-want +got):\n%s", diff)
	}
}
