// Package fakeonprem is a fake Exchange Server (on-premises) organization:
// servers with their certificate stores, the transport service and its
// internal transport certificate, receive and send connectors, queues, and
// the logs Exchange writes (Application event log, SMTP Receive and Send
// protocol logs, message tracking log). It makes Exchange's documented
// certificate decisions and speaks real SMTP over real sockets: receive
// connectors serve through internal/smtpd with the Exchange Server dialect,
// send connectors deliver with go-smtp's client.
//
// Sources are the ids of ../shared/spec/exchange-rules.md (S1..S43, §1..§11,
// F01..F29, C1..C11). Strings Exchange documents are constants in strings.go,
// each with its source id; strings the sources do not give are marked INFER
// there, and every INFER choice is listed below.
//
// # Model
//
// An Organization holds servers (Mailbox or Edge role), accepted domains and
// recipients: on-prem mailboxes, and remote mailboxes (users moved to EXO,
// with a RemoteRoutingAddress in the tenant's routing domain
// contoso.mail.onmicrosoft.com). Each server has a "LocalMachine\My" store
// whose entries look as Get-ExchangeCertificate shows them, its own trust
// (trusted roots; intermediates installed or not), receive connectors bound
// to simulated addresses, and a transport service whose
// InternalTransportCertificateThumbprint stands for the AD attribute
// msExchServerInternalTLSCert. Send connectors belong to the organization and
// name their SourceTransportServers.
//
// Configuration types (ReceiveConnector, SendConnector, TransportService,
// ExchangeCertificate, ...) are exported and use Exchange's property names;
// the running state is unexported. Cmdlets are methods on *Organization with
// Exchange's validations: a Set-* cmdlet takes the identity and a function
// that edits a copy of the object; the copy is validated as the cmdlet
// validates it and applied only if valid (errors name the object and the
// property).
//
// # Certificate selection (pure functions, table-tested)
//
// Inbound STARTTLS (§1, S1), decided once per session at connect time:
//  1. the connector needs Tls in AuthMechanism, else no STARTTLS and no
//     certificate (no event);
//  2. name = TlsCertificateName, else the connector's Fqdn, else the
//     server's FQDN;
//  3. candidates = store entries matching the name: for TlsCertificateName,
//     issuer and subject equal (pki.TlsCertificateName.Matches); for an
//     FQDN, the subject CN or a SAN equal to it or a one-label wildcard
//     covering it (S18);
//  4. eligible = candidates that have a private key; Services are NOT
//     checked (C1: S14 says Exchange does not check SMTP; the TLS
//     handshake of a certificate without SMTP then fails: the session's
//     handshake is aborted and logged "TLS negotiation failed with error
//     UnknownCredentials"); a lab option (C1) makes SMTP an eligibility
//     criterion instead, as S1's list and S7/S8 read, so that such a
//     certificate is skipped (12014 when nothing else matches);
//  5. none eligible: no STARTTLS, Event 12014 with the name (the
//     <I>..<S>.. string when TlsCertificateName is set, S9);
//  6. order: on the TlsCertificateName path newest NotAfter first (S14, the
//     project's reading of C2); on the FQDN path newest NotBefore first
//     (S1); a lab option (TieBreak) switches every path to either reading;
//  7. take the first "valid PKI certificate": CA-issued and its chain
//     builds on this server to a root the server trusts, not revoked
//     (time validity is not part of this check: step 9); else the first
//     self-signed candidate; else none (F04: no STARTTLS, Event 12014);
//  8. Event 12018 when the chosen certificate expires within
//     ExpiryWarning (INFER: 30 days), Event 12016 when it has expired; an
//     expired certificate is still offered (S1 step 9d).
//
// A server builds the chain it presents from the intermediates installed in
// its own store: the LeafOnly case of the pki (F05) is a server that trusts
// the chain (Windows would fetch the intermediate through AIA for its own
// check, INFER) but presents the leaf alone.
//
// Outbound STARTTLS (§2), when a send connector needs a certificate:
// TlsCertificateName set and nothing in the store matches it: the message is
// not sent and the queue shows 454 4.7.5 (F11; C5: the S14/S15 wording is
// the default, S13's lower-case wording is an option); the match has no
// private key: "TLS negotiation failed with error NoCredentials" (F12); the
// match is not enabled for SMTP: "TLS negotiation failed with error
// UnknownCredentials" (F13). TlsCertificateName empty: steps 2-7 above with
// the send connector's Fqdn (INFER, S16 Get-ExchangeCertificate example 4),
// which is how two SMTP certificates for one name pick the internal-CA one
// (F14, KB 2888788).
//
// Anonymous TLS (§3): X-ANONYMOUSTLS is advertised by a receive connector
// with ExchangeServer in AuthMechanism when the internal transport
// certificate loads: thumbprint empty -> not advertised (Event 12012 when
// the transport service starts, F23); thumbprint not in the store -> not
// advertised, Event 12013 (F24); expired -> Event 12015 and still advertised
// (F25). The receiving side of an anonymous-TLS session whose peer presents
// an expired internal certificate logs 12019.
//
// # Transport
//
// Receive connectors ask every client for a certificate. A connector with
// TlsDomainCapabilities "mail.protection.outlook.com:AcceptCloudServicesMail"
// grants the capability only after the client's certificate validates on
// this server (chain, revocation, time) and names
// mail.protection.outlook.com (INFER from S13/S16); a session granted it is
// hybrid mail from EXO: X-MS-Exchange-CrossPremises-* headers are promoted
// and the message is Internal (AuthAs Internal), otherwise it is anonymous
// (§7). Recipients: an on-prem mailbox is delivered to the mailbox before the
// 250 is written; a remote mailbox is rewritten to its RemoteRoutingAddress
// and queued for a send connector; other domains are relayed only for
// authenticated (Exchange or granted) sessions, else refused.
//
// Send connectors pick the connector by AddressSpaces (most specific, then
// lowest cost), resolve SmartHosts or MX through the lab, and deliver with
// go-smtp's client: EHLO with the connector's Fqdn, STARTTLS when offered or
// (RequireTLS) required, the selected certificate as client certificate, and
// the server certificate checked per TlsAuthLevel and TlsDomain against this
// server's trust. Queues are per next hop and retry on the virtual clock with
// Exchange's defaults (S34): a connection or TLS failure puts the queue in
// Retry for OutboundConnectionFailureRetryInterval (10 min, Edge 30); a 4xx
// to a message retries after TransientFailureRetryInterval (5 min, Edge 10)
// up to TransientFailureRetryCount (6) times, then every
// MessageRetryInterval (15 min); after MessageExpirationTimeOut (2 days) the
// message is returned to its sender in an NDR; a 5xx returns it at once.
// LastError reads [{LRT=...};{LED=...};{MSG=...};{FQDN=...};{IP=...}] (OBS,
// §9; the {MSG=} element follows the F19 sample). A message accepted with 250
// is, at every moment, in exactly one place: a queue, a mailbox, or an NDR.
//
// # Logs
//
// The Application event log holds events with Source
// (MSExchangeFrontEndTransport for Frontend connectors, MSExchangeTransport
// for Hub and Edge, C3), Event ID, Task Category, Level and the documented
// text. Protocol logs are internal/smtpd records, kept per server and
// written in Exchange's folder layout by WriteLogs. The message tracking log
// has the real #Fields line (S32) and the event ids RECEIVE, SEND, DELIVER,
// DEFER, FAIL, DSN; every entry names the SMTP session id it came from so
// that the lab can join it to the protocol logs.
//
// # Time
//
// Everything reads the clock it is given; nothing sleeps. Deliveries happen
// only in RunDue, which the lab calls after moving its clock: NextDue tells
// the lab when the next retry falls due. WaitIdle blocks until every receive
// session has finished, so a caller that reads logs after a delivery sees
// them whole.
package fakeonprem
