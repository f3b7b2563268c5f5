package sim

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestSetFirewall: a dropping firewall in front of the hybrid server
// defers Exchange Online's delivery with 4.4.315, a rejecting one with
// 4.4.316 (S28), and Allow lets the retry through.
func TestSetFirewall(t *testing.T) {
	tests := []struct {
		name string
		rule Firewall
		led  string
	}{
		{name: "Drop", rule: Drop, led: "450 4.4.315 Connection timed out [Message=Socket error code 10060]"},
		{name: "Reject", rule: Reject, led: "450 4.4.316 Connection refused [Message=Socket error code 10061]"},
	}
	hybrid := netip.MustParseAddrPort("203.0.113.10:25")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab, err := New(DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { lab.Close() })
			lab.SetFirewall(hybrid, tt.rule)
			id, err := lab.Send("alice@contoso.com", []string{"bob@contoso.com"}, "through the firewall")
			if err != nil {
				t.Fatal(err)
			}
			w := whereabouts(t, lab, id)
			if led, _, _ := strings.Cut(w.LastError, " [LastAttemptedServerName="); w.Place != "queue" || led != tt.led {
				t.Errorf("behind the firewall: %s %q, want queue with the LED %q", w.Place, w.LastError, tt.led)
			}
			lab.SetFirewall(hybrid, Allow)
			lab.Advance(defaultRetry)
			if w := whereabouts(t, lab, id); w.Place != "mailbox" {
				t.Errorf("after Allow: %s %q, want mailbox", w.Place, w.LastError)
			}
		})
	}
}

// defaultRetry covers one of Exchange Online's retries.
const defaultRetry = 15 * time.Minute

func whereabouts(t testing.TB, lab *Lab, id string) Whereabouts {
	t.Helper()
	all, err := lab.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range all {
		if w.MessageID == id {
			return w
		}
	}
	t.Fatalf("the lab holds no %s", id)
	return Whereabouts{}
}
