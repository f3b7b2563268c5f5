package fakeonprem

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// StreamLogs makes the organization write its logs under dir as they happen, in WriteLogs'
// layout: each protocol log record and each message tracking entry is appended to its file
// when it is logged, each file rolling over as Exchange's do (a new file per period, named by
// the period of its first record), and the Application log is written again whenever an
// event is added. A process killed at any moment has everything logged before on disk.
// Records logged before the call are written first. With Retain, memory keeps only the last
// records; the files keep all.
func (o *Organization) StreamLogs(dir string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var errs []error
	for _, s := range o.servers {
		st := &logStream{root: filepath.Join(dir, s.cfg.Name), protocol: map[string]*smtpd.FileSink{}}
		s.logs.mu.Lock()
		s.logs.stream = st
		for _, fr := range s.logs.records {
			st.protocolRecord(fr)
		}
		s.logs.mu.Unlock()
		s.stream = st
		for _, e := range s.tracking {
			st.trackingEntry(e)
		}
		st.events(s.events)
		errs = append(errs, st.err())
	}
	return errors.Join(errs...)
}

// logStream writes one server's logs as they happen.
type logStream struct {
	root string

	mu       sync.Mutex
	protocol map[string]*smtpd.FileSink // by folder
	tracking map[string]*trackingFile   // the open file of each prefix (MSGTRK, MSGTRKMD, MSGTRKMS)
	failed   error                      // the first write error
}

// logsDir is TransportRoles\Logs under the server's folder.
func (st *logStream) logsDir() string { return filepath.Join(st.root, "TransportRoles", "Logs") }

// protocolRecord appends one protocol log record. Callers hold the server's logs.mu.
func (st *logStream) protocolRecord(fr folderRecord) {
	st.mu.Lock()
	defer st.mu.Unlock()
	fs := st.protocol[fr.folder]
	if fs == nil {
		fs = &smtpd.FileSink{Dir: filepath.Join(st.logsDir(), filepath.FromSlash(strings.ReplaceAll(fr.folder, `\`, "/"))),
			Send: strings.HasSuffix(fr.folder, "SmtpSend")}
		st.protocol[fr.folder] = fs
	}
	fs.Log(fr.rec)
}

// trackingFileName is the message tracking log file an entry goes to: its prefix (MSGTRK,
// MSGTRKMD, MSGTRKMS) and hour, as writeTrackingFiles names them.
func trackingFileName(e TrackingEntry) string {
	return smtpd.LogFileName(trackingPrefix(e), e.Timestamp)
}

// trackingFile is a message tracking file open for appending.
type trackingFile struct {
	name string
	f    *os.File
}

// trackingEntry appends one message tracking entry to the file of its period, starting the
// file with its header. Callers hold o.mu.
func (st *logStream) trackingEntry(e TrackingEntry) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.failed != nil {
		return
	}
	dir := filepath.Join(st.logsDir(), "MessageTracking")
	name := filepath.Join(dir, trackingFileName(e))
	prefix := trackingPrefix(e)
	if st.tracking == nil {
		st.tracking = map[string]*trackingFile{}
	}
	tf := st.tracking[prefix]
	if tf == nil || tf.name != name { // each prefix keeps its file open until its hour rolls over
		if tf != nil {
			tf.f.Close()
			delete(st.tracking, prefix)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			st.failed = err
			return
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			st.failed = err
			return
		}
		tf = &trackingFile{name: name, f: f}
		st.tracking[prefix] = tf
		if info, err := f.Stat(); err == nil && info.Size() == 0 {
			st.failed = writeTracking(f, []TrackingEntry{e}) // the header and the entry
			return
		}
	}
	cw := csv.NewWriter(tf.f)
	cw.UseCRLF = true
	cw.Write(e.fields())
	cw.Flush()
	if err := cw.Error(); err != nil {
		st.failed = fmt.Errorf("fakeonprem: message tracking log %s: %w", name, err)
	}
}

// events writes the Application log again, whole: events are few (a condition logs when it
// starts), and the file numbers them from the first.
func (st *logStream) events(all []Event) {
	name := filepath.Join(st.root, "EventLog", "Application.txt")
	tmp := name + ".tmp"
	err := writeEventFile(tmp, all)
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		st.mu.Lock()
		st.failed = errors.Join(st.failed, err)
		st.mu.Unlock()
	}
}

// err returns the first write error.
func (st *logStream) err() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.failed
}

// close closes the files and returns the first write error.
func (st *logStream) close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	errs := []error{st.failed}
	for _, fs := range st.protocol {
		errs = append(errs, fs.Close())
	}
	for prefix, tf := range st.tracking {
		errs = append(errs, tf.f.Close())
		delete(st.tracking, prefix)
	}
	return errors.Join(errs...)
}

// CloseLogs closes the files StreamLogs writes to and returns the first error met writing
// them.
func (o *Organization) CloseLogs() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var errs []error
	for _, s := range o.servers {
		if s.stream != nil {
			errs = append(errs, s.stream.close())
		}
	}
	return errors.Join(errs...)
}
