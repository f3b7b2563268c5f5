package sim

import (
	"sync"
	"time"
)

// Clock is the lab's virtual clock: the one source of time for certificate
// validity, TLS verification, banners, log timestamps, retries and expiry.
// It moves only when the lab advances it; nothing in the lab sleeps.
type Clock struct {
	mu  sync.Mutex
	now time.Time
	// source and offset make the clock follow a time source (realclock.go).
	source func() time.Time
	offset time.Duration
}

// NewClock returns a clock stopped at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start.UTC()} }

// Now returns the clock's current instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.follow()
	return c.now
}

// set moves the clock to t; the clock never runs backwards.
func (c *Clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.follow()
	if t.After(c.now) {
		c.offset += t.Sub(c.now)
		c.now = t.UTC()
	}
}
