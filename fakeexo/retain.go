package fakeexo

import "slices"

// Retain bounds what a long-running service keeps in memory, for its cmdlets and the lab's
// checks: the last n protocol log records, each mailbox's last n messages, the last n front
// door verdicts, and the message trace and ledger entries of the last n recipients that
// reached their end (a mailbox, another host, a failure); recipients still queued are always
// kept. n 0 (the default) keeps everything. A log streamed with StreamLogs keeps everything on
// disk.
func (s *Service) Retain(n int) {
	n = max(n, 0)
	s.mu.Lock()
	s.retain = n
	for k, msgs := range s.mailboxes {
		s.mailboxes[k] = keepLast(msgs, n)
	}
	s.trimVerdicts()
	s.trimRecords()
	s.mu.Unlock()
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keep = n
	if l.order == nil {
		l.order, l.count = sortedSessionIDs(l.sessions), 0
		for _, id := range l.order {
			l.count += len(l.sessions[id])
		}
	}
	l.trim()
}

// keepLast returns s with only its last n elements once it holds twice as many (so trimming
// costs O(1) per element added); n 0 keeps all.
func keepLast[T any](s []T, n int) []T {
	if n == 0 || len(s) <= 2*n {
		return s
	}
	return slices.Clone(s[len(s)-n:])
}

// trimVerdicts forgets the oldest verdicts beyond retain. Callers hold s.mu.
func (s *Service) trimVerdicts() {
	if s.retain == 0 || len(s.verdicts) <= 2*s.retain {
		return
	}
	drop := len(s.verdicts) - s.retain
	s.verdicts = slices.Clone(s.verdicts[drop:])
	s.verdictAt += drop
}

// trimRecords forgets the oldest trace and ledger entries that reached their end, beyond
// retain. Callers hold s.mu.
func (s *Service) trimRecords() {
	if s.retain == 0 {
		return
	}
	if len(s.traces) > 2*s.retain {
		s.traces = dropEnded(s.traces, s.retain, func(r *traceRecord) bool { return r.row.Status != statusPending })
	}
	if len(s.ledger) > 2*s.retain {
		s.ledger = dropEnded(s.ledger, s.retain, func(e *LedgerEntry) bool { return e.Location != InQueue })
	}
}

// dropEnded removes the oldest elements for which ended is true, keeping keep of them.
func dropEnded[T any](s []T, keep int, ended func(T) bool) []T {
	n := 0
	for _, x := range s {
		if ended(x) {
			n++
		}
	}
	drop := n - keep
	if drop <= 0 {
		return s
	}
	out := make([]T, 0, len(s)-drop)
	for _, x := range s {
		if drop > 0 && ended(x) {
			drop--
			continue
		}
		out = append(out, x)
	}
	return out
}

// trim forgets the oldest records beyond keep, once twice as many are kept: whole sessions
// first, then the head of a session that alone holds more. Callers hold l.mu.
func (l *memoryLog) trim() {
	if l.keep == 0 || l.count <= 2*l.keep {
		return
	}
	for len(l.order) > 1 && l.count > l.keep {
		id := l.order[0]
		l.count -= len(l.sessions[id])
		delete(l.sessions, id)
		l.order = l.order[1:]
	}
	if l.count > l.keep && len(l.order) == 1 {
		id := l.order[0]
		recs := l.sessions[id]
		l.sessions[id] = slices.Clone(recs[len(recs)-l.keep:])
		l.count = l.keep
	}
	l.order = slices.Clone(l.order)
}
