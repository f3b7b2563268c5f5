package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/hybridsim/hybridsim/evidence"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

var exportCommand = &command{
	name:    "export",
	summary: "write a lab's objects as the evidence a customer would send (Format-List text, Export-Clixml)",
	examples: []example{
		{"hybridsim export --dir customer", "Write the default lab's certificates, connectors, transport services and\n" +
			"accepted domains as Format-List text (OnPremExCert.txt, ...) and as\n" +
			"Export-Clixml files (OnPremSendConBkp.xml, ...), as the customer's commands\n" +
			"would, and print those commands."},
		{"hybridsim export --lab customer.yaml --break F01 --format clixml --dir customer", "The same for a lab file, after breaking it as catalogue entry F01 does."},
	},
	flags: func() *flag.FlagSet { fs, _ := exportFlags(); return fs },
	run:   runExport,
}

type exportOptions struct {
	lab, dir, format, breakEntry string
}

func exportFlags() (*flag.FlagSet, *exportOptions) {
	o := &exportOptions{}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "export the lab described by `FILE` instead of the default lab")
	fs.StringVar(&o.dir, "dir", "", "write the files into `DIR` (required)")
	fs.StringVar(&o.format, "format", "both", "`text`, clixml or both")
	fs.StringVar(&o.breakEntry, "break", "", "break the lab as catalogue entry `ID` does first (e.g. F01)")
	return fs, o
}

func runExport(args []string, stdout io.Writer) error {
	fs, o := exportFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.dir == "" {
		return usagef("--dir is required: the directory to write the evidence into")
	}
	var formats []evidence.Format
	switch o.format {
	case "both":
		formats = []evidence.Format{evidence.Text, evidence.Clixml}
	case string(evidence.Text), string(evidence.Clixml):
		formats = []evidence.Format{evidence.Format(o.format)}
	default:
		return usagef("--format %q: write text, clixml or both", o.format)
	}
	cfg, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	var entry scenarios.Entry
	if o.breakEntry != "" {
		var ok bool
		if entry, ok = scenarios.Find(o.breakEntry); !ok {
			return usagef("--break %q: no such catalogue entry; 'hybridsim list' shows them", o.breakEntry)
		}
		cfg = scenarios.PrepareConfig(entry, cfg)
	}
	lab, err := sim.New(cfg)
	if err != nil {
		return err
	}
	defer lab.Close()
	if o.breakEntry != "" {
		if err := scenarios.Attach(entry, lab).Break(); err != nil {
			return err
		}
	}
	for _, f := range formats {
		paths, err := evidence.Export(lab, o.dir, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "The customer's commands (%s):\n", f)
		for _, c := range evidence.Commands(f, `C:\temp`) {
			fmt.Fprintf(stdout, "  %s\n", c)
		}
		fmt.Fprintln(stdout, "Wrote:")
		for _, p := range paths {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	return nil
}
