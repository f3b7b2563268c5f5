package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// The directions Explain probes besides the catalogue's own.
const (
	OnPremToInternet Direction = "onprem-to-internet" // an on-premises mailbox writes to the internet
	SenderToOnPrem   Direction = "sender-to-onprem"   // a lab file's Sender (not Exchange) writes to an on-premises mailbox
	SenderToCloud    Direction = "sender-to-cloud"    // a lab file's Sender writes to a cloud mailbox
)

// Prediction is what a lab does with one probe message: the outcome, the
// rule that decided it in one sentence with the lab's own names, the
// receiving side's choice (even when nothing arrived), where the symptoms
// show, the fix as command lines with the lab's identities, and the
// catalogue entries it matches. A delivered probe matches no entry. Lists
// are never null in JSON.
type Prediction struct {
	Direction Direction `json:"direction"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Outcome   string    `json:"outcome"` // delivered, deferred, returned (NDR), refused
	// Cause is the decisive rule of each failure, one sentence each.
	Cause []string `json:"cause"`
	// Receiver is what the receiving side chose or would choose: the
	// certificate an on-premises receive connector offers, or how Exchange
	// Online's front door attributes the sender.
	Receiver  []string `json:"receiver"`
	DecidedBy []string `json:"decidedBy"`
	Shows     []Shown  `json:"shows"`
	// Fix is the documented fix of the matching entries, as command lines
	// with this lab's server, connector and certificate names.
	Fix     []string `json:"fix"`
	Matches []Match  `json:"matches"`
	// Records are the probe's own raw records, hop by hop (--verbose).
	Records []string `json:"records,omitempty"`
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

// ErrNoProbe is Explain's error for a lab with no pair of mailboxes to
// send between: nothing can be predicted.
var ErrNoProbe = errors.New("scenarios: explain: the lab has no two mailboxes in different places to send between; give it an on-premises mailbox and a cloud or internet mailbox")

// Explain sends a probe from every side of the lab to every other (cloud
// to on-premises, on-premises to cloud, on-premises to the internet), each on its own fresh lab started from cfg so
// that what it reads is that probe's alone, lets each run for an hour of
// virtual time, and predicts what happens and why. A lab without an
// Exchange Online tenant gets the on-premises directions only; a lab with
// no two mailboxes to send between is ErrNoProbe.
func Explain(cfg sim.Config) ([]Prediction, error) {
	probes := directions(cfg)
	if len(probes) == 0 {
		return nil, ErrNoProbe
	}
	out := make([]Prediction, 0, len(probes))
	for _, p := range probes {
		explain := explainOne
		if p.sender != "" {
			explain = explainSender
		}
		pr, err := explain(cfg, p)
		if err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

// explainOne runs one probe on its own lab.
func explainOne(cfg sim.Config, p direction) (Prediction, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return Prediction{}, err
	}
	defer lab.Close()
	r := &Run{Entry: Entry{Direction: p.dir, Probe: p.probe}, Lab: lab}
	r.aliasHybrid()
	id, err := lab.Send(p.probe.From, p.probe.To, p.probe.Subject)
	if err != nil {
		pr := emptyPrediction(p)
		pr.Outcome = "refused when submitted: " + err.Error()
		pr.Cause = append(pr.Cause, fmt.Sprintf("%s cannot submit to %s: %v", p.probe.From, strings.Join(p.probe.To, ", "), err))
		return pr, nil
	}
	r.MessageID, r.SentAt = id, lab.Now()
	lab.Advance(explainWait)
	return r.predict(p), nil
}

// direction is one probe of Explain.
type direction struct {
	dir    Direction
	probe  Probe
	sender string // a Sender's Name: the probe is sent from that client
}

// directions picks a mailbox on each side of the lab and a probe between
// each pair of sides.
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
	if len(cfg.EXO.Tenants) == 0 {
		cloud, remote = "", "" // nothing in the cloud to send to or from
	}
	var out []direction
	add := func(dir Direction, from, to, subject string) {
		if from != "" && to != "" {
			out = append(out, direction{dir: dir, probe: Probe{From: from, To: []string{to}, Subject: "Explain: " + subject}})
		}
	}
	add(EXOToOnPrem, cloud, onprem, "from the cloud to on-premises")
	add(OnPremToEXO, onprem, remote, "from on-premises to the cloud")
	add(OnPremToInternet, onprem, internet, "from on-premises to the internet")
	for _, snd := range cfg.Senders {
		for _, to := range []struct {
			dir  Direction
			addr string
		}{{SenderToOnPrem, onprem}, {SenderToCloud, cloud}} {
			if to.addr != "" {
				out = append(out, direction{dir: to.dir, sender: snd.Name,
					probe: Probe{From: snd.MailFrom, To: []string{to.addr}, Subject: "Explain: from " + snd.Name}})
			}
		}
	}
	return out
}

// explainSender runs one probe from a lab file's Sender on its own lab.
func explainSender(cfg sim.Config, p direction) (Prediction, error) {
	lab, err := sim.New(cfg)
	if err != nil {
		return Prediction{}, err
	}
	defer lab.Close()
	r := &Run{Entry: Entry{Direction: p.dir, Probe: p.probe}, Lab: lab}
	r.aliasHybrid()
	res, err := lab.SendFrom(p.sender, p.probe.To, p.probe.Subject)
	pr := emptyPrediction(p)
	pr.From = fmt.Sprintf("%s (%s)", p.probe.From, p.sender)
	switch {
	case err != nil:
		pr.Outcome = "not sent: " + err.Error()
		pr.Cause = append(pr.Cause, err.Error())
		return pr, nil
	case res.Refusal != "":
		pr.Outcome = "refused by " + res.Host
		pr.Receiver = r.frontDoorChoices()
		pr.Shows = append(pr.Shows, Shown{Where: FrontDoorReply, Text: res.Refusal})
		rule := ruleFor(res.Refusal)
		if rule == "" {
			rule = "no documented rule of the catalogue explains it; 'hybridsim diagnose' it"
		}
		pr.Cause = append(pr.Cause, fmt.Sprintf("%s refused %s's message with %q: %s", res.Host, p.sender, res.Refusal, rule))
		names := r.labNames()
		for _, d := range Diagnose(res.Refusal).Entries {
			e, _ := Find(d.ID)
			m := Match{ID: e.ID, Title: e.Title, Fix: []string{}}
			for _, st := range e.Fix {
				m.Fix = append(m.Fix, names.Replace(st.Cmdlet))
			}
			pr.Matches = append(pr.Matches, m)
			pr.Fix = append(pr.Fix, m.Fix...)
		}
		return pr, nil
	}
	r.MessageID, r.SentAt = res.MessageID, lab.Now()
	lab.Advance(explainWait)
	out := r.predict(p)
	out.From = pr.From
	return out, nil
}

// emptyPrediction has every list empty, never nil.
func emptyPrediction(p direction) Prediction {
	return Prediction{Direction: p.dir, From: p.probe.From, To: strings.Join(p.probe.To, ", "), Outcome: "delivered",
		Cause: []string{}, Receiver: []string{}, DecidedBy: []string{}, Shows: []Shown{}, Fix: []string{}, Matches: []Match{}}
}

// predict reads what happened to this run's probe on its own lab.
func (r *Run) predict(p direction) Prediction {
	pr := emptyPrediction(p)
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
	pr.Receiver = r.receiverChoice(p.dir)
	pr.DecidedBy = r.decisions()
	pr.Records = r.records()
	if pr.Outcome == "delivered" {
		return pr // a delivered message matches no failure entry
	}
	seen := map[Place][]string{} // what the lab shows at each place, read once
	for _, place := range []Place{MessageTrace, FrontDoorReply, Queue, TrackingLog, ApplicationLog, NDR} {
		shown := map[string]bool{}
		seen[place] = r.observe(place)
		texts := seen[place]
		if place == MessageTrace && len(texts) > 1 {
			texts = texts[len(texts)-1:] // the latest attempt's
		}
		for _, text := range texts {
			if shown[text] || strings.HasPrefix(text, "2") || place == NDR && !strings.HasPrefix(text, "#") ||
				place == ApplicationLog && !eventConcerns(text, p.dir) {
				continue
			}
			shown[text] = true
			pr.Shows = append(pr.Shows, Shown{Where: place, Text: text})
		}
	}
	names := r.labNames()
	for _, e := range Catalogue() {
		if probeWay(e.Probe) != catalogueWay(p.dir) || !r.showsAll(e.Symptoms, seen) {
			continue
		}
		m := Match{ID: e.ID, Title: e.Title, Fix: []string{}}
		for _, s := range e.Fix {
			m.Fix = append(m.Fix, names.Replace(s.Cmdlet))
		}
		pr.Matches = append(pr.Matches, m)
		pr.Fix = append(pr.Fix, m.Fix...)
	}
	pr.Cause = r.causes(pr)
	return pr
}

// probeWay is the direction an entry's probe travels: the default lab's
// mailboxes say which side each address is on.
func probeWay(p Probe) Direction {
	side := func(addr string) string {
		switch strings.ToLower(addr) {
		case alice:
			return "cloud"
		case bob:
			return "onprem"
		case carol:
			return "internet"
		}
		return ""
	}
	if len(p.To) == 0 {
		return ""
	}
	switch side(p.From) + ">" + side(p.To[0]) {
	case "cloud>onprem":
		return EXOToOnPrem
	case "onprem>cloud":
		return OnPremToEXO
	case "onprem>internet":
		return OnPremToInternet
	}
	return ""
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

// decisions are the records that decided the probe's fate, hop by hop,
// each once: the attribution verdicts of Exchange Online's front door, the
// certificates each session sent and received and any TLS failure, and
// the hop's latest message trace or tracking event.
func (r *Run) decisions() []string {
	out := []string{}
	have := map[string]bool{}
	add := func(s string) {
		if !have[s] {
			have[s] = true
			out = append(out, s)
		}
	}
	t := r.Lab.Trace(r.MessageID)
	for _, h := range t.Hops {
		last := ""
		for _, e := range h.Entries {
			switch {
			case e.Source == "attribution":
				add(h.Host + ": " + e.Text)
			case e.Source == "message trace detail" || e.Source == "message tracking":
				last = h.Host + ": " + strings.ReplaceAll(e.Text, "\n", " ")
			case e.Source == "protocol log":
				for _, line := range strings.Split(e.Text, "\n") {
					if tail := recordTail(line); strings.HasSuffix(tail, ",Certificate subject") || strings.HasSuffix(tail, ",Certificate thumbprint") ||
						strings.HasPrefix(tail, "*,,TLS negotiation failed") {
						add(h.Host + ": " + tail)
					}
				}
			}
		}
		if last != "" {
			add(last)
		}
	}
	return out
}

// records are the probe's timeline as the lab writes it, line by line.
func (r *Run) records() []string {
	text := strings.TrimRight(r.Lab.Trace(r.MessageID).String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// String renders a prediction for a support engineer: concise.
func (p Prediction) String() string { return p.render(false) }

// Verbose renders a prediction with the probe's raw records.
func (p Prediction) Verbose() string { return p.render(true) }

func (p Prediction) render(verbose bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s -> %s\n  outcome: %s\n", p.Direction, p.From, p.To, p.Outcome)
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "  %s:\n", title)
		for _, s := range items {
			fmt.Fprintf(&b, "    %s\n", s)
		}
	}
	list("why", p.Cause)
	list("receiving side", p.Receiver)
	if verbose {
		list("decided by", p.DecidedBy)
	}
	if len(p.Shows) > 0 {
		b.WriteString("  shows in:\n")
		for _, s := range p.Shows {
			fmt.Fprintf(&b, "    %s: %s\n", s.Where, s.Text)
		}
	}
	for _, m := range p.Matches {
		fmt.Fprintf(&b, "  matches %s: %s\n", m.ID, m.Title)
	}
	if len(p.Fix) > 0 {
		b.WriteString("  fix:\n")
		for _, f := range p.Fix {
			fmt.Fprintf(&b, "    > %s\n", f)
		}
	}
	if verbose {
		list("records", p.Records)
	}
	return b.String()
}

// catalogueWay is the catalogue's direction whose entries can explain a
// probe: a Sender's mail to on-premises takes Exchange Online's hybrid
// route, as cloud mail does.
func catalogueWay(dir Direction) Direction {
	if dir == SenderToOnPrem {
		return EXOToOnPrem
	}
	return dir
}

// eventConcerns reports whether an Application log event belongs to a
// probe's direction: the receive side's STARTTLS events (12014, 12016,
// 12018) to mail that on-premises receives, a send connector's (2004) to
// mail it sends; the internal transport certificate's to any.
func eventConcerns(text string, dir Direction) bool {
	receives := dir == EXOToOnPrem || dir == SenderToOnPrem
	for _, id := range []string{"Event 12014:", "Event 12016:", "Event 12018:"} {
		if strings.HasPrefix(text, id) {
			return receives
		}
	}
	if strings.HasPrefix(text, "Event 2004:") {
		return !receives
	}
	return true
}
