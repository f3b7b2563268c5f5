package control

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	id, name string
	data     sim.Event
}

// openStream connects to the stream; the events arrive on the channel.
func openStream(t testing.TB, s *apiServer, lastEventID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 1000)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.name != "" {
					out <- e
				}
				e = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				e.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				e.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(line[6:]), &e.data)
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
		<-done
	})
	return out
}

// next waits for the first event that matches, failing after a generous
// real-time limit (the lab itself never waits).
func next(t testing.TB, events <-chan sseEvent, match func(sseEvent) bool) sseEvent {
	t.Helper()
	limit := time.After(30 * time.Second)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			if match(e) {
				return e
			}
		case <-limit:
			t.Fatal("no matching event within 30s")
		}
	}
}

func TestStream(t *testing.T) {
	s := newAPIServer(t, false)
	events := openStream(t, s, "")
	var sent sendBody
	s.call(t, "POST", "/api/v1/send", `{"from": "alice@contoso.com", "to": "bob@contoso.com"}`, &sent)
	first := next(t, events, func(sseEvent) bool { return true })
	if first.id != "1" || first.data.Seq != 1 || first.name != first.data.Kind {
		t.Errorf("first event = %+v, want id 1", first)
	}
	delivered := next(t, events, func(e sseEvent) bool { return e.name == sim.EventDelivery && e.data.MessageID == sent.MessageID })
	if delivered.data.Host != "EX01" {
		t.Errorf("delivery = %+v, want on EX01", delivered.data)
	}

	// A client that reconnects gets what followed its last event.
	n, _ := strconv.Atoi(delivered.id)
	again := openStream(t, s, strconv.Itoa(n-1))
	if got := next(t, again, func(sseEvent) bool { return true }); got.id != delivered.id || got.data != delivered.data {
		t.Errorf("after Last-Event-ID %d: %+v, want %+v", n-1, got, delivered)
	}

	// The owner's own steps wake the stream too.
	s.lab.do(func(l *sim.Lab) error {
		_, err := l.Send("bob@contoso.com", []string{"alice@contoso.com"}, "from the owner")
		return err
	})
	s.handler.Stepped()
	next(t, events, func(e sseEvent) bool { return e.name == sim.EventVerdict })
}

func TestStreamBadLastEventID(t *testing.T) {
	s := newAPIServer(t, false)
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/stream", nil)
	req.Header.Set("Last-Event-ID", "yesterday")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorBody
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 400 || e.Error != `control: Last-Event-ID "yesterday": give the id of the last event received, a number` {
		t.Errorf("stream with a bad Last-Event-ID = %d %q", resp.StatusCode, e.Error)
	}
}

// TestCloseEndsStreams: Close ends open streams, so that the server can
// shut down.
func TestCloseEndsStreams(t *testing.T) {
	s := newAPIServer(t, false)
	events := openStream(t, s, "")
	if err := s.handler.Close(); err != nil {
		t.Fatal(err)
	}
	for range events { // the stream ends: the channel closes
	}
}
