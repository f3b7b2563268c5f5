package pki_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// writtenCatalogue is the part of index.json the openssl tests read.
type writtenCatalogue struct {
	dir   string
	Trust struct {
		ExchangeOnline, OnPremises, OnPremisesIntermediates string
	}
	CRLs         string
	Certificates []struct {
		Profile pki.Profile
		Files   struct{ Certificate, Chain, Presented, Key, PFX string }
	}
	ExchangeOnline struct {
		Files struct{ Certificate, Chain, Presented string }
	}
}

// writeCatalogue writes the default catalogue into a temporary directory
// and reads its index.json.
func writeCatalogue(t testing.TB) *writtenCatalogue {
	t.Helper()
	dir := t.TempDir()
	if _, err := newPKI(t).WriteCatalogue(dir, pki.DefaultPFXPassword); err != nil {
		t.Fatalf("WriteCatalogue: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	w := &writtenCatalogue{dir: dir}
	if err := json.Unmarshal(data, w); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	return w
}

func (w *writtenCatalogue) path(name string) string {
	return filepath.Join(w.dir, filepath.FromSlash(name))
}

// opensslRun runs openssl and returns its combined output and exit code.
func opensslRun(t testing.TB, args ...string) (string, int) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed; install it (Debian: apt-get install openssl, as .ci/run does) to run the openssl agreement tests")
	}
	out, err := exec.Command("openssl", args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	return string(out), 0
}

var opensslReason = regexp.MustCompile(`^error \d+ at \d+ depth lookup: `)

// TestOpenSSLVerifyAgrees runs `openssl verify` as EXO and as on-prem would
// verify each profile's presented chain, with CRL checking, at
// pki.DefaultTime, and compares openssl's reasons line by line.
func TestOpenSSLVerifyAgrees(t *testing.T) {
	const (
		noIssuer    = "error 20 at 0 depth lookup: unable to get local issuer certificate"
		expired     = "error 10 at 0 depth lookup: certificate has expired"
		notYetValid = "error 9 at 0 depth lookup: certificate is not yet valid"
		revoked     = "error 23 at 0 depth lookup: certificate revoked"
		caExpired   = "error 10 at 1 depth lookup: certificate has expired"
		selfSigned  = "error 18 at 0 depth lookup: self-signed certificate"
		// openssl carries on after error 18, then finds no CRL for a
		// self-signed leaf (-crl_check).
		noCRL = "error 3 at 0 depth lookup: unable to get certificate CRL"
	)
	tests := []struct {
		name        string
		profile     pki.Profile
		exo, onPrem []string // openssl's reasons; none when it verifies
	}{
		{name: "Trusted", profile: pki.Trusted},
		{name: "Wildcard", profile: pki.Wildcard},
		{name: "InternalCA", profile: pki.InternalCA, exo: []string{noIssuer}},
		{name: "UntrustedRoot", profile: pki.UntrustedRoot, exo: []string{noIssuer}, onPrem: []string{noIssuer}},
		{name: "SelfSigned", profile: pki.SelfSigned, exo: []string{selfSigned, noCRL}, onPrem: []string{selfSigned, noCRL}},
		{name: "Expired", profile: pki.Expired, exo: []string{expired}, onPrem: []string{expired}},
		{name: "NotYetValid", profile: pki.NotYetValid, exo: []string{notYetValid}, onPrem: []string{notYetValid}},
		{name: "WrongHost", profile: pki.WrongHost},
		{name: "NoCN", profile: pki.NoCN},
		{name: "Revoked", profile: pki.Revoked, exo: []string{revoked}, onPrem: []string{revoked}},
		{name: "LeafOnly", profile: pki.LeafOnly, exo: []string{noIssuer}},
		{name: "ExpiredIntermediate", profile: pki.ExpiredIntermediate, exo: []string{caExpired}, onPrem: []string{caExpired}},
		{name: "RenewedSameName", profile: pki.RenewedSameName},
		{name: "RenewedNewIssuer", profile: pki.RenewedNewIssuer},
		{name: "NoPrivateKey", profile: pki.NoPrivateKey},
	}
	w := writeCatalogue(t)
	if len(w.Certificates) != len(tests) {
		t.Fatalf("index.json lists %d certificates, the test covers %d", len(w.Certificates), len(tests))
	}
	at := fmt.Sprint(pki.DefaultTime.Unix())
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := w.Certificates[i].Files
			if w.Certificates[i].Profile != tt.profile {
				t.Fatalf("index.json certificate %d is %s, want %s", i, w.Certificates[i].Profile, tt.profile)
			}
			common := []string{"verify", "-attime", at, "-crl_check", "-CRLfile", w.path(w.CRLs), "-untrusted", w.path(files.Presented)}
			for _, side := range []struct {
				name     string
				args     []string
				want     []string
				verifies bool
			}{
				{name: "EXO", args: []string{"-CAfile", w.path(w.Trust.ExchangeOnline)}, want: tt.exo, verifies: tt.profile.VerifiesForEXO()},
				{name: "on-prem", args: []string{"-CAfile", w.path(w.Trust.OnPremises), "-untrusted", w.path(w.Trust.OnPremisesIntermediates)}, want: tt.onPrem, verifies: tt.profile.VerifiesForOnPrem()},
			} {
				out, code := opensslRun(t, slices.Concat(common, side.args, []string{w.path(files.Certificate)})...)
				var reasons []string
				for _, line := range strings.Split(out, "\n") {
					if opensslReason.MatchString(line) {
						reasons = append(reasons, line)
					}
				}
				if !slices.Equal(reasons, side.want) {
					t.Errorf("%s: openssl verify %s: reasons %q, want %q\n%s", side.name, tt.profile, reasons, side.want, out)
				}
				if (code == 0) != side.verifies {
					t.Errorf("%s: openssl verify %s exit code %d, but the profile says verifies=%v\n%s", side.name, tt.profile, code, side.verifies, out)
				}
			}
		})
	}
}

