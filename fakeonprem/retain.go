package fakeonprem

import "slices"

// Retain bounds what a long-running organization keeps in memory, for its cmdlets and the
// lab's checks: each server's last n protocol log records and message tracking entries, each
// mailbox's last n messages, and the ledger entries of the last n recipients that reached
// their end (a mailbox, an NDR, another host); recipients still queued are always kept, so
// nothing accepted is ever lost track of. n 0 (the default) keeps everything. Logs streamed
// with StreamLogs keep everything on disk.
func (o *Organization) Retain(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n = max(n, 0)
	o.retain = n
	o.ledger.keep = n
	for _, b := range o.boxes {
		b.keep = n
	}
	for _, s := range o.servers {
		s.logs.mu.Lock()
		s.logs.keep = n
		s.logs.mu.Unlock()
	}
}

// keepLast returns s with only its last n elements once it holds twice as many (so trimming
// costs O(1) per element added); n 0 keeps all.
func keepLast[T any](s []T, n int) []T {
	if n == 0 || len(s) <= 2*n {
		return s
	}
	return slices.Clone(s[len(s)-n:])
}

// trim forgets the oldest entries at their end beyond keep, once twice as many are there.
// Callers hold o.mu.
func (l *ledger) trim() {
	if l.keep == 0 || len(l.order) <= 2*l.keep {
		return
	}
	ended := 0
	for _, k := range l.order {
		if l.rows[k].State != InQueue {
			ended++
		}
	}
	drop := ended - l.keep
	if drop <= 0 {
		return
	}
	kept := make([]ledgerKey, 0, len(l.order)-drop)
	for _, k := range l.order {
		if drop > 0 && l.rows[k].State != InQueue {
			delete(l.rows, k)
			drop--
			continue
		}
		kept = append(kept, k)
	}
	l.order = kept
}
