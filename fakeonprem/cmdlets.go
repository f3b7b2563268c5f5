package fakeonprem

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// cmdlet is one row of the organization's cmdlet table: the parameters
// Exchange's cmdlet takes (those the fake models) and the method it runs.
type cmdlet struct {
	name   string
	params []psh.Parameter
	run    func(o *Organization, in invocation) ([]psh.Object, error)
}

// invocation is one bound command line and what it may read.
type invocation struct {
	psh.Bound
	files func(path string) ([]byte, error)
}

// Type names of the objects the cmdlets write (INFER: Exchange's .NET
// types as Get-Member shows them in EMS; no spec source).
const (
	typeExchangeCertificate = "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate"
	typeReceiveConnector    = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector"
	typeSendConnector       = "Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig"
	typeTransportService    = "Microsoft.Exchange.Data.Directory.Management.TransportService"
	typeQueue               = "Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo"
	typeTrackingEntry       = "Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent"
	typeEvent               = "System.Diagnostics.Eventing.Reader.EventLogRecord"
	typeTestCertificate     = "System.Boolean"
	typeX509Certificate     = "System.Security.Cryptography.X509Certificates.X509Certificate2"
)

var (
	pServer       = psh.Parameter{Name: "Server"}
	pIdentity     = psh.Parameter{Name: "Identity", Positional: true}
	pConfirm      = psh.Parameter{Name: "Confirm", Switch: true}
	pForce        = psh.Parameter{Name: "Force", Switch: true}
	pServices     = psh.Parameter{Name: "Services"}
	pThumbprint   = psh.Parameter{Name: "Thumbprint"}
	pComputerName = psh.Parameter{Name: "ComputerName"}
)

// cmdletTable is every cmdlet the organization runs from a command line.
// Certificate store cmdlets (Import-Certificate, Remove-Item,
// Test-Certificate) run on a server; their -Server stands for the
// Invoke-Command -ComputerName the catalogue wraps them in.
var cmdletTable = []cmdlet{
	{"Get-ExchangeCertificate", []psh.Parameter{{Name: "Thumbprint", Positional: true}, pServer, {Name: "DomainName"}}, (*Organization).cmdGetExchangeCertificate},
	{"Import-ExchangeCertificate", []psh.Parameter{pServer, {Name: "FileData"}, {Name: "FileName"}, {Name: "Password"}, {Name: "PrivateKeyExportable"}}, (*Organization).cmdImportExchangeCertificate},
	{"Enable-ExchangeCertificate", []psh.Parameter{{Name: "Thumbprint", Positional: true}, pServer, pServices, pForce, pConfirm}, (*Organization).cmdEnableExchangeCertificate},
	{"Remove-ExchangeCertificate", []psh.Parameter{{Name: "Thumbprint", Positional: true}, pServer, pForce, pConfirm}, (*Organization).cmdRemoveExchangeCertificate},
	{"New-ExchangeCertificate", []psh.Parameter{pServer, {Name: "DomainName"}, pServices, pForce, pConfirm}, (*Organization).cmdNewExchangeCertificate},
	{"Test-Certificate", []psh.Parameter{{Name: "Cert", Positional: true}, pServer}, (*Organization).cmdTestCertificate},
	{"Import-Certificate", []psh.Parameter{{Name: "FilePath", Positional: true}, {Name: "CertStoreLocation"}, pServer}, (*Organization).cmdImportCertificate},
	{"Remove-Item", []psh.Parameter{{Name: "Path", Positional: true}, pServer, pForce, pConfirm}, (*Organization).cmdRemoveItem},
	{"Get-ChildItem", []psh.Parameter{{Name: "Path", Positional: true}, pServer}, (*Organization).cmdGetChildItem},
	{"Get-ReceiveConnector", []psh.Parameter{pIdentity, pServer}, (*Organization).cmdGetReceiveConnector},
	{"Set-ReceiveConnector", append([]psh.Parameter{pIdentity, pConfirm}, psh.FieldParameters(ReceiveConnector{}, "Server", "TransportRole")...), (*Organization).cmdSetReceiveConnector},
	{"Get-SendConnector", []psh.Parameter{pIdentity}, (*Organization).cmdGetSendConnector},
	{"Set-SendConnector", append([]psh.Parameter{pIdentity, pConfirm}, psh.FieldParameters(SendConnector{})...), (*Organization).cmdSetSendConnector},
	{"Get-TransportService", []psh.Parameter{pIdentity}, (*Organization).cmdGetTransportService},
	{"Set-TransportService", append([]psh.Parameter{pIdentity, pConfirm}, psh.FieldParameters(TransportService{}, "Name")...), (*Organization).cmdSetTransportService},
	{"Restart-Service", []psh.Parameter{{Name: "Name", Positional: true}, pServer}, (*Organization).cmdRestartService},
	{"Get-Queue", []psh.Parameter{pIdentity, pServer}, (*Organization).cmdGetQueue},
	{"Retry-Queue", []psh.Parameter{pIdentity, pServer, pConfirm}, (*Organization).cmdRetryQueue},
	{"Get-MessageTrackingLog", []psh.Parameter{pServer, {Name: "MessageId"}, {Name: "EventId"}, {Name: "Sender"}}, (*Organization).cmdGetMessageTrackingLog},
	{"Get-WinEvent", []psh.Parameter{{Name: "LogName", Positional: true}, pComputerName, {Name: "MaxEvents"}}, (*Organization).cmdGetWinEvent},
	{"New-EdgeSubscription", []psh.Parameter{pServer, {Name: "Site"}, pForce, pConfirm}, (*Organization).cmdNewEdgeSubscription},
	{"New-ItemProperty", registryParams, (*Organization).cmdSetItemProperty},
	{"Set-ItemProperty", registryParams, (*Organization).cmdSetItemProperty},
}

