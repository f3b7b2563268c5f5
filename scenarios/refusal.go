package scenarios

import (
	"fmt"
	"regexp"
)

// exoRelayHost is the smart host of the relay connector (withRelay): the
// tenant's MX host for contoso.com.
const exoRelayHost = "contoso-com.mail.protection.outlook.com"

// refusedByEXO are the symptoms of a front-door refusal, where an
// on-premises administrator sees it: the reply in the send connector's
// protocol log, and in the probe's message tracking FAIL entry (S14's
// recipient-status form). host is the smart host or MX host the send
// connector delivered to.
func refusedByEXO(reply, host, infer string) []Symptom {
	return refusedByEXOf(reply, nil, host, infer)
}

// refusedByEXOf is refusedByEXO for a reply template filled with the run's
// values (the EOP host in 5.7.64's bracket, real-artifacts §3.4).
func refusedByEXOf(reply string, args func(*Run) []any, host, infer string) []Symptom {
	text := func(r *Run) string {
		if args == nil {
			return reply
		}
		return fmt.Sprintf(reply, args(r)...)
	}
	form := templatePattern(reply)
	return []Symptom{
		{Where: SendLog, Want: Expectation{
			text:    func(r *Run) string { return "<," + text(r) + "," },
			pattern: regexp.MustCompile(`^<,` + form + `,$`),
		}, Infer: infer},
		{Where: TrackingLog, Want: Expectation{
			text: func(r *Run) string {
				return fmt.Sprintf(trackingFailForm, text(r), host, r.exoFrontDoorIP(), r.SentAt.Format(lrtForm))
			},
			pattern: regexp.MustCompile(`^\{\[\{LED=` + form + `\};`),
		}, Infer: infer},
	}
}

// sendLogReply is a remote server's reply as a send log record's event
// and data (S12's `<,` records).
func sendLogReply(reply string) Expectation {
	return literal("<," + reply + ",")
}

// event2004For is KB 2888788's Event 2004 for the hybrid send connector
// and the probe.
var event2004For = templated(event2004, func(r *Run) []any {
	return []any{r.hybridSendConnector(), r.MessageID}
})
