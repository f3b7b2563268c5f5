package smtpd

import (
	"fmt"
	"sync"
	"time"
)

// ticksAtUnixEpoch is 1970-01-01 in .NET ticks (100 ns since 0001-01-01).
const ticksAtUnixEpoch = 621355968000000000

// Ticks is t in .NET ticks, the unit Exchange's session ids count in.
func Ticks(t time.Time) uint64 {
	return uint64(t.UnixNano()/100 + ticksAtUnixEpoch)
}

// TickSessionIDs returns a source of session ids as Exchange makes them (real-artifacts
// §1.3): 16 upper-case hex digits that decode as .NET ticks to a moment at or before the
// session, here the clock's time minus back. The last hex digit is tag (0 to 15), so that
// sources with distinct tags (the lab's servers and services) never give the same id; each
// id is greater than the last, so a burst of sessions at one virtual instant still gets
// distinct ids (1.6 µs apart, so they stay before the session while back exceeds the
// burst). Whether Exchange's is a per-service counter seeded with ticks is INFER (§6.4).
// Safe for concurrent use.
func TickSessionIDs(clock Clock, back time.Duration, tag uint64) func() string {
	var mu sync.Mutex
	var last uint64
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		id := Ticks(clock.Now().Add(-back))&^0xF | tag&0xF
		if id <= last {
			id = last + 16
		}
		last = id
		return fmt.Sprintf("%016X", id)
	}
}
