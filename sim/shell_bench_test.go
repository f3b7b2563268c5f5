package sim

import (
	"context"
	"testing"
)

// BenchmarkShell runs a read and a write command line through the lab's
// shell: parse, bind, the cmdlet (a Set- validates and applies the whole
// configuration), the objects. Goal: under 1 ms each.
func BenchmarkShell(b *testing.B) {
	for _, bm := range []struct{ name, line string }{
		{name: "Get-ExchangeCertificate", line: "Get-ExchangeCertificate -Server EX01"},
		{name: "Set-ReceiveConnector", line: `Set-ReceiveConnector "EX01\Default Frontend EX01" -RequireTLS $false`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			l := newDefaultLab(b)
			ctx := context.Background()
			for b.Loop() {
				if _, err := l.Shell(ctx, bm.line); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFeedCollect sends one message each way and collects the events
// they made, after 200 messages of history: Collect reads every record the
// fakes keep, so its cost grows with the lab's history (a served lab's
// bounded logs cap it).
func BenchmarkFeedCollect(b *testing.B) {
	l := newDefaultLab(b)
	for range 100 {
		l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "history")
		l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "history")
	}
	f := NewFeed(l, 0)
	events := 0
	for b.Loop() {
		b.StopTimer()
		l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "hello")
		l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "hello")
		b.StartTimer()
		events += len(f.Collect())
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}
