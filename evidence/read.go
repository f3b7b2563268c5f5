package evidence

import (
	"crypto/x509"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/psh"
)

// File is one file of evidence: its name (for messages and comments) and
// its bytes as the customer sent them.
type File struct {
	Name string
	Data []byte
}

// kind is what an object of evidence is.
type kind string

const (
	kindCertificate        kind = "Get-ExchangeCertificate"
	kindReceiveConnector   kind = "Get-ReceiveConnector"
	kindSendConnector      kind = "Get-SendConnector"
	kindTransportService   kind = "Get-TransportService"
	kindAcceptedDomain     kind = "Get-AcceptedDomain"
	kindInboundConnector   kind = "Get-InboundConnector"
	kindOutboundConnector  kind = "Get-OutboundConnector"
	kindStore              kind = `Get-ChildItem Cert:\LocalMachine\Root (or \CA)`
	kindAuthRoot           kind = `Get-ItemProperty HKLM:\SOFTWARE\Policies\Microsoft\SystemCertificates\AuthRoot`
	kindOrganizationConfig kind = "Get-OrganizationConfig"
)

// field is one property's value as the evidence gave it.
type field struct {
	text      string   // a single value's text ("" for $null)
	list      []string // a multi-valued property's items
	isList    bool
	at        time.Time // a DT value (CLIXML), with its zone
	hasTime   bool
	raw       []byte // a BA value (RawData)
	where     string // the file and line (or CLIXML object) it came from
	truncated bool   // PowerShell cut it short ("...")
}

// record is one object of evidence.
type record struct {
	kind   kind
	file   string // the file it came from
	exo    bool   // from Exchange Online (a Deserialized tenant type, or onmicrosoft.com domains)
	source string // "OnPremRcptCon.txt line 12" or "OnPremRcptConBkp.xml object 3"
	fields map[string]field
	names  []string // property names in order, for messages
}

// get returns a field by name (case-insensitive).
func (r *record) get(name string) (field, bool) {
	f, ok := r.fields[strings.ToLower(name)]
	return f, ok
}

// str is a single value's text.
func (r *record) str(name string) string {
	f, _ := r.get(name)
	if f.isList {
		return strings.Join(f.list, ", ")
	}
	return strings.TrimSpace(f.text)
}

// values is a multi-valued property's items, from a list or from text
// ("{a, b}", "a, b").
func (r *record) values(name string) ([]string, bool) {
	f, ok := r.get(name)
	if !ok {
		return nil, false
	}
	if f.isList {
		return f.list, f.truncated
	}
	v, truncated := psh.ListValues(f.text)
	return v, truncated || f.truncated
}

// boolean reads True/False/$true/$false.
func (r *record) boolean(name string) (bool, bool) {
	switch strings.ToLower(r.str(name)) {
	case "true", "$true":
		return true, true
	case "false", "$false":
		return false, true
	}
	return false, false
}

