package fakeexo

import (
	"os"
	"slices"
	"sync"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// memoryLog keeps the protocol-log records of every SMTP session of the
// service, the front door's (SMTP Receive) and outbound ones (SMTP Send), by
// session id, for the lab's transcripts.
type memoryLog struct {
	mu       sync.Mutex
	sessions map[string][]smtpd.Record

	file   *os.File // StreamLogs: every record is appended here as it is logged
	keep   int      // Retain: records kept in memory; 0 all
	count  int      // records in sessions, while order is kept
	order  []string // session ids in order of their first record, while streaming or keeping
	failed error    // the first write error
}

// Log implements smtpd.Sink.
func (l *memoryLog) Log(r smtpd.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessions == nil {
		l.sessions = map[string][]smtpd.Record{}
	}
	if l.file == nil && l.keep == 0 {
		l.sessions[r.SessionID] = append(l.sessions[r.SessionID], r)
		return
	}
	if _, ok := l.sessions[r.SessionID]; !ok {
		l.order = append(l.order, r.SessionID)
	}
	l.sessions[r.SessionID] = append(l.sessions[r.SessionID], r)
	l.count++
	l.write(r.String())
	l.trim()
}

// records returns one session's records, or every session's ordered by
// session id when id is "".
func (l *memoryLog) records(id string) []smtpd.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id != "" {
		return slices.Clone(l.sessions[id])
	}
	ids := make([]string, 0, len(l.sessions))
	for k := range l.sessions {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	var out []smtpd.Record
	for _, k := range ids {
		out = append(out, l.sessions[k]...)
	}
	return out
}
