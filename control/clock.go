package control

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// maxAdvance is the most one request moves the clock: past every retry and
// expiry the lab models (a message expires after two days on-premises,
// one in Exchange Online).
const maxAdvance = 400 * 24 * time.Hour

// clockBody is the clock's answer.
type clockBody struct {
	Clock time.Time `json:"clock"`
}

func (h *Handler) clock(w http.ResponseWriter, r *http.Request) {
	var body clockBody
	if err := h.read(func(l *sim.Lab) error { body.Clock = l.Now(); return nil }); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, body)
}

// advanceRequest is POST /api/v1/clock/advance's body.
type advanceRequest struct {
	Duration string `json:"duration"`
}

// advance moves the lab clock, running what falls due on the way.
func (h *Handler) advance(w http.ResponseWriter, r *http.Request) {
	var req advanceRequest
	if err := readJSON(r, &req); err != nil {
		fail(w, err)
		return
	}
	d, err := psh.ParseTimeSpan(req.Duration)
	if err != nil || d <= 0 || d > maxAdvance {
		fail(w, withStatus(http.StatusBadRequest, fmt.Errorf("control: duration %q: give a positive Go duration (\"15m\", \"24h\") or TimeSpan (\"00:15:00\") up to 400 days", req.Duration)))
		return
	}
	var body clockBody
	if h.cfg.Advance != nil {
		err = h.cfg.Advance(d)
		if err == nil {
			err = h.do(func(l *sim.Lab) error { body.Clock = l.Now(); return nil })
		}
	} else {
		err = h.do(func(l *sim.Lab) error {
			l.Advance(d)
			body.Clock = l.Now()
			return nil
		})
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, body)
}
