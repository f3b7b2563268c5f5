package check

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// String renders the report as Health Checker's console does, one line
// per finding with its colour, then the consequences and the first instant
// mail fails.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Checked at %s\n\n", r.At.Format(time.RFC3339))
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Colour\tCheck\tObject\tTest\tValue")
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", f.Colour, f.Check, f.Object, f.Test, f.Value)
	}
	w.Flush()
	b.WriteString("\nConsequences (findings that are not green, or that will bite):\n")
	n := 0
	for _, f := range r.Findings {
		if f.Colour == Green && f.Consequence == "no consequence now" {
			continue
		}
		n++
		fmt.Fprintf(&b, "  [%s] %s: %s = %s\n", f.Colour, f.Object, f.Test, f.Value)
		if f.Detail != "" {
			fmt.Fprintf(&b, "    fix: %s\n", f.Detail)
		}
		fmt.Fprintf(&b, "    consequence: %s\n", f.Consequence)
	}
	if n == 0 {
		b.WriteString("  none\n")
	}
	b.WriteString("\nMail now:\n")
	for _, p := range r.Now {
		fmt.Fprintf(&b, "  %s\n", describe(p))
	}
	b.WriteString("\nFirst failure: ")
	if r.FirstFailure == nil {
		b.WriteString("none within the horizon\n")
	} else {
		ff := r.FirstFailure
		fmt.Fprintf(&b, "from %s, %s\n", ff.At.Format(time.RFC3339), describe(ff.Prediction))
		for _, p := range ff.Also {
			fmt.Fprintf(&b, "  and %s\n", describe(p))
		}
		if ff.Cause != "" {
			fmt.Fprintf(&b, "  because: %s\n", ff.Cause)
		}
		for _, f := range r.Failures[1:] {
			fmt.Fprintf(&b, "Then: from %s, %s\n", f.At.Format(time.RFC3339), describe(f.Prediction))
			for _, p := range f.Also {
				fmt.Fprintf(&b, "  and %s\n", describe(p))
			}
			if f.Cause != "" {
				fmt.Fprintf(&b, "  because: %s\n", f.Cause)
			}
		}
	}
	return b.String()
}
