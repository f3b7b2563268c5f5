package scenarios

import (
	"fmt"
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

// exoReason is a DEFER or FAIL detail of EXO's message trace for a delivery
// to the hybrid server: led is the LED's code, text and [Message=]; more
// are the elements S14's sample adds before the server id.
func (r *Run) exoReason(led, msg string, more ...string) string {
	full := led + fmt.Sprintf(lastAttempted, onPremHost, onPremIP) + strings.Join(more, "") + fmt.Sprintf(serverID, exoServer)
	return fmt.Sprintf(reasonForm, full, msg, onPremHost, onPremIP, r.SentAt.Format(lrtForm), onPremIP, onPremHost)
}

// reason returns a Want for exoReason.
func exoDeferral(led, msg string, more ...string) func(*Run) string {
	return func(r *Run) string { return r.exoReason(led, msg, more...) }
}

// literal is a Want that needs nothing from the run.
func literal(s string) func(*Run) string { return func(*Run) string { return s } }

// ehloFromEXO is the hybrid server's EHLO reply to EXO, as its receive log
// writes it, without STARTTLS.
func ehloFromEXO(*Run) string { return ">," + fmt.Sprintf(ehloWithout, hybridFQDN, exoOutIP) + "," }
