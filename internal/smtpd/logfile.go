package smtpd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FileSink writes records as Exchange's protocol log files in Dir (§10, S32): one file per
// day of the records' UTC date, `RECVyyyymmdd-1.log` (or `SENDyyyymmdd-1.log`), each starting
// with Exchange's header lines:
//
//	#Software: Microsoft Exchange Server
//	#Version: 15.0.0.0
//	#Log-type: SMTP Receive Protocol Log
//	#Date: 2025-01-29T20:14:51.470Z
//	#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//
// Each record is written at once (no buffering), so a reader after Server.WaitIdle sees every
// record. Its zero value (with Dir set) is ready to use.
type FileSink struct {
	Dir  string // created when missing
	Send bool   // SMTP Send Protocol Log (SEND*.log) instead of SMTP Receive (RECV*.log)

	mu   sync.Mutex
	f    *os.File
	name string
	err  error
}

// Header lines. "#Log-type" is spelled as in real files (§10 OBS: the doc says "Log-Type").
// "#Version: 15.0.0.0" is what every real protocol log found carries (§10's 2017 send log and
// RECV logs of 2016, 2022 and 2023), whatever the build; see doc.go.
const (
	logSoftware = "#Software: Microsoft Exchange Server"
	logVersion  = "#Version: 15.0.0.0"
	logFields   = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"
)

// Log appends r to the file of its day. The first write error is kept for Close.
func (s *FileSink) Log(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	kind, typ := "RECV", "SMTP Receive Protocol Log"
	if s.Send {
		kind, typ = "SEND", "SMTP Send Protocol Log"
	}
	name := filepath.Join(s.Dir, logFileName(kind, r.Time))
	if name != s.name {
		s.err = errors.Join(s.closeFile(), s.open(name, typ, r))
		if s.err != nil {
			return
		}
	}
	if _, err := s.f.WriteString(r.String() + "\r\n"); err != nil {
		s.err = fmt.Errorf("smtpd: write protocol log %s: %w", name, err)
	}
}

// logFileName is the file a record stamped t goes to: the naming rule of Exchange's protocol
// log files (S32), in this one place. kind is RECV or SEND.
func logFileName(kind string, t time.Time) string {
	return kind + t.UTC().Format("20060102") + "-1.log"
}

// open opens (or creates, with its header) the file name.
func (s *FileSink) open(name, typ string, first Record) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return fmt.Errorf("smtpd: create protocol log directory: %w", err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("smtpd: open protocol log: %w", err)
	}
	s.f, s.name = f, name
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("smtpd: protocol log %s: %w", name, err)
	}
	if st.Size() > 0 { // appending to the file of the day: its header is there
		return nil
	}
	header := logSoftware + "\r\n" + logVersion + "\r\n#Log-type: " + typ + "\r\n#Date: " +
		first.Time.UTC().Format(logTime) + "\r\n" + logFields + "\r\n"
	if _, err := f.WriteString(header); err != nil {
		return fmt.Errorf("smtpd: write protocol log header %s: %w", name, err)
	}
	return nil
}

func (s *FileSink) closeFile() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f, s.name = nil, ""
	if err != nil {
		return fmt.Errorf("smtpd: close protocol log: %w", err)
	}
	return nil
}

// Close closes the current file and returns the first error met while writing.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(s.err, s.closeFile())
}
