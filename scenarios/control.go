package scenarios

import (
	"fmt"

	"github.com/hybridsim/hybridsim/sim"
)

// ControlResult is an entry's negative control: its probe sent on the lab
// the entry starts from, unbroken, and read after the same wait. A symptom
// proves the failure only if it is absent here.
type ControlResult struct {
	Entry    Entry
	Symptoms []SymptomResult            // Seen: a string of the symptom's form was found
	Readings map[string][]SymptomResult // by conflict id (C2), under its options
	Clean    bool                       // no symptom of the entry or of a reading was seen
}

// NegativeControl runs an entry's negative control on a fresh default lab.
func NegativeControl(e Entry) (ControlResult, error) {
	return NegativeControlOn(e, sim.DefaultConfig())
}

// NegativeControlOn runs an entry's negative control on a fresh lab
// started from base: the entry's lab adjustments, no break, the same
// probe and the same wait; then, for each reading, the same under its
// options. A symptom holds when any string at its place has the
// symptom's form (Expectation's pattern, whatever the names, addresses
// and thumbprints), which is stricter than the exact string.
func NegativeControlOn(e Entry, base sim.Config) (ControlResult, error) {
	res := ControlResult{Entry: e, Clean: true}
	var err error
	res.Symptoms, err = control(e, base, base.Options, e.Symptoms)
	if err != nil {
		return res, err
	}
	for _, s := range res.Symptoms {
		res.Clean = res.Clean && !s.Seen
	}
	for _, rd := range e.Readings {
		got, err := control(e, base, rd.Options, rd.Symptoms)
		if err != nil {
			return res, err
		}
		if res.Readings == nil {
			res.Readings = map[string][]SymptomResult{}
		}
		res.Readings[rd.Conflict] = got
		for _, s := range got {
			res.Clean = res.Clean && !s.Seen
		}
	}
	return res, nil
}

// control probes the unbroken lab and reports which symptoms' forms it shows.
func control(e Entry, base sim.Config, opts sim.Options, symptoms []Symptom) ([]SymptomResult, error) {
	r, err := start(e, base, opts)
	if err != nil {
		return nil, err
	}
	defer r.Lab.Close()
	if err := r.probe(); err != nil {
		return nil, err
	}
	var out []SymptomResult
	for _, s := range symptoms {
		found := r.observe(s.Where)
		res := SymptomResult{Where: s.Where, Want: s.Want.String(), Infer: s.Infer, Found: found}
		for _, text := range found {
			if s.Want.Matches(text) {
				res.Seen = true
			}
		}
		out = append(out, res)
	}
	return out, nil
}

// Matches reports whether a string has the expectation's form: the same
// text, any names, addresses, thumbprints and times where the run fills
// them in.
func (x Expectation) Matches(s string) bool { return x.pattern != nil && x.pattern.MatchString(s) }

// String is the expectation's form as a regular expression.
func (x Expectation) String() string {
	if x.pattern == nil {
		return ""
	}
	return x.pattern.String()
}

// writeControl writes a negative control's outcome to a transcript.
func writeControl(w interface{ WriteString(string) (int, error) }, c ControlResult) {
	mark := func(s SymptomResult) string {
		if s.Seen {
			return "HELD ANYWAY"
		}
		return "absent"
	}
	for _, s := range c.Symptoms {
		w.WriteString(fmt.Sprintf("[%s] %s\n", mark(s), s.Where))
	}
	for _, rd := range c.Entry.Readings {
		for _, s := range c.Readings[rd.Conflict] {
			w.WriteString(fmt.Sprintf("[%s] %s (reading %s)\n", mark(s), s.Where, rd.Conflict))
		}
	}
}
