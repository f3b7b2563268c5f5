// Package fakeexo is a fake Exchange Online: a multi-tenant service with
// tenants, accepted domains, mailboxes and mail users, inbound and outbound
// connectors, a front door that decides which tenant and connector each
// incoming connection belongs to, outbound delivery to on-premises servers
// with TlsSettings/TlsDomain validation, a 24-hour retry queue, and message
// trace. It speaks real SMTP over real sockets: the front door serves through
// internal/smtpd with EXO's dialect and EXO's own certificate from the pki's
// Microsoft chain; outbound delivery uses go-smtp's client.
//
// Sources are the ids of ../shared/spec/exchange-rules.md (S1..S43, §6-§11,
// F01..F29, C1..C11). Strings Exchange Online documents are constants in
// strings.go, each with its source id; strings the sources do not give are
// marked INFER there, and every INFER choice is listed below.
//
// # Use
//
// New(cfg, network, clock, pki) validates the configuration and returns a
// running Service (its front door bound, httptest style); Close stops it.
// Endpoints lists the host names the lab's DNS must hold. The lab moves its
// clock and calls RunDue, which makes every delivery attempt that has fallen
// due, synchronously; NextDue says when the next falls due; WaitIdle waits
// for the front door's sessions. Organization(name) gives a tenant's cmdlets
// (New-/Set-/Get-/Remove-InboundConnector and -OutboundConnector,
// Validate-OutboundConnector, Set-OrganizationConfig -RejectDirectSend,
// Get-MessageTrace, Get-MessageTraceDetail). Submit sends from a cloud
// mailbox; Mailbox reads one; Verdicts, Ledger and ProtocolLog show what
// happened; WithholdStartTLS models a source EXO does not offer TLS to (F20).
//
// # Model
//
// A Service holds tenants. A tenant has a name, its initial domain
// (contoso.onmicrosoft.com), its routing domain (contoso.mail.onmicrosoft.com),
// accepted domains (Authoritative or InternalRelay), RejectDirectSend,
// cloud mailboxes, mail users whose mailboxes are on-premises, and inbound
// and outbound connectors with the cmdlets' property names and validations
// (S16). As in fakeonprem, a Set-* cmdlet takes the identity and a function
// that edits a copy; the copy is validated and applied only if valid. The
// configuration is an immutable snapshot that each cmdlet replaces, so a
// change applies from the next transaction and the next delivery attempt.
//
// Each tenant's MX host names (MXHost: contoso-com.mail.protection.outlook.com,
// contoso-mail-onmicrosoft-com.mail.protection.outlook.com) name the one
// front-door listener, as does the service's Hostname; any of them accepts
// mail for any tenant, as EOP's do, and attribution decides.
//
// # Attribution (§7; the algorithm is INFER, assembled from S14, S21-S25, S41)
//
// At MAIL FROM the front door decides, and completes its decision at each
// RCPT TO; a Verdict per transaction records the tenant, the connector, the
// rule, the refusals and why each other candidate connector was not taken:
//  1. certificate: enabled OnPremises inbound connectors of every tenant
//     whose TlsSenderCertificateName matches the client certificate's CN or
//     any SAN (C7; "*.contoso.com" covers contoso.com and every subdomain,
//     the cmdlet's "a domain and all subdomains"; a wildcard certificate
//     name covers one label, S18). The chain is checked with pki.CheckChain
//     against EXO's roots, with only the certificates the client sent (EXO
//     fetches no intermediates, S29), at the clock's time: a complete chain
//     ending in a root EXO does not trust answers 454 4.7.0 ... UntrustedRoot
//     (F14, S10; an enterprise CA's certificate gives it when the sender
//     sends the root along, otherwise its chain is incomplete); an incomplete
//     chain, an expired or a revoked certificate leaves the connectors
//     unmatched (F16). A TlsSenderCertificateName that is not a wildcard must
//     be an accepted domain of the connector's tenant, a wildcard's base must
//     be one (S14, S23); otherwise the connector is unmatched too;
//  2. source address: enabled OnPremises connectors whose SenderIPAddresses
//     hold the connection's simulated address;
//  3. otherwise the envelope: the tenant owning the MAIL FROM domain, then
//     the one owning the first RCPT TO domain (S25's order).
//
// When several connectors match in one step, the one of the MAIL FROM
// domain's tenant wins, else the first in configuration order (INFER: S25
// gives each on-premises organization its own certificate, so a tie is a
// misconfiguration).
//
// Then the replies. At MAIL FROM: an attributing connector with RequireTls on
// a session without TLS answers 451 5.7.3 Must issue a STARTTLS command first
// (the dialect's reply, C11); so does a plaintext session that no connector
// attributed whose MAIL FROM domain's tenant has an enabled OnPremises
// connector with RequireTls (INFER: F20, where EXO withholds STARTTLS and
// on-prem's queue shows this reply). At each RCPT TO:
//   - a recipient in no tenant's accepted domains is relay: an OnPremises
//     connector may relay when its certificate matched (its domain is
//     accepted) or the MAIL FROM domain is accepted by its tenant (S24);
//     otherwise 550 5.7.64 ... ATTR36 when a connector attributed the session
//     or named the certificate without an accepted domain (F17, S23, S21's
//     "explicit ATT36"), else 550 5.7.64 TenantAttribution; Relay Access
//     Denied SMTP. (F15, F16, S21);
//   - a recipient of a tenant that no connector of its own attributed meets
//     that tenant's enabled Partner connectors whose SenderDomains cover the
//     MAIL FROM domain (the null sender only "*"): RequireTls on a session
//     without TLS answers 451 5.7.3; RestrictDomainsToIPAddresses (source
//     not in SenderIPAddresses) or RestrictDomainsToCertificate (no valid
//     certificate matching TlsSenderCertificateName) answers 550 5.7.51 with
//     S14's bracket, [<Hostname> <time> <session id>] (F18); the first
//     Partner connector the transaction passes attributes it. Then, with no
//     connector of the tenant, a sender in the tenant's own accepted domains
//     meets RejectDirectSend: 550 5.7.68 (F22);
//   - an unknown recipient of an Authoritative domain answers 550 5.1.1 User
//     unknown (S4; EXO's own directory-based-edge-blocking text is not in
//     the spec); of an InternalRelay domain, it is routed on.
//
// Mail for a tenant's recipients that no rule refuses is accepted, as
// internet mail when no connector of that tenant attributed it; mail for
// recipients of several tenants goes to each.
//
// # Headers (§7)
//
// The front door removes X-MS-Exchange-Organization-* fields that came from
// outside (S27's header firewall). A message attributed to an OnPremises
// connector of the recipient's tenant with CloudServicesMailEnabled is
// internal: its X-MS-Exchange-CrossPremises-* fields become
// X-MS-Exchange-Organization-* ones (S16), and X-MS-Exchange-Organization-
// AuthAs: Internal, MessageDirectionality: Originating, AuthMechanism: 10 and
// X-CrossPremisesHeadersPromoted/Filtered are stamped (OBS, §7). With
// TreatMessagesAsInternal and a sender in the tenant's domains it is internal
// without promotion (S16). Otherwise it is anonymous: cross-premises fields
// are removed, AuthAs: Anonymous, MessageDirectionality: Incoming,
// FromEntityHeader: Internet (OBS). Submit's messages are internal to the
// sender's tenant. Outbound, a connector with CloudServicesMailEnabled turns
// X-MS-Exchange-Organization-* into X-MS-Exchange-CrossPremises-* fields;
// any other hop removes both (S16).
//
// # Outbound (§9)
//
// Mail for a mail user goes to its ExternalEmailAddress, and mail for other
// domains to the recipient, through the tenant's outbound connectors: the
// enabled one whose RecipientDomains match most specifically
// (IsTransportRuleScoped ones are skipped), else one with
// RouteAllMessagesViaOnPremises unless the message came from on-premises
// (INFER: no loop back), else MX. It goes to the SmartHosts, or the MX hosts
// of the domain, through the lab's resolver, from OutboundHost with go-smtp's
// client: EHLO with the outbound host name, STARTTLS when offered, EXO's
// certificate when the server asks for one. TlsSettings:
//   - $null: TLS when offered, no certificate checks; in the clear otherwise
//     (INFER);
//   - EncryptionOnly: TLS required, no certificate checks;
//   - CertificateValidation: TLS required; the chain must build from the
//     presented certificates to a root in EXO's store, unrevoked and in its
//     validity period;
//   - DomainValidation: as CertificateValidation, and the certificate's CN
//     or a SAN must match TlsDomain ("*.contoso.com" covers subdomains; an
//     empty TlsDomain means the recipient's domain, S16 TlsAuthLevel).
//
// The checks run in the order the S14 sample implies (a self-signed
// certificate with the wrong name reports SubjectMismatch, not
// UntrustedRoot): name, then chain, then revocation, then time. A
// connection-level failure (DNS, connect, STARTTLS, TLS) moves on to the next
// smart host or MX host; the deferral is the last host's. Deferrals carry
// the LEDs with LastAttemptedServerName and LastAttemptedIP: 450 4.4.317
// Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to
// send mail] (F01, F04, C11); SubjectMismatch (F02; C6: 2025's 4.4.317 form
// with Expected Subject, Presented Subject and Thumbprint, and S14's
// [SmtpSecurity=-1;-1], by default; 2017's 4.7.320 [Message=SubjectMismatch]
// with Config.LegacySubjectMismatch); [Message=UntrustedRoot] for a chain
// that does not reach a trusted root, leaf-only included (F05, S29);
// 450 4.4.317 ... [Message=CertificateExpired Expected Subject: ...
// Presented Subject: ... Thumbprint: ....] [SmtpSecurity=-1;-1] for an
// expired certificate (F06, real-artifacts §4.3); 4.7.320 Certificate
// validation failed for a not yet valid or revoked certificate (INFER);
// 451 4.4.0 TLS negotiation failed with error SocketError with
// [SmtpSecurity=-2;-2] for other TLS failures (§4.4); every LED closes with
// [<FT host>.eop-<region>.prod.protection.outlook.com <time>Z <session id>]
// (§4.1), and Config.EstablishSessionWording gives 4.4.317 the 2026 wording
// (§4.5); 4.4.312, 4.4.315, 4.4.316, 4.4.318 (F10). A 4xx
// reply from the server is a deferral with the reply as the 4.4.317 detail
// (INFER); a 5xx fails the message at once with an NDR quoting it. Deferred
// messages retry every RetryInterval (INFER: 15 minutes, Exchange Server's
// MessageRetryInterval, S34) on the virtual clock; the last attempt is made
// MessageExpirationTimeout (24 hours, S28) after receipt, and if it fails the
// sender gets an NDR with #550 4.4.7 QUEUE.Expired; message expired ## (S30;
// C10's observed 550 5.4.317 wording with Config.ObservedExpiryNDR).
//
// # Message trace and logs
//
// Every message and recipient has a Get-MessageTrace row (Received,
// SenderAddress, RecipientAddress, Subject, Status Delivered, Pending or
// Failed, MessageTraceId, MessageId, FromIP, ToIP, Size) and
// Get-MessageTraceDetail events (RECEIVE, SEND, DEFER, FAIL, DELIVER); a
// DEFER's and a FAIL's Detail is the documented
// Reason: [{LED=...};{MSG=...};{FQDN=...};{IP=...};{LRT=...}]. OutboundProxyTargetIP: ... OutboundProxyTargetHostName: ...
// (§9). Each event names the SMTP session it came from. ProtocolLog keeps
// every SMTP session of the service, the front door's (internal/smtpd's
// receive log) and the outbound ones (smtpd.ClientTap's send log), by
// session id. The Ledger says where every accepted (message, recipient) is:
// a mailbox, the queue (with its last LED), an NDR, or handed to another
// host (with that host's reply), for the lab's nothing-lost check.
//
// # Time and determinism
//
// Everything reads the clock it is given; nothing sleeps. Deliveries happen
// only in RunDue. Session ids, front door and outbound alike, are .NET ticks
// of 15 hours before the session (real-artifacts §1.3, §4.1), kept unique by
// a counter, tag 0 in their last hex digit (on-premises servers use 1 to 15),
// Message-IDs
// <08DE...@Hostname> for messages that have none, MessageTraceIds from the
// message counter. The same configuration and calls give the same logs,
// trace, ledger and mailboxes, byte for byte.
//
// # Other choices where the spec is silent (INFER)
//
//   - Addresses: the front door at 198.51.100.25 and the outbound host at
//     198.51.100.50 (documentation ranges); the names
//     SIM1EUR01FT001.mail.protection.outlook.com and
//     NAM99-SIM1-obe.outbound.protection.outlook.com, visibly simulated.
//   - MXHost keeps hyphens already in a domain.
//   - The [Message=] details of F10: Winsock's "Socket error code 10061"
//     (refused), 10060 (timed out), 10054 (closed abruptly), and
//     InfoDomainNonexistent for DNS, whose LED and Reason have no IP part;
//     any other TLS failure has OBS's SocketError detail (strings.go).
//     The {MSG=} token is the [Message=] detail, SubjectMismatch for a name
//     mismatch (S40).
//   - The tokens CertificateExpired (spec §9's placeholder),
//     CertificateNotYetValid, CertificateRevoked and RevocationCheckFailure.
//   - Trace details other than the Reason: "Message received by: <server>
//     using <TLS version>", "Message submitted by: <address>", "Message sent
//     to <host> at <ip> using <TLS version>", "The message was successfully
//     delivered."; MessageTraceIds are GUIDs made from a counter.
//   - NDRs: from postmaster@<initial domain>, "Undeliverable: <subject>",
//     the diagnostic under "Diagnostic information for administrators" and
//     the original headers; a remote 5xx is quoted as "Remote Server returned
//     '<reply>'". A failed message with the null sender is discarded.
//   - One SMTP session per message and recipient (Exchange batches a next
//     hop's recipients).
//   - Protocol log connector-ids `<server>\Front Door` and
//     `<outbound host>\<connector or domain>`; '*' records for the
//     certificates sent (§10's block) and received, "attempting to connect"
//     (OBS) and "TLS negotiation failed with error <token>".
//   - Validate-OutboundConnector probes each recipient (connect, TLS checks,
//     MAIL FROM:<>, RCPT TO, RSET) without sending a test message, so the
//     lab's ledgers stay free of test mail.
//   - Enabled, RequireTls and UseMXRecord are not defaulted to the cmdlets'
//     $true: Go's zero value is $false, so configurations set them. A
//     RestrictDomainsTo* flag without the list it restricts to, and
//     SmartHosts with UseMXRecord $true, are refused.
//   - Recipient proxy addresses: alias@<routing domain> for every mailbox and
//     mail user, alias@<initial domain> for mailboxes, as the hybrid email
//     address policy stamps them.
package fakeexo
