package fakeonprem

import (
	"strings"
	"sync"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/smtplog"
)

// protocolLogs keeps a server's SMTP Receive and Send protocol log records in memory, each
// with the folder Exchange writes it to (S32). Sessions log concurrently; it has its own lock.
type protocolLogs struct {
	mu      sync.Mutex
	records []folderRecord
	stream  *logStream // StreamLogs: records go to files as they are logged
	keep    int        // Retain: the last records kept; 0 all
}

type folderRecord struct {
	folder string
	rec    smtpd.Record
}

// The protocol log folders under TransportRoles\Logs (S32, §10).
const (
	folderFrontEndReceive = `FrontEnd\ProtocolLog\SmtpReceive`
	folderHubReceive      = `Hub\ProtocolLog\SmtpReceive`
	folderHubSend         = `Hub\ProtocolLog\SmtpSend`
	folderEdgeReceive     = `Edge\ProtocolLog\SmtpReceive`
	folderEdgeSend        = `Edge\ProtocolLog\SmtpSend`
)

// folderSink is the smtpd.Sink of one folder.
type folderSink struct {
	logs   *protocolLogs
	folder string
}

func (f folderSink) Log(r smtpd.Record) {
	f.logs.mu.Lock()
	defer f.logs.mu.Unlock()
	fr := folderRecord{folder: f.folder, rec: r}
	f.logs.records = append(f.logs.records, fr)
	if st := f.logs.stream; st != nil {
		st.protocolRecord(fr)
	}
	f.logs.records = keepLast(f.logs.records, f.logs.keep)
}

func (l *protocolLogs) sink(folder string) smtpd.Sink { return folderSink{logs: l, folder: folder} }

// receiveFolder is where a receive connector's log goes: FrontEnd for Frontend connectors,
// Hub for Hub ones, Edge on an Edge server.
func (s *server) receiveFolder(c ReceiveConnector) string {
	switch {
	case s.cfg.Role == RoleEdge:
		return folderEdgeReceive
	case c.TransportRole == frontendTransport:
		return folderFrontEndReceive
	}
	return folderHubReceive
}

// sendFolder is where the server's send connectors log.
func (s *server) sendFolder() string {
	if s.cfg.Role == RoleEdge {
		return folderEdgeSend
	}
	return folderHubSend
}

// ProtocolLog returns a server's SMTP protocol log records, receive and send, in the order
// they were written: those of one session (its id, as in the logs and message tracking), or
// all of them for "".
func (o *Organization) ProtocolLog(serverName, sessionID string) ([]smtplog.Record, error) {
	o.mu.Lock()
	s, err := o.lookup(serverName)
	o.mu.Unlock()
	if err != nil {
		return nil, err
	}
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	var out []smtpd.Record
	for _, fr := range s.logs.records {
		if sessionID == "" || strings.EqualFold(fr.rec.SessionID, sessionID) {
			out = append(out, fr.rec)
		}
	}
	return out, nil
}