// ident names the object in comments: a receive connector by
// Server\Name, a certificate by thumbprint, others by name.
func (r *record) ident() string {
	switch r.kind {
	case kindReceiveConnector:
		return r.str("Server") + `\` + r.str("Name")
	case kindCertificate:
		return strings.ToUpper(r.str("Thumbprint"))
	case kindAcceptedDomain:
		return r.str("DomainName")
	}
	return firstOf(r.str("Name"), r.str("Identity"))
}

// note says where a property's value came from: the file, its line (or
// the object's place in a CLIXML file) and the object.
func (r *record) note(prop string) string {
	at := r.source
	if f, ok := r.get(prop); ok && f.where != "" {
		at = f.where
	}
	if id := r.ident(); id != "" {
		at += " (" + id + ")"
	}
	return at
}

// sourceError is bad evidence: which file, where, and what is wrong.
type sourceError struct {
	where string
	err   error
}

func (e *sourceError) Error() string { return "evidence: " + e.where + ": " + e.err.Error() }

func (e *sourceError) Unwrap() error { return e.err }

// readFile reads one file into records, the clock if it is Get-Date's
// output, and the wizard's tables.
func readFile(f File, ev *collected) error {
	text, err := psh.DecodeText(f.Data)
	if err != nil {
		return &sourceError{f.Name, errors.New(strings.TrimPrefix(err.Error(), "psh: "))}
	}
	trimmed := strings.TrimSpace(text)
	switch {
	case trimmed == "":
		return &sourceError{f.Name, errors.New("the file is empty; ask for the command's output again")}
	case strings.HasPrefix(trimmed, "<") || strings.HasPrefix(trimmed, "#< CLIXML"):
		return readCLIXMLFile(f.Name, text, ev)
	case isDateLine(trimmed):
		at, _ := psh.ParseDate(trimmed)
		ev.setClock(at, f.Name+" (Get-Date)")
		return nil
	case hasWizardTables(text):
		return readWizardLog(f.Name, text, ev)
	}
	return readListFile(f.Name, text, ev)
}

// isDateLine is Get-Date's output: one line, ISO 8601 (-Format o) or the
// default text in en-US or en-GB.
func isDateLine(s string) bool {
	if strings.Contains(s, "\n") || strings.Contains(s, " : ") || len(s) < 19 {
		return false
	}
	_, err := psh.ParseDate(s)
	return err == nil
}

// readListFile reads Format-List (or Format-Table) text.
func readListFile(name, text string, ev *collected) error {
	objs, err := psh.ReadFormatList(text)
	if err != nil {
		return &sourceError{name, err}
	}
	if len(objs) == 0 {
		return &sourceError{name, errors.New("no objects: the file holds no \"Name : Value\" lines; send the command's output piped to Format-List")}
	}
	var recs []*record
	for _, o := range objs {
		r := &record{file: name, source: fmt.Sprintf("%s line %d", name, o.Line), fields: map[string]field{}}
		for _, p := range o.Properties {
			v := p.Value
			f := field{text: v, where: fmt.Sprintf("%s line %d", name, p.Line)}
			if vals, truncated := psh.ListValues(v); strings.HasPrefix(strings.TrimSpace(v), "{") {
				f.list, f.isList, f.truncated = vals, true, truncated
			} else if strings.HasSuffix(v, "...") {
				f.truncated = true
			}
			r.fields[strings.ToLower(p.Name)] = f
			r.names = append(r.names, p.Name)
		}
		r.kind = guessKind(r, o.Command)
		if r.kind == "" {
			return &sourceError{r.source, fmt.Errorf("an object with properties %s is none of %s; send only their output",
				clipList(r.names), kindList())}
		}
		r.exo = r.kind == kindInboundConnector || r.kind == kindOutboundConnector || r.kind == kindOrganizationConfig
		if m := serverParameter.FindStringSubmatch(o.Command); m != nil && r.kind == kindCertificate && r.str("Identity") == "" {
			// Get-ExchangeCertificate -Server EX02 | fl: the prompt names
			// the server the default view leaves out.
			r.fields["identity"] = field{text: strings.Trim(m[1], `"'`) + `\` + r.str("Thumbprint"), where: r.source + " (the prompt's -Server)"}
		}
		recs = append(recs, r)
	}
	addFileRecords(recs, ev)
	return nil
}

// serverParameter is a command line's -Server argument.
var serverParameter = regexp.MustCompile(`(?i)-Server\s+("[^"]+"|'[^']+'|[^\s|]+)`)

// addFileRecords adds one file's records. Get-AcceptedDomain's objects are
// Exchange Online's when the file holds the tenant's onmicrosoft.com
// domains.
func addFileRecords(recs []*record, ev *collected) {
	exo := false
	for _, r := range recs {
		exo = exo || (r.kind == kindAcceptedDomain && strings.HasSuffix(strings.ToLower(r.str("DomainName")), ".onmicrosoft.com"))
	}
	for _, r := range recs {
		if r.kind == kindAcceptedDomain {
			r.exo = exo
		}
		ev.add(r)
	}
}

func clipList(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + ", ..."
	}
	return strings.Join(names, ", ")
}

func kindList() string {
	return strings.Join([]string{string(kindCertificate), string(kindReceiveConnector), string(kindSendConnector), string(kindTransportService),
		string(kindAcceptedDomain), string(kindInboundConnector), string(kindOutboundConnector), string(kindOrganizationConfig)}, ", ")
}

// guessKind tells an object's cmdlet by its properties (or the prompt's
// command).
func guessKind(r *record, command string) kind {
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := r.get(n); ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("DisableRootAutoUpdate"):
		return kindAuthRoot
	case has("RejectDirectSend"):
		return kindOrganizationConfig
	case has("Thumbprint") && storeOf(r) != "":
		return kindStore
	case has("InternalTransportCertificateThumbprint", "MessageRetryInterval", "TransientFailureRetryCount"):
		return kindTransportService
	case has("Thumbprint") && has("Subject", "RawData", "CertificateDomains"):
		return kindCertificate
	case has("SenderDomains", "TlsSenderCertificateName", "SenderIPAddresses"):
		return kindInboundConnector
	case has("RecipientDomains", "TlsSettings", "UseMXRecord"):
		return kindOutboundConnector
	case has("AddressSpaces", "SourceTransportServers"):
		return kindSendConnector
	case has("Bindings", "PermissionGroups"):
		return kindReceiveConnector
	case has("DomainName") && has("DomainType"):
		return kindAcceptedDomain
	}
	lower := strings.ToLower(command)
	for _, k := range []kind{kindCertificate, kindReceiveConnector, kindSendConnector, kindTransportService, kindAcceptedDomain, kindInboundConnector, kindOutboundConnector} {
		if strings.Contains(lower, strings.ToLower(string(k))) {
			return k
		}
	}
	return ""
}