// registryParams are New-ItemProperty's and Set-ItemProperty's parameters on the registry.
var registryParams = []psh.Parameter{{Name: "Path", Positional: true}, {Name: "Name"}, {Name: "Value"}, {Name: "PropertyType"}, pServer, pForce, pConfirm}

// Cmdlets lists the cmdlets Invoke runs, as Exchange spells them.
func (o *Organization) Cmdlets() []string {
	out := make([]string, len(cmdletTable))
	for i, c := range cmdletTable {
		out[i] = c.name
	}
	return out
}

// Invoke runs one parsed command line (package psh) as Exchange
// Management Shell would on this organization, with the same methods and
// validations as the Go API, and returns the objects the cmdlet writes.
// files reads the files a cmdlet names (-FileName, -FilePath); nil reads
// none. A cmdlet that names no server runs on the organization's first
// server, where the shell is open (INFER). An unknown cmdlet or
// parameter is refused with PowerShell's text and the list of what exists.
// Enable- and New-ExchangeCertificate cannot prompt: -Force answers "Yes"
// to overwriting the default SMTP certificate, its absence "No".
func (o *Organization) Invoke(cmd psh.Command, files func(path string) ([]byte, error)) ([]psh.Object, error) {
	i := slices.IndexFunc(cmdletTable, func(c cmdlet) bool { return strings.EqualFold(c.name, cmd.Name) })
	if i < 0 {
		return nil, psh.NotFound(cmd.Name, o.Cmdlets())
	}
	c := cmdletTable[i]
	b, err := psh.Bind(cmd, c.params)
	if err != nil {
		return nil, err
	}
	if files == nil {
		files = func(path string) ([]byte, error) {
			return nil, fmt.Errorf("fakeonprem: %s: cannot read %q: this shell reads no files; give -FileData", c.name, path)
		}
	}
	return c.run(o, invocation{Bound: b, files: files})
}

// serverName is -Server (or another parameter naming a server), the
// organization's first server when absent.
func (o *Organization) serverName(in invocation, param string) (string, error) {
	s, err := in.String(param)
	if err != nil || s != "" {
		return s, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.servers) == 0 {
		return "", fmt.Errorf("fakeonprem: the organization has no server")
	}
	return o.servers[0].cfg.Name, nil
}

