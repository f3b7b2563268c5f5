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
//
// keep bounds what the lab keeps in memory of these logs for its cmdlets:
// each server's last keep protocol log records and tracking entries, and
// EXO's last keep sessions; the files keep everything. keep 0 keeps all.
func (l *Lab) StreamLogs(dir string, keep int) error {
	var errs []error
	for _, o := range l.orgs {
		errs = append(errs, o.StreamLogs(dir, keep))
	}
	errs = append(errs, l.EXO.StreamLogs(filepath.Join(dir, "Exchange Online"), keep))
	return errors.Join(errs...)
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
