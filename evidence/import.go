package evidence

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// Result is what Import made of the evidence.
type Result struct {
	// Lab is the lab file: YAML that sim.Parse reads, every value with a
	// comment naming the file and object it came from.
	Lab []byte
	// Config is the lab file parsed, ready for sim.New or scenarios.Explain.
	Config sim.Config
	// Assumptions are what the evidence did not say and the lab assumes.
	Assumptions []string
	// Warnings are values the evidence gave only in part (PowerShell's
	// "..."), could not be read, or that the lab cannot reproduce.
	Warnings []string
	// Thumbprints map each thumbprint the evidence names to its
	// look-alike's in the lab.
	Thumbprints map[string]string
}

// Import reads the customer's evidence (any mix of Format-List text,
// Export-Clixml files, the hybrid configuration wizard's log and Get-Date's
// output; see the package doc) and writes a lab that reproduces the
// deployment. A file it cannot read is an error naming the file and the
// line or element; every file's errors are reported at once.
func Import(files ...File) (Result, error) {
	if len(files) == 0 {
		return Result{}, errors.New("evidence: no files; name the files the customer sent (see README.md, \"Customer evidence\")")
	}
	ev := &collected{}
	var errs []error
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		if err := readFile(f, ev); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return Result{}, errors.Join(errs...)
	}
	m, err := build(ev)
	if err != nil {
		return Result{}, err
	}
	m.warnings = append(ev.warnings, m.warnings...)
	assumptions, warnings := slices.Clone(m.assumptions), slices.Clone(m.warnings)

	// First pass: issue the look-alikes to learn their thumbprints.
	first := m.write(names)
	cfg, err := sim.Parse("imported lab", []byte(replaceThumbprints(first, nil)))
	if err != nil {
		return Result{}, fmt.Errorf("evidence: the lab made from the evidence does not load (please report this with the evidence): %w", err)
	}
	thumbs, err := m.lookalikes(cfg)
	if err != nil {
		return Result{}, err
	}

	// Second pass: the same lab with every thumbprint mapped.
	m.assumptions, m.warnings = assumptions, warnings
	text := replaceThumbprints(m.write(names), thumbs)
	text += mappingComment(thumbs)
	cfg, err = sim.Parse("imported lab", []byte(text))
	if err != nil {
		return Result{}, fmt.Errorf("evidence: the lab made from the evidence does not load (please report this with the evidence): %w", err)
	}
	return Result{Lab: []byte(text), Config: cfg, Assumptions: m.assumptions, Warnings: m.warnings, Thumbprints: thumbs}, nil
}

// lookalikes starts the lab once and reads each look-alike's thumbprint:
// the lab's certificates by name, and each server's setup certificate.
func (m *model) lookalikes(cfg sim.Config) (map[string]string, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("evidence: the lab made from the evidence does not start (please report this with the evidence): %w", err)
	}
	defer lab.Close()
	out := map[string]string{}
	for _, c := range m.certs {
		if issued := lab.Certificates[strings.ToLower(c.name)]; issued != nil {
			out[c.thumbprint] = issued.Thumbprint()
		}
	}
	for th, server := range m.setupThumbs {
		certs, err := lab.OnPrem.GetExchangeCertificate(server, "")
		if err != nil {
			return nil, err
		}
		for _, e := range certs {
			if e.Certificate.IsSelfSigned() && strings.EqualFold(e.Certificate.Subject(), "CN="+server) {
				out[th] = e.Certificate.Thumbprint()
			}
		}
	}
	return out, nil
}

// replaceThumbprints fills the placeholders: the look-alike's thumbprint,
// or nothing on the first pass.
func replaceThumbprints(text string, thumbs map[string]string) string {
	for {
		i := strings.Index(text, thumbPlaceholder)
		if i < 0 {
			return text
		}
		j := i + len(thumbPlaceholder)
		k := j
		for k < len(text) && isHex(text[k]) {
			k++
		}
		text = text[:i] + thumbs[text[j:k]] + text[k:]
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' || 'a' <= c && c <= 'f'
}

// mappingComment lists the thumbprint mapping at the end of the lab file.
func mappingComment(thumbs map[string]string) string {
	if len(thumbs) == 0 {
		return ""
	}
	keys := make([]string, 0, len(thumbs))
	for k := range thumbs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("\n# Thumbprints: the customer's certificate -> its look-alike in this lab.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "#   %s -> %s\n", k, thumbs[k])
	}
	return b.String()
}
