package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// HaveLoggedEvent succeeds when an on-premises server of a *sim.Lab has
// logged an Application log event with that Event ID and text, whole.
func HaveLoggedEvent(eventID int, text string) types.GomegaMatcher {
	return &eventMatcher{want: fmt.Sprintf("Event %d: %s", eventID, text)}
}

type eventMatcher struct{ want string }

func (m *eventMatcher) Match(actual any) (bool, error) {
	lab, ok := actual.(*sim.Lab)
	if !ok {
		return false, fmt.Errorf("match: HaveLoggedEvent expects a *sim.Lab, got %T", actual)
	}
	return slices.Contains(events(lab), m.want), nil
}

func (m *eventMatcher) FailureMessage(actual any) string {
	return "Expected the Application log to hold\n  " + m.want + "\nIt holds:\n" + list(events(actual.(*sim.Lab)))
}

func (m *eventMatcher) NegatedFailureMessage(any) string {
	return "Expected the Application log not to hold\n  " + m.want
}

func list(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// events are every on-premises server's events as "Event <id>: <text>".
func events(lab *sim.Lab) []string {
	var out []string
	for _, s := range lab.Config().OnPrem.Servers {
		log, _ := lab.OnPrem.GetEventLog(s.Name)
		for _, e := range log {
			out = append(out, fmt.Sprintf("Event %d: %s", e.EventID, e.Message))
		}
	}
	return out
}

// BeSeen succeeds when a checked catalogue symptom (a
// scenarios.SymptomResult) was seen where Exchange shows it.
func BeSeen() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(s scenarios.SymptomResult) (bool, error) {
		return s.Seen, nil
	}).WithTemplate("Expected the lab to show, in the {{.Actual.Where}}:\n  {{.Actual.Want}}\nIt showed:\n{{range .Actual.Found}}  {{.}}\n{{end}}")
}

// BeVerified succeeds when a catalogue run's fix was verified (a
// scenarios.Result): the probe arrived, a new message arrived and nothing
// was lost.
func BeVerified() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r scenarios.Result) (bool, error) {
		return r.Fixed, nil
	}).WithTemplate("Expected {{.Actual.Entry.ID}}'s probe to arrive after the documented fix, with nothing lost. Its transcript:\n{{.Actual.Transcript}}")
}
