package sim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testClock is a real-time source a test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newServing serves the default lab on a test clock and ticks the test
// sends; it is shut down at the end of the test.
func newServing(t testing.TB) (*Serving, *testClock, chan time.Time) {
	t.Helper()
	clock := &testClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} // any instant: only differences count
	ticks := make(chan time.Time)
	s, err := Serve(DefaultConfig(), ServeOptions{Now: clock.Now, Ticks: ticks})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s, clock, ticks
}

// TestServingClock: the lab clock is its start plus real time elapsed plus
// every advance asked for, whatever the number of ticks.
func TestServingClock(t *testing.T) {
	s, clock, ticks := newServing(t)
	start := s.Lab().Now()
	clock.add(90 * time.Second)
	ticks <- time.Time{}
	ticks <- time.Time{} // received once the first tick's step is done
	if got, want := s.Lab().Now(), start.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("after 90 s of real time the lab clock is %v, want %v", got, want)
	}
	if err := s.Advance(15 * time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.add(10 * time.Second)
	ticks <- time.Time{}
	ticks <- time.Time{}
	if got, want := s.Lab().Now(), start.Add(90*time.Second+15*time.Minute+10*time.Second); !got.Equal(want) {
		t.Errorf("after Advance(15m) and 10 s more the lab clock is %v, want %v", got, want)
	}
	if err, want := s.Advance(-time.Second), "sim: advance by -1s: the lab clock never runs backwards; give a positive duration"; err == nil || err.Error() != want {
		t.Errorf("Advance(-1s) = %v, want %s", err, want)
	}
}

// TestServingDo: Do runs its function on the lab and returns its error;
// once shut down it refuses.
func TestServingDo(t *testing.T) {
	s, _, _ := newServing(t)
	if err := s.Do(func(l *Lab) error {
		_, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "through Do")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Lab().Mailbox("bob@contoso.com")
	if err != nil || len(msgs) != 1 {
		t.Fatalf("bob's mailbox after a Send through Do: %d messages, %v; want 1", len(msgs), err)
	}
	boom := errors.New("boom")
	if err := s.Do(func(*Lab) error { return boom }); err != boom {
		t.Errorf("Do(f) = %v, want f's error %v", err, boom)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Do(func(*Lab) error { return nil }); err != errShutDown {
		t.Errorf("Do after Shutdown = %v, want %v", err, errShutDown)
	}
}

// TestServingReset: Reset brings back the lab as it started, on the same
// ports, with its mail gone and its clock following real time again.
func TestServingReset(t *testing.T) {
	s, clock, _ := newServing(t)
	before := s.Lab().Manifest()
	if err := s.Do(func(l *Lab) error {
		_, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "before the reset")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Minute)
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	after := s.Lab().Manifest()
	if diff := cmp.Diff(before.Endpoints, after.Endpoints); diff != "" {
		t.Errorf("endpoints after Reset (-before +after):\n%s", diff)
	}
	if got, want := after.Clock, before.Clock.Add(time.Minute); !got.Equal(want) {
		t.Errorf("lab clock after Reset = %v, want the start plus the real minute, %v", got, want)
	}
	if msgs, _ := s.Lab().Mailbox("bob@contoso.com"); len(msgs) != 0 {
		t.Errorf("bob's mailbox after Reset holds %d messages, want 0", len(msgs))
	}
	if err := s.Do(func(l *Lab) error {
		_, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "after the reset")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := s.Lab().Mailbox("bob@contoso.com"); len(msgs) != 1 {
		t.Errorf("bob's mailbox after a Send on the reset lab holds %d messages, want 1", len(msgs))
	}
}

// TestWriteManifestKeyMode: the client key is 0600 even where an older file
// was 0644, and no temporary file is left behind.
func TestWriteManifestKeyMode(t *testing.T) {
	l := newDefaultLab(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "onprem-client.key")
	if err := os.WriteFile(key, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.WriteManifest(dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(key)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("onprem-client.key mode = %v, want 0600", st.Mode().Perm())
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	want := []string{"exo-trust.pem", "manifest.json", "onprem-client.key", "onprem-client.pem", "onprem-trust.pem"}
	var got []string
	for _, n := range names {
		got = append(got, filepath.Base(n))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files in the manifest's directory (-want +got):\n%s", diff)
	}
}
