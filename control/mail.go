package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/sim"
)

// sendRequest is POST /api/v1/send's body: to is one address or a list.
type sendRequest struct {
	From    string          `json:"from"`
	To      json.RawMessage `json:"to"`
	Subject string          `json:"subject"`
}

// sendBody is the answer: the message's Message-ID, for /messages/{id}.
type sendBody struct {
	MessageID string `json:"messageId"`
}

// send has a mailbox submit a message, as a user would from Outlook.
func (h *Handler) send(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if err := readJSON(r, &req); err != nil {
		fail(w, err)
		return
	}
	var to []string
	if err := json.Unmarshal(req.To, &to); err != nil {
		var one string
		if json.Unmarshal(req.To, &one) != nil {
			fail(w, withStatus(http.StatusBadRequest, fmt.Errorf(`control: send: "to" is an address or a list of addresses`)))
			return
		}
		to = []string{one}
	}
	if req.From == "" || len(to) == 0 {
		fail(w, withStatus(http.StatusBadRequest, fmt.Errorf(`control: send: give "from" (a mailbox of the lab; GET /api/v1/manifest lists them) and "to"`)))
		return
	}
	var body sendBody
	err := h.do(func(l *sim.Lab) error {
		id, err := l.Send(req.From, to, req.Subject)
		body.MessageID = id
		if err != nil {
			return withStatus(http.StatusUnprocessableEntity, err)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, body)
}

// timelineBody is a message's timeline: sim.Timeline's fields and its
// text as `hybridsim run` prints it. Its Hops are sim.Timeline's with
// each protocol log session's certificates read out (viewHops), so that
// the dashboard does not parse the log's certificate records itself.
type timelineBody struct {
	sim.Timeline
	Hops []hopView
	Text string `json:"text"`
}

// message answers the whole timeline of one message across every hop.
func (h *Handler) message(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var body timelineBody
	_ = h.read(func(l *sim.Lab) error {
		body.Timeline = l.Trace(id)
		if len(body.Timeline.Hops) == 0 && len(body.Whereabouts) == 0 && !strings.HasPrefix(id, "<") {
			body.Timeline = l.Trace("<" + id + ">")
		}
		body.Text = body.Timeline.String()
		body.Hops = viewHops(body.Timeline.Hops)
		return nil
	})
	if len(body.Timeline.Hops) == 0 && len(body.Whereabouts) == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("control: no message %s in the lab: give the Message-ID POST /api/v1/send answered (URL-encoded)", id))
		return
	}
	writeJSON(w, body)
}

// traceRow is one row of Get-MessageTrace with its Get-MessageTraceDetail
// events (with ?messageId= only).
type traceRow struct {
	Tenant string `json:"Tenant"`
	fakeexo.MessageTrace
	Details []fakeexo.MessageTraceDetail `json:"Details,omitempty"`
}

// messageTrace answers Exchange Online's message trace of every tenant,
// filtered by the query's sender, recipient, messageId and status.
func (h *Handler) messageTrace(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match := func(key, got string) bool {
		want := strings.Trim(q.Get(key), "<>")
		return want == "" || strings.EqualFold(want, strings.Trim(got, "<>"))
	}
	rows := []traceRow{}
	err := h.read(func(l *sim.Lab) error {
		for _, t := range l.Config().EXO.Tenants {
			org, err := l.EXO.Organization(t.Name)
			if err != nil {
				return err
			}
			for _, m := range org.GetMessageTrace() {
				if !match("sender", m.SenderAddress) || !match("recipient", m.RecipientAddress) || !match("messageId", m.MessageId) || !match("status", m.Status) {
					continue
				}
				row := traceRow{Tenant: t.Name, MessageTrace: m}
				if q.Get("messageId") != "" { // one message's details; every row's would cost a scan each
					details, err := org.GetMessageTraceDetail(m.MessageTraceId, m.RecipientAddress)
					if err != nil {
						return err
					}
					row.Details = details
				}
				rows = append(rows, row)
			}
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, rows)
}
