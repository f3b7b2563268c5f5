package fakeexo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// StreamLogs makes the service append every SMTP protocol log record (front door and
// outbound sessions) to dir/SmtpProtocolLog.log as it is logged, in the form WriteLogs of the
// lab uses, so a process killed at any moment has them on disk. Records logged before the
// call are written first. With Retain, memory keeps only the last records; the file keeps all.
func (s *Service) StreamLogs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fakeexo: protocol log: %w", err)
	}
	name := filepath.Join(dir, "SmtpProtocolLog.log")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("fakeexo: protocol log: %w", err)
	}
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	l.file = f
	if l.order == nil {
		l.order, l.count = sortedSessionIDs(l.sessions), 0
		for _, id := range l.order {
			l.count += len(l.sessions[id])
		}
	}
	for _, id := range l.order {
		for _, r := range l.sessions[id] {
			l.write(r.String())
		}
	}
	return l.failed
}

// CloseLogs closes the file StreamLogs writes to and returns the first error met writing it.
func (s *Service) CloseLogs() error {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := errors.Join(l.failed, l.file.Close())
	l.file = nil
	return err
}

// write appends one line. Callers hold l.mu.
func (l *memoryLog) write(line string) {
	if l.file == nil || l.failed != nil {
		return
	}
	if _, err := l.file.WriteString(line + "\n"); err != nil {
		l.failed = fmt.Errorf("fakeexo: protocol log: %w", err)
	}
}

func sortedSessionIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for k := range m {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	return ids
}
