package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckCommand: the default lab exits 0 and predicts its first
// failure; a lab file with a red finding exits 1; a bad --at is a usage
// error that says what to write.
func TestCheckCommand(t *testing.T) {
	code, stdout, stderr := runHybridsim(t, "check", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("hybridsim check --json: exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		FirstFailure struct {
			At time.Time `json:"at"`
		} `json:"firstFailure"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, time.July, 9, 0, 0, 0, 0, time.UTC); !rep.FirstFailure.At.Equal(want) {
		t.Errorf("first failure at %s, want %s", rep.FirstFailure.At, want)
	}

	lab := filepath.Join(t.TempDir(), "red.yaml")
	red := "Base: default\nOnPrem:\n  SendConnectors:\n    - Name: Outbound to Office 365 - 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93\n      TlsCertificateName: $null\n"
	if err := os.WriteFile(lab, []byte(red), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runHybridsim(t, "check", "--lab", lab)
	if want := "hybridsim check: check: at least one finding is red\n"; code != 1 || stderr != want {
		t.Errorf("hybridsim check --lab red.yaml: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}

	code, _, stderr = runHybridsim(t, "check", "--at", "tomorrow")
	want := "hybridsim check: check: --at \"tomorrow\": write the time as RFC 3339, e.g. 2026-06-20T00:00:00Z\nRun 'hybridsim help check' for usage.\n"
	if code != 2 || stderr != want {
		t.Errorf("hybridsim check --at tomorrow: exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
}
