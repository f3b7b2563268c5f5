package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestREADMESupportStory walks the README's support-engineer story: the
// lab file explains as the README shows, diagnose names the queue error,
// and the fixed lab delivers every probe and runs the entries.
func TestREADMESupportStory(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## For support engineers: from a customer's story to the fix")
	if !ok {
		t.Fatal("README has no support-engineer section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := fenced(section)
	if len(blocks) != 4 {
		t.Fatalf("the section has %d fenced blocks, want 4 (lab file, explain output, diagnose, fix)", len(blocks))
	}
	story, shown, fix := blocks[0], blocks[1], blocks[3]
	dir := t.TempDir()
	path := filepath.Join(dir, "story.yaml")
	if err := os.WriteFile(path, []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHybridsim(t, "explain", "--lab", path)
	if code != 0 {
		t.Fatalf("hybridsim explain --lab story.yaml = %d, %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	for _, want := range strings.Split(strings.TrimSpace(shown), "\n") {
		if !slices.Contains(lines, want) {
			t.Errorf("the README shows the line\n%s\nwhich explain does not print:\n%s", want, stdout)
		}
	}
	if code, _, stderr := runHybridsim(t, "diagnose", "454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found."); code != 0 {
		t.Errorf("the README's diagnose = %d, %s", code, stderr)
	}
	fixed := strings.Replace(story, "OnPrem:\n", "OnPrem:\n"+fix, 1)
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runHybridsim(t, "explain", "--lab", path, "--json")
	var got []scenarios.Prediction
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil {
		t.Fatalf("explain of the fixed lab = %d, %v, %s", code, err, stderr)
	}
	for _, p := range got {
		if p.Outcome != "delivered" {
			t.Errorf("fixed lab: %s: %s", p.Direction, p.Outcome)
		}
	}
	if code, stdout, stderr := runHybridsim(t, "run", "--lab", path, "F10", "F13"); code != 0 || !strings.HasPrefix(stdout, "the lab as given: healthy") {
		t.Errorf("run --lab on the fixed lab = %d\n%s%s", code, stdout, stderr)
	}
}

// fenced returns the contents of a text's fenced code blocks.
func fenced(text string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(text, "```")
		if !ok {
			return out
		}
		_, rest, _ = strings.Cut(rest, "\n") // the info string
		block, after, _ := strings.Cut(rest, "```")
		out = append(out, block)
		text = after
	}
}
