package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// Result is what running an entry showed.
type Result struct {
	Entry      Entry
	Symptoms   []SymptomResult
	Readings   []ReadingResult
	Reproduced bool // every symptom was seen where Exchange shows it
	Fixed      bool // after the fix the probe arrived and nothing was lost
	// Control is the negative control: the same probe on the unbroken
	// lab; Control.Clean when no symptom's form was seen there.
	Control    ControlResult
	Transcript string
	Err        error // the lab could not be run at all
}

// SymptomResult is one symptom checked.
type SymptomResult struct {
	Where Place
	Want  string
	Infer string
	Seen  bool
	Found []string // what the lab showed at Where
}

// ReadingResult is one conflict reading run.
type ReadingResult struct {
	Reading  Reading
	Symptoms []SymptomResult
	Seen     bool
}

// Run is one entry being run on a fresh lab; steps and symptoms read it.
type Run struct {
	Entry     Entry
	Lab       *sim.Lab
	MessageID string    // the probe's Message-ID
	SentAt    time.Time // when the probe was sent
	refusals  []string
	validated []string                    // what Observe's Validate-OutboundConnector showed
	certs     map[string]*pki.Certificate // certificates steps issued, by variable
	// hybridAlias is the hybrid certificate of a lab that names it otherwise.
	hybridAlias *pki.Certificate
	log         strings.Builder
}

// Execute runs an entry on a fresh default lab: break, probe, symptoms,
// fix, delivery. The same entry gives the same Result, transcript
// included, byte for byte.
func Execute(e Entry) Result { return ExecuteOn(e, sim.DefaultConfig()) }

// ExecuteOn runs an entry on a fresh lab started from base (a lab file's
// configuration): the catalogue against a customer's lab. Entries name the
// default lab's servers and mailboxes, so a lab that lacks them fails to
// reproduce those entries, and says why.
func ExecuteOn(e Entry, base sim.Config) (res Result) {
	res = Result{Entry: e}
	r, err := start(e, base, base.Options)
	if err != nil {
		res.Err = err
		return res
	}
	defer r.Lab.Close()
	defer func() {
		if p := recover(); p != nil {
			res.Reproduced, res.Fixed = false, false
			res.Err = notRunnable(e, p)
			res.Transcript = r.log.String()
		}
	}()
	r.header()
	if err := r.breakAndProbe(); err != nil {
		res.Err = err
		res.Transcript = r.log.String()
		return res
	}
	res.Symptoms, res.Reproduced = r.check(e.Symptoms)
	r.section("symptoms")
	r.writeSymptoms(res.Symptoms)
	res.Fixed, res.Err = r.fix()
	for _, rd := range e.Readings {
		rr, err := executeReading(e, base, rd)
		if err != nil && res.Err == nil {
			res.Err = err
		}
		res.Readings = append(res.Readings, rr)
		res.Reproduced = res.Reproduced && rr.Seen
		fmt.Fprintf(&r.log, "\n## reading %s: %s\n", rd.Conflict, rd.Name)
		for _, st := range rd.Break {
			fmt.Fprintf(&r.log, "> %s\n", st.Cmdlet)
		}
		r.writeSymptoms(rr.Symptoms)
	}
	ctl, err := NegativeControlOn(e, base)
	if err != nil && res.Err == nil {
		res.Err = err
	}
	res.Control = ctl
	r.section("negative control: the same probe on the unbroken lab")
	writeControl(&r.log, ctl)
	r.section("result")
	fmt.Fprintf(&r.log, "symptoms seen: %s\nabsent unbroken: %s\nfix verified: %s\n", yesNo(res.Reproduced), yesNo(ctl.Clean), yesNo(res.Fixed))
	res.Transcript = r.log.String()
	return res
}

// executeReading runs the entry's break and probe with another reading's
// options and checks that reading's symptoms.
func executeReading(e Entry, base sim.Config, rd Reading) (ReadingResult, error) {
	rr := ReadingResult{Reading: rd}
	r, err := start(e, base, rd.Options)
	if err != nil {
		return rr, err
	}
	defer r.Lab.Close()
	steps := e.Break
	if rd.Break != nil {
		steps = rd.Break
	}
	if err := r.steps(steps); err != nil {
		return rr, err
	}
	if err := r.probe(); err != nil {
		return rr, err
	}
	rr.Symptoms, rr.Seen = r.check(rd.Symptoms)
	return rr, nil
}

// start builds the entry's lab from a copy of base, with a reading's options.
func start(e Entry, base sim.Config, opts sim.Options) (*Run, error) {
	cfg := base.Clone()
	if e.Lab != nil {
		e.Lab(&cfg)
	}
	cfg.Options = opts
	lab, err := sim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %s: the lab does not start: %w", e.ID, err)
	}
	r := &Run{Entry: e, Lab: lab}
	r.aliasHybrid()
	return r, nil
}

// breakAndProbe applies the break, sends the probe and lets the lab run.
func (r *Run) breakAndProbe() error {
	r.section("break")
	if err := r.steps(r.Entry.Break); err != nil {
		return err
	}
	if err := r.probe(); err != nil {
		return err
	}
	r.section(fmt.Sprintf("the lab at %s (%s after the probe)", stamp(r.Lab.Now()), r.Entry.Wait))
	r.writeLab()
	return nil
}

