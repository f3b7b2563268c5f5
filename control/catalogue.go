package control

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// entryBody is one catalogue entry as GET /api/v1/catalogue lists it.
type entryBody struct {
	ID        string   `json:"id"`
	Slug      string   `json:"slug"`
	Title     string   `json:"title"`
	Direction string   `json:"direction"`
	Sources   []string `json:"sources"`
	Labels    []string `json:"labels"`
	// OwnLab tells an entry that needs a lab started for it (Entry.Lab):
	// breaking it restarts the lab.
	OwnLab bool `json:"ownLab"`
	Broken bool `json:"broken"`
}

func (h *Handler) catalogue(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []entryBody{}
	for _, e := range scenarios.Catalogue() {
		_, broken := h.runs[e.ID]
		out = append(out, entryBody{ID: e.ID, Slug: e.Slug, Title: e.Title, Direction: string(e.Direction), Sources: e.Sources,
			Labels: e.Labels, OwnLab: e.Lab != nil, Broken: broken})
	}
	writeJSON(w, out)
}

// stepsBody is the answer of break and fix: the steps as the
// administrator typed them, and any refusal, as the catalogue's
// transcripts show them.
type stepsBody struct {
	ID         string `json:"id"`
	Transcript string `json:"transcript"`
	// Restarted tells that the lab was restarted for the entry
	// (Entry.Lab): its ports and history are new.
	Restarted bool `json:"restarted"`
}

// entry finds the entry of the path's id (F06 or its slug).
func entry(r *http.Request) (scenarios.Entry, error) {
	e, ok := scenarios.Find(r.PathValue("id"))
	if !ok {
		return e, withStatus(http.StatusNotFound, fmt.Errorf("control: no catalogue entry %q: GET /api/v1/catalogue lists them", r.PathValue("id")))
	}
	return e, nil
}

// breakEntry applies an entry's break steps to the running lab. An entry
// already broken is refused (reset first); one that needs its own lab
// restarts the lab from scenarios.PrepareConfig when Config.Restart is set.
func (h *Handler) breakEntry(w http.ResponseWriter, r *http.Request) {
	e, err := entry(r)
	if err != nil {
		fail(w, err)
		return
	}
	h.mu.Lock()
	_, broken := h.runs[e.ID]
	h.mu.Unlock()
	if broken {
		fail(w, withStatus(http.StatusConflict, fmt.Errorf("control: %s is already broken: POST /api/v1/catalogue/%s/fix, or POST /api/v1/reset", e.ID, e.ID)))
		return
	}
	body := stepsBody{ID: e.ID}
	if e.Lab != nil {
		if h.cfg.Restart == nil {
			fail(w, withStatus(http.StatusConflict, fmt.Errorf("control: %s needs a lab started for it (%s); this server cannot restart its lab: run `hybridsim run %s`, or start serve with a lab file that has what the entry adds", e.ID, e.Title, e.ID)))
			return
		}
		if err := h.restart(func() error { return h.cfg.Restart(scenarios.PrepareConfig(e, h.base)) }); err != nil {
			fail(w, err)
			return
		}
		body.Restarted = true
	}
	err = h.do(func(l *sim.Lab) error {
		run := scenarios.Attach(e, l)
		err := run.Break()
		body.Transcript = run.Transcript()
		h.mu.Lock()
		h.runs[e.ID] = run
		h.mu.Unlock()
		return err
	})
	answer(w, body, err)
}

// fixEntry applies an entry's documented fix to the lab it was broken on.
func (h *Handler) fixEntry(w http.ResponseWriter, r *http.Request) {
	e, err := entry(r)
	if err != nil {
		fail(w, err)
		return
	}
	h.mu.Lock()
	run, broken := h.runs[e.ID]
	h.mu.Unlock()
	if !broken {
		fail(w, withStatus(http.StatusConflict, fmt.Errorf("control: %s is not broken on this lab: POST /api/v1/catalogue/%s/break first (the fix follows the break's steps)", e.ID, e.ID)))
		return
	}
	body := stepsBody{ID: e.ID}
	err = h.do(func(l *sim.Lab) error {
		if run.Lab != l {
			return withStatus(http.StatusConflict, fmt.Errorf("control: %s was broken on a lab that has since been restarted: break it again", e.ID))
		}
		before := len(run.Transcript())
		err := run.Fix()
		body.Transcript = run.Transcript()[before:]
		return err
	})
	if err == nil {
		h.mu.Lock()
		delete(h.runs, e.ID)
		h.mu.Unlock()
	}
	answer(w, body, err)
}

// answer writes a break's or fix's transcript, or its failure with the
// transcript so far.
func answer(w http.ResponseWriter, body stepsBody, err error) {
	var se *statusError
	if err != nil && !errors.As(err, &se) {
		err = withStatus(http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		fail(w, fmt.Errorf("%w\ntranscript so far:\n%s", err, body.Transcript))
		return
	}
	writeJSON(w, body)
}
