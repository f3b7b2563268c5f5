package check

import (
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Colour is how Health Checker colours a result.
type Colour string

// The colours, worst last.
const (
	Green  Colour = "Green"  // as it should be
	Yellow Colour = "Yellow" // a warning: not as recommended, or failing soon
	Red    Colour = "Red"    // an error: mail fails, or will within 30 days
)

func (c Colour) rank() int {
	switch c {
	case Red:
		return 2
	case Yellow:
		return 1
	}
	return 0
}

// Finding is one line of the report: one property of one object, judged
// as a Health Checker check (or one of hybridsim's two-sided checks)
// judges it, and what it does to mail.
type Finding struct {
	// Check is Health Checker's check (CertificateCheck, CloudConnectorCheck,
	// ...) or hybridsim's own (BothSidesCheck, StartTlsCheck).
	Check string `json:"check"`
	// Object is what was read: a server, a connector, a certificate.
	Object string `json:"object"`
	// Test is what was judged, in a few words.
	Test   string `json:"test"`
	Value  string `json:"value"`
	Colour Colour `json:"colour"`
	// Detail says why the colour, and the documented fix.
	Detail string `json:"detail,omitempty"`
	// Directions are the mail flows the finding concerns.
	Directions []scenarios.Direction `json:"directions,omitempty"`
	// Expires is when a finding that depends on time turns into a
	// failure (a certificate's NotAfter, a known date); zero otherwise.
	Expires time.Time `json:"expires,omitzero"`
	// Consequence is what the lab's probes showed this finding does to
	// mail now, or "no consequence now".
	Consequence string `json:"consequence"`
}

// Report is the whole result of a check.
type Report struct {
	// At is the instant the lab was checked at.
	At       time.Time `json:"at"`
	Findings []Finding `json:"findings"`
	// Now is what a message in each direction does at At.
	Now []scenarios.Prediction `json:"now"`
	// FirstFailure is the first instant after At at which mail that flows
	// now stops flowing, and how; nil when none of the instants stepped
	// over (certificates' expiries, known dates) stops it.
	FirstFailure *Failure `json:"firstFailure,omitempty"`
	// Failures are every instant after At, within the horizon, at which a
	// direction that flowed until then fails; the first is FirstFailure.
	Failures []Failure `json:"failures,omitempty"`
}

// Failure is mail that flows now failing from an instant on.
type Failure struct {
	At    time.Time `json:"at"`
	Cause string    `json:"cause"`
	// Prediction is the first direction that fails at At; Also the others
	// that fail from the same instant.
	Prediction scenarios.Prediction   `json:"prediction"`
	Also       []scenarios.Prediction `json:"also,omitempty"`
}

// predictions are every direction that fails from the instant.
func (f *Failure) predictions() []scenarios.Prediction {
	return append([]scenarios.Prediction{f.Prediction}, f.Also...)
}

// Red reports whether any finding is red: check exits 1.
func (r Report) Red() bool {
	for _, f := range r.Findings {
		if f.Colour == Red {
			return true
		}
	}
	return false
}
