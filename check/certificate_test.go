package check

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// TestLifetimeEdges puts a certificate that expires at Health Checker's
// edges into EX01's store and reads its colour: 60 days green, 59 yellow,
// 30 yellow, 29 red.
func TestLifetimeEdges(t *testing.T) {
	at := pki.DefaultTime
	for _, tc := range []struct {
		name     string
		notAfter time.Time
		want     Colour
	}{
		{name: "SixtyDays", notAfter: at.Add(60 * 24 * time.Hour), want: Green},
		{name: "FiftyNineDays", notAfter: at.Add(60*24*time.Hour - time.Second), want: Yellow},
		{name: "ThirtyDays", notAfter: at.Add(30 * 24 * time.Hour), want: Yellow},
		{name: "TwentyNineDays", notAfter: at.Add(30*24*time.Hour - time.Second), want: Red},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sim.DefaultConfig()
			cfg.Certificates = append(cfg.Certificates, sim.Certificate{Name: "edge-of-lifetime", Profile: "trusted",
				Subject: "CN=legacy.contoso.com", CertificateDomains: []string{"legacy.contoso.com"},
				NotBefore: at.AddDate(0, -6, 0), NotAfter: tc.notAfter})
			var iis fakeonprem.Services
			if err := iis.UnmarshalText([]byte("IIS")); err != nil {
				t.Fatal(err)
			}
			cfg.OnPrem.Servers[0].Certificates = append(cfg.OnPrem.Servers[0].Certificates, sim.StoreEntry{Certificate: "edge-of-lifetime", Services: iis})
			lab := startLab(t, cfg)
			findings, err := Inspect(lab)
			if err != nil {
				t.Fatal(err)
			}
			c := lab.Certificates["edge-of-lifetime"]
			obj := "EX01 certificate " + c.Thumbprint() + " (" + c.Subject() + ")"
			if got := colourOf(t, findings, "CertificateCheck", obj, "lifetime in days"); got != tc.want {
				t.Errorf("lifetime colour of a certificate expiring %s = %s, want %s", tc.notAfter, got, tc.want)
			}
		})
	}
}

// TestKeySizeAndHash judges certificates with 2047- and 2048-bit keys and
// SHA-1 and SHA-256 signatures. The lab's PKI issues 2048-bit keys only, so
// these certificates are made here and judged by the same function.
func TestKeySizeAndHash(t *testing.T) {
	at := pki.DefaultTime
	for _, tc := range []struct {
		name           string
		bits           int
		alg            x509.SignatureAlgorithm
		wantKey, wantH Colour
	}{
		{name: "Key2047", bits: 2047, alg: x509.SHA256WithRSA, wantKey: Red, wantH: Green},
		{name: "Key2048", bits: 2048, alg: x509.SHA256WithRSA, wantKey: Green, wantH: Green},
		{name: "SHA1", bits: 2048, alg: x509.SHA1WithRSA, wantKey: Green, wantH: Yellow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := selfSigned(t, tc.bits, tc.alg, at)
			got := map[string]Colour{}
			for _, f := range certificateFindings("EX01", c, at, nil) {
				got[f.Test] = f.Colour
			}
			if got["key size"] != tc.wantKey || got["signature hash"] != tc.wantH {
				t.Errorf("key size %s, signature hash %s; want %s, %s", got["key size"], got["signature hash"], tc.wantKey, tc.wantH)
			}
		})
	}
}

// TestTlsCertificateNameExpiryEdges: CloudConnectorCheck's "expires within
// the next 60 days" on the hybrid certificate the connectors name.
func TestTlsCertificateNameExpiryEdges(t *testing.T) {
	at := pki.DefaultTime
	for _, tc := range []struct {
		name     string
		notAfter time.Time
		want     Colour
	}{
		{name: "SixtyDays", notAfter: at.Add(60 * 24 * time.Hour), want: Green},
		{name: "FiftyNineDays", notAfter: at.Add(60*24*time.Hour - time.Second), want: Yellow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sim.DefaultConfig()
			cfg.Certificates[0].NotBefore, cfg.Certificates[0].NotAfter = at.AddDate(0, -6, 0), tc.notAfter
			f := inspect(t, cfg)
			for _, obj := range []string{frontend, hcwSend} {
				if got := colourOf(t, f, "CloudConnectorCheck", obj, "certificate expires within 60 days"); got != tc.want {
					t.Errorf("%s: hybrid certificate expiring %s = %s, want %s", obj, tc.notAfter, got, tc.want)
				}
			}
		})
	}
}
