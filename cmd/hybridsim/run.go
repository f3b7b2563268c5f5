package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"sync"
	"text/tabwriter"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

var runCommand = &command{
	name:    "run",
	summary: "reproduce documented failures and clear them with the documented fix",
	examples: []example{
		{"hybridsim run", "Run the whole catalogue on the default lab: each failure is reproduced,\n" +
			"shown where Exchange shows it, fixed the documented way, and the mail\n" +
			"must then arrive. Exits 1 if any entry fails to reproduce or to clear."},
		{"hybridsim run F01 F14 --transcript", "Run two entries and print their whole story: every hop's SMTP\n" +
			"dialogue, the logs, events and message trace."},
		{"hybridsim run --lab mylab.yaml --json", "Run the catalogue against a lab file; JSON results."},
		{"hybridsim run --reading C1", "Run the entries a spec conflict's other reading changes (C1, C2, C5,\n" +
			"C6, C10), with only that reading."},
	},
	flags: func() *flag.FlagSet { fs, _ := runFlags(); return fs },
	run:   runRun,
}

type runOptions struct {
	lab              string
	reading          string
	json, transcript bool
}

func runFlags() (*flag.FlagSet, *runOptions) {
	o := &runOptions{}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "run on the lab described by `FILE` instead of the default lab")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	fs.BoolVar(&o.transcript, "transcript", false, "print each entry's transcript")
	fs.StringVar(&o.reading, "reading", "", "run only the entries with the conflict reading `ID` (C1, C2, C5, C6, C10), with that reading alone")
	return fs, o
}

// runResult is one entry's result as run --json prints it.
type runResult struct {
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	Direction  string          `json:"direction"`
	Reproduced bool            `json:"symptomSeen"`
	Fixed      bool            `json:"fixVerified"`
	Symptoms   []symptomResult `json:"symptoms"`
	// Controlled: no symptom's form was seen on the unbroken lab.
	Controlled bool            `json:"absentUnbroken"`
	Readings   []readingResult `json:"readings,omitempty"`
	Error      string          `json:"error,omitempty"`
	// NotApplicable says why the entry did not run on this lab.
	NotApplicable string `json:"notApplicable,omitempty"`
	Transcript    string `json:"transcript,omitempty"`
}

type symptomResult struct {
	Where string `json:"where"`
	Want  string `json:"want"`
	Seen  bool   `json:"seen"`
	Infer string `json:"infer,omitempty"`
}

func runRun(args []string, stdout io.Writer) error {
	fs, o := runFlags()
	fs.SetOutput(io.Discard)
	ids, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	entries, err := pick(ids)
	if err != nil {
		return err
	}
	if entries, err = withReading(entries, o.reading); err != nil {
		return err
	}
	base, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	var health labHealth
	if o.lab != "" {
		if health, err = checkLab(base); err != nil {
			return err
		}
	}
	results := health.merge(entries, executeAll(health.runnable(entries, base), base))
	failed := 0
	var out []runResult
	for _, res := range results {
		r := runResult{ID: res.Entry.ID, Title: res.Entry.Title, Direction: string(res.Entry.Direction),
			Reproduced: res.Reproduced, Fixed: res.Fixed, Controlled: res.Control.Clean, Readings: readings(res)}
		if why, ok := health.notApplicable[res.Entry.ID]; ok {
			r.NotApplicable, r.Readings = why, nil
			out = append(out, r)
			continue
		}
		for _, s := range res.Symptoms {
			r.Symptoms = append(r.Symptoms, symptomResult{Where: string(s.Where), Want: s.Want, Seen: s.Seen, Infer: s.Infer})
		}
		if res.Err != nil {
			r.Error = res.Err.Error()
		}
		if o.transcript {
			r.Transcript = res.Transcript
		}
		if !res.Reproduced || !res.Fixed || !res.Control.Clean || res.Err != nil {
			failed++
		}
		out = append(out, r)
	}
	if o.json {
		if err := writeJSON(stdout, out); err != nil {
			return err
		}
	} else {
		if o.lab != "" {
			health.write(stdout)
		}
		writeRunTable(stdout, out, o.transcript)
	}
	if n := len(health.notApplicable); n > 0 && n == len(out) {
		return fmt.Errorf("none of the %d entries applies to this lab; each says why above", n)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d entries did not reproduce, showed a symptom unbroken or did not clear", failed, len(out))
	}
	return nil
}

// pick returns the entries named by id or slug, or the whole catalogue.
func pick(ids []string) ([]scenarios.Entry, error) {
	if len(ids) == 0 {
		return scenarios.Catalogue(), nil
	}
	var out []scenarios.Entry
	for _, id := range ids {
		e, ok := scenarios.Find(id)
		if !ok {
			return nil, usagef("no catalogue entry %q; 'hybridsim list' shows them", id)
		}
		out = append(out, e)
	}
	return out, nil
}

// executeAll runs entries on as many cores as there are, each on its own
// lab; the results come back in the entries' order.
func executeAll(entries []scenarios.Entry, base sim.Config) []scenarios.Result {
	results := make([]scenarios.Result, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(entries)) {
		wg.Go(func() {
			for i := range next {
				results[i] = scenarios.ExecuteOn(entries[i], base)
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func writeRunTable(stdout io.Writer, results []runResult, transcripts bool) {
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSYMPTOM SEEN\tABSENT UNBROKEN\tFIX VERIFIED\tTITLE")
	for _, r := range results {
		if r.NotApplicable != "" {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.ID, "n/a", "n/a", "n/a", r.Title)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.ID, yesNo(r.Reproduced), yesNo(r.Controlled), yesNo(r.Fixed), r.Title)
		for _, rd := range r.Readings {
			fmt.Fprintf(w, "%s %s\t%s\t%s\t\t  reading: %s\n", r.ID, rd.Conflict, yesNo(rd.Seen), yesNo(rd.Controlled), rd.Name)
		}
	}
	w.Flush()
	for _, r := range results {
		if r.NotApplicable != "" {
			fmt.Fprintf(stdout, "\n%s: not applicable: %s\n", r.ID, r.NotApplicable)
			continue
		}
		if r.Error != "" {
			fmt.Fprintf(stdout, "\n%s: %s\n", r.ID, r.Error)
		}
		for _, s := range r.Symptoms {
			if !s.Seen {
				fmt.Fprintf(stdout, "\n%s: not seen in the %s:\n  %s\n", r.ID, s.Where, s.Want)
			}
		}
		if transcripts {
			fmt.Fprintf(stdout, "\n%s", r.Transcript)
		}
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
