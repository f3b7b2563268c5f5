package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// labCmdlet is one of the lab's own cmdlets: the hybrid configuration
// wizard and the clock, which belong to neither side.
type labCmdlet struct {
	name   string
	params []psh.Parameter
	run    func(l *Lab, b psh.Bound) ([]psh.Object, error)
}

// labCmdlets are the lab's own command lines (INFER: the wizard is a GUI
// and has no cmdlet; the lab names it Start-HybridConfigurationWizard.
// Start-Sleep moves the virtual clock, Get-Date reads it, and
// Send-MailMessage is a mailbox user's submission).
var labCmdlets = []labCmdlet{
	{"Start-HybridConfigurationWizard", []psh.Parameter{{Name: "Thumbprint", Positional: true}, {Name: "UpdateSecureMailCertificate", Switch: true}}, (*Lab).cmdWizard},
	{"Start-Sleep", []psh.Parameter{{Name: "Seconds", Positional: true}, {Name: "Milliseconds"}, {Name: "Duration"}}, (*Lab).cmdSleep},
	{"Get-Date", nil, (*Lab).cmdDate},
	{"Send-MailMessage", []psh.Parameter{{Name: "From"}, {Name: "To"}, {Name: "Subject"}}, (*Lab).cmdSendMail},
}

// Shell runs one Exchange Management Shell or Exchange Online PowerShell
// command line against the lab and returns the objects the cmdlet writes.
// The cmdlet's name picks the side: the on-premises organization's cmdlets
// (fakeonprem), Exchange Online's for the lab's first tenant (fakeexo), or
// the lab's own (the wizard as Start-HybridConfigurationWizard, the clock as
// Start-Sleep and Get-Date, Send-MailMessage). Invoke-Command -ComputerName
// <server> { <command> } runs the command with -Server <server>. Files named C:\certs\<name>.pfx
// (password pki.DefaultPFXPassword) or .cer are the lab's certificates by
// name; C:\certs\root.cer and C:\certs\issuing-ca.cer are the public root
// and issuing CAs, C:\certs\<thumbprint>.cer any authority of the lab's PKI.
// Call it between the lab's own steps (as Send and Advance are called).
func (l *Lab) Shell(ctx context.Context, line string) ([]psh.Object, error) {
	cmd, err := remoteCommand(line)
	if err != nil {
		return nil, err
	}
	if cmd.Name == "" {
		if cmd, err = psh.ParseCommandLine(line); err != nil {
			return nil, err
		}
	}
	return l.invoke(ctx, cmd)
}

// invoke runs a parsed command line on the side its cmdlet belongs to.
func (l *Lab) invoke(ctx context.Context, cmd psh.Command) ([]psh.Object, error) {
	if i := slices.IndexFunc(labCmdlets, func(c labCmdlet) bool { return strings.EqualFold(c.name, cmd.Name) }); i >= 0 {
		b, err := psh.Bind(cmd, labCmdlets[i].params)
		if err != nil {
			return nil, err
		}
		return labCmdlets[i].run(l, b)
	}
	if slices.ContainsFunc(l.OnPrem.Cmdlets(), func(n string) bool { return strings.EqualFold(n, cmd.Name) }) {
		return l.OnPrem.Invoke(cmd, l.shellFile)
	}
	org, err := l.shellTenant()
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(org.Cmdlets(), func(n string) bool { return strings.EqualFold(n, cmd.Name) }) {
		return org.Invoke(ctx, cmd)
	}
	return nil, psh.NotFound(cmd.Name, l.shellCmdlets())
}

