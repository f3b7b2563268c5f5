package pki_test

import (
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// BenchmarkCatalogueCold measures a fresh PKI and its whole catalogue in a
// process that has signed nothing and parsed no pool key yet: 24 RSA-2048
// signatures (8 authorities, EXO's certificate, 15 profiles) on GOMAXPROCS
// workers.
func BenchmarkCatalogueCold(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pki.ResetCaches()
		b.StartTimer()
		issueCatalogue(b)
	}
}

// BenchmarkCatalogueWarm measures the same once the process has made the
// same certificates before: every signature comes from the memo.
func BenchmarkCatalogueWarm(b *testing.B) {
	issueCatalogue(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		issueCatalogue(b)
	}
}

// BenchmarkNewWarm measures New alone (authorities and EXO's certificate)
// in a warm process: what a lab pays at each start.
func BenchmarkNewWarm(b *testing.B) {
	newPKI(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		newPKI(b)
	}
}

func issueCatalogue(b *testing.B) {
	b.Helper()
	if _, err := newPKI(b).Catalogue(); err != nil {
		b.Fatal(err)
	}
}
