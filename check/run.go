package check

import (
	"fmt"
	"slices"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// Options configure Run.
type Options struct {
	// At is the instant to check at; zero: the lab's clock start. The lab
	// runs up to it before anything is read.
	At time.Time
	// Horizon is how far past At the clock is moved to find the first
	// instant mail fails; zero: two years.
	Horizon time.Duration
}

// Run checks a lab: it starts the lab from cfg (a lab file's, the default
// lab's, or one built from customer evidence), moves its clock to At, reads
// it through the cmdlets and colours every finding as Health Checker does,
// all before any message is sent. Then it sends a message each way (now)
// and gives each finding its consequence, and moves the clock of fresh labs
// over every certificate's expiry and every known date to find each instant
// at which mail that flowed until then fails.
func Run(cfg sim.Config, opts Options) (Report, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return Report{}, fmt.Errorf("check: the lab does not start: %w", err)
	}
	defer lab.Close()
	start := lab.Now()
	if opts.At.IsZero() {
		opts.At = start
	}
	if opts.At.Before(start) {
		return Report{}, fmt.Errorf("check: --at %s is before the lab's clock starts (%s): give a later time", opts.At.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	if opts.Horizon == 0 {
		opts.Horizon = 2 * 365 * 24 * time.Hour
	}
	lab.Advance(opts.At.Sub(start))
	findings, err := Inspect(lab)
	if err != nil {
		return Report{}, err
	}
	rep := Report{At: opts.At, Findings: findings}
	if rep.Now, err = probeLab(cfg, opts.At); err != nil {
		return rep, err
	}
	rep.Failures, err = failures(cfg, opts.At, opts.At.Add(opts.Horizon), rep.Now, instants(findings))
	if err != nil {
		return rep, err
	}
	rep.consequences()
	if len(rep.Failures) > 0 {
		rep.FirstFailure = &rep.Failures[0]
	}
	return rep, nil
}

// Inspect reads a running lab through its cmdlets and returns every
// finding, coloured, without their consequences. It sends no message:
// the only traffic is the look at each smart host (EHLO and STARTTLS).
func Inspect(lab *sim.Lab) ([]Finding, error) {
	v, err := read(lab)
	if err != nil {
		return nil, err
	}
	return slices.Concat(v.connectorChecks(), v.certificateChecks(), v.bothSidesChecks(), v.capabilityChecks(), v.outboundEnabledChecks(), v.tlsChecks(), v.rootChecks(), v.retryChecks()), nil
}

// instants are the times at which findings that depend on time change.
func instants(findings []Finding) []time.Time {
	var out []time.Time
	for _, f := range findings {
		if !f.Expires.IsZero() && !slices.ContainsFunc(out, f.Expires.Equal) {
			out = append(out, f.Expires)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}
