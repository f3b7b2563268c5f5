package check

import (
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
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

// TestG2FirstFailure: a server with DisableRootAutoUpdate and without
// DigiCert Global Root G2 is yellow before 2026-03-15, and the first
// failure is Exchange Online's move to the root, with G2-2026's deferral.
func TestG2FirstFailure(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.OnPrem.Servers[0].DisableRootAutoUpdate = true
	rep, err := Run(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Red() {
		t.Errorf("red before 2026-03-15:\n%s", rep)
	}
	ff := rep.FirstFailure
	wantLED := "450 4.4.317 Cannot establish session with remote server [Message=451 5.7.3 STARTTLS is required to send mail] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.mail.protection.outlook.com]"
	if ff == nil || !ff.At.Equal(pki.EXOG2Since) || ff.Prediction.Direction != scenarios.EXOToOnPrem ||
		len(ff.Prediction.Shows) != 1 || ff.Prediction.Shows[0] != (scenarios.Shown{Where: scenarios.MessageTrace, Text: wantLED}) {
		t.Fatalf("first failure = %+v, want from %s exo-to-onprem with %q", ff, pki.EXOG2Since, wantLED)
	}
	if ff.Cause != "EX01: DigiCert Global Root G2 trusted" {
		t.Errorf("cause = %q, want the G2 finding", ff.Cause)
	}
	// At the date the finding is red, and its consequence is now.
	rep, err = Run(cfg, Options{At: pki.EXOG2Since})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Object == "EX01" && f.Test == "DigiCert Global Root G2 trusted" {
			want := "now: mail exo-to-onprem (alice@contoso.com -> bob@contoso.com) deferred: still in Exchange Online's queue; EXO message trace: " + wantLED
			if f.Colour != Red || f.Consequence != want {
				t.Errorf("at the date: %s, %q; want Red, %q", f.Colour, f.Consequence, want)
			}
		}
	}
}
