// Package smtplog is the record of Exchange's SMTP protocol logs, as the
// lab's servers write them and as its Go API returns them:
//
//	#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//
// The fields and their rendering are described in docs/rules.md (protocol
// logs).
package smtplog

import (
	"strconv"
	"strings"
	"time"
)

// Record is one line of an Exchange SMTP protocol log. Event is '+'
// connect, '-' disconnect, '>' sent, '<' received, '*' information. The
// receive log writes each command as one '<' and each reply as one '>' (a
// multi-line reply on one line), message bodies never; '-' carries
// Exchange's context: "Local" when this side closed, "Remote" when the
// peer did, "Remote(ConnectionReset)" on a reset.
type Record struct {
	Time        time.Time // from the lab's clock; written in UTC with milliseconds
	ConnectorID string    // e.g. `EX01\Default Frontend EX01`
	SessionID   string    // e.g. 08DD34FA3086278D
	Seq         int       // sequence-number, from 0 per session
	Local       string    // local-endpoint, e.g. 10.0.0.1:25
	Remote      string    // remote-endpoint, e.g. 104.47.58.43:57811
	Event       byte      // '+', '-', '>', '<' or '*'
	Data        string
	Context     string
}

// TimeLayout is the date-time field's layout: `2025-01-29T20:14:51.470Z`.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// String renders the record as a line of the log file, without the line
// end: fields separated by commas, a field with a comma, quote or line
// break quoted CSV-style, as real logs quote the banner for the comma in
// its date.
func (r Record) String() string {
	var b strings.Builder
	b.WriteString(r.Time.UTC().Format(TimeLayout))
	for _, f := range [...]string{r.ConnectorID, r.SessionID, strconv.Itoa(r.Seq), r.Local, r.Remote, string(rune(r.Event)), r.Data, r.Context} {
		b.WriteByte(',')
		writeCSVField(&b, f)
	}
	return b.String()
}

func writeCSVField(b *strings.Builder, f string) {
	if !strings.ContainsAny(f, ",\"\r\n") {
		b.WriteString(f)
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(f, `"`, `""`))
	b.WriteByte('"')
}
