package sim

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
)

// Whereabouts is where one (message, recipient) is at the end of its path
// through the lab: a mailbox, a queue with its last error, or returned in
// an NDR. Path lists the hosts it went through.
type Whereabouts struct {
	MessageID string
	Recipient string // as first accepted
	Path      []string
	Place     string // "mailbox", "queue" or "ndr"
	Where     string // the mailbox, the queue's identity, or the NDR's Message-ID
	LastError string // a queue's LastError
}

// holding is one ledger entry of any side, in one form.
type holding struct {
	side      string // e.g. "EX01", "Exchange Online"
	messageID string
	recipient string
	place     string // mailbox, queue, ndr, handoff
	where     string
	lastError string
	target    string // handoff: the address given to the next host
	host      string // handoff: the next host
	used      bool
}

// holdings gathers every side's ledger.
func (l *Lab) holdings() []*holding {
	var out []*holding
	for _, o := range l.orgs {
		for _, e := range o.Ledger() {
			h := &holding{side: e.Server, messageID: e.MessageID, recipient: e.Recipient}
			switch e.State {
			case fakeonprem.InMailbox:
				h.place, h.where = "mailbox", e.Mailbox
			case fakeonprem.InQueue:
				h.place, h.where, h.lastError = "queue", e.Queue, e.LastError
			case fakeonprem.InNDR:
				h.place, h.where = "ndr", e.NDR
			case fakeonprem.HandedOff:
				h.place, h.host, h.target = "handoff", e.Host, e.RoutedAs
				if h.target == "" {
					h.target = e.Recipient
				}
			default:
				h.place = string(e.State)
			}
			out = append(out, h)
		}
	}
	for _, e := range l.EXO.Ledger() {
		h := &holding{side: "Exchange Online", messageID: e.MessageID, recipient: e.Recipient}
		switch e.Location {
		case fakeexo.InMailbox:
			h.place, h.where = "mailbox", e.Mailbox
		case fakeexo.InQueue:
			h.place, h.where, h.lastError = "queue", e.Queue, e.LastError
		case fakeexo.ReturnedInNDR:
			h.place, h.where = "ndr", e.NDR
		case fakeexo.HandedOff:
			h.place, h.host, h.target = "handoff", e.Host, e.Target
		default:
			h.place = string(e.Location)
		}
		out = append(out, h)
	}
	return out
}

// Whereabouts follows every message the lab's servers accepted or submitted
// to where it is now, and reports what breaks the nothing-lost invariant
// (docs/rules.md): a hand-off no next host acknowledges in its ledger, a message
// held in two places, an NDR that went nowhere.
func (l *Lab) Whereabouts() ([]Whereabouts, error) { return follow(l.holdings(), l.sidesByHost()) }

// follow joins every side's holdings: each hand-off leads to the holding of
// the host it was handed to (sides maps host names and addresses to sides).
func follow(all []*holding, sides map[string]string) ([]Whereabouts, error) {
	key := func(id, rcpt string) string { return id + "\x00" + strings.ToLower(rcpt) }
	byKey := map[string][]*holding{}
	for _, h := range all {
		byKey[key(h.messageID, h.recipient)] = append(byKey[key(h.messageID, h.recipient)], h)
	}
	// nextOf is the holding a hand-off leads to: the same message and
	// address at the host it was handed to.
	nextOf := func(h *holding, skip func(*holding) bool) *holding {
		side := sideOf(sides, h.host)
		for _, c := range byKey[key(h.messageID, h.target)] {
			if c != h && strings.EqualFold(c.side, side) && !skip(c) {
				return c
			}
		}
		return nil
	}
	// A holding that some hand-off leads to is not a starting point.
	incoming := map[*holding]bool{}
	for _, h := range all {
		if h.place == "handoff" {
			if next := nextOf(h, func(c *holding) bool { return incoming[c] }); next != nil {
				incoming[next] = true
			}
		}
	}
	var out []Whereabouts
	var problems []string
	for _, start := range all {
		if incoming[start] {
			continue
		}
		w := Whereabouts{MessageID: start.messageID, Recipient: start.recipient}
		h := start
		for hops := 0; ; hops++ {
			if h.used {
				problems = append(problems, fmt.Sprintf("%s for %s is held twice at %s", h.messageID, h.recipient, h.side))
				break
			}
			h.used = true
			w.Path = append(w.Path, h.side)
			if h.place != "handoff" {
				w.Place, w.Where, w.LastError = h.place, h.where, h.lastError
				break
			}
			next := nextOf(h, func(c *holding) bool { return c.used })
			if next == nil || hops > maxSettleRounds {
				problems = append(problems, fmt.Sprintf("%s for %s was handed from %s to %s, which holds no record of it", h.messageID, h.target, h.side, h.host))
				break
			}
			h = next
		}
		if w.Place == "ndr" && w.Where != "" && !ndrDelivered(all, w.Where) {
			problems = append(problems, fmt.Sprintf("the NDR %s for %s went nowhere", w.Where, w.MessageID))
		}
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].MessageID != out[j].MessageID {
			return out[i].MessageID < out[j].MessageID
		}
		return out[i].Recipient < out[j].Recipient
	})
	if len(problems) > 0 {
		return out, errors.New("sim: something was lost: " + strings.Join(problems, "; "))
	}
	return out, nil
}

// sidesByHost maps every simulated host name of the lab to the side whose
// ledger it writes: an Exchange server's name, or "Exchange Online".
func (l *Lab) sidesByHost() map[string]string {
	m := map[string]string{}
	for _, org := range l.cfg.organizations() {
		for _, s := range org.Servers {
			for _, h := range append([]string{s.Fqdn, s.Name}, s.HostNames...) {
				m[strings.ToLower(h)] = s.Name
			}
			for _, a := range s.IPAddresses {
				m[a.String()] = s.Name
			}
		}
	}
	for _, e := range l.EXO.Endpoints() {
		m[strings.ToLower(e.Host)] = "Exchange Online"
		m[e.Address.Addr().String()] = "Exchange Online"
	}
	return m
}

// sideOf is the side a ledger's host ("name [ip]") writes: by its address
// first, since several servers may publish one name (DNS round robin).
func sideOf(sides map[string]string, host string) string {
	if _, ip, ok := strings.Cut(host, " ["); ok {
		if side, ok := sides[strings.TrimSuffix(ip, "]")]; ok {
			return side
		}
	}
	return sides[strings.ToLower(hostName(host))]
}

// hostName strips a " [ip]" suffix from a ledger's host.
func hostName(host string) string {
	name, _, _ := strings.Cut(host, " ")
	return strings.TrimSuffix(name, ".")
}

// ndrDelivered reports whether any side holds the NDR with that Message-ID.
func ndrDelivered(all []*holding, id string) bool {
	for _, h := range all {
		if h.messageID == id {
			return true
		}
	}
	return false
}

// CheckNothingLost reports an error when any message the lab accepted with
// 250 is not in exactly one place: a queue, a mailbox or an NDR.
func (l *Lab) CheckNothingLost() error {
	_, err := l.Whereabouts()
	return err
}
