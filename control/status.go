package control

import (
	"net/http"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// healthBody is GET /api/v1/health's answer.
type healthBody struct {
	Status string    `json:"status"`
	Clock  time.Time `json:"clock"`
}

// health answers 200 with the lab clock once the lab is ready
// (Config.Ready) and runs its steps.
func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Ready != nil {
		if err := h.cfg.Ready(); err != nil {
			writeError(w, http.StatusServiceUnavailable, "control: the lab is not ready: "+err.Error())
			return
		}
	}
	var body healthBody
	err := h.read(func(l *sim.Lab) error {
		body = healthBody{Status: "ok", Clock: l.Now()}
		return nil
	})
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "control: the lab is not running: "+err.Error())
		return
	}
	writeJSON(w, body)
}

func (h *Handler) manifest(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Manifest != nil {
		writeJSON(w, h.cfg.Manifest())
		return
	}
	var m sim.Manifest
	if err := h.read(func(l *sim.Lab) error { m = l.Manifest(); return nil }); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, m)
}

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDocument)
}

// reset restarts the lab as it started; broken entries are forgotten.
func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	if err := h.restart(func() error { return h.cfg.Reset() }); err != nil {
		fail(w, err)
		return
	}
	h.clock(w, r)
}

// restart runs a restart of the lab (Reset or Restart), forgets the
// broken entries and follows the new lab's events.
func (h *Handler) restart(start func() error) error {
	h.mu.Lock()
	h.runs = map[string]*scenarios.Run{}
	h.mu.Unlock()
	if err := start(); err != nil {
		return err
	}
	return h.do(func(l *sim.Lab) error {
		h.feed.Follow(l)
		return nil
	})
}
