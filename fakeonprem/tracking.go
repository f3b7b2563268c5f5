package fakeonprem

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// TrackingEntry is one message tracking log entry with Get-MessageTrackingLog's property
// names (S32). EventId is RECEIVE, SEND, DELIVER, DEFER, FAIL or DSN; SessionID names the SMTP
// session it came from (also in SourceContext for SMTP events), so that the lab can join it to
// the protocol logs.
type TrackingEntry struct {
	Timestamp               time.Time
	ClientIp                string
	ClientHostname          string
	ServerIp                string
	ServerHostname          string
	SourceContext           string
	ConnectorId             string
	Source                  string
	EventId                 string
	InternalMessageId       int64
	MessageId               string
	NetworkMessageId        string
	Recipients              []string
	RecipientStatus         []string
	TotalBytes              int
	RecipientCount          int
	RelatedRecipientAddress string
	Reference               string
	MessageSubject          string
	Sender                  string
	ReturnPath              string
	Directionality          string
	SessionID               string
}

// Message tracking log file header (S32; "#Log-type" and the build as in real files, see
// internal/smtpd's doc).
const (
	trackingSoftware = "#Software: Microsoft Exchange Server"
	trackingVersion  = "15.01.2375.007"
	trackingLogType  = "#Log-type: Message Tracking Log"
	trackingFields   = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"
)

// track adds an entry, stamped with the clock. Callers hold o.mu.
func (s *server) track(e TrackingEntry) {
	e.Timestamp = s.org.clock.Now()
	s.tracking = append(s.tracking, e)
	if s.stream != nil {
		s.stream.trackingEntry(e)
	}
	s.tracking = keepLast(s.tracking, s.org.retain)
}

// GetMessageTrackingLog is Get-MessageTrackingLog [-Server server] [-MessageId id]: the
// entries of one server ("" for all, server by server), of one message ("" for all), oldest
// first.
func (o *Organization) GetMessageTrackingLog(serverName, messageID string) ([]TrackingEntry, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	servers := o.servers
	if serverName != "" {
		s, err := o.lookup(serverName)
		if err != nil {
			return nil, err
		}
		servers = []*server{s}
	}
	var out []TrackingEntry
	for _, s := range servers {
		for _, e := range s.tracking {
			if messageID == "" || e.MessageId == messageID {
				e.Recipients, e.RecipientStatus = append([]string(nil), e.Recipients...), append([]string(nil), e.RecipientStatus...)
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// fields is the entry as the columns of #Fields.
func (e TrackingEntry) fields() []string {
	return []string{
		e.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z"), e.ClientIp, e.ClientHostname, e.ServerIp, e.ServerHostname,
		e.SourceContext, e.ConnectorId, e.Source, e.EventId, strconv.FormatInt(e.InternalMessageId, 10), e.MessageId,
		e.NetworkMessageId, strings.Join(e.Recipients, ";"), strings.Join(e.RecipientStatus, ";"),
		strconv.Itoa(e.TotalBytes), strconv.Itoa(e.RecipientCount), e.RelatedRecipientAddress, e.Reference,
		e.MessageSubject, e.Sender, e.ReturnPath, "", e.Directionality, "", "", "", "", "", "", trackingVersion,
	}
}

// writeTracking writes entries as a MSGTRK file: the header, then one CSV line each.
func writeTracking(w io.Writer, entries []TrackingEntry) error {
	if len(entries) == 0 {
		return nil
	}
	header := fmt.Sprintf("%s\r\n#Version: %s\r\n%s\r\n#Date: %s\r\n%s\r\n", trackingSoftware, trackingVersion,
		trackingLogType, entries[0].Timestamp.UTC().Format("2006-01-02T15:04:05.000Z"), trackingFields)
	if _, err := io.WriteString(w, header); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for _, e := range entries {
		if err := cw.Write(e.fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
