package sim

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// traceStream appends EXO's message trace to MessageTrace.txt as messages
// reach their end (Delivered, Failed): each row with its detail events, in
// the form WriteLogs writes. Rows still Pending are appended by close.
type traceStream struct {
	f       *os.File
	written map[traceKey]bool // rows written, among those the lab still keeps
}

type traceKey struct{ tenant, traceID, recipient string }

// openTraceStream opens dir/MessageTrace.txt for appending.
func openTraceStream(dir string) (*traceStream, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sim: logs: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "MessageTrace.txt"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sim: logs: %w", err)
	}
	return &traceStream{f: f, written: map[traceKey]bool{}}, nil
}

// flush appends the rows that reached their end since the last flush; with
// all, the rows still pending too. It forgets the rows the lab no longer
// keeps (Retain), so what it remembers stays bounded.
func (ts *traceStream) flush(l *Lab, all bool) error {
	w := bufio.NewWriter(ts.f)
	seen := make(map[traceKey]bool, len(ts.written))
	for _, t := range l.cfg.EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return err
		}
		for _, row := range org.GetMessageTrace() {
			k := traceKey{t.Name, row.MessageTraceId, row.RecipientAddress}
			switch {
			case ts.written[k]:
				seen[k] = true
			case row.Status != traceStatusPending || all:
				writeTraceRow(w, org, row)
				seen[k] = true
			}
		}
	}
	ts.written = seen
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sim: logs: message trace: %w", err)
	}
	return nil
}

// close appends the rows still pending and closes the file.
func (ts *traceStream) close(l *Lab) error {
	return errors.Join(ts.flush(l, true), ts.f.Close())
}

// traceStatusPending is Get-MessageTrace's Status of a message still on its
// way (fakeexo's trace).
const traceStatusPending = "Pending"
