package scenarios

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/smtplog"
)

// observe returns every string the lab shows at a place, in a fixed order:
// a symptom holds when its whole expected string is one of them.
func (r *Run) observe(p Place) []string {
	switch p {
	case MessageTrace:
		return r.traceDetails()
	case FrontDoorReply:
		var out []string
		for _, v := range r.Lab.EXO.Verdicts() {
			out = append(out, v.Refusals...)
		}
		return out
	case Queue:
		return r.queueErrors()
	case ApplicationLog:
		return r.events()
	case ReceiveLog:
		return r.protocolLog(true)
	case SendLog:
		return r.protocolLog(false)
	case TrackingLog:
		return r.trackingStatuses()
	case NDR:
		return r.ndrLines()
	case CmdletError:
		return r.refusals // each refusal at every level of wrapping
	case TestCertificate:
		return r.testCertificates()
	case ValidateConnector:
		return r.validated
	}
	return nil
}

// traceDetails are the DEFER and FAIL details of the probe in every tenant.
func (r *Run) traceDetails() []string {
	var out []string
	for _, tenant := range r.tenants() {
		org, err := r.Lab.EXO.Organization(tenant)
		if err != nil {
			continue
		}
		for _, row := range org.GetMessageTrace() {
			if row.MessageId != r.MessageID {
				continue
			}
			details, _ := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
			for _, d := range details {
				if d.Event == "DEFER" || d.Event == "FAIL" {
					out = append(out, d.Detail)
				}
			}
		}
	}
	return out
}

// queueErrors are the LastError of every queue of every on-premises server.
func (r *Run) queueErrors() []string {
	var out []string
	for _, server := range r.servers() {
		queues, _ := r.Lab.OnPrem.GetQueue(server)
		for _, q := range queues {
			if q.LastError != "" {
				out = append(out, q.LastError)
			}
		}
	}
	return out
}

// queues describes every on-premises queue that holds messages.
func (r *Run) queues() []string {
	var out []string
	for _, server := range r.servers() {
		queues, _ := r.Lab.OnPrem.GetQueue(server)
		for _, q := range queues {
			if q.MessageCount == 0 {
				continue
			}
			s := fmt.Sprintf("%s %s %s to %s, %d message(s)", q.Identity, q.DeliveryType, q.Status, q.NextHopDomain, q.MessageCount)
			if !q.NextRetryTime.IsZero() {
				s += ", next retry " + stamp(q.NextRetryTime)
			}
			if q.LastError != "" {
				s += "\n  LastError: " + q.LastError
			}
			out = append(out, s)
		}
	}
	return out
}

// events are every on-premises server's Application log events, each as
// "Event <id>: <text>".
func (r *Run) events() []string {
	var out []string
	for _, server := range r.servers() {
		events, _ := r.Lab.OnPrem.GetEventLog(server)
		for _, e := range events {
			out = append(out, fmt.Sprintf("Event %d: %s", e.EventID, e.Message))
		}
	}
	return out
}

// protocolLog returns the on-premises receive (or send) log's records as
// their text: the data of a command or reply, the context of an
// information record (where "Sending certificate" and "TLS negotiation
// failed with error ..." are written).
func (r *Run) protocolLog(receive bool) []string {
	var out []string
	receiveConnectors := r.receiveConnectors()
	for _, server := range r.servers() {
		records, _ := r.Lab.OnPrem.ProtocolLog(server, "")
		for _, rec := range records {
			if receiveConnectors[strings.ToLower(rec.ConnectorID)] != receive {
				continue
			}
			out = append(out, recordText(rec))
		}
	}
	return out
}

// recordText is a record as its log line ends: event, data and context,
// as in S14's `>,250 E19.Contoso.lab Hello [...] ... XRDST,` and S12's
// `*,,TLS negotiation failed with error UnknownCredentials`.
func recordText(rec smtplog.Record) string { return recordTail(rec.String()) }

// recordTail returns a protocol log line from its event field on.
func recordTail(line string) string {
	commas, quoted := 0, false
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '"':
			quoted = !quoted
		case line[i] == ',' && !quoted:
			if commas++; commas == 6 {
				return line[i+1:]
			}
		}
	}
	return line
}

// trackingStatuses are the recipient-status values of the probe's
// message tracking entries on every on-premises server.
func (r *Run) trackingStatuses() []string {
	var out []string
	entries, _ := r.Lab.OnPrem.GetMessageTrackingLog("", r.MessageID)
	for _, e := range entries {
		for _, s := range e.RecipientStatus {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// ndrLines are the lines of the reports in the probe sender's mailbox.
func (r *Run) ndrLines() []string {
	var out []string
	msgs, _ := r.Lab.Mailbox(r.Entry.Probe.From)
	for _, m := range msgs {
		if m.From == "" { // a report has the null sender
			out = append(out, strings.Split(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n")...)
		}
	}
	return out
}

// testCertificates are the Test-Certificate lines of every certificate in
// every on-premises server's store.
func (r *Run) testCertificates() []string {
	var out []string
	for _, server := range r.servers() {
		certs, _ := r.Lab.OnPrem.GetExchangeCertificate(server, "")
		for _, c := range certs {
			_, line, err := r.Lab.OnPrem.TestCertificate(server, c.Certificate.Thumbprint())
			if err == nil {
				out = append(out, strings.Split(line, "\n")...)
			}
		}
	}
	return out
}

// tenants are the lab's tenant names.
func (r *Run) tenants() []string {
	var out []string
	for _, t := range r.Lab.Config().EXO.Tenants {
		out = append(out, t.Name)
	}
	return out
}

// servers are the on-premises organization's server names.
func (r *Run) servers() []string {
	var out []string
	for _, s := range r.Lab.Config().OnPrem.Servers {
		out = append(out, s.Name)
	}
	return out
}

// receiveConnectors are the receive connectors' ids as protocol logs write
// them ("Server\Name", lower case): any other connector-id is a send
// connector's.
func (r *Run) receiveConnectors() map[string]bool {
	all, _ := r.Lab.OnPrem.GetReceiveConnector("")
	ids := make(map[string]bool, len(all))
	for _, c := range all {
		ids[strings.ToLower(c.Server+`\`+c.Name)] = true
	}
	return ids
}
