package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/sim"
)

// TestExportImport: `hybridsim export` writes the evidence of F01's broken
// lab; `hybridsim import --out` makes a lab file of it that loads, says what
// it assumed, and `--explain` finds F01 again.
func TestExportImport(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runHybridsim(t, "export", "--break", "F01", "--format", "clixml", "--dir", dir)
	if code != 0 || stderr != "" {
		t.Fatalf("hybridsim export: exit %d, stderr %q", code, stderr)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*Bkp.xml"))
	if err != nil || len(files) != 12 {
		t.Fatalf("export wrote %q, want twelve Export-Clixml files", files)
	}
	out := filepath.Join(t.TempDir(), "customer.yaml")
	code, stdout, stderr := runHybridsim(t, append([]string{"import", "--out", out}, files...)...)
	if code != 0 || stderr != "" {
		t.Fatalf("hybridsim import: exit %d, stderr %q", code, stderr)
	}
	want := "Wrote " + out + " from 12 files.\n" +
		"Assumed (the evidence does not say):\n" +
		"  - the Edge servers EDGE01 are subscribed to the site, with the certificates they hold now\n" +
		"  - a partner on the internet (Fabrikam, as in the default lab) receives the internet probe; the domains both sides accept have their MX at Exchange Online\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("hybridsim import stdout (-want +got):\n%s", diff)
	}
	if _, err := sim.Load(out); err != nil {
		t.Errorf("the imported lab file does not load: %v", err)
	}
	code, stdout, _ = runHybridsim(t, append([]string{"import", "--explain"}, files...)...)
	if code != 0 || !strings.Contains(stdout, "\n  matches F01: ") {
		t.Errorf("hybridsim import --explain: exit %d, no F01 match in:\n%s", code, stdout)
	}
}

func TestImportBadEvidence(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "OnPremSendConBkp.xml")
	if err := os.WriteFile(bad, []byte("<Objs Version=\"1.1.0.1\">\n  <Obj RefId=\"0\">\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHybridsim(t, "import", bad)
	want := "hybridsim import: evidence: " + bad + ": line 3: XML syntax: unexpected EOF\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("hybridsim import (truncated) = %d, %q, %q; want 1, \"\", %q", code, stdout, stderr, want)
	}
	code, _, stderr = runHybridsim(t, "import")
	if want := "hybridsim import: name the evidence files to read\nRun 'hybridsim help import' for usage.\n"; code != 2 || stderr != want {
		t.Errorf("hybridsim import (no files) = %d, %q; want 2, %q", code, stderr, want)
	}
}
