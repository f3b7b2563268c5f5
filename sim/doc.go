// Package sim is the lab: one PKI, one on-premises Exchange organization and
// one Exchange Online service, wired onto a virtual network
// and one virtual clock, configured as the hybrid configuration wizard leaves
// them or as a lab file says.
package sim
