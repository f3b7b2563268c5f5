package fakeexo

// LedgerEntry says where one (message, recipient) the service accepted or
// submitted is now, for the lab's nothing-lost check: each pair must be in
// exactly one place, across both fakes (DESIGN "Nothing is lost").
type LedgerEntry struct {
	MessageID string // the Message-ID header, angle brackets included
	Recipient string // as accepted
	Location  Location
	// SessionID is the SMTP session that put it there: the front-door
	// session that received it (InMailbox, InQueue; "" when submitted in
	// the service) or the outbound session that handed it off.
	SessionID string

	Mailbox   string // InMailbox: the mailbox's PrimarySmtpAddress
	Queue     string // InQueue: the queue's identity (the connector, or the domain delivered by MX)
	LastError string // InQueue: the last deferral's LED; "" before the first attempt
	NDR       string // ReturnedInNDR: the NDR's Message-ID
	Host      string // HandedOff: the remote host, "<fqdn> [<ip>]"
	Target    string // HandedOff: the RCPT TO given to the remote host (a mail user's ExternalEmailAddress)
	Reply     string // HandedOff: the remote host's reply to the message (its 250 line)
}

// Location is where a ledger entry's message is.
type Location string

// The places a message can be.
const (
	InMailbox     Location = "Mailbox"   // delivered to a cloud mailbox
	InQueue       Location = "Queue"     // waiting for (another) delivery attempt
	ReturnedInNDR Location = "NDR"       // failed and returned to its sender in an NDR
	HandedOff     Location = "HandedOff" // accepted by another host with 250
	// Discarded: a failed message with the null sender (itself an NDR), for
	// which no NDR is sent (RFC 5321 §4.5.5).
	Discarded Location = "Discarded"
)
