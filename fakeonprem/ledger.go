package fakeonprem

// LedgerEntry says where one (message, recipient) that a server accepted or generated is now:
// the nothing-lost invariant (docs/rules.md) is that each is in exactly one place. A recipient
// handed to another host reappears in that host's ledger (this organization's other servers
// included: follow Host to the Endpoint's Server).
type LedgerEntry struct {
	Server    string
	MessageID string
	Recipient string // as the server accepted it
	RoutedAs  string // as it is routed: a remote mailbox's RemoteRoutingAddress
	State     Placement
	Mailbox   string // InMailbox: the mailbox
	Queue     string // InQueue: the queue's identity
	LastError string // InQueue: the queue's LastError
	NDR       string // InNDR: the report's Message-ID ("" for a message with the null sender)
	Host      string // HandedOff: the host that took it
	Reply     string // HandedOff: that host's 250 reply
}

// Placement is where a ledger entry's recipient is.
type Placement string

// The places a recipient can be.
const (
	InMailbox Placement = "Mailbox"   // delivered to an on-premises mailbox
	InQueue   Placement = "Queue"     // waiting in a queue
	InNDR     Placement = "NDR"       // returned to its sender in a non-delivery report
	HandedOff Placement = "HandedOff" // accepted by another host with 250
)

type ledgerKey struct{ server, messageID, recipient string }

// ledger keeps the entries in the order they first appeared.
type ledger struct {
	order []ledgerKey
	rows  map[ledgerKey]*LedgerEntry
	keep  int // Retain: entries at their end kept; 0 all
}

// set records where a recipient is now. Callers hold o.mu.
func (l *ledger) set(k ledgerKey, e LedgerEntry) {
	if l.rows == nil {
		l.rows = map[ledgerKey]*LedgerEntry{}
	}
	e.Server, e.MessageID, e.Recipient = k.server, k.messageID, k.recipient
	if _, ok := l.rows[k]; !ok {
		l.order = append(l.order, k)
	}
	l.rows[k] = &e
	l.trim()
}

// Ledger returns every entry, in the order the recipients were first taken.
func (o *Organization) Ledger() []LedgerEntry {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]LedgerEntry, 0, len(o.ledger.order))
	for _, k := range o.ledger.order {
		out = append(out, *o.ledger.rows[k])
	}
	return out
}
