package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hybridsim/hybridsim/sim"
)

// stream serves the lab's events as server-sent events: each event's id
// is its sequence number, its event name its kind and its data the
// sim.Event as JSON. A client that reconnects with Last-Event-ID (or
// ?after=N) gets what it missed; one further behind than the kept events
// gets an "event: gap" first, saying from where it resumes. The stream
// wakes when a request or the lab's owner (Handler.Stepped) moved the lab.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "control: this server cannot stream")
		return
	}
	last, err := lastEventID(r)
	if err != nil {
		fail(w, err)
		return
	}
	if r.Header.Get("Last-Event-ID") == "" && r.URL.Query().Get("after") == "" {
		// A new client starts from now: what happens after it connected.
		err := h.read(func(*sim.Lab) error {
			_, gen := h.wait()
			h.collect(gen)
			last = h.feed.Last()
			return nil
		})
		if err != nil {
			fail(w, err)
			return
		}
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": hybridsim lab events\n\n")
	flusher.Flush()
	for {
		wake, gen := h.wait()
		var events []sim.Event
		complete := true
		err := h.read(func(l *sim.Lab) error {
			h.collect(gen)
			events, complete = h.feed.Since(last)
			return nil
		})
		if err != nil {
			fmt.Fprintf(w, "event: error\ndata: %s\n\n", mustJSON(errorBody{err.Error()}))
			flusher.Flush()
			return
		}
		if !complete && len(events) > 0 {
			fmt.Fprintf(w, "event: gap\ndata: %s\n\n", mustJSON(map[string]uint64{"after": last, "resumesAt": events[0].Seq}))
		}
		for _, e := range events {
			fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Kind, mustJSON(e))
			last = e.Seq
		}
		flusher.Flush()
		select {
		case <-wake:
		case <-r.Context().Done():
			return
		case <-h.closed:
			return
		}
	}
}

// lastEventID is where the client resumes: the Last-Event-ID header, or
// ?after=.
func lastEventID(r *http.Request) (uint64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, withStatus(http.StatusBadRequest, fmt.Errorf("control: Last-Event-ID %q: give the id of the last event received, a number", v))
	}
	return n, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
