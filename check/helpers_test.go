package check

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// startLab starts a lab from cfg and closes it when the test ends.
func startLab(t testing.TB, cfg sim.Config) *sim.Lab {
	t.Helper()
	lab, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	t.Cleanup(func() { lab.Close() })
	return lab
}

// inspect starts a lab from cfg and returns its findings.
func inspect(t testing.TB, cfg sim.Config) []Finding {
	t.Helper()
	f, err := Inspect(startLab(t, cfg))
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return f
}

// colourOf returns the colour of the first finding of a check and test on
// an object, failing the test when there is none.
func colourOf(t testing.TB, findings []Finding, check, object, test string) Colour {
	t.Helper()
	for _, f := range findings {
		if f.Check == check && f.Object == object && f.Test == test {
			return f.Colour
		}
	}
	t.Fatalf("no finding %s %q %q", check, object, test)
	return ""
}

// selfSigned makes a certificate with a fresh key of the given size and
// signature algorithm, valid for a year from at.
func selfSigned(t testing.TB, bits int, alg x509.SignatureAlgorithm, at time.Time) *x509.Certificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: at, NotAfter: at.AddDate(1, 0, 0), SignatureAlgorithm: alg}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
