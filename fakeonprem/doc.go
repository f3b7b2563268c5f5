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
// (Cert:\LocalMachine\Root and \CA), receive connectors bound to simulated
// addresses, and a transport service whose
// InternalTransportCertificateThumbprint stands for the AD attribute
// msExchServerInternalTLSCert. Send connectors belong to the organization and
// name their SourceTransportServers. New gives every server what Exchange
// setup leaves (S18): its self-signed certificate, trusted as a root
// (RootCAType Registry) and used as the internal transport certificate, and
// the default receive connectors of S33 (DefaultReceiveConnectors).
// HybridReceiveConnector and HybridSendConnector return what the hybrid
// configuration wizard sets (seed 000, S14, S40).
//
// Configuration types (ReceiveConnector, SendConnector, TransportService,
// ExchangeCertificate, ...) are exported and use Exchange's property names;
// the running state is unexported. Cmdlets are methods on *Organization with
// Exchange's validations: a Set-* cmdlet takes the identity and a function
// that edits a copy of the object; the copy is validated as the cmdlet
// validates it and applied only if valid (errors name the object and the
// property; F28's text is Exchange's, the others say what is wrong).
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
//  4. eligible = candidates that have a private key and, on the FQDN path,
//     the SMTP service (conflict C1, read per path as C2 is: S14 says of the
//     TlsCertificateName lookup that Exchange does not check SMTP, and the
//     TLS handshake of such a certificate then fails: the transport service
//     has no access to its key, the handshake is aborted and the receive
//     log says "TLS negotiation failed with error UnknownCredentials", INFER
//     from S12's send side; S1's eligibility list, S7 and S8 check SMTP, and
//     KB 2888788's fix, unbinding SMTP from the internal-CA certificate,
//     works only if the FQDN path does). Options.SMTPEligibility switches
//     every path to either reading;
//  5. none eligible: no STARTTLS, Event 12014 with the name (the
//     <I>..<S>.. string when TlsCertificateName is set, S9);
//  6. order: on the TlsCertificateName path newest NotAfter first (S14, the
//     project's reading of C2); on the FQDN path newest NotBefore first
//     (S1); Options.TieBreak switches every path to either reading; ties
//     keep the store's order;
//  7. take the first "valid PKI certificate": CA-issued and its chain
//     builds on this server to a root the server trusts, not revoked, the
//     revocation status known (time validity is not part of this check: step
//     8); else the first self-signed candidate; else none (F04: no STARTTLS,
//     Event 12014);
//  8. Event 12018 when the chosen certificate expires within 30 days (INFER),
//     Event 12016 when it has expired; an expired certificate is still
//     offered (S1 step 9d).
//
// Get-ExchangeCertificate -DomainName lists the candidates in this order (the
// selectable ones first), so its first entry is the one a connector with that
// FQDN takes when it can take one (S16 example 4).
//
// A server judges its own certificate with the certificate's issuing CAs as
// Windows would fetch them through AIA (INFER); it presents the leaf, the
// intermediates it holds (its CA store and those that came with the
// certificate) and the root when it trusts it (Schannel sends the anchor), so
// that EXO can tell an untrusted root from an incomplete chain. pki's
// LeafOnly certificate (F05) is presented alone.
//
// Outbound STARTTLS (§2), when a send connector needs a certificate:
// TlsCertificateName set: the newest match (NotAfter, C2) that is valid on
// this server (a valid PKI certificate, or a self-signed one), key or no key;
// none: the message is not sent and the queue shows 454 4.7.5 (F11, S14's
// "or the matching certificate is invalid"; C5: the S14/S15 wording is the
// default, S13's lower-case wording is Options.LegacyNotFoundWording); the
// match has no private key: "TLS negotiation failed with error
// NoCredentials" (F12); the match is not enabled for SMTP: "TLS negotiation
// failed with error UnknownCredentials" (F13; with the C1 option it does not
// match: F11). Both failures come after the 220 to STARTTLS, before the
// handshake, as the certificate block and the error line in the send log.
// TlsCertificateName empty: steps 2-7 above with the send connector's Fqdn
// (INFER, S16 Get-ExchangeCertificate example 4), which is how two SMTP
// certificates for one name pick the internal-CA one (F14, KB 2888788); none:
// no client certificate, Event 12014 (S7).
//
// Anonymous TLS (§3): X-ANONYMOUSTLS is advertised by a receive connector
// with ExchangeServer in AuthMechanism when the internal transport
// certificate loads: thumbprint empty -> not advertised (Event 12012 when
// the transport service starts, F23); thumbprint not in the store (or
// without its key) -> not advertised, Event 12013 (F24); expired -> Event
// 12015 and still advertised (F25). The receiving side of an anonymous-TLS
// session whose peer presents an expired certificate logs 12019.
//
// Events are logged when a condition starts, per transport service and name
// searched (Frontend connectors log as MSExchangeFrontEndTransport, Hub and
// Edge ones as MSExchangeTransport, C3), not at every session, and again
// after RestartTransportService (INFER: Exchange throttles repeated events;
// its period is not modelled). 12016 and 12018 are Warnings (INFER).
//
// # Transport
//
// Receive connectors ask every client for a certificate. A connector with
// TlsDomainCapabilities "mail.protection.outlook.com:AcceptCloudServicesMail"
// grants the capability only after the client's certificate names the domain
// (CN or SAN; a domain part written "<I>..<S>.." matches issuer and subject,
// INFER from S13) and validates on this server (chain, revocation, time,
// INFER from S16); a certificate that names the domain and does not validate
// is refused at MAIL with 454 4.7.5 Certificate Validation Failure (F07,
// DOC-3P). A session granted it is hybrid mail from EXO:
// X-MS-Exchange-CrossPremises-* headers are promoted and the message is
// Internal (AuthAs Internal unless the promoted header says otherwise);
// otherwise the header firewall removes organization and cross-premises
// headers and it is anonymous (§7, S36). A session after X-ANONYMOUSTLS whose
// peer passes direct trust is an Exchange server: its headers are kept.
// Direct trust (S19, §4 INFER): New-EdgeSubscription records the Edge's and
// the Mailbox servers' internal transport certificates; an Edge trusts the
// recorded Mailbox ones, a Mailbox server the organization's Mailbox servers'
// current ones and the recorded Edge ones. Replacing a certificate breaks the
// trust until the Edge is subscribed again (F27).
//
// Recipients: an on-prem mailbox is delivered to the mailbox before the 250
// is written; a remote mailbox is rewritten to its RemoteRoutingAddress and
// queued for a send connector; an unknown address of an accepted domain gets
// 550 5.1.1 User unknown (S4); other domains are relayed only for
// authenticated (Exchange or granted) sessions, else 550 5.7.54 SMTP; Unable
// to relay recipient in non-accepted domain on 15.02 (real-artifacts §3.4) or
// 550 5.7.1 Unable to relay on 15.01 (S13), or on an Edge whose peer failed direct trust 451 4.7.1 Unable to
// relay; direct trust authentication failed (INFER, temporary so the message
// waits for the fix). A RequireTLS connector answers MAIL before STARTTLS with
// 451 5.7.3 Must issue a STARTTLS command first (C11's receiving side); one
// without AnonymousUsers in PermissionGroups answers anonymous MAIL with 530
// 5.7.1 Client was not authenticated (S4).
//
// Send connectors are chosen by AddressSpaces (most specific, then lowest
// cost), resolve SmartHosts or MX (or the domain's A record) through the lab,
// and deliver with go-smtp's client: EHLO with the connector's Fqdn,
// X-ANONYMOUSTLS or STARTTLS when offered, required by RequireTLS, the
// selected certificate as client certificate, and the server certificate
// checked per TlsAuthLevel (CertificateValidation: chain, revocation, time
// on this server; DomainValidation: also the name against TlsDomain, else the
// recipient's domain) when RequireTLS. go-smtp has no X-ANONYMOUSTLS verb and
// says "EHLO localhost" before STARTTLS: the send connector greets with a
// plain client, then upgrades through resumeConn, which answers go-smtp's own
// greeting and EHLO itself and writes its STARTTLS as the verb chosen (see
// resumeconn.go). Outbound anonymous TLS (S2): a Mailbox server relaying to
// an Edge (DeliveryType SmtpRelayWithinAdSitetoEdge) and an Edge sending to
// the Mailbox servers through "EdgeSync - Inbound to <Site>" (SmartHosts --,
// ExchangeServer authentication).
//
// Queues are per next hop and retry on the virtual clock with Exchange's
// defaults (S34, TransportService): a failure of the session (no connection,
// TLS, a 4xx before or to MAIL, F11) puts the queue in Retry for
// OutboundConnectionFailureRetryInterval (10 min, Edge 30); a 4xx to a
// recipient or to DATA retries after TransientFailureRetryInterval (5 min,
// Edge 10) TransientFailureRetryCount (6) times, then every
// MessageRetryInterval (15 min); after MessageExpirationTimeOut (2 days) the
// message is returned to its sender in an NDR with 550 4.4.7
// QUEUE.Expired; message expired (S30); a 5xx returns it at once. LastError
// reads [{LRT=...};{LED=...};{MSG=};{FQDN=...};{IP=...}] (OBS, §9; the {MSG=}
// element follows the F19 sample). A reply of the next hop to the session is
// wrapped in S12's `451 4.4.0 Primary target IP address responded with ...`
// LED (F20; also 421 4.4.1 Connection timed out for F12/F13 as S11/S12 show,
// 451 5.7.3 STARTTLS is required to send mail when RequireTLS finds no
// STARTTLS, C11, INFER for the on-prem sender); certificate validation
// failures read 454 4.7.5 Certificate validation failure, reason:<reason>
// (F19). Every message refused with an SMTP response logs Event 2004 (S10). A
// message accepted with 250 is, at every moment, in exactly one place: a
// queue, a mailbox, an NDR, or handed off (Ledger).
//
// # Logs
//
// The Application event log holds events with Source, Event ID, Task
// Category, Level and the documented text. Protocol logs are internal/smtpd
// records, kept per server (receive and send, by session id) and written in
// Exchange's folder layout by WriteLogs, in hourly upper-case files
// (RECVyyyyMMddHH-1.LOG). Their records are those of the server's build
// (build.go, real-artifacts.md): Set Session Permissions, `receiving
// message` with `<session id>;<connect time>;<n>`, the Front End's proxy
// record, `sending message with RecordId ... and InternetMessageId ...`, the
// one-record certificate form (the pre-2020 six-record block on older
// builds), the TLS protocol record, the client certificate and
// TlsDomainCapabilities status records (values other than the sample's
// INFER). The message tracking log has the real #Fields line (S32), every
// field real rows fill, and the event chain RECEIVE (Front End and Transport
// service), AGENTINFO, SEND to Mailbox Transport, STOREDRIVER DELIVER (in
// MSGTRKMD files; a submission's NOTIFYMAPI and RECEIVE in MSGTRKMS), INFER
// where no public row shows it (trackingchain.go); every entry names the
// SMTP session id it came from (source-context `<session id>;<time>;<n>`)
// so that the lab can join it to the protocol logs.
//
// Each server has a simulated version: AdminDisplayVersion (default Exchange
// 2019 CU15, 15.2.1748.10) and OperatingSystem (default Windows Server 2019),
// and a locale: Culture (the queued reply rate's decimal separator) and
// TimeZone (the banner's local time and offset).
// Windows and the Schannel registry values decide the TLS versions and
// cipher suites of both sides (schannelpolicy.go; the values take effect at
// RestartTransportService, as Schannel reads them when the service starts). DEFER's recipient-status is the LED; a FAIL
// from a remote reply reads like S14's {[{LED=..};{MSG=};{FQDN=..};{IP=..};{LRT=..}]}.
//
// # Time and determinism
//
// Everything reads the clock it is given; nothing sleeps. Deliveries happen
// only in RunDue, which the lab calls after moving its clock: NextDue tells
// the lab when the next retry or expiry falls due. WaitIdle blocks until every
// receive session has finished, so a caller that reads logs after a delivery
// sees them whole. Message-IDs (<guid@server-fqdn>), network message ids and
// session ids (08DD, 16 bits of the server's FQDN, a counter) come from
// counters, so the same configuration and calls give the same logs, byte for
// byte.
//
// # Other choices where the sources are silent (INFER)
//
//   - Enable-ExchangeCertificate -Services replaces the certificate's
//     services, as KB 2888788's fix (S10) needs to unbind SMTP; S16 calls
//     them additive (C4). Answering yes to the overwrite prompt, or enabling
//     SMTP on a server without a loadable internal certificate, sets
//     InternalTransportCertificateThumbprint (S2, S3, S9, S14). SMTP needs a
//     private key. Import-ExchangeCertificate installs the PFX's
//     intermediates in the server's CA store.
//   - An empty InternalTransportCertificateThumbprint in Config means setup's
//     certificate; F23 is Set-TransportService to "" and
//     RestartTransportService.
//   - LEDs without a source: DNS failure `451 4.4.0 DNS query failed. The
//     error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain`; a
//     refused connection `421 4.2.1 Unable to connect` and a timeout `421
//     4.4.1 Connection timed out` inside S12's template; a handshake the peer
//     breaks `421 4.4.2 Connection dropped due to SocketError` (S43's text);
//     reasons other than untrustedroot (revoked, expired, revocationoffline,
//     namemismatch). The Unreachable queue's LastError "A matching connector
//     cannot be found to route the external recipient" and NextHopDomain
//     "Unreachable Domain". NextHopDomain of a smart-host or Edge queue: the
//     connector's name in lower case.
//   - A 4xx to MAIL fails the session (the next messages wait too); to RCPT
//     or DATA, the message.
//   - Send log lines "Failed to connect. Winsock error code: ..." and the
//     peer's certificate as "Received certificate" and its thumbprint; the
//     Mailbox-to-Edge hop's connector-id "Intra-Organization SMTP Send
//     Connector"; the site "Default-First-Site-Name".
//   - An unknown recipient found after acceptance: 550 5.1.1
//     RESOLVER.ADR.RecipNotFound; not found. NDRs are plain text: Exchange's
//     headings, "Remote Server returned '<reply>'" or "#<status> ##" (S30's
//     form), then the original headers; they come from
//     MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@<first accepted domain>.
//   - A Received header "from <helo> (<ip>) by <fqdn> (<ip>) with Microsoft
//     SMTP Server id 15.1.2375.7[ via Frontend Transport]; <date>".
//   - The Application log export is `wevtutil qe Application /f:text`'s form.
//   - Test-Certificate of a chain whose root was removed reports a partial
//     chain: the root is nowhere on the server any more.
//   - AUTH and X-EXPS are advertised as AuthMechanism says (Integrated: NTLM;
//     BasicAuth: LOGIN, after TLS with BasicAuthRequireTLS; ExchangeServer:
//     X-EXPS GSSAPI NTLM) and not implemented (internal/smtpd).
//
// # Not modelled
//
// Frontend connectors categorize themselves instead of proxying to the Hub
// transport service on 2525; mailboxes belong to the organization and any
// Mailbox server takes a connector sourced by Mailbox servers (no hop between
// Mailbox servers); RemoteIPRanges (connectors need unique bindings),
// DomainSecure, ErrorPolicies, Banner, per-connector message size limits,
// DelayNotificationTimeOut's delay DSNs, 12024's ephemeral certificate, XOORG.
package fakeonprem
