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
	// The fields after directionality that real rows fill (real-artifacts §2.2):
	// message-info (`04I: `), tenant-id, original-client-ip, original-server-ip, custom-data
	// (`S:Key=Value;...`), transport-traffic-type (Email), log-id (a GUID) and
	// schema-version (the build, 15.02.1748.010). track fills the last three.
	MessageInfo          string
	TenantId             string
	OriginalClientIp     string
	OriginalServerIp     string
	CustomData           string
	TransportTrafficType string
	LogId                string
	SchemaVersion        string
	SessionID            string
}

// Message tracking log file header (S32; "#Log-type" as in real files, see internal/smtpd's
// doc; #Version is the server's build, real-artifacts §2.1).
const (
	trackingSoftware = "#Software: Microsoft Exchange Server"
	trackingLogType  = "#Log-type: Message Tracking Log"
	trackingFields   = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"
)

// track adds an entry, stamped with the clock. Callers hold o.mu.
func (s *server) track(e TrackingEntry) {
	e.Timestamp = s.org.clock.Now()
	if e.TransportTrafficType == "" && e.EventId != eventNotifyMAPI { // §2.2: NOTIFYMAPI rows leave it empty
		e.TransportTrafficType = trafficEmail
	}
	e.SchemaVersion = s.build.schema()
	e.LogId = guidOf(s.cfg.Name, "log-id", fmt.Sprint(len(s.tracking)))
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
		e.SourceContext, e.ConnectorId, e.Source, e.EventId, count(e.InternalMessageId), e.MessageId,
		e.NetworkMessageId, strings.Join(e.Recipients, ";"), strings.Join(e.RecipientStatus, ";"),
		count(int64(e.TotalBytes)), count(int64(e.RecipientCount)), e.RelatedRecipientAddress, e.Reference,
		e.MessageSubject, e.Sender, e.ReturnPath, e.MessageInfo, e.Directionality, e.TenantId, e.OriginalClientIp,
		e.OriginalServerIp, e.CustomData, e.TransportTrafficType, e.LogId, e.SchemaVersion,
	}
}

// trackingPrefix is the file an entry goes to (real-artifacts §2.1, MT-doc): MSGTRKMD for
// Mailbox Transport Delivery's STOREDRIVER DELIVER, MSGTRKMS for Mailbox Transport
// Submission's STOREDRIVER rows (NOTIFYMAPI, RECEIVE), MSGTRK for the Transport service.
func trackingPrefix(e TrackingEntry) string {
	switch {
	case e.Source == sourceStoreDriver && e.EventId == "DELIVER":
		return "MSGTRKMD"
	case e.Source == sourceStoreDriver:
		return "MSGTRKMS"
	}
	return "MSGTRK"
}

// count is a numeric field: empty when zero, as a NOTIFYMAPI row, which has no message yet,
// leaves internal-message-id, total-bytes and recipient-count (real-artifacts §2.2).
func count(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// writeTracking writes entries as a MSGTRK file: the header, then one CSV line each.
func writeTracking(w io.Writer, entries []TrackingEntry) error {
	if len(entries) == 0 {
		return nil
	}
	header := fmt.Sprintf("%s\r\n#Version: %s\r\n%s\r\n#Date: %s\r\n%s\r\n", trackingSoftware, entries[0].SchemaVersion,
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
