package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hybridsim/hybridsim/check"
)

var checkCommand = &command{
	name:    "check",
	summary: "Health Checker's hybrid-transport checks, each with its consequence for mail and the date it bites",
	examples: []example{
		{"hybridsim check", "Colour every hybrid-transport setting of the default lab as Exchange\n" +
			"Health Checker does, say what each does to mail now, and move the clock\n" +
			"to find the first instant mail will fail. Exits 1 if anything is red."},
		{"hybridsim check --lab customer.yaml --at 2026-06-20T00:00:00Z --json", "The same for a lab file, at a later instant, as JSON."},
	},
	flags: func() *flag.FlagSet { fs, _ := checkFlags(); return fs },
	run:   runCheck,
}

type checkOptions struct {
	lab  string
	at   string
	json bool
}

func checkFlags() (*flag.FlagSet, *checkOptions) {
	o := &checkOptions{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "check the lab described by `FILE` instead of the default lab")
	fs.StringVar(&o.at, "at", "", "check at `TIME` (RFC 3339, e.g. 2026-06-20T00:00:00Z) instead of the lab's clock start")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	return fs, o
}

// errRed is check's exit status 1: something is red.
var errRed = errors.New("check: at least one finding is red")

func runCheck(args []string, stdout io.Writer) error {
	fs, o := checkFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var opts check.Options
	if o.at != "" {
		t, err := time.Parse(time.RFC3339, o.at)
		if err != nil {
			return usagef("check: --at %q: write the time as RFC 3339, e.g. 2026-06-20T00:00:00Z", o.at)
		}
		opts.At = t
	}
	cfg, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	rep, err := check.Run(cfg, opts)
	if err != nil {
		return err
	}
	if o.json {
		if err := writeJSON(stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprint(stdout, rep.String())
	}
	if rep.Red() {
		return errRed
	}
	return nil
}
