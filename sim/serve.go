package sim

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hybridsim/hybridsim/internal/labnet"
)

// ServeOptions configures Serve. Now is required: the lab itself never
// reads the wall clock, so a test passes its own.
type ServeOptions struct {
	// Now reads real time. The lab clock of a served lab is its start
	// (Config.Clock), plus the real time elapsed since Serve as Now measures
	// it, plus every Advance asked for: it never drifts behind real time.
	Now func() time.Time
	// Ticks paces the lab's own steps: at each tick the lab clock catches up
	// with Now and every delivery, retry and expiry that falls due runs,
	// messages outside tools handed in since the last step included. nil:
	// the lab steps only when Do, Advance or Reset ask.
	Ticks <-chan time.Time
	// PortBase fixes the real ports: the lab's n-th listener (n from 1, in
	// the order of the manifest's endpoints) binds 127.0.0.1:PortBase+n, the
	// same on every run. 0 binds ephemeral ports. Either way Reset keeps them.
	PortBase int
	// API is the control API's address, for the manifest's "api".
	API string
	// Logs, when set, is where the lab's logs are streamed as they happen
	// (Lab.StreamLogs); Shutdown closes them and writes EXO's message trace.
	Logs string
	// Keep bounds what the served lab keeps in memory (Lab.Retain): 0 means
	// DefaultKeep, a negative number everything.
	Keep int
	// Stepped, if set, is called on the loop's goroutine after each of the
	// lab's own steps (the control API's event stream reads then).
	Stepped func()
}

// DefaultKeep is ServeOptions.Keep's default: a served lab keeps this many
// recent records of each log, messages of each mailbox, and finished
// recipients' trace and ledger entries in memory; the logs on disk keep
// everything.
const DefaultKeep = 2000

// Serving is a lab served to tools outside it (`hybridsim serve`). One
// goroutine owns the lab and runs its steps: the clock's catching up at
// each tick and every function given to Do, one at a time. Outside tools'
// SMTP sessions run on their own goroutines and never hold a step up.
type Serving struct {
	cfg   Config
	opts  ServeOptions
	start time.Time // the lab clock when serving began
	began time.Time // opts.Now() then

	lab      atomic.Pointer[Lab]
	advanced time.Duration // every Advance so far; owned by the loop
	reqs     chan request
	stop     chan struct{}
	stopped  chan struct{}
	once     sync.Once
}

type request struct {
	f    func() error
	done chan error
}

// errShutDown is Do's answer once Shutdown has begun.
var errShutDown = errors.New("sim: the served lab is shutting down; start it again to send it requests")

// Serve starts the lab of cfg and its loop (see Serving).
func Serve(cfg Config, opts ServeOptions) (*Serving, error) {
	if opts.Now == nil {
		return nil, errors.New("sim: ServeOptions.Now is required: pass the real clock (time.Now) or a test's")
	}
	network := labnet.NewNetwork()
	if err := network.SetPortBase(opts.PortBase); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	l, err := newLab(cfg, network)
	if err != nil {
		return nil, err
	}
	s := &Serving{cfg: cfg, opts: opts, start: l.Now(), began: opts.Now(),
		reqs: make(chan request), stop: make(chan struct{}), stopped: make(chan struct{})}
	if err := s.streamLogs(l); err != nil {
		l.Close()
		return nil, err
	}
	s.lab.Store(l)
	go s.loop()
	return s, nil
}

// Lab returns the lab being served (after Reset, the new one). Read it
// freely; change it only through Do.
func (s *Serving) Lab() *Lab { return s.lab.Load() }

// Do runs f on the lab between the lab's own steps, never during one, and
// returns f's error.
func (s *Serving) Do(f func(*Lab) error) error {
	return s.do(func() error { return f(s.lab.Load()) })
}

// Advance moves the lab clock forward by d on top of real time, running
// what falls due on the way; the clock keeps following real time from there.
func (s *Serving) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("sim: advance by %v: the lab clock never runs backwards; give a positive duration", d)
	}
	return s.do(func() error {
		s.advanced += d
		s.step()
		return nil
	})
}

// Reset replaces the lab by the lab as it started: the same configuration,
// certificates and ports, empty queues and mailboxes, and no advance: its
// clock is the start plus the real time elapsed. Sessions open on the old
// lab are closed. Streamed logs go on in the same files (the Application
// logs start again with the new lab's events).
func (s *Serving) Reset() error { return s.reset(s.cfg) }

