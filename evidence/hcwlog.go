package evidence

import (
	"fmt"
	"strings"
)

// The hybrid configuration wizard's log prints, for each connector it
// sets, a line naming the connector ("Receive connector EX01\Default
// Frontend EX01") and a table of Property, Expected, Actual and Equals
// (seed 000: search the log for "actual"). Expected is what the wizard
// set, so it is the connector's value after the run; Actual, what it was.

// wizardKinds are the tables' headings.
var wizardKinds = map[string]kind{
	"send connector":     kindSendConnector,
	"receive connector":  kindReceiveConnector,
	"inbound connector":  kindInboundConnector,
	"outbound connector": kindOutboundConnector,
}

// wizardHeader finds a table's header: the columns' offsets, or ok false.
func wizardHeader(line string) (cols [4]int, ok bool) {
	at := 0
	for i, word := range []string{"Property", "Expected", "Actual", "Equals"} {
		j := strings.Index(line[at:], word)
		if j < 0 {
			return cols, false
		}
		cols[i] = at + j
		at += j + len(word)
	}
	return cols, true
}

// hasWizardTables reports whether text holds a wizard table.
func hasWizardTables(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if _, ok := wizardHeader(line); ok {
			return true
		}
	}
	return false
}

// readWizardLog reads the wizard's connector tables; other lines of the
// log are skipped.
func readWizardLog(name, text string, ev *collected) error {
	lines := strings.Split(text, "\n")
	found := 0
	for i := 0; i < len(lines); i++ {
		cols, ok := wizardHeader(lines[i])
		if !ok {
			continue
		}
		heading, label, k := "", "", kind("")
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			lower := strings.ToLower(lines[j])
			for l, kk := range wizardKinds {
				if at := strings.Index(lower, l+" "); at >= 0 {
					heading, label, k = strings.TrimSpace(lines[j][at+len(l)+1:]), l, kk
				}
			}
			if k != "" {
				break
			}
		}
		if k == "" {
			return &sourceError{fmt.Sprintf("%s line %d", name, i+1), fmt.Errorf("a Property/Expected/Actual/Equals table without a \"Send connector\", \"Receive connector\", \"Inbound connector\" or \"Outbound connector\" line above it")}
		}
		r := &record{kind: k, file: name, exo: k == kindInboundConnector || k == kindOutboundConnector,
			source: fmt.Sprintf("%s line %d, %s table", name, i, label), fields: map[string]field{}}
		if k == kindReceiveConnector {
			server, cname, _ := strings.Cut(heading, `\`)
			r.fields["server"], r.fields["name"] = field{text: server}, field{text: cname}
		} else {
			r.fields["name"] = field{text: heading}
		}
		r.fields["identity"] = field{text: heading}
		for i++; i < len(lines); i++ {
			line := lines[i]
			if strings.TrimSpace(line) == "" || len(line) <= cols[1] {
				break
			}
			cell := func(c int) string {
				end := len(line)
				if c+1 < len(cols) {
					end = min(end, cols[c+1])
				}
				if cols[c] >= end {
					return ""
				}
				return strings.TrimSpace(line[cols[c]:end])
			}
			prop, expected := cell(0), cell(1)
			if prop == "" {
				break
			}
			f := field{text: expected, where: fmt.Sprintf("%s line %d, Expected", name, i+1)}
			if strings.HasPrefix(expected, "{") {
				f.isList = true
				f.list, f.truncated = listOf(expected)
			}
			r.fields[strings.ToLower(prop)] = f
			r.names = append(r.names, prop)
		}
		ev.add(r)
		found++
	}
	if found == 0 {
		return &sourceError{name, fmt.Errorf("no connector tables; search the wizard's log for \"actual\" and send the whole log")}
	}
	return nil
}
