package evidence

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// Format is a form of evidence Export writes.
type Format string

// The forms of evidence: Format-List text redirected to a file (`| fl >
// file.txt`), and Export-Clixml files.
const (
	Text   Format = "text"
	Clixml Format = "clixml"
)

// exportFile is one file a customer is asked for: its name without
// extension (seed 000's backup names for the connectors), the command that
// writes it, and the objects.
type exportFile struct {
	stem    string
	command string // with FILE where the file name goes
	objects func(*sim.Lab) ([]any, error)
}

// exportFiles are the files, in the order the README asks for them.
var exportFiles = []exportFile{
	{"OnPremExCert", `Get-ExchangeServer | ForEach-Object { Get-ExchangeCertificate -Server $_.Name } | FORMAT*`, onPremCertificates},
	{"OnPremRcptCon", `Get-ReceiveConnector | FORMAT`, onPremReceiveConnectors},
	{"OnPremSendCon", `Get-SendConnector | FORMAT`, onPremSendConnectors},
	{"OnPremTransport", `Get-TransportService | FORMAT`, onPremTransportServices},
	{"OnPremAcceptedDomain", `Get-AcceptedDomain | FORMAT`, onPremAcceptedDomains},
	{"OnPremCertStores", `Get-ExchangeServer | ForEach-Object { Invoke-Command -ComputerName $_.Name { Get-ChildItem Cert:\LocalMachine\Root, Cert:\LocalMachine\CA } } | FORMAT*`, onPremCertStores},
	{"OnPremAuthRoot", `Get-ExchangeServer | ForEach-Object { Invoke-Command -ComputerName $_.Name { Get-ItemProperty HKLM:\SOFTWARE\Policies\Microsoft\SystemCertificates\AuthRoot } } | FORMAT`, onPremAuthRoot},
	{"EXOAcceptedDomain", `Get-AcceptedDomain | FORMAT   # in Exchange Online PowerShell`, exoAcceptedDomains},
	{"EXOInCon", `Get-InboundConnector | FORMAT   # in Exchange Online PowerShell`, exoInboundConnectors},
	{"EXOOutCon", `Get-OutboundConnector | FORMAT   # in Exchange Online PowerShell`, exoOutboundConnectors},
	{"EXOOrgConfig", `Get-OrganizationConfig | FORMAT   # in Exchange Online PowerShell`, exoOrganizationConfig},
}

// Commands returns the commands a customer runs to collect the evidence
// Import reads, in the given form, writing to dir (C:\temp in the
// articles).
func Commands(format Format, dir string) []string {
	var out []string
	for _, f := range exportFiles {
		out = append(out, commandFor(f, format, dir))
	}
	if format == Clixml {
		return append(out, `Get-Date | Export-Clixml `+dir+`\DateBkp.xml`)
	}
	return append(out, `Get-Date -Format o > `+dir+`\Date.txt`)
}

