package sim

import (
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// NewRealClock returns a clock that stands at start and then follows a
// time source (time.Now for the wall clock): it reads start plus the
// source's elapsed time plus whatever it was advanced by.
func NewRealClock(start time.Time, source func() time.Time) *Clock {
	c := &Clock{now: start.UTC(), source: source}
	c.offset = start.Sub(source())
	return c
}

// follow moves the clock to the time source's reading, never backwards;
// c.mu is held.
func (c *Clock) follow() {
	if c.source == nil {
		return
	}
	if t := c.source().Add(c.offset).UTC(); t.After(c.now) {
		c.now = t
	}
}

// clockFor is the clock a configuration asks for: virtual, stopped at
// Clock (pki.DefaultTime when zero), or following cfg.Now.
func clockFor(cfg Config) *Clock {
	start := cfg.Clock
	if cfg.Now != nil {
		if start.IsZero() {
			start = cfg.Now()
		}
		return NewRealClock(start, cfg.Now)
	}
	if start.IsZero() {
		start = pki.DefaultTime
	}
	return NewClock(start)
}
