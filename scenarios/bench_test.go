package scenarios_test

import (
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// BenchmarkCatalogue runs the whole catalogue, each entry on its own fresh
// lab, as `hybridsim run` does; and each entry alone.
func BenchmarkCatalogue(b *testing.B) {
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			for _, e := range scenarios.Catalogue() {
				if res := scenarios.Execute(e); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		}
	})
	for _, e := range scenarios.Catalogue() {
		b.Run(e.ID, func(b *testing.B) {
			for b.Loop() {
				if res := scenarios.Execute(e); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
