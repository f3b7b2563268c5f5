package sim

import (
	"errors"
	"path/filepath"
)

// StreamLogs makes the lab write its logs into dir as they happen, in
// WriteLogs' layout: every Exchange server's protocol logs and message
// tracking log are appended record by record, each file rolling over as
// Exchange's do, and its Application log is written again at each event;
// EXO's SMTP protocol log is appended record by record. A process killed at
// any moment has on disk everything logged before. EXO's message trace
// (MessageTrace.txt), a report of each message's current status, is written
// by CloseLogs. Files already in dir are appended to.
func (l *Lab) StreamLogs(dir string) error {
	var errs []error
	for _, o := range l.orgs {
		errs = append(errs, o.StreamLogs(dir))
	}
	errs = append(errs, l.EXO.StreamLogs(filepath.Join(dir, "Exchange Online")))
	return errors.Join(errs...)
}

// Retain bounds what a long-running lab keeps in memory: on every side the
// last n records of each log, the last n messages of each mailbox, and the
// message trace, verdict and ledger entries of the last n recipients that
// reached their end; recipients still queued are always kept. Logs
// streamed with StreamLogs keep everything on disk. n 0 (the default)
// keeps everything.
func (l *Lab) Retain(n int) {
	for _, o := range l.orgs {
		o.Retain(n)
	}
	l.EXO.Retain(n)
}

// CloseLogs ends StreamLogs: it closes the files, writes EXO's message
// trace into dir and returns the first error met writing any of them.
func (l *Lab) CloseLogs(dir string) error {
	var errs []error
	for _, o := range l.orgs {
		errs = append(errs, o.CloseLogs())
	}
	errs = append(errs, l.EXO.CloseLogs(), l.writeMessageTrace(filepath.Join(dir, "Exchange Online")))
	return errors.Join(errs...)
}
