// Package scenarios is the catalogue of documented hybrid mail-flow
// failures (docs/catalogue.md), each an Entry that reproduces the failure on
// a fresh default lab, shows it where Exchange shows it with the exact
// strings, applies the documented fix through the same cmdlets, and checks
// that the mail then arrives and that nothing was lost.
//
// Execute runs one entry and returns its Result, with a transcript of the
// whole story; the same entry gives the same transcript, byte for byte (the
// golden transcripts in testdata; `go test ./scenarios -update` rewrites
// them). NegativeControl sends the same probe on the unbroken lab: no
// symptom may show there. Attach, Break, Probe, Fix and Verify apply an
// entry to a lab that is already running (package simtest wraps them for
// other tools' suites). Explain diagnoses a lab: a probe from every sender
// in every direction, each on its own fresh lab, with the decisive rule in
// the lab's own names, the receiving side's choice and the matching entries'
// fix (cause.go, receiver.go); a delivered probe matches no entry. Diagnose
// reads one pasted piece of evidence; Applicable says which entries can run
// on a customer's lab.
//
// strings.go holds the expected strings as the sources give them, each
// with its source id: they are the oracle the fakes are checked against.
// How entries run, the spec conflicts' readings and what is not in the
// catalogue are described in docs/rules.md, "The failure catalogue".
package scenarios
