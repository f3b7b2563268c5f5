package pki

import (
	"testing"
	"time"
)

// TestEXOCertificateAtG2: Exchange Online's certificate chains to DigiCert
// Global Root G2 from EXOG2Since, whether the lab's clock reaches the date
// or starts on or after it; a lab that starts before it makes nothing of
// G2 until then.
func TestEXOCertificateAtG2(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
	}{
		{name: "ReachesTheDate", start: DefaultTime},
		{name: "StartsOnTheDate", start: EXOG2Since},
		{name: "StartsAfterTheDate", start: EXOG2Since.AddDate(0, 6, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(Options{At: tt.start, Domains: DefaultDomains()})
			if err != nil {
				t.Fatal(err)
			}
			wantRoots := 0
			if !tt.start.Before(EXOG2Since) {
				wantRoots = 1 // made when New returns
			}
			if got := len(p.AutoUpdateRoots()); got != wantRoots {
				t.Errorf("AutoUpdateRoots() after New = %d roots, want %d", got, wantRoots)
			}
			if tt.start.Before(EXOG2Since) {
				before, err := p.EXOCertificateAt(EXOG2Since.Add(-time.Second))
				if err != nil || before != p.EXOCertificate() {
					t.Errorf("EXOCertificateAt(before the date) = %v, %v; want EXOCertificate()", before, err)
				}
			}
			at := tt.start
			if at.Before(EXOG2Since) {
				at = EXOG2Since
			}
			c, err := p.EXOCertificateAt(at)
			if err != nil {
				t.Fatal(err)
			}
			if c.Issuer() != G2IssuingCA || SubjectName(c.Root) != DigiCertGlobalRootG2 {
				t.Errorf("EXOCertificateAt(%s) issued by %q under %q; want %q under %q", at, c.Issuer(), SubjectName(c.Root), G2IssuingCA, DigiCertGlobalRootG2)
			}
			if c.Subject() != p.EXOCertificate().Subject() {
				t.Errorf("G2 certificate's subject %q, want EXOCertificate's %q", c.Subject(), p.EXOCertificate().Subject())
			}
			if got := len(p.AutoUpdateRoots()); got != 1 {
				t.Errorf("AutoUpdateRoots() = %d roots, want DigiCert Global Root G2", got)
			}
		})
	}
}