// Restart replaces the lab by one started from cfg, as Reset does (same
// ports for the same simulated addresses, logs going on): for catalogue
// entries that need a lab of their own. Reset afterwards returns to the lab
// Serve started.
func (s *Serving) Restart(cfg Config) error { return s.reset(cfg) }

func (s *Serving) reset(cfg Config) error {
	return s.do(func() error {
		old := s.lab.Load()
		ports := old.network.RealPorts()
		old.Close()
		logErr := s.closeLogs(old)
		network := labnet.NewNetwork()
		for sim, port := range ports {
			network.PinPort(sim, port)
		}
		l, err := newLab(cfg, network)
		if err != nil {
			return fmt.Errorf("sim: reset: %w", err)
		}
		if err := s.streamLogs(l); err != nil {
			l.Close()
			return fmt.Errorf("sim: reset: %w", err)
		}
		s.lab.Store(l)
		s.advanced = 0
		s.step()
		return logErr
	})
}

// Shutdown stops the loop (a step under way finishes first) and then the
// lab's servers gracefully: no new connection is accepted, open sessions
// may finish until ctx is done, and those still open then get `421 4.3.2
// Service not available, closing transmission channel`; then it closes the
// streamed logs. It returns ctx's error if it had to end sessions. Calling
// it again does nothing.
func (s *Serving) Shutdown(ctx context.Context) error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		<-s.stopped
		l := s.lab.Load()
		err = errors.Join(l.Shutdown(ctx), s.closeLogs(l))
	})
	return err
}

// streamLogs starts streaming a new lab's logs, if asked, and bounds what
// it keeps in memory.
func (s *Serving) streamLogs(l *Lab) error {
	keep := s.opts.Keep
	switch {
	case keep == 0:
		keep = DefaultKeep
	case keep < 0:
		keep = 0
	}
	l.Retain(keep)
	if s.opts.Logs == "" {
		return nil
	}
	return l.StreamLogs(s.opts.Logs)
}

// closeLogs ends a lab's streaming, if any.
func (s *Serving) closeLogs(l *Lab) error {
	if s.opts.Logs == "" {
		return nil
	}
	return l.CloseLogs()
}

// Manifest is the lab's manifest with the control API's address.
func (s *Serving) Manifest() Manifest {
	m := s.Lab().Manifest()
	m.API = s.opts.API
	return m
}

// WriteManifest writes the manifest and its files into dir, as
// Lab.WriteManifest does, with the control API's address.
func (s *Serving) WriteManifest(dir string) (Manifest, error) {
	return s.Lab().writeManifest(dir, s.Manifest())
}

func (s *Serving) do(f func() error) error {
	r := request{f: f, done: make(chan error, 1)}
	select {
	case s.reqs <- r:
		return <-r.done
	case <-s.stop:
		return errShutDown
	}
}

func (s *Serving) loop() {
	defer close(s.stopped)
	for {
		select {
		case <-s.stop:
			return
		case <-s.opts.Ticks:
			s.step()
		case r := <-s.reqs:
			r.done <- r.f()
		}
	}
}

// step catches the lab clock up with real time plus the advances, running
// what falls due, and what outside tools handed in.
func (s *Serving) step() {
	l := s.lab.Load()
	target := s.start.Add(s.opts.Now().Sub(s.began) + s.advanced)
	l.Advance(max(0, target.Sub(l.Now())))
	if s.opts.Stepped != nil {
		s.opts.Stepped()
	}
}

// Shutdown stops every server of the lab gracefully (see Serving.Shutdown);
// afterwards the lab is closed as by Close.
func (l *Lab) Shutdown(ctx context.Context) error {
	errs := make([]error, len(l.orgs)+1)
	var wg sync.WaitGroup
	for i, o := range l.orgs {
		wg.Go(func() { errs[i] = o.Shutdown(ctx) })
	}
	wg.Go(func() { errs[len(l.orgs)] = l.EXO.Shutdown(ctx) })
	wg.Wait()
	var cut error
	for i, err := range errs {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			cut = ctx.Err()
			errs[i] = nil
			if i < len(l.orgs) {
				errs[i] = l.orgs[i].Close()
			} else {
				errs[i] = l.EXO.Close()
			}
		}
	}
	return errors.Join(cut, errors.Join(errs...))
}
