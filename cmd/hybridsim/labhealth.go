package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// labHealth is what run --lab learns before it runs the catalogue: whether
// the lab as given delivers a probe in every direction, and which entries
// cannot run on it, with the reason.
type labHealth struct {
	checked       bool
	probes        []scenarios.Prediction
	notApplicable map[string]string // entry ID -> why
}

// checkLab sends Explain's probes through the lab as given.
func checkLab(cfg sim.Config) (labHealth, error) {
	probes, err := scenarios.Explain(cfg)
	if err != nil {
		return labHealth{}, fmt.Errorf("the lab does not start: %w", err)
	}
	return labHealth{checked: true, probes: probes, notApplicable: map[string]string{}}, nil
}

// healthy reports whether every probe was delivered.
func (h labHealth) healthy() bool {
	for _, p := range h.probes {
		if p.Outcome != "delivered" {
			return false
		}
	}
	return true
}

// runnable returns the entries that can run on the lab and records why
// the others cannot: the lab lacks what the entry breaks, or the entry's
// probe already fails on the lab as given, so neither the break nor the
// fix could be told apart from what is already wrong.
func (h labHealth) runnable(entries []scenarios.Entry, cfg sim.Config) []scenarios.Entry {
	if !h.checked {
		return entries
	}
	var out []scenarios.Entry
	for _, e := range entries {
		if ok, why := scenarios.Applicable(e, cfg); !ok {
			h.notApplicable[e.ID] = why
			continue
		}
		if p, ok := h.probeOf(e.Probe); ok && p.Outcome != "delivered" {
			h.notApplicable[e.ID] = fmt.Sprintf("the lab as given already fails this entry's direction (%s -> %s: %s) before the break; fix that first (hybridsim explain --lab)",
				p.From, p.To, p.Outcome)
			continue
		}
		out = append(out, e)
	}
	return out
}

// probeOf is the health probe with the same sender and recipients as an
// entry's probe.
func (h labHealth) probeOf(p scenarios.Probe) (scenarios.Prediction, bool) {
	for _, pr := range h.probes {
		if strings.EqualFold(pr.From, p.From) && strings.EqualFold(pr.To, strings.Join(p.To, ", ")) {
			return pr, true
		}
	}
	return scenarios.Prediction{}, false
}

// merge puts the results of the entries that ran and the entries that did
// not back in the catalogue's order.
func (h labHealth) merge(entries []scenarios.Entry, ran []scenarios.Result) []scenarios.Result {
	if !h.checked {
		return ran
	}
	var out []scenarios.Result
	for _, e := range entries {
		i := slices.IndexFunc(ran, func(r scenarios.Result) bool { return r.Entry.ID == e.ID })
		if i < 0 {
			out = append(out, scenarios.Result{Entry: e})
			continue
		}
		out = append(out, ran[i])
	}
	return out
}

// write says whether the lab as given is healthy, probe by probe.
func (h labHealth) write(w io.Writer) {
	if h.healthy() {
		fmt.Fprintf(w, "the lab as given: healthy (%d probes delivered)\n\n", len(h.probes))
		return
	}
	fmt.Fprintln(w, "the lab as given is NOT healthy; 'hybridsim explain --lab' says why:")
	for _, p := range h.probes {
		fmt.Fprintf(w, "  %s: %s -> %s: %s\n", p.Direction, p.From, p.To, p.Outcome)
	}
	fmt.Fprintln(w)
}
