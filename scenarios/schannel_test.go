package scenarios

import (
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// TestF21NegativeControl: F21's symptoms are absent on the unbroken lab, so
// that seeing them proves the failure (the probe is sent without the break).
func TestF21NegativeControl(t *testing.T) {
	e, ok := Find("F21")
	if !ok {
		t.Fatal("F21 is not in the catalogue")
	}
	r, err := start(e, sim.DefaultConfig(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Lab.Close() })
	id, err := r.Lab.Send(e.Probe.From, e.Probe.To, e.Probe.Subject)
	if err != nil {
		t.Fatal(err)
	}
	r.MessageID, r.SentAt = id, r.Lab.Now()
	r.Lab.Advance(e.Wait)
	results, _ := r.check(e.Symptoms)
	for _, s := range results {
		if s.Seen {
			t.Errorf("the unbroken lab shows F21's symptom in %s: %s", s.Where, s.Want)
		}
	}
	where, err := r.Lab.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range where {
		if w.MessageID == id && w.Place != "mailbox" {
			t.Errorf("the unbroken lab did not deliver the probe: %+v", w)
		}
	}
}
