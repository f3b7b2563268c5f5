package smtpd

import (
	"github.com/hybridsim/hybridsim/smtplog"
)

// Record is one line of an Exchange SMTP protocol log (spec §10, S32):
//
//	#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//
// Event is '+' connect, '-' disconnect, '>' sent, '<' received, '*' information. The receive
// log writes each command as one '<' and each reply as one '>' (a multi-line reply on one
// line, Reply.String), message bodies never; '-' carries Exchange's context: "Local" when this
// side closed, "Remote" when the peer did, "Remote(ConnectionReset)" on a reset (OBS, doc.go).
//
// Its type and rendering are package smtplog's, which the fakes' APIs return.
type Record = smtplog.Record

// logTime is the date-time field: `2025-01-29T20:14:51.470Z` (§1, §10).
const logTime = smtplog.TimeLayout

// Sink receives protocol log records, in order per session. Sessions call it concurrently.
type Sink interface {
	Log(r Record)
}

// protocolLog numbers and stamps one session's records.
type protocolLog struct {
	sink        Sink
	clock       Clock
	connectorID string
	sessionID   string
	local       string
	remote      string
	seq         int
}

func (l *protocolLog) log(event byte, data, context string) {
	if l.sink == nil {
		return
	}
	l.sink.Log(Record{
		Time: l.clock.Now(), ConnectorID: l.connectorID, SessionID: l.sessionID, Seq: l.seq,
		Local: l.local, Remote: l.remote, Event: event, Data: data, Context: context,
	})
	l.seq++
}
