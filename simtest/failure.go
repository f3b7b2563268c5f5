package simtest

import (
	"fmt"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Lookup returns the catalogue entry with an id (F01) or slug
// (stale-receive-tlscertificatename).
func Lookup(id string) (scenarios.Entry, error) {
	e, ok := scenarios.Find(id)
	if !ok {
		return e, fmt.Errorf("simtest: no catalogue entry %q; hybridsim list shows them", id)
	}
	return e, nil
}

// Failure is a running lab broken as a catalogue entry breaks it.
type Failure struct {
	Entry scenarios.Entry
	Lab   *sim.Lab
	run   *scenarios.Run
}

// Start starts a lab prepared for a catalogue entry (its adjustments of
// the lab applied to the default lab or the options') and breaks it the
// way the entry does, through the same cmdlets. Close it when done.
func Start(id string, opts ...Option) (*Failure, error) {
	e, err := Lookup(id)
	if err != nil {
		return nil, err
	}
	lab, err := sim.New(scenarios.PrepareConfig(e, config(opts)))
	if err != nil {
		return nil, fmt.Errorf("simtest: the lab for %s does not start: %w", e.ID, err)
	}
	f := &Failure{Entry: e, Lab: lab, run: scenarios.Attach(e, lab)}
	if err := f.run.Break(); err != nil {
		lab.Close()
		return nil, fmt.Errorf("simtest: breaking the lab as %s does: %w", e.ID, err)
	}
	return f, nil
}

// Break is Start for a test: the lab is closed when the test ends, and
// an error fails the test.
func Break(t TB, id string, opts ...Option) *Failure {
	t.Helper()
	f, err := Start(id, opts...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Close stops the lab.
func (f *Failure) Close() error { return f.Lab.Close() }

// Probe sends the entry's probe message and lets the lab run for the
// entry's wait (retries on the virtual clock); it returns the message.
func (f *Failure) Probe() (Message, error) {
	err := f.run.Probe()
	return f.Message(), err
}

// Message is the probe, once sent.
func (f *Failure) Message() Message { return Message{Lab: f.Lab, ID: f.run.MessageID} }

// Symptoms checks the entry's symptoms now, each where Exchange shows it.
func (f *Failure) Symptoms() []scenarios.SymptomResult { return f.run.Symptoms() }

// Fix applies the entry's documented fix.
func (f *Failure) Fix() error { return f.run.Fix() }

// Verify lets the lab retry after the fix and reports whether the probe
// arrived, a new message arrives at once and nothing was lost
// (scenarios.Run.Verify).
func (f *Failure) Verify() (bool, error) { return f.run.Verify() }

// Transcript is every step applied so far, as the administrator typed it.
func (f *Failure) Transcript() string { return f.run.Transcript() }

// Message is a message sent in a lab, by its Message-ID, for the matchers.
type Message struct {
	Lab *sim.Lab
	ID  string
}

// Send sends a message from a mailbox of the lab, as a user would, and
// returns it; any error fails the test.
func Send(t TB, lab *sim.Lab, from string, to []string, subject string) Message {
	t.Helper()
	id, err := lab.Send(from, to, subject)
	if err != nil {
		t.Fatalf("simtest: sending from %s: %v", from, err)
	}
	return Message{Lab: lab, ID: id}
}

// Whereabouts is where each recipient's copy of the message is now.
func (m Message) Whereabouts() []sim.Whereabouts {
	all, _ := m.Lab.Whereabouts()
	var out []sim.Whereabouts
	for _, w := range all {
		if w.MessageID == m.ID {
			out = append(out, w)
		}
	}
	return out
}
