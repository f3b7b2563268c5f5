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

// perServer answers what get reads of each on-premises server (or of
// ?server=), concatenated in server order; an unknown server is 404.
func perServer[T any](h *Handler, w http.ResponseWriter, r *http.Request, get func(l *sim.Lab, server string) ([]T, error)) {
	out := []T{}
	err := h.read(func(l *sim.Lab) error {
		for _, s := range servers(r, l) {
			got, err := get(l, s)
			if err != nil {
				return withStatus(http.StatusNotFound, err)
			}
			out = append(out, got...)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, out)
}

// queues answers Get-Queue of every on-premises server (or ?server=).
func (h *Handler) queues(w http.ResponseWriter, r *http.Request) {
	perServer(h, w, r, func(l *sim.Lab, s string) ([]fakeonprem.Queue, error) { return l.OnPrem.GetQueue(s) })
}

// tracking answers Get-MessageTrackingLog (?server=, ?messageId=).
func (h *Handler) tracking(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("messageId")
	perServer(h, w, r, func(l *sim.Lab, s string) ([]fakeonprem.TrackingEntry, error) {
		return l.OnPrem.GetMessageTrackingLog(s, id)
	})
}

// eventLog answers the Application event log's transport events
// (?server=), oldest first.
func (h *Handler) eventLog(w http.ResponseWriter, r *http.Request) {
	perServer(h, w, r, func(l *sim.Lab, s string) ([]fakeonprem.Event, error) { return l.OnPrem.GetEventLog(s) })
}
