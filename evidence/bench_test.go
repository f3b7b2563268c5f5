package evidence

import (
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// BenchmarkImport imports the default lab's Export-Clixml evidence (eleven
// files): reading, the look-alikes' first issue, and the lab file.
func BenchmarkImport(b *testing.B) {
	lab, err := sim.New(sim.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lab.Close() })
	paths, err := Export(lab, b.TempDir(), Clixml)
	if err != nil {
		b.Fatal(err)
	}
	files := readDir(b, paths)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Import(files...); err != nil {
			b.Fatal(err)
		}
	}
}
