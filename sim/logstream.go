package sim

import (
	"errors"
	"path/filepath"
)

// StreamLogs makes the lab write its logs into dir as they happen, in
// WriteLogs' layout: every Exchange server's protocol logs and message
// tracking log are appended record by record, each file rolling over as
// Exchange's do, and its Application log is written again at each event;
// EXO's SMTP protocol log is appended record by record, and its message
// trace (MessageTrace.txt) a row with its events as each message reaches
// its end (rows still pending are appended by CloseLogs). A process killed
// at any moment has on disk everything logged before. Files already in dir
// are appended to. Call it once, before mail flows.
func (l *Lab) StreamLogs(dir string) error {
	var errs []error
	for _, o := range l.orgs {
		errs = append(errs, o.StreamLogs(dir))
	}
	exo := filepath.Join(dir, "Exchange Online")
	errs = append(errs, l.EXO.StreamLogs(exo))
	ts, err := openTraceStream(exo)
	if err == nil {
		l.trace = ts
		err = ts.flush(l, false)
	}
	errs = append(errs, err)
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

// CloseLogs ends StreamLogs: it appends the message trace rows still
// pending, closes the files and returns the first error met writing any of
// them.
func (l *Lab) CloseLogs() error {
	var errs []error
	for _, o := range l.orgs {
		errs = append(errs, o.CloseLogs())
	}
	errs = append(errs, l.EXO.CloseLogs())
	if l.trace != nil {
		errs = append(errs, l.trace.close(l))
		l.trace = nil
	}
	return errors.Join(errs...)
}
