// Package sim is the lab: one PKI, one on-premises Exchange organization and
// one Exchange Online service, wired onto a virtual network
// and one virtual clock, configured as the hybrid configuration wizard leaves
// them or as a lab file says.
//
// A lab moves only when Send or Advance moves it, and then waits only for
// the SMTP sessions its own clients opened: a tool outside the lab that
// holds a connection to one of its listeners never holds it up. Serve runs
// a lab for tools outside it (`hybridsim serve`, README.md "Pointing another
// tool at hybridsim serve"): its clock follows real time, one goroutine runs
// the lab's steps and the requests given to Do, logs are streamed to disk
// (StreamLogs) and memory is bounded (Retain).
package sim
