package sim

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLabFileSteps: no Steps list, however broken, panics the loader or
// the lab's start; every error names the file; every step the loader
// accepts is a command line or an advance the runner takes.
func FuzzLabFileSteps(f *testing.F) {
	f.Add("Base: default\nSteps:\n  - Set-ReceiveConnector \"EX01\\Default Frontend EX01\" -TlsCertificateName $null\n  - Advance: 7d\n")
	f.Add("Base: default\nSteps:\n  - Advance: 1d12h\n  - Advance: 7.00:00:00\n  - Start-Sleep -Seconds 60\n")
	f.Add("Base: default\nSteps:\n  - Enable-ExchangeCertificate -Server EX01 -Thumbprint:hybrid -Services SMTP\n  - Invoke-Command -ComputerName EX01 { Restart-Service MSExchangeTransport }\n")
	f.Add("Base: default\nSteps:\n  - {Advance: &a 15m}\n  - Advance: *a\n  - Advance: 0s\n  - [x]\n  -\n")
	f.Add("Steps: Get-Date, Get-Date\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := Parse("fuzz.yaml", []byte(src))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != "fuzz.yaml" {
				t.Errorf("Parse(%q) = %v: not an error naming the file", src, err)
			}
			return
		}
		for i, s := range cfg.Steps {
			if (s.Command == "") == (s.Advance == 0) || s.Advance < 0 || s.Advance > maxAdvance {
				t.Errorf("Parse(%q): Steps[%d] = %+v: neither a command line nor an advance the runner takes", src, i, s)
			}
		}
		if len(cfg.Steps) > 8 || len(cfg.OnPrem.Servers)+len(cfg.Internet)+len(cfg.EXO.Tenants)+len(cfg.Senders)+len(cfg.Certificates) > 12 {
			return // a lab of that size is not what this target is after
		}
		l, err := New(cfg)
		if err != nil {
			var fe *FileError
			if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "Steps") && (fe.File != "fuzz.yaml" || fe.Line == 0) {
				t.Errorf("New(%q) = %v: a step's error that names neither the file nor the line", src, err)
			}
			return
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}
