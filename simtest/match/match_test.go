package match_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/onsi/gomega"

	"github.com/hybridsim/hybridsim/simtest"
	"github.com/hybridsim/hybridsim/simtest/match"
)

// failures runs an assertion and returns the failure message, "" if it held.
func failures(t testing.TB, assert func(g gomega.Gomega)) string {
	t.Helper()
	var got string
	assert(gomega.NewGomega(func(message string, _ ...int) { got = message }))
	return got
}

// TestMatchersFail: on a message deferred by F10's firewall, BeDelivered
// and a wrong LED fail and say where the message is; the right LED holds.
func TestMatchersFail(t *testing.T) {
	f := simtest.Break(t, "F10")
	msg, err := f.Probe()
	if err != nil {
		t.Fatal(err)
	}
	where := msg.Whereabouts()
	if len(where) != 1 {
		t.Fatalf("whereabouts %+v, want one", where)
	}
	w := where[0]
	is := "  " + w.Recipient + ": queue " + w.Where + " " + w.LastError + "\n"
	led := "450 4.4.316 Connection refused [Message=Socket error code 10061]"
	tests := []struct {
		name   string
		assert func(g gomega.Gomega)
		want   string
	}{
		{name: "NotDelivered", assert: func(g gomega.Gomega) { g.Expect(msg).To(match.BeDelivered()) },
			want: "Expected " + msg.ID + " to be delivered to every recipient. It is:\n" + is},
		{name: "OtherLED", assert: func(g gomega.Gomega) { g.Expect(msg).To(match.BeDeferredWith("450 4.4.315 Connection timed out")) },
			want: "Expected " + msg.ID + " to be deferred with the LED\n  450 4.4.315 Connection timed out\nIt is:\n" + is},
		{name: "TheLED", assert: func(g gomega.Gomega) { g.Expect(msg).To(match.BeDeferredWith(led)) }},
		{name: "TheLastError", assert: func(g gomega.Gomega) { g.Expect(msg).To(match.BeQueuedWithLastError(w.LastError)) }},
		{name: "NoSuchEvent", assert: func(g gomega.Gomega) { g.Expect(f.Lab).To(match.HaveLoggedEvent(12014, "no such text")) },
			want: "Expected the Application log to hold\n  Event 12014: no such text\nIt holds:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, failures(t, tt.assert)); diff != "" {
				t.Errorf("failure message (-want +got):\n%s", diff)
			}
		})
	}
	if got := match.LED(w.LastError); got != led {
		t.Errorf("LED(%q) = %q, want %q", w.LastError, got, led)
	}
}

// TestLED: the LED of an on-premises LastError and of an EXO one.
func TestLED(t *testing.T) {
	tests := []struct{ name, lastError, want string }{
		{name: "OnPremises", lastError: "[{LRT=1/5/2026 9:00:00 AM};{LED=454 4.7.5 Certificate validation failure, reason:untrustedroot};{MSG=};{FQDN=x};{IP=1.2.3.4}]",
			want: "454 4.7.5 Certificate validation failure, reason:untrustedroot"},
		{name: "ExchangeOnline", lastError: "450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [X]",
			want: "450 4.4.316 Connection refused [Message=Socket error code 10061]"},
	}
	for _, tt := range tests {
		if got := match.LED(tt.lastError); got != tt.want {
			t.Errorf("%s: LED = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDeferredWithTheREADMEsLED: F06's probe waits in Exchange Online's
// queue with the LED the README's simtest example expects.
func TestDeferredWithTheREADMEsLED(t *testing.T) {
	f := simtest.Break(t, "F06")
	msg, err := f.Probe()
	if err != nil {
		t.Fatal(err)
	}
	g := gomega.NewWithT(t)
	g.Expect(msg).To(match.BeDeferredWith("450 4.4.317 Cannot connect to remote server [Message=CertificateExpired Expected Subject: *.contoso.com. Presented Subject: CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US. Thumbprint: 3D4373D6D3760F2C0ADC2CC7FB64200662F078A3.]"))
	g.Expect(f.Fix()).To(gomega.Succeed())
	g.Expect(f.Verify()).To(gomega.BeTrue())
	g.Expect(msg).To(match.BeDelivered())
}

// FuzzLED: any last error gives an LED that is a part of it, and never a
// panic.
func FuzzLED(f *testing.F) {
	f.Add("[{LRT=1/5/2026 9:00:00 AM};{LED=454 4.7.5 x};{MSG=};{FQDN=x};{IP=1.2.3.4}]")
	f.Add("450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com]")
	f.Add("{LED=")
	f.Fuzz(func(t *testing.T, lastError string) {
		if led := match.LED(lastError); !strings.Contains(lastError, led) {
			t.Errorf("LED(%q) = %q, not a part of it", lastError, led)
		}
	})
}