func TestOpenSSLVerifiesEXOCertificate(t *testing.T) {
	w := writeCatalogue(t)
	files := w.ExchangeOnline.Files
	out, code := opensslRun(t, "verify", "-attime", fmt.Sprint(pki.DefaultTime.Unix()), "-crl_check", "-CRLfile", w.path(w.CRLs),
		"-CAfile", w.path(w.Trust.OnPremises), "-untrusted", w.path(files.Presented), "-verify_hostname", "mail.protection.outlook.com", w.path(files.Certificate))
	if want := w.path(files.Certificate) + ": OK\n"; code != 0 || out != want {
		t.Errorf("openssl verify EXO's certificate = %q (exit %d), want %q", out, code, want)
	}
}

func TestOpenSSLCheckHost(t *testing.T) {
	tests := []struct {
		name    string
		profile pki.Profile
		host    string
		match   bool
	}{
		{name: "Trusted", profile: pki.Trusted, host: "mail.contoso.com", match: true},
		{name: "TrustedAutodiscover", profile: pki.Trusted, host: "autodiscover.contoso.com", match: true},
		{name: "WrongHost", profile: pki.WrongHost, host: "mail.contoso.com", match: false},
		{name: "WrongHostOwnName", profile: pki.WrongHost, host: "mail.fabrikam.com", match: true},
		{name: "WildcardOneLabel", profile: pki.Wildcard, host: "mail.contoso.com", match: true},
		{name: "WildcardApex", profile: pki.Wildcard, host: "contoso.com", match: true},
		{name: "WildcardTwoLabels", profile: pki.Wildcard, host: "mail.eu.contoso.com", match: false}, // S18
		{name: "NoCNByTheSAN", profile: pki.NoCN, host: "mail.contoso.com", match: true},
		{name: "SelfSignedFQDN", profile: pki.SelfSigned, host: "ex01.contoso.com", match: true},
		{name: "SelfSignedForTheService", profile: pki.SelfSigned, host: "mail.contoso.com", match: false},
	}
	w := writeCatalogue(t)
	files := map[pki.Profile]string{}
	for _, c := range w.Certificates {
		files[c.Profile] = w.path(c.Files.Certificate)
	}
	cat := catalogue(t, newPKI(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := opensslRun(t, "x509", "-in", files[tt.profile], "-noout", "-checkhost", tt.host)
			want := "Hostname " + tt.host + " does match certificate\n"
			if !tt.match {
				want = "Hostname " + tt.host + " does NOT match certificate\n"
			}
			if code != 0 || out != want {
				t.Errorf("openssl x509 -checkhost %s on %s = %q (exit %d), want %q", tt.host, tt.profile, out, code, want)
			}
			if goMatch := cat[tt.profile].Leaf.VerifyHostname(tt.host) == nil; goMatch != tt.match {
				t.Errorf("%s.Leaf.VerifyHostname(%q) matches = %v, want %v", tt.profile, tt.host, goMatch, tt.match)
			}
		})
	}
}

