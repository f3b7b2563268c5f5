// Package evidence turns what a customer sends into a lab, and a lab into
// what a customer would send.
//
// In: Import reads any mix of Format-List text (Get-ExchangeCertificate,
// Get-ReceiveConnector, Get-SendConnector, Get-TransportService,
// Get-AcceptedDomain, and from Exchange Online Get-InboundConnector,
// Get-OutboundConnector, Get-OrganizationConfig (RejectDirectSend); Format-Table output of Get-AcceptedDomain too),
// Export-Clixml files (seed 000's connector backups: OnPremSendConBkp.xml,
// OnPremRcptConBkp.xml, EXOInConBkp.xml, EXOOutConBkp.xml), the hybrid
// configuration wizard's log with its four connector tables (Property,
// Expected, Actual, Equals), each server's Cert:\LocalMachine\Root and
// \CA stores and its DisableRootAutoUpdate policy (through
// Invoke-Command, so that PSComputerName names the server), and Get-Date's
// output, and writes a lab file
// (the YAML sim.Parse reads) whose every value carries a comment naming the
// file and the object it came from. What the evidence does not say is
// written down as an assumption, in the lab file and in Result.Assumptions;
// a value PowerShell cut short ("...", $FormatEnumerationLimit) is a
// warning naming the property.
//
// Choices where the evidence is silent (each one is printed as an
// assumption when it is made):
//   - Certificates: the lab's PKI issues a look-alike of each with the same
//     subject, issuer, names and dates; the issuer's trust follows the
//     certificate's Status (Valid: a CA both sides trust unless the lab's
//     PKI knows the issuer; Untrusted: a root nobody trusts; Revoked: listed
//     in its CRL; Untrusted from an issuer the lab's PKI has: the server's
//     CA store lacks it). RawData, when the evidence has it, gives the
//     names, SANs and dates exactly. Every thumbprint the evidence names
//     (InternalTransportCertificateThumbprint) is mapped to its
//     look-alike's; TlsCertificateName names a certificate by issuer and
//     subject, which the look-alike keeps. A server's self-signed
//     "CN=<server>" certificate is setup's certificate, which the lab gives
//     every server.
//   - Times Format-List prints carry no zone: they are read as UTC. Dates
//     in en-US, en-GB, fr-FR, de-DE and ja-JP forms are read (psh.ParseDate).
//   - The clock is Get-Date's output when it is among the files; otherwise
//     a day after the newest certificate's NotBefore.
//   - Addresses (203.0.113.10, .20, ...), mailboxes to probe with, a partner
//     on the internet and the MX records are the default lab's. Edge servers
//     are subscribed. Properties an object lacks take the cmdlet's defaults.
//   - The same object in several files (Format-List text and Export-Clixml)
//     is merged: the first file's values stand, a value cut short is
//     completed by a whole one, and a disagreement is a warning.
//   - The wizard's log gives each connector's Expected values: what the
//     wizard set.
//
// What a lab file on main cannot say, Import reports as a warning: an empty
// InternalTransportCertificateThumbprint (event 12012) is setup's
// certificate in a lab file.
//
// Out: FormatList and CLIXML render the fakes' objects as the cmdlets
// print and export them (per type, the documented property set and .NET
// type names; Exchange Online's objects come from a remote session, so
// their type names start with "Deserialized."); Export writes the files a
// customer would send for a running lab.
//
// See README.md ("Customer evidence") for the commands to ask a customer
// to run.
package evidence
