package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// Prediction is what a lab does with mail in one direction: the outcome,
// the records that decided it, where the symptoms show, and the catalogue
// entries whose every symptom the lab shows, with their documented fix.
type Prediction struct {
	Direction Direction `json:"direction"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Outcome   string    `json:"outcome"` // delivered, deferred, returned (NDR)
	DecidedBy []string  `json:"decidedBy"`
	Shows     []Shown   `json:"shows"`
	Matches   []Match   `json:"matches"`
}

// Shown is one symptom string and where it shows.
type Shown struct {
	Where Place  `json:"where"`
	Text  string `json:"text"`
}

// Match is a catalogue entry that explains what the lab shows.
type Match struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Fix   []string `json:"fix"`
}

// explainWait is how long Explain lets the lab run: long enough for every
// side's first retries, short of any expiry.
const explainWait = time.Hour

// Explain starts a lab from cfg, sends a message in each direction (from
// Exchange Online to on-premises, from on-premises to Exchange Online, and
// from on-premises to the internet), lets the lab run for an hour on the
// virtual clock, and predicts, for each, what happens and why.
func Explain(cfg sim.Config) ([]Prediction, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	defer lab.Close()
	probes := directions(cfg)
	runs := make([]*Run, len(probes))
	for i, p := range probes {
		id, err := lab.Send(p.probe.From, p.probe.To, p.probe.Subject)
		if err != nil {
			return nil, fmt.Errorf("scenarios: explain: sending %s: %w", p.dir, err)
		}
		runs[i] = &Run{Entry: Entry{Direction: p.dir, Probe: p.probe}, Lab: lab, MessageID: id, SentAt: lab.Now()}
	}
	lab.Advance(explainWait)
	var out []Prediction
	for _, r := range runs {
		out = append(out, r.predict())
	}
	return out, nil
}

// direction is one probe of Explain.
type direction struct {
	dir   Direction
	probe Probe
}

// directions picks a mailbox on each side of the lab.
func directions(cfg sim.Config) []direction {
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
	var out []direction
	if cloud != "" && onprem != "" {
		out = append(out, direction{EXOToOnPrem, Probe{From: cloud, To: []string{onprem}, Subject: "Explain: from the cloud to on-premises"}})
		out = append(out, direction{OnPremToEXO, Probe{From: onprem, To: []string{remote}, Subject: "Explain: from on-premises to the cloud"}})
	}
	if onprem != "" && internet != "" {
		out = append(out, direction{Internal, Probe{From: onprem, To: []string{internet}, Subject: "Explain: from on-premises to the internet"}})
	}
	return out
}

// predict reads what happened to this run's probe.
func (r *Run) predict() Prediction {
	p := r.Entry.Probe
	pr := Prediction{Direction: r.Entry.Direction, From: p.From, To: strings.Join(p.To, ", "), Outcome: "delivered"}
	where, _ := r.Lab.Whereabouts()
	for _, w := range where {
		if w.MessageID != r.MessageID {
			continue
		}
		switch w.Place {
		case "queue":
			pr.Outcome = "deferred: still in " + strings.Join(w.Path, " -> ") + "'s queue"
		case "ndr":
			pr.Outcome = "returned to its sender in an NDR"
		}
	}
	pr.DecidedBy = r.decisions()
	seen := map[Place][]string{} // what the lab shows at each place, read once
	for _, place := range []Place{MessageTrace, FrontDoorReply, Queue, TrackingLog, ApplicationLog, NDR} {
		shown := map[string]bool{}
		seen[place] = r.observe(place)
		texts := seen[place]
		if place == MessageTrace && len(texts) > 1 {
			texts = texts[len(texts)-1:] // the latest attempt's
		}
		for _, text := range texts {
			if shown[text] || strings.HasPrefix(text, "2") || place == NDR && !strings.HasPrefix(text, "#") {
				continue
			}
			shown[text] = true
			pr.Shows = append(pr.Shows, Shown{Where: place, Text: text})
		}
	}
	for _, e := range Catalogue() {
		if e.Direction != r.Entry.Direction && !(e.Direction == Internal && r.Entry.Direction == EXOToOnPrem) || !r.showsAll(e.Symptoms, seen) {
			continue
		}
		m := Match{ID: e.ID, Title: e.Title}
		for _, s := range e.Fix {
			m.Fix = append(m.Fix, s.Cmdlet)
		}
		pr.Matches = append(pr.Matches, m)
	}
	return pr
}

// showsAll reports whether the lab shows every symptom's pattern; seen
// holds what the lab shows at each place, read once per prediction.
func (r *Run) showsAll(symptoms []Symptom, seen map[Place][]string) bool {
	for _, s := range symptoms {
		if s.Where == CmdletError || s.Want.pattern == nil {
			return false
		}
		if _, ok := seen[s.Where]; !ok {
			seen[s.Where] = r.observe(s.Where)
		}
		found := false
		for _, text := range seen[s.Where] {
			if s.Want.pattern.MatchString(text) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(symptoms) > 0
}

// decisions are the records that decided the probe's fate, hop by hop: the
// attribution verdicts of Exchange Online's front door, the certificates
// each session sent and received and any TLS failure, and the hop's latest
// message trace or tracking event.
func (r *Run) decisions() []string {
	var out []string
	t := r.Lab.Trace(r.MessageID)
	for _, h := range t.Hops {
		last := ""
		for _, e := range h.Entries {
			switch {
			case e.Source == "attribution":
				out = append(out, h.Host+": "+e.Text)
			case e.Source == "message trace detail" || e.Source == "message tracking":
				last = h.Host + ": " + strings.ReplaceAll(e.Text, "\n", " ")
			case e.Source == "protocol log":
				for _, line := range strings.Split(e.Text, "\n") {
					if tail := recordTail(line); strings.HasSuffix(tail, ",Certificate subject") || strings.HasSuffix(tail, ",Certificate thumbprint") ||
						strings.HasPrefix(tail, "*,,TLS negotiation failed") {
						out = append(out, h.Host+": "+tail)
					}
				}
			}
		}
		if last != "" {
			out = append(out, last)
		}
	}
	return out
}

// String renders a prediction for a support engineer.
func (p Prediction) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s -> %s\n  outcome: %s\n", p.Direction, p.From, p.To, p.Outcome)
	if len(p.DecidedBy) > 0 {
		b.WriteString("  decided by:\n")
		for _, d := range p.DecidedBy {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	if len(p.Shows) > 0 {
		b.WriteString("  shows in:\n")
		for _, s := range p.Shows {
			fmt.Fprintf(&b, "    %s: %s\n", s.Where, s.Text)
		}
	}
	for _, m := range p.Matches {
		fmt.Fprintf(&b, "  matches %s: %s\n  documented fix:\n", m.ID, m.Title)
		for _, f := range m.Fix {
			fmt.Fprintf(&b, "    > %s\n", f)
		}
	}
	return b.String()
}
