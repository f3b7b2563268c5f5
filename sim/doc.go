// Package sim is the lab: one PKI, one on-premises Exchange organization and
// one Exchange Online service, wired onto a virtual network
// and one virtual clock, configured as the hybrid configuration wizard leaves
// them or as a lab file says.
//
// A lab file (labfile.go, decode.go) starting with "Base: default" overrides
// the default lab by identity, and takes inherited objects out with
// "Remove: $true" (remove.go). Its errors name the file, the field's own line
// and the file's own list index, in plain words (labfilelimits.go). A
// certificate's Name stands for its thumbprint or its TlsCertificateName
// (thumbprint.go); servers sharing a published name resolve to each of
// their addresses (round robin), and Exchange Online fails over across them; Senders
// are clients that are not Exchange (sender.go); Steps are shell command
// lines and clock advances New applies once the lab has started (steps.go). The wizard refuses a
// certificate whose Subject has no CN and runs a mail-flow connectivity test
// (wizardtest.go).
//
// A lab moves only when Send or Advance moves it, and then waits only for
// the SMTP sessions its own clients opened: a tool outside the lab that
// holds a connection to one of its listeners never holds it up. Serve runs
// a lab for tools outside it (`hybridsim serve`, README.md "Pointing another
// tool at hybridsim serve"): its clock follows real time, one goroutine runs
// the lab's steps and the requests given to Do, logs are streamed to disk
// (StreamLogs) and memory is bounded (Retain).
package sim
