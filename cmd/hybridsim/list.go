package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/hybridsim/hybridsim/scenarios"
)

var listCommand = &command{
	name:    "list",
	summary: "list the catalogue of documented failures",
	examples: []example{
		{"hybridsim list", "Every documented failure: id, direction, labels and title."},
		{"hybridsim list --json", "The same, machine-readable, with sources and documented fixes."},
	},
	flags: func() *flag.FlagSet { fs, _ := listFlags(); return fs },
	run:   runList,
}

func listFlags() (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	return fs, fs.Bool("json", false, "print JSON instead of a table")
}

// listed is one entry as list --json prints it.
type listed struct {
	ID        string   `json:"id"`
	Slug      string   `json:"slug"`
	Title     string   `json:"title"`
	Direction string   `json:"direction"`
	Tag       string   `json:"tag"`
	Sources   []string `json:"sources"`
	Labels    []string `json:"labels"`
	Break     []string `json:"break"`
	Fix       []string `json:"fix"`
}

func runList(args []string, stdout io.Writer) error {
	fs, asJSON := listFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cat := scenarios.Catalogue()
	if *asJSON {
		var out []listed
		for _, e := range cat {
			l := listed{ID: e.ID, Slug: e.Slug, Title: e.Title, Direction: string(e.Direction), Tag: e.Tag, Sources: e.Sources, Labels: e.Labels}
			for _, s := range e.Break {
				l.Break = append(l.Break, s.Cmdlet)
			}
			for _, s := range e.Fix {
				l.Fix = append(l.Fix, s.Cmdlet)
			}
			out = append(out, l)
		}
		return writeJSON(stdout, out)
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tDIRECTION\tLABELS\tTITLE")
	for _, e := range cat {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.ID, e.Direction, strings.Join(e.Labels, ","), e.Title)
	}
	return w.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
