package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hybridsim/hybridsim/evidence"
	"github.com/hybridsim/hybridsim/scenarios"
)

var importCommand = &command{
	name:    "import",
	summary: "make a lab file from a customer's evidence: Format-List text, Export-Clixml files, the HCW log",
	examples: []example{
		{"hybridsim import --out customer.yaml customer/*",
			"Read what the customer sent (README.md, \"Customer evidence\", lists the\n" +
				"commands to ask for) and write a lab that reproduces the deployment; every\n" +
				"value's comment names the file and object it came from. Prints what the\n" +
				"evidence did not say and the lab assumes, and any value PowerShell cut short."},
		{"hybridsim import --explain customer/*", "Print the lab file, then what the lab does with mail in each direction."},
	},
	flags: func() *flag.FlagSet { fs, _ := importFlags(); return fs },
	run:   runImport,
}

type importOptions struct {
	out     string
	explain bool
}

func importFlags() (*flag.FlagSet, *importOptions) {
	o := &importOptions{}
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "", "write the lab file to `FILE` instead of printing it")
	fs.BoolVar(&o.explain, "explain", false, "run explain on the lab made")
	return fs, o
}

func runImport(args []string, stdout io.Writer) error {
	fs, o := importFlags()
	fs.SetOutput(io.Discard)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return usagef("%v", err)
	}
	if len(paths) == 0 {
		return usagef("name the evidence files to read")
	}
	var files []evidence.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("reading evidence: %w", err)
		}
		files = append(files, evidence.File{Name: p, Data: data})
	}
	res, err := evidence.Import(files...)
	if err != nil {
		return err
	}
	if o.out == "" {
		if _, err := stdout.Write(res.Lab); err != nil {
			return err
		}
	} else {
		if err := os.WriteFile(o.out, res.Lab, 0o644); err != nil {
			return fmt.Errorf("writing the lab file: %w", err)
		}
		fmt.Fprintf(stdout, "Wrote %s from %d files.\n", o.out, len(files))
		printList(stdout, "Assumed (the evidence does not say):", res.Assumptions)
		printList(stdout, "Warnings:", res.Warnings)
	}
	if !o.explain {
		return nil
	}
	predictions, err := scenarios.Explain(res.Config)
	if err != nil {
		return err
	}
	for _, p := range predictions {
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, p.String())
	}
	return nil
}

func printList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, title)
	for _, a := range items {
		fmt.Fprintf(w, "  - %s\n", a)
	}
}
