package scenarios

import (
	"fmt"

	"github.com/hybridsim/hybridsim/sim"
)

// Attach returns a Run of an entry on a lab that is already running (a
// served lab, another tool's test suite), for Break and Fix. Entries whose
// Lab adjusts the configuration before the lab starts (a second
// certificate, a relay connector) need a lab started with PrepareConfig.
func Attach(e Entry, lab *sim.Lab) *Run {
	r := &Run{Entry: e, Lab: lab}
	if lab != nil {
		r.aliasHybrid()
	}
	return r
}

// PrepareConfig applies an entry's adjustments of the lab configuration
// (Entry.Lab) to a copy of cfg: start a lab from it to Attach the entry.
func PrepareConfig(e Entry, cfg sim.Config) sim.Config {
	out := cfg.Clone()
	if e.Lab != nil {
		e.Lab(&out)
	}
	return out
}

// Break applies the entry's break steps to the run's lab, in order, as
// the catalogue does. A step the failure is that Exchange refuses (F28)
// records the refusal and leaves the lab as it was.
func (r *Run) Break() error {
	if r.Lab == nil {
		return fmt.Errorf("scenarios: %s: no lab to break; Attach the entry to a running lab", r.Entry.ID)
	}
	return r.steps(r.Entry.Break)
}

// Fix applies the entry's documented fix steps to the run's lab.
func (r *Run) Fix() error {
	if r.Lab == nil {
		return fmt.Errorf("scenarios: %s: no lab to fix; Attach the entry to a running lab", r.Entry.ID)
	}
	return r.steps(r.Entry.Fix)
}

// Transcript is what the run's steps have written so far: each cmdlet as
// the administrator typed it, and any refusal.
func (r *Run) Transcript() string { return r.log.String() }
