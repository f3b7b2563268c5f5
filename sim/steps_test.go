package sim

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// startLabFile parses and starts a lab file for a test.
func startLabFile(t testing.TB, src string) *Lab {
	t.Helper()
	cfg, err := Parse("lab.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// stepsWhereabouts sends one message and says where each recipient's copy is.
func stepsWhereabouts(t testing.TB, l *Lab, from, to string) []string {
	t.Helper()
	if _, err := l.Send(from, []string{to}, "steps"); err != nil {
		t.Fatal(err)
	}
	where, err := l.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range where {
		got = append(got, w.Recipient+" "+w.Place+" via "+joinPath(w.Path))
	}
	return got
}

// TestLabFileStepsBreakTheLab: a Set-ReceiveConnector step naming a
// certificate EX01 does not hold breaks inbound mail as F01 does; without
// the step (the negative control) the same message is delivered.
func TestLabFileStepsBreakTheLab(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{name: "Unbroken", src: "Base: default\n",
			want: []string{"bob@contoso.com mailbox via Exchange Online > EX01"}},
		{name: "OldCertificateNamed", src: "Base: default\nSteps:\n  - Set-ReceiveConnector \"EX01\\Default Frontend EX01\" -TlsCertificateName \"<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\"\n",
			want: []string{"bob@contoso.com queue via Exchange Online"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := startLabFile(t, tc.src)
			if diff := cmp.Diff(tc.want, stepsWhereabouts(t, l, "alice@contoso.com", "bob@contoso.com")); diff != "" {
				t.Errorf("where the mail is (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLabFileStepsAdvance: Advance steps move the lab clock, in each
// form, in order with the command lines.
func TestLabFileStepsAdvance(t *testing.T) {
	l := startLabFile(t, "Base: default\nSteps:\n  - Advance: 7d\n  - Advance: 1d12h\n  - advance: 15m\n  - Advance: 2.00:00:30\n")
	if got, want := l.Now(), time.Date(2026, 1, 15, 21, 15, 30, 0, time.UTC); !got.Equal(want) {
		t.Errorf("clock after the steps = %s, want %s", got, want)
	}
	var steps []Step
	for _, s := range l.Config().Steps {
		steps = append(steps, Step{Command: s.Command, Advance: s.Advance})
	}
	want := []Step{{Advance: 7 * 24 * time.Hour}, {Advance: 36 * time.Hour}, {Advance: 15 * time.Minute}, {Advance: 48*time.Hour + 30*time.Second}}
	if diff := cmp.Diff(want, steps, cmp.AllowUnexported(Step{}, position{})); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

// TestREADMELabFileSteps: the README's certificate renewal loads and runs:
// the renewed certificate is enabled for SMTP, the old one is gone, a
// week has passed, and mail still flows both ways.
func TestREADMELabFileSteps(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "- **`Steps:`**")
	if !ok {
		t.Fatal("README's \"Writing a lab file\" has no Steps: item")
	}
	_, rest, _ = strings.Cut(rest, "  ```yaml\n")
	block, _, _ := strings.Cut(rest, "  ```")
	file := strings.ReplaceAll("\n"+block, "\n  ", "\n")
	l := startLabFile(t, file)
	if got, want := l.Now(), time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("clock = %s, want %s", got, want)
	}
	certs, err := l.OnPrem.GetExchangeCertificate("EX01", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range certs {
		name := c.Certificate.Thumbprint()
		for n, lc := range l.Certificates {
			if lc.Thumbprint() == name {
				name = n
			}
		}
		if !strings.HasPrefix(c.Certificate.Subject(), "CN=mail.contoso.com") {
			continue // Exchange setup's self-signed certificate
		}
		got = append(got, name+" "+c.Services.String())
	}
	if diff := cmp.Diff([]string{"renewed SMTP"}, got); diff != "" {
		t.Errorf("EX01's mail.contoso.com certificates (-want +got):\n%s", diff)
	}
	want := []string{"bob@contoso.com mailbox via Exchange Online > EX01"}
	if diff := cmp.Diff(want, stepsWhereabouts(t, l, "alice@contoso.com", "bob@contoso.com")); diff != "" {
		t.Errorf("where the mail is (-want +got):\n%s", diff)
	}
}

// TestLabFileStepsErrors: each error path names the file, the step's own
// line and index, and says what to do; a line the shell cannot parse or
// an item of neither form is refused when the file loads, a step that
// fails when the lab starts.
func TestLabFileStepsErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{name: "Unparsable", src: "Base: default\nSteps:\n  - Advance: 1h\n  - Set-ReceiveConnector -Identity (Get-ReceiveConnector)\n",
			want: `lab.yaml:4: Steps[1]: position 32: subexpressions (...) are not run by this shell: give the value itself; write one command line as Exchange Management Shell takes it, e.g. Set-ReceiveConnector "EX01\Default Frontend EX01" -RequireTLS $true`},
		{name: "UnknownCmdlet", src: "Base: default\nSteps:\n  - Advance: 1h\n  - Advance: 2h\n  - Get-Date\n  - Get-ExchangeCertifcate -Server EX01\n",
			want: `lab.yaml:6: Steps[3]: Get-ExchangeCertifcate: The term 'Get-ExchangeCertifcate' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again. This lab's cmdlets: {cmdlets}; correct this step (it runs on the lab as the steps before it left it)`},
		{name: "CmdletRefuses", src: "Base: default\nSteps:\n  - Remove-ExchangeCertificate -Server EX01 -Thumbprint nosuch\n",
			want: `lab.yaml:3: Steps[0]: Remove-ExchangeCertificate: server "EX01": no certificate with thumbprint "nosuch" in LocalMachine\My; Get-ExchangeCertificate lists them; correct this step (it runs on the lab as the steps before it left it)`},
		{name: "BadDuration", src: "Base: default\nSteps:\n  - Advance: a week\n",
			want: `lab.yaml:3: Steps[0].Advance: want a duration such as 15m, 7d or PowerShell's 7.00:00:00, from more than 0 up to 400 days, got "a week"`},
		{name: "NegativeDuration", src: "Base: default\nSteps:\n  - Advance: -1h\n",
			want: `lab.yaml:3: Steps[0].Advance: want a duration such as 15m, 7d or PowerShell's 7.00:00:00, from more than 0 up to 400 days, got "-1h"`},
		{name: "TooLong", src: "Base: default\nSteps:\n  - Advance: 401d\n",
			want: `lab.yaml:3: Steps[0].Advance: want a duration such as 15m, 7d or PowerShell's 7.00:00:00, from more than 0 up to 400 days, got "401d"`},
		{name: "NeitherForm", src: "Base: default\nSteps:\n  - Sleep: 1h\n",
			want: `lab.yaml:3: Steps[0]: want a command line (Set-ReceiveConnector ...) or a clock advance (Advance: 7d), got a mapping with Sleep`},
		{name: "ListItem", src: "Base: default\nSteps:\n  - [Get-Date]\n",
			want: `lab.yaml:3: Steps[0]: want a command line (Set-ReceiveConnector ...) or a clock advance (Advance: 7d), got a list`},
		{name: "EmptyItem", src: "Base: default\nSteps:\n  -\n",
			want: `lab.yaml:3: Steps[0]: want a command line (Set-ReceiveConnector ...) or a clock advance (Advance: 7d), got nothing`},
		{name: "NotAList", src: "Base: default\nSteps: {Advance: 1h}\n",
			want: `lab.yaml:2: Steps: want a list, got a mapping`},
	}
	// The cmdlets the shell lists grow with the fakes: the default lab's.
	cmdlets := strings.Join(newDefaultLab(t).shellCmdlets(), ", ")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.ReplaceAll(tc.want, "{cmdlets}", cmdlets)
			cfg, err := Parse("lab.yaml", []byte(tc.src))
			if err == nil {
				var l *Lab
				l, err = New(cfg)
				if err == nil {
					l.Close()
				}
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != want {
				t.Errorf("error:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestStepsFromGo: steps added to a Config in Go run too, a certificate's
// Name standing for its thumbprint in -Thumbprint:value and inside
// Invoke-Command; an empty step is refused, naming its index.
func TestStepsFromGo(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Steps = []Step{
		{Command: "Invoke-Command -ComputerName EX01 { Enable-ExchangeCertificate -Thumbprint:hybrid -Services SMTP }"},
		{Command: "Remove-ExchangeCertificate -Server EX01 -Thumbprint hybrid"},
		{Advance: time.Hour},
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if got, want := l.Now(), time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("clock = %s, want %s", got, want)
	}
	certs, err := l.OnPrem.GetExchangeCertificate("EX01", l.Certificates["hybrid"].Thumbprint())
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 0 {
		t.Errorf("EX01 still holds hybrid after Remove-ExchangeCertificate -Thumbprint hybrid: %+v", certs)
	}

	cfg = DefaultConfig()
	cfg.Steps = []Step{{Advance: time.Minute}, {}}
	_, err = New(cfg)
	want := "lab: Steps[1]: a step needs a Command, or an Advance from more than 0 up to 400 days (got 0s)"
	if err == nil || err.Error() != want {
		t.Errorf("New(an empty step) = %v, want %s", err, want)
	}
}