// readCLIXMLFile reads an Export-Clixml file.
func readCLIXMLFile(name, text string, ev *collected) error {
	values, err := psh.ReadCLIXML(text)
	if err != nil {
		return &sourceError{name, err}
	}
	var recs []*record
	defer func() { addFileRecords(recs, ev) }()
	for i, v := range values {
		where := fmt.Sprintf("%s object %d", name, i+1)
		switch x := v.(type) {
		case time.Time:
			ev.setClock(x, name+" (Get-Date)")
			continue
		case *psh.Object:
			if len(x.TypeNames) > 0 && strings.TrimPrefix(x.TypeNames[0], deserializedPrefix) == "System.DateTime" {
				if at, err := psh.ParseDate(x.ToString); err == nil {
					ev.setClock(at, name+" (Get-Date)")
					continue
				}
			}
			r, err := recordOf(x, where)
			if err != nil {
				return err
			}
			r.file = name
			recs = append(recs, r)
		default:
			return &sourceError{where, fmt.Errorf("a %T value, not an object; Export-Clixml of %s writes objects", v, kindList())}
		}
	}
	return nil
}

// kindsByType maps a type name (without "Deserialized.") to a kind.
var kindsByType = map[string]kind{
	"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate":                   kindCertificate,
	"System.Security.Cryptography.X509Certificates.X509Certificate2":                               kindCertificate,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector":                       kindReceiveConnector,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig":                kindSendConnector,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServerPresentationObject":      kindTransportService,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServer":                        kindTransportService,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain":                         kindAcceptedDomain,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantInboundConnector":                 kindInboundConnector,
	"Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantOutboundConnector":                kindOutboundConnector,
	"Microsoft.Exchange.Management.SystemConfigurationTasks.TransportServerPresentationObject":     kindTransportService,
	"Microsoft.Exchange.Data.Directory.Management.AcceptedDomain":                                  kindAcceptedDomain,
	"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificatePresentationObject": kindCertificate,
	"Microsoft.Exchange.Data.Directory.Management.OrganizationConfig":                              kindOrganizationConfig,
}

// recordOf converts a CLIXML object; its type must be one Import reads.
func recordOf(o *psh.Object, where string) (*record, error) {
	r := &record{source: where, fields: map[string]field{}}
	for _, t := range o.TypeNames {
		if k, ok := kindsByType[strings.TrimPrefix(t, deserializedPrefix)]; ok {
			r.kind = k
			r.exo = strings.HasPrefix(t, deserializedPrefix) && (k == kindInboundConnector || k == kindOutboundConnector) || k == kindOrganizationConfig
			break
		}
	}
	for _, p := range o.Properties {
		f := fieldOf(p.Value)
		f.where = where
		r.fields[strings.ToLower(p.Name)] = f
		r.names = append(r.names, p.Name)
	}
	switch {
	case r.kind == kindCertificate && storeOf(r) != "":
		r.kind = kindStore
	case r.kind == "" && len(o.TypeNames) > 0 && strings.HasSuffix(o.TypeNames[0], "PSCustomObject"):
		if _, ok := r.get("DisableRootAutoUpdate"); ok {
			r.kind = kindAuthRoot
		}
	}
	if r.kind == "" {
		typ := "an object without type names"
		if len(o.TypeNames) > 0 {
			typ = "a " + o.TypeNames[0]
		}
		return nil, &sourceError{where, fmt.Errorf("%s (%q) is not an object of %s; export only their output", typ, o.ToString, kindList())}
	}
	return r, nil
}

// fieldOf converts a CLIXML value: an object with a ToString (an enum, a
// SmtpX509Identifier, a SmtpDomain) is its text.
func fieldOf(v psh.Value) field {
	switch x := v.(type) {
	case nil:
		return field{}
	case string:
		return field{text: x}
	case time.Time:
		return field{text: x.Format(time.RFC3339), at: x, hasTime: true}
	case time.Duration:
		return field{text: psh.FormatTimeSpan(x)}
	case []byte:
		return field{raw: x}
	case []psh.Value:
		f := field{isList: true, list: []string{}}
		for _, e := range x {
			f.list = append(f.list, fieldOf(e).text)
		}
		return f
	case *psh.Object:
		if x.ToString != "" {
			return field{text: x.ToString}
		}
		return field{text: psh.Text(x)}
	}
	return field{text: psh.Text(v)}
}

// parseRaw parses RawData (the certificate's DER).
func parseRaw(raw []byte) (*x509.Certificate, error) {
	c, err := x509.ParseCertificate(raw)
	if err != nil {
		return nil, fmt.Errorf("RawData is not a DER certificate: %v", err)
	}
	return c, nil
}
