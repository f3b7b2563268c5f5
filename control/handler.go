package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Config is what the handler needs from whoever runs the lab.
type Config struct {
	// Do runs f between the lab's own steps, with the running lab, and
	// returns f's error. Required.
	Do func(f func(*sim.Lab) error) error
	// Reset stops the lab and starts it again as it started, on the same
	// ports. Required.
	Reset func() error
	// Advance moves the lab clock forward by d, running what falls due;
	// nil: Lab.Advance through Do. A served lab whose clock follows real
	// time passes its own, so the advance is kept.
	Advance func(d time.Duration) error
	// Restart stops the lab and starts one from cfg (for catalogue entries
	// that need their own lab); nil answers such entries with 409.
	Restart func(cfg sim.Config) error
	// Ready reports whether every listener accepts (GET /api/v1/health
	// answers 503 with its error until then); nil: the lab is ready when
	// Do runs.
	Ready func() error
	// Manifest is what GET /api/v1/manifest answers; nil answers the
	// lab's own Manifest.
	Manifest func() any
	// LogDir is the directory where the lab's logs are written as they
	// happen; "" has the handler write them (Lab.WriteLogs) into a
	// temporary directory of its own at each request.
	LogDir string
}

// Handler serves the control API. Make it with NewHandler.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	base sim.Config // the lab's configuration at the start, for Reset and Restart

	mu      sync.Mutex
	runs    map[string]*scenarios.Run // catalogue entries broken since the last reset
	changed chan struct{}             // closed and replaced when something may have happened
	gen     uint64                    // counts Stepped calls

	closed    chan struct{} // closed by Close: open streams end
	closeOnce sync.Once

	logsMu  sync.Mutex
	ownLogs string // the handler's own log directory when LogDir is ""

	feed      *sim.Feed // touched only inside Do
	collected uint64    // the gen the feed last collected at; touched only inside Do
}

// route is one route of the API: the method, the path pattern
// (net/http's ServeMux syntax) and the handler.
type route struct {
	method, path string
	serve        func(h *Handler, w http.ResponseWriter, r *http.Request)
}

// routes is the API: every route here is in openapi.json and the other way
// round (TestOpenAPIMatchesRoutes).
var routes = []route{
	{"GET", "/api/v1/health", (*Handler).health},
	{"GET", "/api/v1/manifest", (*Handler).manifest},
	{"GET", "/api/v1/openapi.json", (*Handler).openAPI},
	{"GET", "/api/v1/catalogue", (*Handler).catalogue},
	{"POST", "/api/v1/catalogue/{id}/break", (*Handler).breakEntry},
	{"POST", "/api/v1/catalogue/{id}/fix", (*Handler).fixEntry},
	{"POST", "/api/v1/shell", (*Handler).shell},
	{"GET", "/api/v1/clock", (*Handler).clock},
	{"POST", "/api/v1/clock/advance", (*Handler).advance},
	{"POST", "/api/v1/send", (*Handler).send},
	{"GET", "/api/v1/messages/{id}", (*Handler).message},
	{"GET", "/api/v1/messagetrace", (*Handler).messageTrace},
	{"GET", "/api/v1/queues", (*Handler).queues},
	{"GET", "/api/v1/tracking", (*Handler).tracking},
	{"GET", "/api/v1/events", (*Handler).eventLog},
	{"GET", "/api/v1/logs", (*Handler).logList},
	{"GET", "/api/v1/logs/{path...}", (*Handler).logFile},
	{"GET", "/api/v1/stream", (*Handler).stream},
	{"POST", "/api/v1/reset", (*Handler).reset},
}

// NewHandler returns the control API over the lab cfg.Do runs functions
// on. It reads the lab's configuration at once (for Reset and catalogue
// restarts) and starts following its events.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Do == nil || cfg.Reset == nil {
		return nil, errors.New("control: Config needs Do and Reset")
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), runs: map[string]*scenarios.Run{}, changed: make(chan struct{}), closed: make(chan struct{})}
	err := cfg.Do(func(l *sim.Lab) error {
		h.base = l.Config()
		h.feed = sim.NewFeed(l, 0)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	for _, rt := range routes {
		h.mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) { rt.serve(h, w, r) })
	}
	return h, nil
}

// ServeHTTP serves one request. A panic in the lab's code is answered
// with 500 and its message, and the server goes on.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			writeError(w, http.StatusInternalServerError, fmt.Sprintf("control: %s %s failed inside the lab: %v", r.Method, r.URL.Path, p))
		}
	}()
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.unrouted(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// unrouted answers a request no route takes: 405 when the path has a route
// with another method, 404 otherwise; both list the routes.
func (h *Handler) unrouted(w http.ResponseWriter, r *http.Request) {
	var allow, all []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	for _, rt := range routes {
		all = append(all, rt.method+" "+rt.path)
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("control: %s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
		return
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("control: no route %s %s; the API's routes: %s (GET /api/v1/openapi.json describes them)", r.Method, r.URL.Path, strings.Join(all, ", ")))
}

// Close ends the open event streams (so that http.Server.Shutdown does not
// wait for them) and removes the directory the handler wrote the lab's
// logs into (when Config.LogDir is ""). The lab is its owner's to close.
func (h *Handler) Close() error {
	h.closeOnce.Do(func() { close(h.closed) })
	h.logsMu.Lock()
	defer h.logsMu.Unlock()
	if h.ownLogs == "" {
		return nil
	}
	err := os.RemoveAll(h.ownLogs)
	h.ownLogs = ""
	return err
}

// Stepped tells the handler that the lab's owner ran a step of its own
// (a delivery, a retry, a tick): the event stream looks for new events.
func (h *Handler) Stepped() {
	h.mu.Lock()
	close(h.changed)
	h.changed = make(chan struct{})
	h.gen++
	h.mu.Unlock()
}

// wait returns a channel closed at the next Stepped, and the count of
// Stepped calls so far.
func (h *Handler) wait() (<-chan struct{}, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.changed, h.gen
}

// collect has the feed read what happened, once per Stepped however many
// clients stream. Call it inside Do.
func (h *Handler) collect(gen uint64) {
	if gen != h.collected || gen == 0 {
		h.feed.Collect()
		h.collected = gen
	}
}

// do runs f on the lab and wakes the stream afterwards.
func (h *Handler) do(f func(*sim.Lab) error) error {
	defer h.Stepped()
	return h.read(f)
}

// read runs f on the lab. A panic in f (the lab's code) becomes an error
// there, so that the lab's owner goes on.
func (h *Handler) read(f func(*sim.Lab) error) error {
	return h.cfg.Do(func(l *sim.Lab) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("control: the lab panicked: %v", p)
			}
		}()
		return f(l)
	})
}

// statusError is an error with the HTTP status it answers.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// withStatus gives err the status it answers.
func withStatus(status int, err error) error { return &statusError{status, err} }

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// errorBody is every error's answer.
type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{msg})
}

// fail answers err with its status (500 when it has none).
func fail(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	writeError(w, status, err.Error())
}

// readJSON decodes a request's JSON body into v, refusing unknown fields.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return withStatus(http.StatusBadRequest, fmt.Errorf("control: %s %s: the body is not the JSON this route takes (%v); GET /api/v1/openapi.json describes it", r.Method, r.URL.Path, err))
	}
	return nil
}