// remoteCommand reads `Invoke-Command -ComputerName <server> { <command> }`,
// the catalogue's way of running a command on one server: the command
// with -Server <server> (-ComputerName for Get-WinEvent). A line that is
// not an Invoke-Command gives a Command without a name.
func remoteCommand(line string) (psh.Command, error) {
	trimmed := strings.TrimLeft(line, " \t")
	if len(trimmed) < len("Invoke-Command") || !strings.EqualFold(trimmed[:len("Invoke-Command")], "Invoke-Command") {
		return psh.Command{}, nil
	}
	open, end := strings.Index(line, "{"), strings.LastIndex(line, "}")
	if open < 0 || end < open {
		return psh.Command{}, fmt.Errorf("sim: Invoke-Command: give the command in braces: Invoke-Command -ComputerName EX01 { Restart-Service MSExchangeTransport }")
	}
	outer, err := psh.ParseCommandLine(line[:open] + " " + line[end+1:])
	if err != nil {
		return psh.Command{}, err
	}
	b, err := psh.Bind(outer, []psh.Parameter{{Name: "ComputerName", Positional: true}})
	if err != nil {
		return psh.Command{}, err
	}
	computer, err := b.String("ComputerName")
	if err != nil || computer == "" {
		return psh.Command{}, fmt.Errorf("sim: Invoke-Command: give -ComputerName, the server to run the command on")
	}
	inner, err := psh.ParseCommandLine(strings.Repeat(" ", open+1) + line[open+1:end]) // positions count from the line's start
	if err != nil {
		return psh.Command{}, fmt.Errorf("sim: Invoke-Command's command: %w", err)
	}
	param := "Server"
	if strings.EqualFold(inner.Name, "Get-WinEvent") {
		param = "ComputerName"
	}
	inner.Args = append(inner.Args, psh.Arg{Parameter: param, Value: computer, Colon: true, Pos: open + 1})
	return inner, nil
}

// shellCmdlets lists every cmdlet Shell runs, sorted.
func (l *Lab) shellCmdlets() []string {
	var all []string
	for _, c := range labCmdlets {
		all = append(all, c.name)
	}
	all = append(all, l.OnPrem.Cmdlets()...)
	if org, err := l.shellTenant(); err == nil {
		all = append(all, org.Cmdlets()...)
	}
	slices.Sort(all)
	return all
}

// shellTenant is the tenant Exchange Online's cmdlets run in: the lab's
// first.
func (l *Lab) shellTenant() (*fakeexo.Organization, error) {
	if len(l.cfg.EXO.Tenants) == 0 {
		return nil, fmt.Errorf("sim: the lab has no Exchange Online tenant for Exchange Online's cmdlets")
	}
	return l.EXO.Organization(l.cfg.EXO.Tenants[0].Name)
}