// TestOpenSSLReadsNames checks that openssl sees the subject in DER order
// (C first): the reverse of how Windows renders it.
func TestOpenSSLReadsNames(t *testing.T) {
	w := writeCatalogue(t)
	out, _ := opensslRun(t, "x509", "-in", w.path(w.Certificates[0].Files.Certificate), "-noout", "-subject", "-issuer")
	const want = "subject=C = US, ST = location, L = location, O = contoso, OU = IT, CN = mail.contoso.com\n" +
		"issuer=C = US, O = Hybridsim Certificate Provider, OU = Simulated PKI, CN = Hybridsim TLS Issuing CA 1\n"
	if out != want {
		t.Errorf("openssl x509 -subject -issuer = %q, want %q", out, want)
	}
}

func TestOpenSSLOpensEveryPFX(t *testing.T) {
	w := writeCatalogue(t)
	cat := catalogue(t, newPKI(t))
	opened := 0
	for _, c := range w.Certificates {
		if c.Files.PFX == "" {
			continue
		}
		opened++
		bags := 1 + len(cat[c.Profile].Chain)
		if cat[c.Profile].Root != nil {
			bags++
		}
		want := "MAC: sha1, Iteration 1\nMAC length: 20, salt length: 8\n" +
			"PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048\n" +
			strings.Repeat("Certificate bag\n", bags) +
			"PKCS7 Data\nShrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048\n"
		out, code := opensslRun(t, "pkcs12", "-in", w.path(c.Files.PFX), "-info", "-noout", "-passin", "pass:"+pki.DefaultPFXPassword)
		if code != 0 || out != want {
			t.Errorf("openssl pkcs12 -info %s = %q (exit %d), want %q", c.Files.PFX, out, code, want)
		}
	}
	// Every profile with an exportable key: all but self-signed and
	// no-private-key.
	if want := len(pki.Profiles()) - 2; opened != want {
		t.Errorf("opened %d PFX files, want %d", opened, want)
	}
}

func TestOpenSSLOpensAES256PFX(t *testing.T) {
	c := catalogue(t, newPKI(t))[pki.Trusted]
	pfx, err := c.PFX("s3cret", pki.AES256SHA256)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "aes.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := opensslRun(t, "pkcs12", "-in", path, "-info", "-noout", "-passin", "pass:s3cret")
	const want = "MAC: sha256, Iteration 2048\nMAC length: 32, salt length: 16\n" +
		"PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256\n" +
		"Certificate bag\nCertificate bag\nCertificate bag\n" +
		"PKCS7 Data\nShrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256\n"
	if code != 0 || out != want {
		t.Errorf("openssl pkcs12 -info (AES256_SHA256) = %q (exit %d), want %q", out, code, want)
	}
}
