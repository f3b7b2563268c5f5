package fakeonprem

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// WriteLogs writes every server's logs under dir in Exchange's layout (S32), one folder per
// server:
//
//	<dir>/<Server>/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/RECVyyyymmdd-1.log
//	<dir>/<Server>/TransportRoles/Logs/Hub/ProtocolLog/SmtpReceive/RECVyyyymmdd-1.log
//	<dir>/<Server>/TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/SENDyyyymmdd-1.log
//	<dir>/<Server>/TransportRoles/Logs/Edge/ProtocolLog/...            (Edge servers)
//	<dir>/<Server>/TransportRoles/Logs/MessageTracking/MSGTRKyyyymmdd-1.log
//	<dir>/<Server>/EventLog/Application.txt  (wevtutil qe Application /f:text)
//
// A server's folder must not exist yet: the files are written whole, never appended to.
func (o *Organization) WriteLogs(dir string) error {
	o.mu.Lock()
	type snapshot struct {
		name     string
		records  []folderRecord
		tracking []TrackingEntry
		events   []Event
	}
	var servers []snapshot
	for _, s := range o.servers {
		s.logs.mu.Lock()
		servers = append(servers, snapshot{s.cfg.Name, append([]folderRecord(nil), s.logs.records...),
			append([]TrackingEntry(nil), s.tracking...), append([]Event(nil), s.events...)})
		s.logs.mu.Unlock()
	}
	o.mu.Unlock()
	for _, s := range servers {
		root := filepath.Join(dir, s.name)
		if _, err := os.Stat(root); err == nil {
			return fmt.Errorf("fakeonprem: WriteLogs: %s exists; write the logs into a new directory", root)
		}
		logs := filepath.Join(root, "TransportRoles", "Logs")
		sinks := map[string]*smtpd.FileSink{}
		for _, fr := range s.records {
			fs := sinks[fr.folder]
			if fs == nil {
				fs = &smtpd.FileSink{Dir: filepath.Join(logs, filepath.FromSlash(strings.ReplaceAll(fr.folder, `\`, "/"))),
					Send: strings.HasSuffix(fr.folder, "SmtpSend")}
				sinks[fr.folder] = fs
			}
			fs.Log(fr.rec)
		}
		var errs []error
		for _, fs := range sinks {
			errs = append(errs, fs.Close())
		}
		errs = append(errs, writeTrackingFiles(filepath.Join(logs, "MessageTracking"), s.tracking))
		errs = append(errs, writeEventFile(filepath.Join(root, "EventLog", "Application.txt"), s.events))
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("fakeonprem: WriteLogs %s: %w", s.name, err)
		}
	}
	return nil
}

// writeTrackingFiles writes entries to one file per period, named by trackingFileName (S32).
func writeTrackingFiles(dir string, entries []TrackingEntry) error {
	var days []string
	byDay := map[string][]TrackingEntry{}
	for _, e := range entries {
		d := trackingFileName(e.Timestamp)
		if _, ok := byDay[d]; !ok {
			days = append(days, d)
		}
		byDay[d] = append(byDay[d], e)
	}
	for _, d := range days {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(dir, d))
		if err != nil {
			return err
		}
		err = writeTracking(f, byDay[d])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func writeEventFile(name string, events []Event) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	err = writeEvents(f, events)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