// shellFile reads a file a cmdlet names: the lab's certificates and
// authorities under C:\certs (see Shell).
func (l *Lab) shellFile(path string) ([]byte, error) {
	dir, file, ok := cutLast(path, `\`)
	name, ext, dot := cutLast(file, ".")
	if !ok || !dot || !strings.EqualFold(dir, `C:\certs`) {
		return nil, fmt.Errorf(`sim: %s: the shell reads C:\certs\<certificate>.pfx or .cer, where <certificate> is one of the lab's certificates (%s), root, issuing-ca or an authority's thumbprint`, path, strings.Join(l.certificateNames(), ", "))
	}
	ext = strings.ToLower(ext)
	if c, found := l.Certificates[strings.ToLower(name)]; found {
		switch ext {
		case "pfx":
			return c.PFX(pki.DefaultPFXPassword, pki.TripleDESSHA1)
		case "cer", "crt", "der":
			return c.Leaf.Raw, nil
		}
	}
	if ext == "cer" || ext == "crt" {
		subject := map[string]string{"root": pki.PublicRootCA, "issuing-ca": pki.PublicIssuingCA}[strings.ToLower(name)]
		for _, a := range l.PKI.Authorities() {
			if a.Cert.Subject.String() == subject || pki.SubjectName(a.Cert) == subject || strings.EqualFold(pki.Thumbprint(a.Cert), name) {
				return a.Cert.Raw, nil
			}
		}
	}
	return nil, fmt.Errorf(`sim: %s: no such file: the shell reads C:\certs\<certificate>.pfx or .cer, where <certificate> is one of the lab's certificates (%s), root, issuing-ca or an authority's thumbprint`, path, strings.Join(l.certificateNames(), ", "))
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func (l *Lab) certificateNames() []string {
	var names []string
	for n := range l.Certificates {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// wizardRowView is one row of the wizard's log, with its connector.
type wizardRowView struct {
	Kind, Connector, Property, Expected, Actual string
	Equals                                      bool
}

func (l *Lab) cmdWizard(b psh.Bound) ([]psh.Object, error) {
	thumbprint, err := b.String("Thumbprint")
	if err != nil {
		return nil, err
	}
	if thumbprint == "" {
		return nil, fmt.Errorf("sim: Start-HybridConfigurationWizard: give the -Thumbprint of the transport certificate (Get-ExchangeCertificate lists them)")
	}
	if c, ok := l.Certificates[strings.ToLower(thumbprint)]; ok {
		thumbprint = c.Thumbprint()
	}
	only, err := b.Bool("UpdateSecureMailCertificate")
	if err != nil {
		return nil, err
	}
	report, err := l.RunHybridWizard(thumbprint, WizardOptions{UpdateCertificateOnly: only})
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, t := range report.Tables {
		for _, r := range t.Rows {
			out = append(out, psh.ObjectOf("", wizardRowView{Kind: t.Kind, Connector: t.Name, Property: r.Property, Expected: r.Expected, Actual: r.Actual, Equals: r.Equals}))
		}
	}
	return out, nil
}

func (l *Lab) cmdSleep(b psh.Bound) ([]psh.Object, error) {
	var d time.Duration
	for _, p := range []struct {
		name string
		unit time.Duration
	}{{"Seconds", time.Second}, {"Milliseconds", time.Millisecond}} {
		if !b.Has(p.name) {
			continue
		}
		n, ok := b[p.name].(int64)
		if !ok || n < 0 || n > int64(400*24*time.Hour/p.unit) {
			return nil, fmt.Errorf("sim: Start-Sleep -%s takes a whole number from 0 up to 400 days", p.name)
		}
		d += time.Duration(n) * p.unit
	}
	if b.Has("Duration") {
		text, err := b.String("Duration")
		if err != nil {
			return nil, err
		}
		v, err := psh.ParseTimeSpan(text)
		if err != nil || v < 0 || v > 400*24*time.Hour {
			return nil, fmt.Errorf("sim: Start-Sleep -Duration %q: give a TimeSpan (00:15:00) or a Go duration (15m) from 0 up to 400 days", text)
		}
		d += v
	}
	l.Advance(d)
	return l.cmdDate(nil)
}

// dateView is Get-Date's answer: the lab clock.
type dateView struct{ DateTime time.Time }

func (l *Lab) cmdDate(psh.Bound) ([]psh.Object, error) {
	return []psh.Object{psh.ObjectOf("System.DateTime", dateView{DateTime: l.Now()})}, nil
}

// sentView is Send-MailMessage's answer (it writes nothing in PowerShell;
// the lab tells the Message-ID to follow).
type sentView struct{ MessageId string }

func (l *Lab) cmdSendMail(b psh.Bound) ([]psh.Object, error) {
	from, err := b.String("From")
	if err != nil {
		return nil, err
	}
	to, err := b.Strings("To")
	if err != nil {
		return nil, err
	}
	subject, err := b.String("Subject")
	if err != nil {
		return nil, err
	}
	if from == "" || len(to) == 0 {
		return nil, fmt.Errorf("sim: Send-MailMessage: give -From (a mailbox of the lab) and -To")
	}
	id, err := l.Send(from, to, subject)
	if err != nil {
		return nil, err
	}
	return []psh.Object{psh.ObjectOf("", sentView{MessageId: id})}, nil
}
