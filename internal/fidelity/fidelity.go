// Package fidelity compares what the lab writes with the real samples of
// real-artifacts.md (the spec's reference of real Exchange and Exchange
// Online artifacts), field by field.
//
// A sample is written as a template: the sample's text, with each part the
// reference marks as varying (times, names, ids, addresses, counts) replaced
// by a named placeholder such as {time} or {sid}. Check asserts two things
// with one regular expression built from the template: that the real sample
// matches it (so the template is the sample, with only its varying parts
// abstracted), and that the lab's output matches it (so everything the
// reference fixes is identical). Tests cite the reference's section.
package fidelity

import (
	"fmt"
	"regexp"
	"strings"
)

// Placeholders and what each may stand for.
var placeholders = map[string]string{
	"time":  `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`, // 2024-03-13T09:01:18.723Z
	"sid":   `[0-9A-F]{16}`,                           // a session id
	"n":     `\d+`,                                    // a count, a sequence number
	"field": `[^,]*`,                                  // one CSV field of any value
	"text":  `.+?`,                                    // any text (names, subjects)
	"host":  `[A-Za-z0-9][A-Za-z0-9.-]*`,              // a host name
	"ip":    `[0-9a-fA-F.:%]+`,                        // an address (IPv4, or IPv6 with a scope)
	"port":  `\d+`,
	"guid":  `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
	"hex":   `[0-9A-F]+`,                          // a serial number, a thumbprint
	"dec":   `\d+[.,]\d{3}`,                       // a three-decimal number in a locale's form
	"alg":   `CALG_[A-Z0-9_]+`,                    // a Schannel algorithm name
	"proto": `SP_PROT_TLS1_[0-3]_(SERVER|CLIENT)`, // a Schannel protocol token
	"build": `\d{2}\.\d{2}\.\d{4}\.\d{3}`,         // 15.02.1748.010
	"id":    `<[^>]+>`,                            // an Internet message id
	"addr":  `[^@,<>\s]+@[^@,<>\s]+`,              // an SMTP address
	"list":  `[^,]+`,                              // a list without commas
}

var placeholder = regexp.MustCompile(`\{([a-z]+)\}`)

// Pattern compiles a template into a regular expression that matches a whole
// string: the template's text literally, each placeholder its pattern.
func Pattern(template string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	rest := template
	for {
		loc := placeholder.FindStringSubmatchIndex(rest)
		if loc == nil {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:loc[0]]))
		name := rest[loc[2]:loc[3]]
		p, ok := placeholders[name]
		if !ok {
			return nil, fmt.Errorf("fidelity: template %q: unknown placeholder {%s}: use one of time, sid, n, field, text, host, ip, port, guid, hex, dec, alg, proto, build, id, addr, list", template, name)
		}
		b.WriteString("(?:" + p + ")")
		rest = rest[loc[1]:]
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Check reports why sample or got does not match template; nil when both
// do. The error names which one differs, so a wrong template is told apart
// from a wrong artifact.
func Check(template, sample, got string) error {
	re, err := Pattern(template)
	if err != nil {
		return err
	}
	if !re.MatchString(sample) {
		return fmt.Errorf("fidelity: the real sample does not fit the template:\n sample   %s\n template %s", sample, template)
	}
	if !re.MatchString(got) {
		return fmt.Errorf("fidelity: the lab's output differs from the real sample beyond what varies:\n got      %s\n sample   %s\n template %s", got, sample, template)
	}
	return nil
}
