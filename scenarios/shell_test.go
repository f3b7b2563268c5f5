package scenarios

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// hybridGUID is the default lab's hybrid connectors' GUID, which the
// catalogue's command lines write <GUID>.
const hybridGUID = "3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93"

// snapshot is what the shell's Get-* cmdlets show of a lab's configuration.
func snapshot(t testing.TB, l *sim.Lab) string {
	t.Helper()
	var b strings.Builder
	for _, line := range []string{"Get-ExchangeCertificate -Server EX01", "Get-ExchangeCertificate -Server EDGE01", "Get-ReceiveConnector",
		"Get-SendConnector", "Get-TransportService", "Get-InboundConnector", "Get-OutboundConnector", "Get-OrganizationConfig",
		`Get-ChildItem Cert:\LocalMachine\Root -Server EX01`, `Get-ChildItem Cert:\LocalMachine\CA -Server EX01`,
		`Get-ChildItem Cert:\LocalMachine\Root -Server EDGE01`, `Get-ChildItem Cert:\LocalMachine\CA -Server EDGE01`} {
		objs, err := l.Shell(context.Background(), line)
		if err != nil {
			t.Fatalf("Shell(%q) = %v", line, err)
		}
		fmt.Fprintf(&b, "%s%s", line, psh.FormatList(objs...))
	}
	return b.String()
}

// TestCatalogueThroughTheShell runs every catalogue step whose command line
// is one cmdlet (no variable, pipeline or Invoke-Command) through the
// lab's shell and checks that it has the same effect as the step's Go code:
// the same configuration afterwards, or the same refusal.
func TestCatalogueThroughTheShell(t *testing.T) {
	ran := 0
	for _, e := range Catalogue() {
		steps := append(append([]Step{}, e.Break...), e.Fix...)
		for i, s := range steps {
			if strings.HasPrefix(s.Cmdlet, "#") {
				continue
			}
			if _, err := psh.ParseCommandLine(commandOf(s.Cmdlet)); err != nil {
				continue // a variable, a pipeline: not one command line
			}
			ran++
			line := strings.ReplaceAll(s.Cmdlet, "<GUID>", hybridGUID)
			if strings.HasSuffix(line, "# overwrite the default SMTP certificate? Yes") {
				line += " -Force" // a comment ends the line: the answer goes before it
				line = strings.Replace(line, "   # overwrite the default SMTP certificate? Yes -Force", " -Force", 1)
			}
			t.Run(fmt.Sprintf("%s/%d", e.ID, i), func(t *testing.T) {
				viaGo, viaShell := startEntryLab(t, e), startEntryLab(t, e)
				runGo, runShell := Attach(e, viaGo), Attach(e, viaShell)
				for j, prior := range steps[:i] {
					_ = prior.Do(runGo)
					_ = prior.Do(runShell)
					if j == len(e.Break)-1 { // as the catalogue runs: the probe before the fix
						for _, l := range []*sim.Lab{viaGo, viaShell} {
							if p := e.Probe; p.From != "" {
								if _, err := l.Send(p.From, p.To, p.Subject); err != nil {
									t.Fatal(err)
								}
							}
							l.Advance(e.Wait)
						}
					}
				}
				if _, subject, ok := strings.Cut(line, `root.cer -CertStoreLocation Cert:\LocalMachine\Root }   # `); ok {
					// The catalogue's root.cer is the root its comment names.
					a, err := viaShell.PKI.Authority(strings.Trim(subject, `"`))
					if err != nil {
						t.Fatal(err)
					}
					line = strings.Replace(line, `root.cer`, pki.Thumbprint(a.Cert)+".cer", 1)
				}
				goErr := s.Do(runGo)
				_, shellErr := viaShell.Shell(context.Background(), line)
				if errText(goErr) != errText(shellErr) {
					t.Errorf("%s:\n Go: %v\n shell: %v", line, goErr, shellErr)
				}
				if diff := cmp.Diff(snapshot(t, viaGo), snapshot(t, viaShell)); diff != "" {
					t.Errorf("%s: the shell's effect differs from the step's (-Go +shell):\n%s", line, diff)
				}
			})
		}
	}
	t.Logf("%d catalogue command lines ran through the shell", ran)
	if ran < 24 {
		t.Errorf("only %d catalogue command lines ran through the shell", ran)
	}
}

// commandOf is the command a line runs: the one inside Invoke-Command's
// braces, or the line.
func commandOf(line string) string {
	if strings.HasPrefix(line, "Invoke-Command") {
		open, end := strings.Index(line, "{"), strings.LastIndex(line, "}")
		if open >= 0 && end > open {
			return line[open+1 : end]
		}
	}
	return line
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func startEntryLab(t testing.TB, e Entry) *sim.Lab {
	t.Helper()
	l, err := sim.New(PrepareConfig(e, sim.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}
