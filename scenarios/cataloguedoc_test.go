package scenarios

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateDoc = flag.Bool("update-doc", false, "rewrite docs/catalogue.md from the catalogue; review the diff")

// TestCatalogueDoc: docs/catalogue.md describes every entry as the
// catalogue has it. `go test ./scenarios -run TestCatalogueDoc -update-doc`
// rewrites it from the catalogue and one run of each entry.
func TestCatalogueDoc(t *testing.T) {
	const path = "../docs/catalogue.md"
	if *updateDoc {
		if err := os.WriteFile(path, []byte(catalogueDoc()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; write it with go test ./scenarios -run TestCatalogueDoc -update-doc", err)
	}
	// Each entry's heading and its facts (the run's strings are checked by
	// the golden transcripts).
	var want, got []string
	for _, e := range Catalogue() {
		want = append(want, entryHeading(e), entryFacts(e))
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "## F") || strings.HasPrefix(line, "Direction: ") {
			got = append(got, line)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s is out of date (-catalogue +doc); rewrite it with -update-doc:\n%s", path, diff)
	}
}

func entryHeading(e Entry) string { return fmt.Sprintf("## %s %s", e.ID, e.Slug) }

func entryFacts(e Entry) string {
	return fmt.Sprintf("Direction: %s. Rated %s. Sources: %s (see [sources.md](sources.md)). Labels: %s.",
		e.Direction, e.Tag, strings.Join(e.Sources, ", "), strings.Join(e.Labels, ", "))
}

// catalogueDoc is docs/catalogue.md: each entry as the catalogue runs it.
func catalogueDoc() string {
	var b strings.Builder
	b.WriteString(`# The failure catalogue

Every documented way hybrid mail flow breaks on a certificate (or near one), as the lab
reproduces it. Each entry starts from the default lab (sim/default-lab.yaml), breaks it through
the cmdlets an administrator would use, sends a probe message, and reads the symptoms where
Exchange shows them, as whole strings. A negative control sends the same probe on the unbroken
lab: no symptom may show there. Then the documented fix is applied, and the probe and a new
message must arrive, with nothing lost.

This file is written from the catalogue (scenarios/*.go) by
` + "`go test ./scenarios -run TestCatalogueDoc -update-doc`" + `; the strings below are one run's, with
this run's names, addresses, thumbprints and times. Each entry's whole story, every hop's SMTP
dialogue and log included, is its golden transcript in scenarios/testdata. Rules and ratings
(DOC, DOC-3P, OBS, INFER) are explained in [rules.md](rules.md).
`)
	for _, e := range Catalogue() {
		res := Execute(e)
		fmt.Fprintf(&b, "\n%s\n\n%s\n\n%s.\n", entryHeading(e), entryFacts(e), capitalize(e.Title))
		if len(e.Break) > 0 {
			b.WriteString("\nBreak:\n\n")
			for _, s := range e.Break {
				fmt.Fprintf(&b, "    %s\n", s.Cmdlet)
			}
		}
		if p := e.Probe; p.From != "" {
			fmt.Fprintf(&b, "\nProbe: %s to %s", p.From, strings.Join(p.To, ", "))
			if e.Wait > 0 {
				fmt.Fprintf(&b, ", read %s later", e.Wait)
			}
			b.WriteString(".\n")
		}
		b.WriteString("\nSymptoms:\n\n")
		for _, s := range res.Symptoms {
			fmt.Fprintf(&b, "- %s: `%s`", s.Where, s.Want)
			if s.Infer != "" {
				fmt.Fprintf(&b, " (INFER: %s)", s.Infer)
			}
			b.WriteString("\n")
		}
		b.WriteString("\nDocumented fix:\n\n")
		for _, s := range e.Fix {
			fmt.Fprintf(&b, "    %s\n", s.Cmdlet)
		}
		for _, rd := range res.Readings {
			fmt.Fprintf(&b, "\nReading %s, %s:\n\n", rd.Reading.Conflict, rd.Reading.Name)
			for _, s := range rd.Symptoms {
				fmt.Fprintf(&b, "- %s: `%s`\n", s.Where, s.Want)
			}
		}
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
