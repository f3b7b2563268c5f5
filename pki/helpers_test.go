package pki_test

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// newPKI returns a PKI at pki.DefaultTime with the default domains.
func newPKI(t testing.TB) *pki.PKI {
	t.Helper()
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		t.Fatalf("pki.New: %v", err)
	}
	return p
}

// catalogue returns the PKI's catalogue by profile.
func catalogue(t testing.TB, p *pki.PKI) map[pki.Profile]*pki.Certificate {
	t.Helper()
	certs, err := p.Catalogue()
	if err != nil {
		t.Fatalf("Catalogue: %v", err)
	}
	byProfile := make(map[pki.Profile]*pki.Certificate, len(certs))
	for _, c := range certs {
		byProfile[c.Profile] = c
	}
	return byProfile
}

// presented returns what the server sends after the leaf.
func presented(c *pki.Certificate) []*x509.Certificate {
	if c.PresentChain {
		return c.Chain
	}
	return nil
}

// pemTypes lists the types of the PEM blocks in data.
func pemTypes(data []byte) string {
	var types []string
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return strings.Join(types, " ")
		}
		types = append(types, block.Type)
	}
}
