package sim

import (
	"runtime"
	"testing"
)

// BenchmarkLabStartClose starts and closes the default lab: PKI (its
// signatures memoized after the first lab), both fakes with every listener
// bound, DNS. Goal: under 5 ms.
func BenchmarkLabStartClose(b *testing.B) {
	cfg := DefaultConfig()
	for b.Loop() {
		l, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHundredLabs starts 100 default labs at once in one process and
// reports the memory each holds (heap in use after a GC, divided by 100).
func BenchmarkHundredLabs(b *testing.B) {
	cfg := DefaultConfig()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		labs := make([]*Lab, 100)
		for i := range labs {
			l, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			labs[i] = l
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/100, "B/lab")
		for _, l := range labs {
			if err := l.Close(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
