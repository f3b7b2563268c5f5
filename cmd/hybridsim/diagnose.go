package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hybridsim/hybridsim/scenarios"
)

var diagnoseCommand = &command{
	name:    "diagnose",
	summary: "name the documented failures and rules behind a pasted LED, NDR, queue error, event or log line",
	examples: []example{
		{`hybridsim diagnose "450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]"`,
			"Name the catalogue entries whose symptom this is, the rule that\n" +
				"produces it, what to check next and the evidence to collect."},
		{"hybridsim diagnose --json - < lasterror.txt", "Read the evidence from standard input; JSON."},
	},
	flags: func() *flag.FlagSet { fs, _ := diagnoseFlags(); return fs },
	run:   runDiagnose,
}

type diagnoseOptions struct{ json bool }

func diagnoseFlags() (*flag.FlagSet, *diagnoseOptions) {
	o := &diagnoseOptions{}
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.BoolVar(&o.json, "json", false, "print JSON")
	return fs, o
}

// maxEvidence bounds what diagnose reads from standard input.
const maxEvidence = 1 << 20

func runDiagnose(args []string, stdout io.Writer) error {
	fs, o := diagnoseFlags()
	fs.SetOutput(io.Discard)
	texts, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	text := strings.Join(texts, " ")
	if text == "-" {
		data, err := io.ReadAll(io.LimitReader(bufio.NewReader(os.Stdin), maxEvidence))
		if err != nil {
			return err
		}
		text = string(data)
	}
	if strings.TrimSpace(text) == "" {
		return usagef("paste the evidence as an argument (quote it), or give - to read it from standard input")
	}
	d := scenarios.Diagnose(text)
	if o.json {
		if err := writeJSON(stdout, d); err != nil {
			return err
		}
	} else {
		writeDiagnosis(stdout, d)
	}
	if len(d.Entries) == 0 && len(d.Rules) == 0 {
		return fmt.Errorf("no documented symptom found in the text; paste a whole LED, NDR line, LastError, event text or protocol log line")
	}
	return nil
}

func writeDiagnosis(w io.Writer, d scenarios.Diagnosis) {
	if len(d.Entries) > 0 {
		fmt.Fprintln(w, "catalogue entries with this symptom:")
		for _, e := range d.Entries {
			fmt.Fprintf(w, "  %s (%s): %s\n", e.ID, e.Where, e.Title)
		}
	}
	for _, r := range d.Rules {
		fmt.Fprintf(w, "rule %s (%s):\n  %s\n", r.Name, r.Sources, r.Rule)
		fmt.Fprintln(w, "  check next:")
		for _, c := range r.Check {
			fmt.Fprintf(w, "    %s\n", c)
		}
		fmt.Fprintln(w, "  evidence to collect:")
		for _, e := range r.Evidence {
			fmt.Fprintf(w, "    %s\n", e)
		}
	}
}