// certificateTarget splits -Thumbprint (or -Identity "Server\Thumbprint")
// and -Server.
func (o *Organization) certificateTarget(in invocation) (server, thumbprint string, err error) {
	if thumbprint, err = in.String("Thumbprint"); err != nil {
		return "", "", err
	}
	if thumbprint == "" {
		return "", "", fmt.Errorf("fakeonprem: give the certificate's -Thumbprint (Get-ExchangeCertificate lists them)")
	}
	if srv, tp, ok := strings.Cut(thumbprint, `\`); ok {
		server, thumbprint = srv, tp
	}
	if server == "" {
		server, err = o.serverName(in, "Server")
	}
	return server, thumbprint, err
}

// certificateView is Get-ExchangeCertificate's Format-List view of a
// store entry.
type certificateView struct {
	CertificateDomains   []string
	FriendlyName         string
	HasPrivateKey        bool
	IsSelfSigned         bool
	Issuer               string
	NotAfter             time.Time
	NotBefore            time.Time
	PrivateKeyExportable bool
	SerialNumber         string
	Services             Services
	Status               string
	Subject              string
	Thumbprint           string
	Identity             string
}

func certificateObject(e ExchangeCertificate) psh.Object {
	c := e.Certificate
	return psh.ObjectOf(typeExchangeCertificate, certificateView{
		CertificateDomains: c.CertificateDomains(), FriendlyName: e.FriendlyName, HasPrivateKey: c.HasPrivateKey(),
		IsSelfSigned: c.IsSelfSigned(), Issuer: c.Issuer(), NotAfter: c.NotAfter(), NotBefore: c.NotBefore(),
		PrivateKeyExportable: e.PrivateKeyExportable, SerialNumber: c.SerialNumber(), Services: e.Services,
		Status: e.Status, Subject: c.Subject(), Thumbprint: c.Thumbprint(), Identity: e.Identity,
	})
}

func (o *Organization) cmdGetExchangeCertificate(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	domain, err := in.String("DomainName")
	if err != nil {
		return nil, err
	}
	thumbprint, err := in.String("Thumbprint")
	if err != nil {
		return nil, err
	}
	if srv, tp, ok := strings.Cut(thumbprint, `\`); ok {
		server, thumbprint = srv, tp
	}
	certs, err := o.GetExchangeCertificate(server, domain)
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, c := range certs {
		if thumbprint == "" || strings.EqualFold(c.Certificate.Thumbprint(), thumbprint) {
			out = append(out, certificateObject(c))
		}
	}
	if thumbprint != "" && len(out) == 0 {
		return nil, fmt.Errorf("fakeonprem: Get-ExchangeCertificate: no certificate %s on %s: Get-ExchangeCertificate -Server %s lists them", thumbprint, server, server)
	}
	return out, nil
}

func (o *Organization) cmdImportExchangeCertificate(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	data, err := fileData(in)
	if err != nil {
		return nil, err
	}
	password, err := in.String("Password")
	if err != nil {
		return nil, err
	}
	exportable, err := in.Bool("PrivateKeyExportable")
	if err != nil {
		return nil, err
	}
	got, err := o.ImportExchangeCertificate(server, data, password, exportable)
	if err != nil {
		return nil, err
	}
	return []psh.Object{certificateObject(got)}, nil
}

// fileData is -FileData (base64, as [Convert]::FromBase64String would
// give) or the file -FileName names.
func fileData(in invocation) ([]byte, error) {
	name, err := in.String("FileName")
	if err != nil {
		return nil, err
	}
	if name != "" {
		return in.files(name)
	}
	text, err := in.String("FileData")
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("fakeonprem: give -FileData (the file's bytes in base64) or -FileName")
	}
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("fakeonprem: -FileData is not base64 (%v): give the file's bytes in base64", err)
	}
	return data, nil
}

// servicesAndForce reads -Services (Enable-/New-ExchangeCertificate's list, as
// Exchange prints it) and -Force (the overwrite prompt answered Yes).
func (in invocation) servicesAndForce() (Services, bool, error) {
	var services Services
	list, err := in.Strings("Services")
	if err != nil {
		return 0, false, err
	}
	if err := services.UnmarshalText([]byte(strings.Join(list, ", "))); err != nil {
		return 0, false, err
	}
	force, err := in.Bool("Force")
	return services, force, err
}

func (o *Organization) cmdEnableExchangeCertificate(in invocation) ([]psh.Object, error) {
	server, thumbprint, err := o.certificateTarget(in)
	if err != nil {
		return nil, err
	}
	services, force, err := in.servicesAndForce()
	if err != nil {
		return nil, err
	}
	return nil, o.EnableExchangeCertificate(server, thumbprint, services, force)
}

func (o *Organization) cmdRemoveExchangeCertificate(in invocation) ([]psh.Object, error) {
	server, thumbprint, err := o.certificateTarget(in)
	if err != nil {
		return nil, err
	}
	return nil, o.RemoveExchangeCertificate(server, thumbprint)
}

func (o *Organization) cmdNewExchangeCertificate(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	domains, err := in.Strings("DomainName")
	if err != nil {
		return nil, err
	}
	services, force, err := in.servicesAndForce()
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	s, err := o.lookup(server)
	var names []string
	if err == nil {
		names = []string{s.cfg.Name, s.cfg.Fqdn}
	}
	o.mu.Unlock()
	if err != nil {
		return nil, err
	}
	for _, d := range domains {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, d) }) {
			return nil, fmt.Errorf("fakeonprem: New-ExchangeCertificate -DomainName %s: this lab makes setup's self-signed certificate, for %s only; issue other names from the lab's PKI and import them", d, strings.Join(names, " and "))
		}
	}
	got, err := o.NewExchangeCertificate(server, services, force)
	if err != nil {
		return nil, err
	}
	return []psh.Object{certificateObject(got)}, nil
}

// testCertificateView is Test-Certificate's answer: True, or the chain
// status and the lines PowerShell prints.
type testCertificateView struct {
	Thumbprint  string
	Result      bool
	ChainStatus string
	Output      string
}

func (o *Organization) cmdTestCertificate(in invocation) ([]psh.Object, error) {
	path, err := in.String("Cert")
	if err != nil {
		return nil, err
	}
	thumbprint := path
	if i := strings.LastIndexByte(path, '\\'); i >= 0 {
		if !strings.EqualFold(path[:i], `Cert:\LocalMachine\My`) {
			return nil, fmt.Errorf(`fakeonprem: Test-Certificate -Cert %q: give Cert:\LocalMachine\My\<thumbprint>`, path)
		}
		thumbprint = path[i+1:]
	}
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	st, text, err := o.TestCertificate(server, thumbprint)
	if err != nil {
		return nil, err
	}
	return []psh.Object{psh.ObjectOf(typeTestCertificate, testCertificateView{Thumbprint: strings.ToUpper(thumbprint), Result: text == "True", ChainStatus: st.String(), Output: text})}, nil
}

func (o *Organization) cmdImportCertificate(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	path, err := in.String("FilePath")
	if err != nil {
		return nil, err
	}
	store, err := in.String("CertStoreLocation")
	if err != nil {
		return nil, err
	}
	if path == "" || store == "" {
		return nil, fmt.Errorf(`fakeonprem: Import-Certificate: give -FilePath and -CertStoreLocation (Cert:\LocalMachine\Root or Cert:\LocalMachine\CA)`)
	}
	data, err := in.files(path)
	if err != nil {
		return nil, err
	}
	if b, _ := pem.Decode(data); b != nil {
		data = b.Bytes
	}
	cert, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("fakeonprem: Import-Certificate %s: not a certificate (%v): give a .cer file (DER or PEM)", path, err)
	}
	return nil, o.ImportCertificate(server, store, cert)
}

func (o *Organization) cmdRemoveItem(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	path, err := in.String("Path")
	if err != nil {
		return nil, err
	}
	return nil, o.RemoveItem(server, path)
}

// storeItemView is Get-ChildItem Cert:\LocalMachine\<store>'s view of a
// certificate.
type storeItemView struct {
	Thumbprint string
	Subject    string
	Issuer     string
	NotBefore  time.Time
	NotAfter   time.Time
}

// cmdGetChildItem lists a certificate store of a server:
// Cert:\LocalMachine\Root, \CA or \My.
func (o *Organization) cmdGetChildItem(in invocation) ([]psh.Object, error) {
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	path, err := in.String("Path")
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	if strings.EqualFold(strings.TrimSuffix(path, `\`), `Cert:\LocalMachine\My`) {
		all, err := o.GetExchangeCertificate(server, "")
		if err != nil {
			return nil, err
		}
		for _, e := range all {
			certs = append(certs, e.Certificate.Leaf)
		}
	} else if certs, err = o.GetChildItem(server, strings.TrimSuffix(path, `\`)); err != nil {
		return nil, err
	}
	out := make([]psh.Object, len(certs))
	for i, c := range certs {
		out[i] = psh.ObjectOf(typeX509Certificate, storeItemView{Thumbprint: pki.Thumbprint(c), Subject: pki.SubjectName(c),
			Issuer: pki.IssuerName(c), NotBefore: c.NotBefore, NotAfter: c.NotAfter})
	}
	return out, nil
}
