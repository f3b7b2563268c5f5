package scenarios

import (
	"fmt"
	"regexp"
	"strings"
)

// The default lab's names and addresses, as symptoms show them.
const (
	onPremHost = "mail.contoso.com" // the hybrid server's published name
	hybridFQDN = "ex01.contoso.lab" // EX01's FQDN in Contoso's AD domain
	onPremIP   = "203.0.113.10"     // EX01's simulated address
)

// exoServer is Exchange Online's server name (the front door's Hostname,
// first of its endpoints), exoFrontDoorIP the front door's address and
// exoOutIP the address its outbound delivery comes from.
func (r *Run) exoServer() string { return r.Lab.EXO.Endpoints()[0].Host }

func (r *Run) exoFrontDoorIP() string { return r.Lab.EXO.Endpoints()[0].Address.Addr().String() }

func (r *Run) exoOutIP() string {
	e := r.Lab.EXO.Endpoints()
	return e[len(e)-1].Address.Addr().String()
}

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
	return r.exoReasonAt(onPremIP, led, msg, more...)
}

// exoReasonAt is exoReason for a delivery to the hybrid name's address ip.
func (r *Run) exoReasonAt(ip, led, msg string, more ...string) string {
	full := led + fmt.Sprintf(lastAttempted, onPremHost, ip) + strings.Join(more, "") + fmt.Sprintf(serverID, r.exoServer())
	return fmt.Sprintf(reasonForm, full, msg, onPremHost, ip, r.SentAt.Format(lrtForm), ip, onPremHost)
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
var ehloFromEXO = templated(">,"+ehloWithout+",", func(r *Run) []any { return []any{hybridFQDN, r.exoOutIP()} })
