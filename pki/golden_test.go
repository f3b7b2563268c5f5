package pki_test

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

var update = flag.Bool("update", false, "rewrite testdata/catalogue.golden from this run; please verify the diff carefully before committing: thumbprints must only change when the change means to")

const goldenFile = "testdata/catalogue.golden"

// TestCatalogueGolden proves that thumbprints, serial numbers, rendered
// names, CRLs and PFX files are byte-identical across runs and machines.
func TestCatalogueGolden(t *testing.T) {
	got := renderCatalogue(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s; verify the diff carefully", goldenFile)
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run go test ./pki -run TestCatalogueGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from this run (-want +got):\n%s\nIf the change is intended, run go test ./pki -run TestCatalogueGolden -update and review the diff.", goldenFile, lineDiff(string(want), got))
	}
}

func renderCatalogue(t testing.TB) string {
	t.Helper()
	p := newPKI(t)
	certs, err := p.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# The catalogue of pki.New(pki.Options{At: %s}), default domains.\n", pki.DefaultTime.Format(time.RFC3339))
	fmt.Fprintf(&b, "# Rewrite: go test ./pki -run TestCatalogueGolden -update (then review the diff).\n")
	for _, a := range p.Authorities() {
		crl, err := p.CRL(a)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "\nauthority %s\n", a.Name)
		fmt.Fprintf(&b, "  Issuer       : %s\n", pki.IssuerName(a.Cert))
		fmt.Fprintf(&b, "  SerialNumber : %X\n", a.Cert.SerialNumber)
		fmt.Fprintf(&b, "  Thumbprint   : %s\n", pki.Thumbprint(a.Cert))
		fmt.Fprintf(&b, "  NotBefore    : %s\n", a.Cert.NotBefore.Format(time.RFC3339))
		fmt.Fprintf(&b, "  NotAfter     : %s\n", a.Cert.NotAfter.Format(time.RFC3339))
		if len(a.Cert.PermittedDNSDomains) > 0 {
			fmt.Fprintf(&b, "  Permitted    : %s\n", strings.Join(a.Cert.PermittedDNSDomains, ", "))
		}
		fmt.Fprintf(&b, "  CRL SHA-256  : %X\n", sha256.Sum256(crl))
	}
	for _, c := range append(certs, p.EXOCertificate()) {
		name := string(c.Profile)
		if name == "" {
			name = "exchange-online"
		}
		fmt.Fprintf(&b, "\ncertificate %s\n", name)
		fmt.Fprintf(&b, "  Subject            : %s\n", c.Subject())
		fmt.Fprintf(&b, "  Issuer             : %s\n", c.Issuer())
		fmt.Fprintf(&b, "  SerialNumber       : %s\n", c.SerialNumber())
		fmt.Fprintf(&b, "  Thumbprint         : %s\n", c.Thumbprint())
		fmt.Fprintf(&b, "  NotBefore          : %s\n", c.NotBefore().Format(time.RFC3339))
		fmt.Fprintf(&b, "  NotAfter           : %s\n", c.NotAfter().Format(time.RFC3339))
		fmt.Fprintf(&b, "  CertificateDomains : %s\n", strings.Join(c.CertificateDomains(), ", "))
		fmt.Fprintf(&b, "  TlsCertificateName : %s\n", c.TlsCertificateName())
		if c.Exportable {
			pfx, err := c.PFX(pki.DefaultPFXPassword, pki.TripleDESSHA1)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  PFX SHA-256        : %X\n", sha256.Sum256(pfx))
		}
	}
	return b.String()
}

// lineDiff shows the lines of want and got that differ (-want +got), with a
// longest-common-subsequence alignment.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&out, "+%s\n", b[j])
			j++
		default:
			fmt.Fprintf(&out, "-%s\n", a[i])
			i++
		}
	}
	return out.String()
}
