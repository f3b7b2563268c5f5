package sim

import (
	"testing"
	"time"
)

// TestRealClock: a clock on a time source starts where asked, follows the
// source, and Advance moves it on from there; it never runs backwards.
func TestRealClock(t *testing.T) {
	src := time.Date(2030, 3, 1, 12, 0, 0, 0, time.UTC)
	source := func() time.Time { return src }
	c := NewRealClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), source)
	src = src.Add(10 * time.Second)
	if got, want := c.Now(), time.Date(2026, 1, 5, 9, 0, 10, 0, time.UTC); !got.Equal(want) {
		t.Errorf("after 10s of the source: %v, want %v", got, want)
	}
	c.set(c.Now().Add(time.Hour))
	src = src.Add(5 * time.Second)
	if got, want := c.Now(), time.Date(2026, 1, 5, 10, 0, 15, 0, time.UTC); !got.Equal(want) {
		t.Errorf("advanced an hour, then 5s of the source: %v, want %v", got, want)
	}
	src = src.Add(-time.Minute)
	if got, want := c.Now(), time.Date(2026, 1, 5, 10, 0, 15, 0, time.UTC); !got.Equal(want) {
		t.Errorf("the source went back a minute: %v, want %v (never backwards)", got, want)
	}
}

// TestLabOnRealClock: a lab whose Config.Now is a time source starts at its
// reading, and its hybrid certificate is valid then.
func TestLabOnRealClock(t *testing.T) {
	at := time.Date(2031, 6, 1, 8, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.Clock, cfg.Now = time.Time{}, func() time.Time { return at }
	lab, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lab.Close() })
	if !lab.Now().Equal(at) {
		t.Errorf("lab starts at %v, want %v", lab.Now(), at)
	}
	leaf := lab.Certificates["hybrid"].Leaf
	if at.Before(leaf.NotBefore) || at.After(leaf.NotAfter) {
		t.Errorf("the hybrid certificate is valid %v to %v, not at %v", leaf.NotBefore, leaf.NotAfter, at)
	}
}
