package check

import (
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// TestDefaultLab: nothing is red, mail flows each way now, and the first
// failure is the hybrid certificate's expiry, with the deferral it causes.
func TestDefaultLab(t *testing.T) {
	rep, err := Run(sim.DefaultConfig(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Red() {
		t.Errorf("default lab has a red finding:\n%s", rep)
	}
	for _, p := range rep.Now {
		if failing(p) {
			t.Errorf("default lab: %s", describe(p))
		}
	}
	ff := rep.FirstFailure
	if ff == nil {
		t.Fatalf("no first failure predicted:\n%s", rep)
	}
	want := time.Date(2026, time.July, 9, 0, 0, 0, 0, time.UTC)
	wantLED := "450 4.7.320 Certificate validation failed [Message=CertificateExpired] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.mail.protection.outlook.com]"
	if !ff.At.Equal(want) || ff.Prediction.Direction != scenarios.EXOToOnPrem || len(ff.Prediction.Shows) != 1 ||
		ff.Prediction.Shows[0] != (scenarios.Shown{Where: scenarios.MessageTrace, Text: wantLED}) {
		t.Errorf("first failure = %s %+v, want %s exo-to-onprem with %q in the message trace", ff.At, ff.Prediction, want, wantLED)
	}
	if ff.Cause != `receive connector EX01\Default Frontend EX01: certificate expires within 60 days` {
		t.Errorf("first failure's cause = %q", ff.Cause)
	}
}

// TestAtBeforeStart refuses an instant before the lab's clock starts.
func TestAtBeforeStart(t *testing.T) {
	_, err := Run(sim.DefaultConfig(), Options{At: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	want := "check: --at 2025-01-01T00:00:00Z is before the lab's clock starts (2026-01-05T09:00:00Z): give a later time"
	if err == nil || err.Error() != want {
		t.Errorf("Run = %v, want %s", err, want)
	}
}
