package control

import (
	"net/http"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/sim"
)

// servers is the query's server, or every on-premises server.
func servers(r *http.Request, l *sim.Lab) []string {
	if s := r.URL.Query().Get("server"); s != "" {
		return []string{s}
	}
	var out []string
	for _, s := range l.Config().OnPrem.Servers {
		out = append(out, s.Name)
	}
	return out
}

// queues answers Get-Queue of every on-premises server (or ?server=).
func (h *Handler) queues(w http.ResponseWriter, r *http.Request) {
	out := []fakeonprem.Queue{}
	err := h.read(func(l *sim.Lab) error {
		for _, s := range servers(r, l) {
			q, err := l.OnPrem.GetQueue(s)
			if err != nil {
				return withStatus(http.StatusNotFound, err)
			}
			out = append(out, q...)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, out)
}

// tracking answers Get-MessageTrackingLog (?server=, ?messageId=).
func (h *Handler) tracking(w http.ResponseWriter, r *http.Request) {
	out := []fakeonprem.TrackingEntry{}
	err := h.read(func(l *sim.Lab) error {
		for _, s := range servers(r, l) {
			e, err := l.OnPrem.GetMessageTrackingLog(s, r.URL.Query().Get("messageId"))
			if err != nil {
				return withStatus(http.StatusNotFound, err)
			}
			out = append(out, e...)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, out)
}

// eventLog answers the Application event log's transport events
// (?server=), oldest first.
func (h *Handler) eventLog(w http.ResponseWriter, r *http.Request) {
	out := []fakeonprem.Event{}
	err := h.read(func(l *sim.Lab) error {
		for _, s := range servers(r, l) {
			e, err := l.OnPrem.GetEventLog(s)
			if err != nil {
				return withStatus(http.StatusNotFound, err)
			}
			out = append(out, e...)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, out)
}
