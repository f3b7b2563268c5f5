package scenarios

import (
	"fmt"
	"regexp"
	"strings"
)

// The default lab's addresses and EXO's names, as symptoms show them.
const (
	onPremHost = "mail.contoso.com"                           // the hybrid server's published name
	hybridFQDN = "ex01.contoso.lab"                           // EX01's FQDN in Contoso's AD domain
	onPremIP   = "203.0.113.10"                               // EX01's simulated address
	exoOutIP   = "198.51.100.50"                              // EXO's outbound host (fakeexo's default)
	exoServer  = "SIM1EUR01FT001.mail.protection.outlook.com" // EXO's server (fakeexo's default Hostname)
)

// literal expects a string that needs nothing from the run.
func literal(s string) Expectation {
	return Expectation{text: func(*Run) string { return s }, pattern: regexp.MustCompile("^" + regexp.QuoteMeta(s) + "$")}
}

// templated expects a strings.go template filled with the run's values;
// any lab's string of that form matches its pattern.
func templated(template string, args func(*Run) []any) Expectation {
	return Expectation{text: func(r *Run) string { return fmt.Sprintf(template, args(r)...) },
		pattern: regexp.MustCompile("^" + templatePattern(template) + "$")}
}

// templatePattern turns a template into a regular expression: its text
// literally, each verb any value.
func templatePattern(template string) string {
	p := regexp.QuoteMeta(template)
	p = strings.ReplaceAll(p, "%s", ".*")
	return strings.ReplaceAll(p, "%d", "[0-9]+")
}

// exoReason is a DEFER or FAIL detail of EXO's message trace for a delivery
// to the hybrid server: led is the LED's code, text and [Message=]; more
// are the elements S14's sample adds before the server id.
func (r *Run) exoReason(led, msg string, more ...string) string {
	full := led + fmt.Sprintf(lastAttempted, onPremHost, onPremIP) + strings.Join(more, "") + fmt.Sprintf(serverID, exoServer)
	return fmt.Sprintf(reasonForm, full, msg, onPremHost, onPremIP, r.SentAt.Format(lrtForm), onPremIP, onPremHost)
}

// exoDeferral expects a DEFER or FAIL detail whose LED is led (a template
// filled with args, which may be nil).
func exoDeferral(led string, args func(*Run) []any, msg string, more ...string) Expectation {
	return Expectation{
		text: func(r *Run) string {
			l := led
			if args != nil {
				l = fmt.Sprintf(led, args(r)...)
			}
			return r.exoReason(l, msg, more...)
		},
		pattern: regexp.MustCompile(`^Reason: \[\{LED=` + templatePattern(led) + ` \[LastAttemptedServerName=`),
	}
}

// ehloFromEXO is the hybrid server's EHLO reply to EXO, as its receive log
// writes it, without STARTTLS.
var ehloFromEXO = templated(">,"+ehloWithout+",", func(*Run) []any { return []any{hybridFQDN, exoOutIP} })
