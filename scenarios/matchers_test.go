package scenarios_test

import (
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/hybridsim/hybridsim/scenarios"
)

// ShowSymptom succeeds when a checked symptom was seen where Exchange shows
// it; the failure lists what the lab showed there instead.
func ShowSymptom() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(s scenarios.SymptomResult) (bool, error) {
		return s.Seen, nil
	}).WithTemplate("Expected the lab to show, in the {{.Actual.Where}}:\n  {{.Actual.Want}}\nIt showed:\n{{range .Actual.Found}}  {{.}}\n{{end}}")
}

// HaveDelivered succeeds when a result's fix verified delivery.
func HaveDelivered() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(r scenarios.Result) (bool, error) {
		return r.Fixed, nil
	}).WithTemplate("Expected {{.Actual.Entry.ID}}'s probe to arrive after the documented fix, with nothing lost. Its transcript:\n{{.Actual.Transcript}}")
}