// probe sends the entry's probe, if it has one, and lets the lab run for
// the entry's wait.
func (r *Run) probe() error {
	if p := r.Entry.Probe; p.From != "" {
		id, err := r.Lab.Send(p.From, p.To, p.Subject)
		if err != nil {
			return fmt.Errorf("scenarios: %s: sending the probe: %w", r.Entry.ID, err)
		}
		r.MessageID = id
		r.SentAt = r.Lab.Now()
		r.section("probe")
		fmt.Fprintf(&r.log, "%s -> %s %q %s\n", p.From, strings.Join(p.To, ", "), p.Subject, id)
	}
	r.Lab.Advance(r.Entry.Wait)
	return r.steps(r.Entry.Observe)
}

// steps runs steps, writing each cmdlet to the transcript.
func (r *Run) steps(steps []Step) error {
	for _, s := range steps {
		fmt.Fprintf(&r.log, "> %s\n", s.Cmdlet)
		err := s.Do(r)
		switch {
		case s.Refused && err == nil:
			return fmt.Errorf("scenarios: %s: %q should be refused, and was accepted", r.Entry.ID, s.Cmdlet)
		case s.Refused:
			r.refusals = append(r.refusals, errorTexts(err)...)
			fmt.Fprintf(&r.log, "  refused: %v\n", err)
		case err != nil:
			return fmt.Errorf("scenarios: %s: %s: %w", r.Entry.ID, s.Cmdlet, err)
		}
	}
	return nil
}

// fix applies the documented fix, lets the probe be retried and checks
// that it arrived and that nothing was lost.
func (r *Run) fix() (bool, error) {
	r.section("fix")
	if err := r.steps(r.Entry.Fix); err != nil {
		return false, err
	}
	return r.verify()
}

// verify lets the lab run for the entry's settle time and checks that the
// probe arrived, that a new one arrives at once, and that nothing was lost.
func (r *Run) verify() (bool, error) {
	settle := r.Entry.Settle
	if settle == 0 {
		settle = defaultSettle
	}
	r.Lab.Advance(settle)
	r.section(fmt.Sprintf("the lab at %s (%s after the fix)", stamp(r.Lab.Now()), settle))
	r.writeLab()
	p := r.Entry.Probe
	if p.From == "" {
		err := r.Lab.CheckNothingLost()
		if err != nil {
			fmt.Fprintf(&r.log, "%v\n", err)
		}
		cleared, oerr := r.observeAgain()
		return err == nil && cleared, oerr
	}
	// A new message after the fix must arrive at once.
	again, err := r.Lab.Send(p.From, p.To, p.Subject+" (after the fix)")
	if err != nil {
		return false, fmt.Errorf("scenarios: %s: sending after the fix: %w", r.Entry.ID, err)
	}
	r.section("a new message after the fix")
	r.log.WriteString(r.Lab.Trace(again).String())
	where, lostErr := r.Lab.Whereabouts()
	delivered := map[string]bool{}
	for _, w := range where {
		if w.Place == "mailbox" {
			delivered[w.MessageID+" "+strings.ToLower(w.Recipient)] = true
		}
	}
	ok := lostErr == nil
	for _, to := range p.To {
		if !delivered[again+" "+strings.ToLower(to)] {
			ok = false
		}
		if !delivered[r.MessageID+" "+strings.ToLower(to)] && !slices.Contains(r.Entry.Undelivered, to) {
			ok = false
		}
	}
	if lostErr != nil {
		fmt.Fprintf(&r.log, "%v\n", lostErr)
	}
	return ok, nil
}

// defaultSettle covers one retry of every queue after a fix: on-premises
// (S34: connection failures 10 minutes, transient failures 5, messages 15)
// and Exchange Online (15 minutes, INFER).
const defaultSettle = 15 * time.Minute

// check evaluates symptoms against what the lab shows.
func (r *Run) check(symptoms []Symptom) ([]SymptomResult, bool) {
	all := true
	var out []SymptomResult
	for _, s := range symptoms {
		want := s.Want.text(r)
		found := r.observe(s.Where)
		// The exact string must also have the symptom's form, which the
		// negative control looks for on the unbroken lab.
		seen := slices.Contains(found, want) && s.Want.Matches(want)
		all = all && seen
		out = append(out, SymptomResult{Where: s.Where, Want: want, Infer: s.Infer, Seen: seen, Found: found})
	}
	return out, all
}

func (r *Run) header() {
	e := r.Entry
	fmt.Fprintf(&r.log, "# %s %s\n# %s\n# direction: %s; tag: %s; sources: %s\n# labels: %s\n",
		e.ID, e.Slug, e.Title, e.Direction, e.Tag, strings.Join(e.Sources, ", "), strings.Join(e.Labels, ", "))
}

func (r *Run) section(name string) { fmt.Fprintf(&r.log, "\n## %s\n", name) }

func (r *Run) writeSymptoms(results []SymptomResult) {
	for _, s := range results {
		fmt.Fprintf(&r.log, "[%s] %s:\n  %s\n", seenMark(s.Seen), s.Where, s.Want)
		if s.Infer != "" {
			fmt.Fprintf(&r.log, "  INFER: %s\n", s.Infer)
		}
	}
}

// writeLab writes what the lab shows now: the probe's timeline, and every
// on-premises queue that holds something.
func (r *Run) writeLab() {
	if r.MessageID != "" {
		r.log.WriteString(r.Lab.Trace(r.MessageID).String())
	}
	for _, q := range r.queues() {
		fmt.Fprintf(&r.log, "queue %s\n", q)
	}
}

// errorTexts returns an error's text and the texts of every error it wraps
// or joins: a cmdlet's refusal is the innermost one, without the package's
// prefix.
func errorTexts(err error) []string {
	if err == nil {
		return nil
	}
	out := []string{err.Error()}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, errorTexts(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, errorTexts(e)...)
		}
	}
	return out
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func seenMark(b bool) string {
	if b {
		return "seen"
	}
	return "NOT SEEN"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
