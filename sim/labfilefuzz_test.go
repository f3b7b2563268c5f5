package sim

import (
	"errors"
	"testing"
)

// FuzzLabFileStart: no lab file, however broken, panics the loader or the
// lab's start; every error it gives names the file; a lab that starts
// closes. The seeds cover the constructs of issue 12: Remove, duplicates,
// names for thumbprints, several servers behind one name, Senders.
func FuzzLabFileStart(f *testing.F) {
	f.Add("Base: default\nOnPrem:\n  Servers:\n    - Name: EDGE01\n      Remove: $true\n  EdgeSubscriptions: []\n")
	f.Add("Certificates:\n  - Name: a\n  - Name: A\n")
	f.Add("Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      TransportService:\n        InternalTransportCertificateThumbprint: hybrid\n")
	f.Add(twoFrontEnds)
	f.Add("Base: default\nSenders:\n  - Name: app01.contoso.com\n    IPAddresses: [203.0.113.77]\n    MailFrom: scanner@contoso.com\n    Certificate: hybrid\n")
	f.Add("Clock: 2026-01-05T09:00:00Z\nOnPrem:\n  Name: \x00\x01\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := Parse("fuzz.yaml", []byte(src))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != "fuzz.yaml" {
				t.Errorf("Parse(%q) = %v: not an error naming the file", src, err)
			}
			return
		}
		if len(cfg.OnPrem.Servers)+len(cfg.Internet)+len(cfg.EXO.Tenants)+len(cfg.Senders)+len(cfg.Certificates) > 12 {
			return // a lab of that size is not what this target is after
		}
		l, err := New(cfg)
		if err != nil {
			return
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}
