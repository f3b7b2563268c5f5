package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestExplainLabFileSteps: explain --lab runs a lab file's Steps before
// its probes: a step that names a certificate EX01 lacks gives F01; a
// step that fails stops the command with the step's file, line and field.
func TestExplainLabFileSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	lab := "Base: default\nSteps:\n  - Advance: 1h\n  - Set-ReceiveConnector \"EX01\\Default Frontend EX01\" -TlsCertificateName " +
		"\"<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\"\n"
	if err := os.WriteFile(path, []byte(lab), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHybridsim(t, "explain", "--lab", path, "--json")
	if code != 0 {
		t.Fatalf("hybridsim explain = %d, %s", code, stderr)
	}
	var got []scenarios.Prediction
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Outcome != "deferred: still in Exchange Online's queue" || len(got[0].Matches) != 1 || got[0].Matches[0].ID != "F01" {
		t.Errorf("explain's first prediction = %+v, want F01 deferred", got[0])
	}

	if err := os.WriteFile(path, []byte("Base: default\nSteps:\n  - Remove-ExchangeCertificate -Server EX01 -Thumbprint nosuch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runHybridsim(t, "explain", "--lab", path)
	want := "hybridsim explain: " + path + `:3: Steps[0]: Remove-ExchangeCertificate: server "EX01": no certificate with thumbprint "nosuch" in LocalMachine\My; Get-ExchangeCertificate lists them; correct this step (it runs on the lab as the steps before it left it)` + "\n"
	if code != 1 || stderr != want {
		t.Errorf("hybridsim explain (a failing step) = %d, %q; want 1, %q", code, stderr, want)
	}
}
