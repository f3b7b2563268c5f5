package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// probeWait is how long a probe runs after its message is sent: long
// enough for every side's first retries, short of any expiry (as Explain).
const probeWait = time.Hour

// probeLab is what a message in each direction does in the lab at an
// instant. At the lab's start it is scenarios.Explain (which also names the
// catalogue entries whose symptoms the lab shows, with their documented
// fix); later, a fresh lab's clock is moved to the instant first and the
// same probes are sent. This is the one place check calls Explain: adapt it
// here when Explain takes an instant.
func probeLab(cfg sim.Config, at time.Time) ([]scenarios.Prediction, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("check: the lab does not start: %w", err)
	}
	start := lab.Now()
	if !at.After(start) {
		lab.Close()
		return scenarios.Explain(cfg)
	}
	defer lab.Close()
	lab.Advance(at.Sub(start))
	return probeRunning(lab, cfg)
}

// probeRunning sends a message each way through a running lab, lets it run
// for probeWait, and says what became of each.
func probeRunning(lab *sim.Lab, cfg sim.Config) ([]scenarios.Prediction, error) {
	type sent struct {
		p  scenarios.Prediction
		id string
	}
	var probes []sent
	for _, d := range directions(cfg) {
		id, err := lab.Send(d.From, []string{d.To}, "Check: "+string(d.Direction))
		if err != nil {
			return nil, fmt.Errorf("check: probe %s: %w", d.Direction, err)
		}
		probes = append(probes, sent{p: d, id: id})
	}
	lab.Advance(probeWait)
	where, err := lab.Whereabouts()
	if err != nil {
		return nil, err
	}
	var out []scenarios.Prediction
	for _, s := range probes {
		p := s.p
		p.Outcome = "delivered"
		for _, w := range where {
			if w.MessageID != s.id {
				continue
			}
			switch w.Place {
			case "queue":
				p.Outcome = "deferred: still in " + strings.Join(w.Path, " -> ") + "'s queue"
				if w.LastError != "" {
					p.Shows = append(p.Shows, scenarios.Shown{Where: queuePlace(w), Text: w.LastError})
				}
			case "ndr":
				p.Outcome = "returned to its sender in an NDR"
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// queuePlace is where a queue's last error shows: Exchange Online's message
// trace for its own queue, Get-Queue on-premises.
func queuePlace(w sim.Whereabouts) scenarios.Place {
	if len(w.Path) > 0 && strings.Contains(w.Path[len(w.Path)-1], "Exchange Online") {
		return scenarios.MessageTrace
	}
	return scenarios.Queue
}

// directions picks a probe for each way mail flows, as Explain does.
func directions(cfg sim.Config) []scenarios.Prediction {
	var onprem, remote, cloud, internet string
	if len(cfg.OnPrem.Mailboxes) > 0 {
		onprem = cfg.OnPrem.Mailboxes[0].PrimarySmtpAddress
	}
	if len(cfg.OnPrem.RemoteMailboxes) > 0 {
		remote = cfg.OnPrem.RemoteMailboxes[0].PrimarySmtpAddress
	}
	for _, t := range cfg.EXO.Tenants {
		if len(t.Mailboxes) > 0 && cloud == "" {
			cloud = t.Mailboxes[0].PrimarySmtpAddress
		}
	}
	for _, org := range cfg.Internet {
		if len(org.Mailboxes) > 0 && internet == "" {
			internet = org.Mailboxes[0].PrimarySmtpAddress
		}
	}
	if remote == "" {
		remote = cloud
	}
	var out []scenarios.Prediction
	if cloud != "" && onprem != "" {
		out = append(out, scenarios.Prediction{Direction: scenarios.EXOToOnPrem, From: cloud, To: onprem},
			scenarios.Prediction{Direction: scenarios.OnPremToEXO, From: onprem, To: remote})
	}
	if onprem != "" && internet != "" {
		out = append(out, scenarios.Prediction{Direction: scenarios.Internal, From: onprem, To: internet})
	}
	return out
}

// failing reports whether a prediction's message did not arrive.
func failing(p scenarios.Prediction) bool { return p.Outcome != "delivered" }

// failures steps fresh labs' clocks over each instant (a certificate's
// expiry, a known date) after at and up to until, and returns, in order,
// each instant at which a direction that delivered at the instant before
// fails, and how. The lab's behaviour changes only at these instants, so
// stepping over them finds each failure exactly, without searching between
// them.
func failures(cfg sim.Config, at, until time.Time, now []scenarios.Prediction, steps []time.Time) ([]Failure, error) {
	var out []Failure
	prev := now
	for _, t := range steps {
		if !t.After(at) || t.After(until) {
			continue
		}
		preds, err := probeLab(cfg, t)
		if err != nil {
			return nil, err
		}
		var f *Failure
		for _, p := range preds {
			if !failing(p) {
				continue
			}
			if i := slices.IndexFunc(prev, func(n scenarios.Prediction) bool { return n.Direction == p.Direction }); i >= 0 && failing(prev[i]) {
				continue
			}
			if f == nil {
				f = &Failure{At: t, Prediction: p}
			} else {
				f.Also = append(f.Also, p)
			}
		}
		if f != nil {
			out = append(out, *f)
		}
		prev = preds
	}
	return out, nil
}

// consequences gives each finding what the probes showed: the failure of
// a direction it concerns now, and the failure that starts at the
// finding's instant, or "no consequence now".
func (r *Report) consequences() {
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Consequence = "no consequence now"
		if f.Colour == Green && f.Expires.IsZero() {
			continue
		}
		for _, p := range r.Now {
			if failing(p) && slices.Contains(f.Directions, p.Direction) && f.Colour != Green {
				f.Consequence = "now: " + describe(p)
				break
			}
		}
		i := slices.IndexFunc(r.Failures, func(x Failure) bool { return x.At.Equal(f.Expires) })
		if i < 0 {
			continue
		}
		ff := &r.Failures[i]
		for _, p := range ff.predictions() {
			if !slices.Contains(f.Directions, p.Direction) {
				continue
			}
			if f.Consequence == "no consequence now" {
				f.Consequence = ""
			} else {
				f.Consequence += "; "
			}
			f.Consequence += "from " + ff.At.Format(time.RFC3339) + ": " + describe(p)
			if ff.Cause == "" {
				ff.Cause = f.Object + ": " + f.Test
			}
			break
		}
	}
}

// describe says what a prediction shows in one line.
func describe(p scenarios.Prediction) string {
	s := fmt.Sprintf("mail %s (%s -> %s) %s", p.Direction, p.From, p.To, p.Outcome)
	for _, sh := range p.Shows {
		s += fmt.Sprintf("; %s: %s", sh.Where, sh.Text)
	}
	for _, m := range p.Matches {
		s += fmt.Sprintf("; matches %s, documented fix: %s", m.ID, strings.Join(m.Fix, " / "))
	}
	return s
}
