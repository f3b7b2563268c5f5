package simtest

import (
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// TB is what simtest needs of a test: *testing.T, *testing.B and Ginkgo's
// GinkgoT() all have it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Option changes the configuration of the lab a test starts.
type Option func(*sim.Config)

// WithConfig starts the lab from cfg (a lab file's, or one built in Go)
// instead of the default lab.
func WithConfig(cfg sim.Config) Option {
	return func(c *sim.Config) { *c = cfg.Clone() }
}

// WithRealClock makes the lab's clock follow the wall clock from the
// moment the lab starts, so that a tool checking certificates against the
// real time sees the lab's certificates valid (sim.Config.Now).
func WithRealClock() Option {
	return func(c *sim.Config) { c.Clock, c.Now = time.Time{}, time.Now }
}

// NewLab starts a lab for a test, the default lab unless an option says
// otherwise, and closes it when the test ends. It fails the test if the
// lab does not start.
func NewLab(t TB, opts ...Option) *sim.Lab {
	t.Helper()
	lab, err := sim.New(config(opts))
	if err != nil {
		t.Fatalf("simtest: the lab does not start: %v", err)
	}
	t.Cleanup(func() { lab.Close() })
	return lab
}

// config is the default lab's configuration with the options applied.
func config(opts []Option) sim.Config {
	cfg := sim.DefaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}
