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
	},
	flags: func() *flag.FlagSet { fs, _ := explainFlags(); return fs },
	run:   runExplain,
}

type explainOptions struct {
	lab  string
	json bool
}

func explainFlags() (*flag.FlagSet, *explainOptions) {
	o := &explainOptions{}
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "explain the lab described by `FILE` instead of the default lab")
	fs.BoolVar(&o.json, "json", false, "print JSON")
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
	if o.json {
		return writeJSON(stdout, predictions)
	}
	for i, p := range predictions {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprint(stdout, p.String())
	}
	return nil
}
