package psh

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommandLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		want Command
	}{
		{name: "Positional identity and switch", line: `Remove-ExchangeCertificate 1234ABCD -Confirm:$false -Force`,
			want: Command{Name: "Remove-ExchangeCertificate", Args: []Arg{{Value: "1234ABCD", Pos: 28}, {Parameter: "Confirm", Value: false, Colon: true, Pos: 37}, {Parameter: "Force", Pos: 53}}}},
		{name: "SingleQuotesDoubledQuote", line: `Set-ReceiveConnector 'O''Brien\Default' -Fqdn mail.contoso.com`,
			want: Command{Name: "Set-ReceiveConnector", Args: []Arg{{Value: `O'Brien\Default`, Pos: 22}, {Parameter: "Fqdn", Pos: 41}, {Value: "mail.contoso.com", Pos: 47}}}},
		{name: "DoubleQuotesEscapes", line: "Get-SendConnector \"a `\"b`\" \"\"c\"\" $ d\"",
			want: Command{Name: "Get-SendConnector", Args: []Arg{{Value: `a "b" "c" $ d`, Pos: 19}}}},
		{name: "Constants", line: `Set-X -A $null -B $TRUE -C $False -D 42 -E -7`,
			want: Command{Name: "Set-X", Args: []Arg{{Parameter: "A", Pos: 7}, {Value: nil, Pos: 10}, {Parameter: "B", Pos: 16}, {Value: true, Pos: 19}, {Parameter: "C", Pos: 25}, {Value: false, Pos: 28}, {Parameter: "D", Pos: 35}, {Value: int64(42), Pos: 38}, {Parameter: "E", Pos: 41}, {Value: int64(-7), Pos: 44}}}},
		{name: "CommaList", line: `Set-ReceiveConnector X -AuthMechanism Tls, Integrated,'BasicAuth'`,
			want: Command{Name: "Set-ReceiveConnector", Args: []Arg{{Value: "X", Pos: 22}, {Parameter: "AuthMechanism", Pos: 24}, {Value: []Value{"Tls", "Integrated", "BasicAuth"}, Pos: 39}}}},
		{name: "FormatListBraces", line: `Set-SendConnector X -AddressSpaces {SMTP:*;1, SMTP:contoso.com;1}`,
			want: Command{Name: "Set-SendConnector", Args: []Arg{{Value: "X", Pos: 19}, {Parameter: "AddressSpaces", Pos: 21}, {Value: []Value{"SMTP:*;1", "SMTP:contoso.com;1"}, Pos: 36}}}},
		{name: "ArrayExpression", line: `Set-InboundConnector X -SenderDomains @("a.com", 'b.com')`,
			want: Command{Name: "Set-InboundConnector", Args: []Arg{{Value: "X", Pos: 22}, {Parameter: "SenderDomains", Pos: 24}, {Value: []Value{"a.com", "b.com"}, Pos: 39}}}},
		{name: "EmptyArray", line: `Set-X -L @()`,
			want: Command{Name: "Set-X", Args: []Arg{{Parameter: "L", Pos: 7}, {Value: []Value{}, Pos: 10}}}},
		{name: "ColonList", line: `Set-X -L:a,b # a comment`,
			want: Command{Name: "Set-X", Args: []Arg{{Parameter: "L", Value: []Value{"a", "b"}, Colon: true, Pos: 7}}}},
		{name: "ColonThenSpace", line: `Remove-Item x -Confirm: $false`,
			want: Command{Name: "Remove-Item", Args: []Arg{{Value: "x", Pos: 13}, {Parameter: "Confirm", Value: false, Colon: true, Pos: 15}}}},
		{name: "BacktickInBareWord", line: "Get-X a` b",
			want: Command{Name: "Get-X", Args: []Arg{{Value: "a b", Pos: 7}}}},
		{name: "CertificatePath", line: `Remove-Item Cert:\LocalMachine\Root\ABC -Server EX01`,
			want: Command{Name: "Remove-Item", Args: []Arg{{Value: `Cert:\LocalMachine\Root\ABC`, Pos: 13}, {Parameter: "Server", Pos: 41}, {Value: "EX01", Pos: 49}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCommandLine(tt.line)
			if err != nil {
				t.Fatalf("ParseCommandLine(%q) = %v", tt.line, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseCommandLine(%q) -want +got:\n%s", tt.line, diff)
			}
		})
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{name: "Empty", line: "  ", want: "psh: empty command line: give a cmdlet and its parameters, e.g. Get-ExchangeCertificate -Server EX01"},
		{name: "NotACmdlet", line: "dir", want: `psh: position 1: "dir" is not a cmdlet name: a command line starts with Verb-Noun, e.g. Get-ExchangeCertificate`},
		{name: "Variable", line: "Remove-ExchangeCertificate -Thumbprint $cert.Thumbprint", want: "psh: position 40: $cert.Thumbprint: this shell expands no variables (only $null, $true and $false); write the value itself"},
		{name: "VariableInDoubleQuotes", line: `Set-SendConnector X -TlsCertificateName "<I>$($c.Issuer)"`, want: "psh: position 45: $(... in a double-quoted string: this shell expands no variables or subexpressions; write the value itself, or use single quotes for a literal $"},
		{name: "UnclosedSingle", line: "Get-X 'abc", want: "psh: position 7: the string is missing its closing quote '"},
		{name: "UnclosedDouble", line: `Get-X "abc`, want: `psh: position 7: the string is missing its closing quote "`},
		{name: "UnclosedBrace", line: "Get-X {a, b", want: `psh: position 7: '{' is not closed: add '}'`},
		{name: "Pipeline", line: "Get-Queue | Retry-Queue", want: "psh: position 11: pipelines are not run by this shell: run one cmdlet per command line"},
		{name: "Statements", line: "Get-Queue; Get-Queue", want: "psh: position 10: one command per line: this shell runs a single cmdlet"},
		{name: "Subexpression", line: "Import-ExchangeCertificate -FileData ([IO.File]::ReadAllBytes('x'))", want: "psh: position 38: subexpressions (...) are not run by this shell: give the value itself"},
		{name: "MissingListElement", line: "Set-X -L a,", want: "psh: position 12: missing value at the end of the line"},
		{name: "HashTable", line: "Set-X -L @{a=1}", want: `psh: position 10: '@': only @(...) arrays are understood; hash tables @{...} are not`},
		{name: "Redirection", line: "Get-X > out.txt", want: `psh: position 7: '>' is an operator in PowerShell: quote the value ('>...')`},
		{name: "TrailingBacktick", line: "Get-X a`", want: "psh: position 8: the escape ` ends the line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCommandLine(tt.line)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseCommandLine(%q) = %v, want %s", tt.line, err, tt.want)
			}
		})
	}
}

