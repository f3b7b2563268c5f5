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
	return []Symptom{
		{Where: SendLog, Want: sendLogReply(reply), Infer: infer},
		{Where: TrackingLog, Want: Expectation{
			text: func(r *Run) string {
				return fmt.Sprintf(trackingFailForm, reply, host, r.exoFrontDoorIP(), r.SentAt.Format(lrtForm))
			},
			pattern: regexp.MustCompile(`^\{\[\{LED=` + regexp.QuoteMeta(reply) + `\};`),
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
