package fakeexo

import (
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
}

// Log implements smtpd.Sink.
func (l *memoryLog) Log(r smtpd.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessions == nil {
		l.sessions = map[string][]smtpd.Record{}
	}
	l.sessions[r.SessionID] = append(l.sessions[r.SessionID], r)
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
