package smtpd

import (
	"strconv"
	"strings"
	"time"
)

// Record is one line of an Exchange SMTP protocol log (spec §10, S32):
//
//	#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//
// Event is '+' connect, '-' disconnect, '>' sent, '<' received, '*' information. The receive
// log writes each command as one '<' and each reply as one '>' (a multi-line reply on one
// line, Reply.String), message bodies never; '-' carries Exchange's context: "Local" when this
// side closed, "Remote" when the peer did, "Remote(ConnectionReset)" on a reset (OBS, doc.go).
type Record struct {
	Time        time.Time // from the injected Clock; written in UTC with milliseconds
	ConnectorID string    // e.g. `EX01\Default Frontend EX01`
	SessionID   string    // e.g. 08DD34FA3086278D
	Seq         int       // sequence-number, from 0 per session
	Local       string    // local-endpoint, e.g. 10.0.0.1:25
	Remote      string    // remote-endpoint, e.g. 104.47.58.43:57811
	Event       byte      // '+', '-', '>', '<' or '*'
	Data        string
	Context     string
}

// String renders the record as a line of the log file, without the line end: fields
// separated by commas, a field with a comma, quote or line break quoted CSV-style, as real
// logs quote the banner for the comma in its date.
func (r Record) String() string {
	var b strings.Builder
	b.WriteString(r.Time.UTC().Format(logTime))
	for _, f := range [...]string{r.ConnectorID, r.SessionID, strconv.Itoa(r.Seq), r.Local, r.Remote, string(rune(r.Event)), r.Data, r.Context} {
		b.WriteByte(',')
		writeCSVField(&b, f)
	}
	return b.String()
}

// logTime is the date-time field: `2025-01-29T20:14:51.470Z` (§1, §10).
const logTime = "2006-01-02T15:04:05.000Z"

func writeCSVField(b *strings.Builder, f string) {
	if !strings.ContainsAny(f, ",\"\r\n") {
		b.WriteString(f)
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(f, `"`, `""`))
	b.WriteByte('"')
}

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
	start, last time.Time // the '+' record's time and the last record's (latency.go)
}

func (l *protocolLog) log(event byte, data, context string) {
	step := time.Duration(0)
	if event == '<' {
		step = peerLatency
	}
	at := l.stamp(step)
	if l.sink == nil {
		return
	}
	l.sink.Log(Record{
		Time: at, ConnectorID: l.connectorID, SessionID: l.sessionID, Seq: l.seq,
		Local: l.local, Remote: l.remote, Event: event, Data: data, Context: context,
	})
	l.seq++
}
