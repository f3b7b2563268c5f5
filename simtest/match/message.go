package match

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/hybridsim/hybridsim/simtest"
)

// BeDelivered succeeds when every recipient's copy of a simtest.Message
// is in a mailbox and the lab lost nothing.
func BeDelivered() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(m simtest.Message) (bool, error) {
		where := m.Whereabouts()
		if len(where) == 0 {
			return false, fmt.Errorf("match: the lab holds no message %s", m.ID)
		}
		if err := m.Lab.CheckNothingLost(); err != nil {
			return false, nil
		}
		for _, w := range where {
			if w.Place != "mailbox" {
				return false, nil
			}
		}
		return true, nil
	}).WithTemplate("Expected {{.Actual.ID}} {{.To}} be delivered to every recipient. It is:\n{{range .Actual.Whereabouts}}  {{.Recipient}}: {{.Place}} {{.Where}} {{.LastError}}\n{{end}}")
}

// BeDeferredWith succeeds when a copy of a simtest.Message waits in a
// queue (Exchange Online's or an on-premises server's) whose last error's
// LED is led, whole: "450 4.4.317 Cannot connect to remote server
// [Message=451 5.7.3 STARTTLS is required to send mail]".
func BeDeferredWith(led string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(m simtest.Message) (bool, error) {
		for _, w := range m.Whereabouts() {
			if w.Place == "queue" && LED(w.LastError) == led {
				return true, nil
			}
		}
		return false, nil
	}).WithTemplate("Expected {{.Actual.ID}} {{.To}} be deferred with the LED\n  {{.Data}}\nIt is:\n{{range .Actual.Whereabouts}}  {{.Recipient}}: {{.Place}} {{.Where}} {{.LastError}}\n{{end}}", led)
}

// BeQueuedWithLastError succeeds when a copy of a simtest.Message waits in
// a queue whose LastError is lastError, whole.
func BeQueuedWithLastError(lastError string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(m simtest.Message) (bool, error) {
		for _, w := range m.Whereabouts() {
			if w.Place == "queue" && w.LastError == lastError {
				return true, nil
			}
		}
		return false, nil
	}).WithTemplate("Expected {{.Actual.ID}} {{.To}} wait in a queue with the LastError\n  {{.Data}}\nIt is:\n{{range .Actual.Whereabouts}}  {{.Recipient}}: {{.Place}} {{.Where}} {{.LastError}}\n{{end}}", lastError)
}

// LED returns the LED of a queue's last error: the {LED=...} element of
// an on-premises LastError, or an Exchange Online LastError up to its
// first [LastAttemptedServerName=...] element.
func LED(lastError string) string {
	if _, rest, ok := strings.Cut(lastError, "{LED="); ok {
		led, _, _ := strings.Cut(rest, "};")
		return led
	}
	led, _, _ := strings.Cut(lastError, " [LastAttemptedServerName=")
	return led
}
