package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/hybridsim/hybridsim/scenarios"
)

var explainCommand = &command{
	name:    "explain",
	summary: "predict each mail-flow direction of a lab: outcome, rule, symptom, documented fix",
	examples: []example{
		{"hybridsim explain --lab customer.yaml", "Send a message each way through the lab (cloud to on-premises,\n" +
			"on-premises to cloud, on-premises to the internet), let it run for an\n" +
			"hour of virtual time, and say what happened, what decided it, where the\n" +
			"symptom shows, and which documented fix clears it."},
		{"hybridsim explain --json", "The same for the default lab, as JSON."},
		{"hybridsim explain --lab customer.yaml --verbose", "Add each probe's own records: every hop's SMTP dialogue, certificates,\n" +
			"verdicts, logs and events."},
	},
	flags: func() *flag.FlagSet { fs, _ := explainFlags(); return fs },
	run:   runExplain,
}

type explainOptions struct {
	lab           string
	json, verbose bool
}

func explainFlags() (*flag.FlagSet, *explainOptions) {
	o := &explainOptions{}
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "explain the lab described by `FILE` instead of the default lab")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.BoolVar(&o.verbose, "verbose", false, "add each probe's raw records: its timeline hop by hop, and the records that decided it")
	return fs, o
}

func runExplain(args []string, stdout io.Writer) error {
	fs, o := explainFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	predictions, err := scenarios.Explain(cfg)
	if err != nil {
		return err
	}
	if !o.verbose {
		for i := range predictions {
			predictions[i].Records = nil
		}
	}
	if o.json {
		return writeJSON(stdout, predictions)
	}
	if len(cfg.EXO.Tenants) == 0 {
		fmt.Fprintln(stdout, "The lab has no Exchange Online tenant: only the directions between on-premises and the internet are explained.")
		fmt.Fprintln(stdout)
	}
	for i, p := range predictions {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if o.verbose {
			fmt.Fprint(stdout, p.Verbose())
		} else {
			fmt.Fprint(stdout, p.String())
		}
	}
	return nil
}