func TestBind(t *testing.T) {
	params := []Parameter{{Name: "Identity", Positional: true}, {Name: "Server"}, {Name: "Services"}, {Name: "Force", Switch: true}, {Name: "Confirm", Switch: true}}
	cmd, err := ParseCommandLine(`Enable-ExchangeCertificate ABC -serve EX01 -Services SMTP,IIS -Force -Confirm:$false`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Bind(cmd, params)
	if err != nil {
		t.Fatal(err)
	}
	want := Bound{"Identity": "ABC", "Server": "EX01", "Services": []Value{"SMTP", "IIS"}, "Force": true, "Confirm": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Bind -want +got:\n%s", diff)
	}
	errs := []struct{ name, line, want string }{
		{name: "Unknown", line: "Get-X -Foo 1", want: "psh: Get-X: A parameter cannot be found that matches parameter name 'Foo'. Get-X takes -Identity, -Server, -Services, -Force, -Confirm."},
		{name: "Ambiguous", line: "Get-X -S 1", want: "psh: Get-X: Parameter cannot be processed because the parameter name 'S' is ambiguous. Possible matches include: -Server -Services. Get-X takes -Identity, -Server, -Services, -Force, -Confirm."},
		{name: "MissingArgument", line: "Get-X -Server", want: "psh: Get-X: Missing an argument for parameter 'Server'. Specify a parameter of type 'System.String' and try again. Get-X takes -Identity, -Server, -Services, -Force, -Confirm."},
		{name: "SecondPositional", line: "Get-X a b", want: "psh: Get-X: A positional parameter cannot be found that accepts argument 'b'. Get-X takes -Identity, -Server, -Services, -Force, -Confirm."},
		{name: "Twice", line: "Get-X -Server a -Server b", want: "psh: Get-X: Cannot bind parameter because parameter 'Server' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\". Get-X takes -Identity, -Server, -Services, -Force, -Confirm."},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			cmd, err := ParseCommandLine(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Bind(cmd, params); err == nil || err.Error() != tt.want {
				t.Errorf("Bind(%q) = %v, want %s", tt.line, err, tt.want)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	type settings struct {
		Name        string
		RequireTLS  bool
		Port        int
		SmartHosts  []string
		RetryPeriod time.Duration
	}
	var s settings
	b := Bound{"requiretls": true, "Port": int64(587), "SmartHosts": []Value{"a", "b"}, "RetryPeriod": "1.02:03:04"}
	if err := Assign(&s, b); err != nil {
		t.Fatal(err)
	}
	want := settings{RequireTLS: true, Port: 587, SmartHosts: []string{"a", "b"}, RetryPeriod: 26*time.Hour + 3*time.Minute + 4*time.Second}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Assign -want +got:\n%s", diff)
	}
	if err := Assign(&s, Bound{"SmartHosts": nil, "Port": nil}); err != nil || s.SmartHosts != nil || s.Port != 0 {
		t.Errorf("Assign($null) = %v, %+v, want the fields cleared", err, s)
	}
	if err := Assign(&s, Bound{"Port": "many"}); err == nil || err.Error() != `psh: -Port: takes a whole number, not "many"` {
		t.Errorf("Assign(Port many) = %v", err)
	}
}

func TestTimeSpan(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		d          time.Duration
	}{
		{name: "Minutes", text: "00:15:00", d: 15 * time.Minute},
		{name: "Days", text: "2.00:00:00", d: 48 * time.Hour},
		{name: "Mixed", text: "1.02:03:04", d: 26*time.Hour + 3*time.Minute + 4*time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := ParseTimeSpan(tt.text); err != nil || got != tt.d {
				t.Errorf("ParseTimeSpan(%q) = %v, %v, want %v", tt.text, got, err, tt.d)
			}
			if got := FormatTimeSpan(tt.d); got != tt.text {
				t.Errorf("FormatTimeSpan(%v) = %q, want %q", tt.d, got, tt.text)
			}
		})
	}
	if _, err := ParseTimeSpan("soon"); err == nil || err.Error() != `"soon" is not a TimeSpan: write d.hh:mm:ss, hh:mm:ss or 15m` {
		t.Errorf("ParseTimeSpan(soon) = %v", err)
	}
}

func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{
		`Set-ReceiveConnector "EX01\Default Frontend EX01" -TlsCertificateName '<I>CN=CA<S>CN=mail' -RequireTLS:$true`,
		"Get-X @(1, 'a''b', \"c`\"d\") {x, y} -L:a,b # c",
		`Remove-Item Cert:\LocalMachine\CA\ABC -Confirm:$false $x "$(y)" | z; w`,
	} {
		f.Add(s)
	}
	params := []Parameter{{Name: "Identity", Positional: true}, {Name: "Server"}, {Name: "Force", Switch: true}}
	f.Fuzz(func(t *testing.T, line string) {
		cmd, err := ParseCommandLine(line)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if !isCmdletName(cmd.Name) {
			t.Fatalf("ParseCommandLine(%q) name %q", line, cmd.Name)
		}
		b, err := Bind(cmd, params)
		if err == nil {
			_, _ = b.String("Server")
			_, _ = b.Strings("Identity")
			_, _ = b.Bool("Force")
		}
	})
}
