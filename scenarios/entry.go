package scenarios

import (
	"regexp"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// Entry is one documented hybrid mail-flow failure: how a working lab is
// broken, in an administrator's words and through the same cmdlets; which
// message shows it; the symptoms with Exchange's exact strings and where
// each shows; and the documented fix, after which the message must arrive
// and nothing may be lost.
type Entry struct {
	ID        string   // the spec's failure id, e.g. F01
	Slug      string   // a short name, e.g. stale-receive-tlscertificatename
	Title     string   // one line
	Sources   []string // spec source ids, e.g. "S9 (KB 2989382)"
	Tag       string   // DOC, DOC-3P: how the spec rates the sources
	Direction Direction
	Labels    []string // KB numbers and areas (labels.go)

	// Lab adjusts the default lab before it starts, for failures that need
	// something the default lab lacks (a second certificate, a relay
	// connector). Nil: the default lab.
	Lab func(*sim.Config)
	// Break turns the working lab into the failing one.
	Break []Step
	// Probe is the message that shows the failure.
	Probe Probe
	// Wait is how long the lab runs after the probe is sent before the
	// symptoms are read (retries happen on the way).
	Wait time.Duration
	// Observe are steps that read the lab as an administrator would
	// (Validate-OutboundConnector), run after the wait, in the negative
	// control too, and again after the fix, when none of the symptoms
	// may show.
	Observe []Step
	// Symptoms are what the failure shows, where Exchange shows it.
	Symptoms []Symptom
	// Fix is the documented fix.
	Fix []Step
	// Settle is how long the lab runs after the fix for the message to be
	// retried and delivered; zero: the time the entry's queues need.
	Settle time.Duration
	// Readings are the spec conflicts' other readings that change what
	// this failure shows; each is run too and its own symptoms checked.
	Readings []Reading
	// Undelivered names the probe's recipients that are not expected to
	// arrive after the fix (none, for every entry so far).
	Undelivered []string
}

// Direction is which way the failing mail flows.
type Direction string

// The directions of the spec's failure catalogue.
const (
	EXOToOnPrem Direction = "exo-to-onprem" // Exchange Online delivers to on-premises
	OnPremToEXO Direction = "onprem-to-exo" // on-premises delivers to Exchange Online
	Internal    Direction = "internal"      // between on-premises servers (Mailbox and Edge)
	Config      Direction = "config"        // a cmdlet refuses the configuration
)

// Step is one administrative action, written as the administrator would
// type it, and done through the lab's cmdlet-shaped API.
type Step struct {
	Cmdlet string
	Do     func(*Run) error
	// Refused marks a step the failure is that Exchange refuses: its error
	// is a symptom, and the lab stays as it was.
	Refused bool
}

// Probe is a message sent from a mailbox in the lab.
type Probe struct {
	From    string
	To      []string
	Subject string
}

// Symptom is one thing the failure shows, in one place, as an exact string.
type Symptom struct {
	Where Place
	// Want is the whole expected string, filled in with what this run
	// knows (thumbprints, addresses, times). It must equal one of the
	// strings found at Where.
	Want Expectation
	// Infer, when set, says which part of the string no source gives and
	// why it is what it is (the spec's INFER).
	Infer string
}

// Expectation is an expected string: whole, in one run, for the catalogue's
// checks; and as a pattern any lab shows for the same failure, for Explain.
type Expectation struct {
	text    func(*Run) string
	pattern *regexp.Regexp
}

// Reading is another reading of a spec conflict, run with its lab options.
type Reading struct {
	Conflict string // e.g. C6
	Name     string // what the reading says, in a few words
	Options  sim.Options
	// Break, when set, replaces the entry's break under this reading: the
	// configuration that shows the failure when the conflict is read
	// this way.
	Break    []Step
	Symptoms []Symptom
}

// Place is where Exchange shows a symptom.
type Place string

// The places symptoms show.
const (
	MessageTrace      Place = "EXO message trace"           // Get-MessageTraceDetail's DEFER/FAIL detail
	FrontDoorReply    Place = "EXO front door reply"        // what EXO's front door answered (the SMTP reply)
	Queue             Place = "on-prem queue"               // Get-Queue's LastError
	ApplicationLog    Place = "Application log"             // an on-premises server's event (Event ID and text)
	ReceiveLog        Place = "SMTP Receive protocol log"   // an on-premises receive log record's data
	SendLog           Place = "SMTP Send protocol log"      // an on-premises send log record's data
	TrackingLog       Place = "message tracking log"        // a tracking entry's recipient-status
	NDR               Place = "NDR"                         // the diagnostic line of the NDR the sender got
	EHLO              Place = "EHLO"                        // the receive connector's EHLO keywords
	CmdletError       Place = "cmdlet"                      // the error a cmdlet refused a step with
	TestCertificate   Place = "Test-Certificate"            // the Test-Certificate line for a certificate
	HybridWizard      Place = "hybrid configuration wizard" // the wizard's mail-flow connectivity test
	ValidateConnector Place = "Validate-OutboundConnector"  // the EAC's validation result
	CAPI2Log          Place = "CAPI2 log"                   // Windows' CAPI2 operational log
)