func commandFor(f exportFile, format Format, dir string) string {
	cmd, comment, _ := cutComment(f.command)
	all := strings.HasSuffix(cmd, "*")
	cmd = strings.TrimSuffix(cmd, "*")
	switch {
	case format == Clixml:
		cmd = replaceFormat(cmd, "Export-Clixml "+dir+`\`+f.stem+"Bkp.xml")
	case all:
		cmd = replaceFormat(cmd, "Format-List * > "+dir+`\`+f.stem+".txt")
	default:
		cmd = replaceFormat(cmd, "Format-List > "+dir+`\`+f.stem+".txt")
	}
	return cmd + comment
}

func cutComment(s string) (string, string, bool) {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == ' ' && s[i+1] == ' ' {
			return s[:i], s[i:], true
		}
	}
	return s, "", false
}

func replaceFormat(cmd, with string) string {
	const placeholder = "FORMAT"
	return cmd[:len(cmd)-len(placeholder)] + with
}

// Export writes, into dir, the files a customer would send for the running
// lab, in the given form: for Text the Format-List output of each Get-
// cmdlet (OnPremExCert.txt, OnPremRcptCon.txt, ..., EXOOutCon.txt) and
// Get-Date -Format o (Date.txt), UTF-16LE as Windows PowerShell's `>`
// writes; for Clixml the Export-Clixml files (OnPremExCertBkp.xml,
// OnPremRcptConBkp.xml, OnPremSendConBkp.xml, ..., EXOOutConBkp.xml,
// DateBkp.xml). It returns the paths written.
func Export(lab *sim.Lab, dir string, format Format) ([]string, error) {
	if format != Text && format != Clixml {
		return nil, fmt.Errorf("evidence: export format %q: write %q or %q", format, Text, Clixml)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("evidence: export: %w", err)
	}
	var paths []string
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("evidence: export: %w", err)
		}
		paths = append(paths, p)
		return nil
	}
	for _, f := range exportFiles {
		objs, err := f.objects(lab)
		if err != nil {
			return nil, fmt.Errorf("evidence: export %s: %w", f.stem, err)
		}
		if format == Clixml {
			data, err := CLIXML(objs...)
			if err != nil {
				return nil, err
			}
			err = write(f.stem+"Bkp.xml", data)
			if err != nil {
				return nil, err
			}
			continue
		}
		if err := write(f.stem+".txt", psh.EncodeUTF16LE(FormatList(objs...))); err != nil {
			return nil, err
		}
	}
	now := lab.Now()
	if format == Clixml {
		return paths, write("DateBkp.xml", psh.EncodeUTF16LE(psh.WriteCLIXML(now)))
	}
	return paths, write("Date.txt", psh.EncodeUTF16LE(now.Format(roundTripDate)+"\n"))
}

// roundTripDate is .NET's "o" format: Get-Date -Format o.
const roundTripDate = "2006-01-02T15:04:05.0000000-07:00"

func onPremCertificates(l *sim.Lab) ([]any, error) {
	var out []any
	for _, s := range l.Config().OnPrem.Servers {
		certs, err := l.OnPrem.GetExchangeCertificate(s.Name, "")
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			out = append(out, c)
		}
	}
	return out, nil
}

func onPremCertStores(l *sim.Lab) ([]any, error) {
	var out []any
	for _, s := range l.Config().OnPrem.Servers {
		for _, store := range []string{"Root", "CA"} {
			certs, err := l.OnPrem.GetChildItem(s.Name, `Cert:\LocalMachine\`+store)
			if err != nil {
				return nil, err
			}
			for _, c := range certs {
				out = append(out, StoreCertificate{Server: s.Name, Store: store, Certificate: c})
			}
		}
	}
	return out, nil
}

// onPremAuthRoot is each server's root auto-update policy (0 where the
// policy is not set).
func onPremAuthRoot(l *sim.Lab) ([]any, error) {
	var out []any
	for _, s := range l.Config().OnPrem.Servers {
		out = append(out, AuthRootPolicy{Server: s.Name, DisableRootAutoUpdate: s.DisableRootAutoUpdate})
	}
	return out, nil
}

func onPremReceiveConnectors(l *sim.Lab) ([]any, error) {
	all, err := l.OnPrem.GetReceiveConnector("")
	return []any{all}, err
}

func onPremSendConnectors(l *sim.Lab) ([]any, error) {
	all, err := l.OnPrem.GetSendConnector("")
	return []any{all}, err
}

func onPremTransportServices(l *sim.Lab) ([]any, error) {
	var out []any
	for _, s := range l.Config().OnPrem.Servers {
		t, err := l.OnPrem.GetTransportService(s.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func onPremAcceptedDomains(l *sim.Lab) ([]any, error) {
	var out []any
	for _, d := range l.Config().OnPrem.AcceptedDomains {
		out = append(out, OnPremAcceptedDomain(d))
	}
	return out, nil
}

func exoAcceptedDomains(l *sim.Lab) ([]any, error) {
	var out []any
	for _, t := range l.Config().EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return nil, err
		}
		d, err := org.GetAcceptedDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func exoInboundConnectors(l *sim.Lab) ([]any, error) {
	var out []any
	for _, t := range l.Config().EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return nil, err
		}
		c, err := org.GetInboundConnector("")
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func exoOutboundConnectors(l *sim.Lab) ([]any, error) {
	var out []any
	for _, t := range l.Config().EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return nil, err
		}
		c, err := org.GetOutboundConnector("")
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
