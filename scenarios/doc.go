// Package scenarios is the catalogue of documented hybrid mail-flow
// failures (the failure catalogue of ../shared/spec/exchange-rules.md), each
// an Entry that reproduces the failure on a fresh default lab, shows it where
// Exchange shows it with the exact strings, applies the documented fix
// through the same cmdlets, and checks that the mail then arrives and that
// nothing was lost.
//
// # Running an entry
//
// Execute runs one entry: a fresh lab (sim.DefaultConfig, adjusted by the
// entry's Lab function); the Break steps, written as an administrator types
// them and done through the fakes' cmdlet-shaped API; the probe message; the
// lab advanced by Wait on the virtual clock; every Symptom looked up at its
// Place (EXO message trace, front-door reply, on-premises queue, Application
// log, protocol logs, message tracking, NDR, Test-Certificate, a cmdlet's
// refusal), whose whole expected string must be one of the strings found
// there; the Fix steps; the lab advanced by Settle; and then the probe (unless
// the failure returned it for good, Undelivered) and a new message sent after
// the fix must both be in their mailboxes, with every message the lab accepted
// in exactly one place (sim.Lab.Whereabouts). The Result carries a transcript
// of the whole story: every step, every hop's SMTP dialogue, logs, events,
// the message trace and where each copy is. The same entry gives the same
// transcript, byte for byte; the golden transcripts in testdata keep them
// (`go test ./scenarios -update` rewrites them; review the diff).
//
// # Diagnosing a customer's lab and evidence
//
// Explain is a diagnosis of a lab: a probe from every sender (an
// on-premises, a cloud and an internet mailbox, and each of a lab file's
// Senders) in every direction, each on its own fresh lab, so that the
// sessions, logs and verdicts it reads are that probe's alone. For each
// failure it gives the decisive rule in one sentence with the lab's own
// names (cause.go), what the receiving side chose or would choose even when
// nothing arrived (receiver.go), the matching entries and their fix with
// the lab's connector names and thumbprints; a delivered probe matches no
// entry. Diagnose reads one pasted piece of evidence against the entries'
// symptom patterns and the rules behind them (diagnose.go). Applicable says
// which entries can run on a customer's lab (applicable.go).
//
// # Expected strings
//
// strings.go holds the catalogue's expected strings as the spec quotes them,
// each with its source id. They are the oracle: the fakes produce their own
// strings, so a fake that drifts from the spec fails here. Where the spec
// marks a string INFER, the entry's Symptom says so (its Infer field), and the
// transcript prints it.
//
// # Spec conflicts
//
// The catalogue runs each entry with the documented default reading and,
// where another reading changes what the entry shows, runs that reading too
// (Entry.Readings):
//   - C1 (is SMTP a selection criterion?) and C2 (which matching certificate
//     wins?) are read per path by default (fakeonprem's doc.go); F13 shows
//     C1's other reading and F14 C2's.
//   - C5 (454 4.7.5's wording): F11 shows KB 3156771's.
//   - C6 (EXO's form of a name mismatch): F02 shows 2017's 4.7.320 form.
//   - C10 (EXO's expiry wording): F09 shows the observed 5.4.317 form.
//   - C11 (who says "451 5.7.3 STARTTLS is required to send mail"): both
//     readings put the same LED in EXO's message trace, the only place the
//     catalogue reads it, so it changes no symptom; the lab takes the
//     sending side's reading (EXO writes it when the server offers no
//     STARTTLS).
//
// # Not in the catalogue
//
// F03 (two frontends, one misconfigured), F07 (on-premises cannot validate
// EXO's certificate for TlsDomainCapabilities; fakeonprem reproduces it),
// F08 (KB 3156771's legacy TlsDomainCapabilities of 2016), F21 (TLS 1.2
// disabled on the server) and F29 (Validate-OutboundConnector on a disabled
// connector; fakeexo reproduces it) are not entries yet; the list
// does not require them.
package scenarios
