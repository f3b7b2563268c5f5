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
// # Model
//
// A Service holds tenants. A tenant has a name, its initial domain
// (contoso.onmicrosoft.com), its routing domain (contoso.mail.onmicrosoft.com),
// accepted domains (Authoritative or InternalRelay), RejectDirectSend,
// cloud mailboxes, mail users whose mailboxes are on-premises, and inbound
// and outbound connectors with the cmdlets' property names and validations
// (New-/Set-/Get-InboundConnector, New-/Set-/Get-OutboundConnector,
// Validate-OutboundConnector, Set-OrganizationConfig -RejectDirectSend). As
// in fakeonprem, a Set-* cmdlet takes the identity and a function that edits
// a validated copy.
//
// Each tenant's MX host names (contoso-com.mail.protection.outlook.com,
// contoso-mail-onmicrosoft-com.mail.protection.outlook.com) have front-door
// listeners; any front-door listener accepts mail for any tenant, as EOP's
// do, and attribution decides.
//
// # Attribution (§7; the algorithm is INFER, assembled from S14, S21-S25, S41)
//
// At MAIL FROM and RCPT TO the front door decides, and records a Verdict per
// session (tenant, connector, rule, and why each other candidate was not
// taken):
//  1. certificate: OnPremises inbound connectors of every tenant whose
//     TlsSenderCertificateName matches the client certificate's CN or any
//     SAN (C7; "*.contoso.com" covers every subdomain of contoso.com). A
//     non-wildcard TlsSenderCertificateName must be an accepted domain of
//     the connector's tenant, a wildcard's base must be one (S14, S23).
//     The certificate must validate against EXO's roots with only the
//     chain the client sent (EXO fetches no intermediates, S29): a chain
//     ending in an untrusted root answers 454 4.7.0 ... UntrustedRoot
//     (F14, S10); an incomplete chain or an expired or revoked
//     certificate leaves the connector unmatched (F16);
//  2. source address: OnPremises connectors whose SenderIPAddresses hold
//     the connection's (simulated) address;
//  3. otherwise the envelope: the tenant owning the MAIL FROM domain, then
//     the one owning a RCPT TO domain (S25's order).
//
// Then the replies: a connector with RequireTls on a session without TLS
// answers 451 5.7.3 Must issue a STARTTLS command first (F20); a message for
// a recipient outside the tenant (relay) needs a connector-attributed
// session whose certificate domain or MAIL FROM domain is an accepted domain
// (S24), else 550 5.7.64 ... ATTR36 when a certificate connector matched
// (F17, S23) or 550 5.7.64 TenantAttribution; Relay Access Denied SMTP.
// when none did (F15, F16, S21); a Partner connector of the attributed
// tenant with RestrictDomainsToIPAddresses or RestrictDomainsToCertificate
// that the connection fails answers 550 5.7.51 (F18, S14); a session that
// no connector attributed, from a sender in one of the tenant's accepted
// domains, to a tenant whose RejectDirectSend is $true answers 550 5.7.68
// (F22). Mail for a tenant's own recipients that no rule refuses is
// accepted, as internet mail when no connector attributed it.
//
// A message attributed to an OnPremises connector with
// CloudServicesMailEnabled is internal: X-MS-Exchange-Organization-AuthAs:
// Internal, and X-MS-Exchange-CrossPremises-* headers are promoted;
// otherwise it is anonymous (§7, INFER).
//
// # Outbound to on-premises (§9)
//
// Mail for a tenant's mail user is routed by the tenant's outbound
// connectors (RecipientDomains, or RouteAllMessagesViaOnPremises;
// IsTransportRuleScoped connectors are skipped), to SmartHosts or MX through
// the lab's resolver, and delivered with go-smtp's client from EXO's
// outbound host, presenting EXO's certificate when asked. TlsSettings:
//   - $null: opportunistic TLS, no certificate checks (INFER);
//   - EncryptionOnly: TLS required, no certificate checks;
//   - CertificateValidation: TLS required; the chain must build from the
//     presented certificates to a root in EXO's store;
//   - DomainValidation: as CertificateValidation, and the certificate's CN
//     or a SAN must match TlsDomain ("*.contoso.com" covers subdomains).
//
// The checks run in the order the S14 sample implies (a self-signed
// certificate with the wrong name reports SubjectMismatch, not
// UntrustedRoot): name, then chain, then time. Deferrals carry the
// documented LED strings with LastAttemptedServerName and LastAttemptedIP:
// 451 5.7.3 STARTTLS is required to send mail (F01, F04), SubjectMismatch
// (F02; C6: the 2025 "450 4.4.317 ... Expected Subject" form by default, the
// 2017 "450 4.7.320 ... [Message=SubjectMismatch]" form as an option),
// UntrustedRoot (F05), 450 4.7.320 for an expired certificate (F06; its
// [Message=CertificateExpired] token is INFER: no source names it),
// 4.4.312, 4.4.315, 4.4.316, 4.4.318 (F10). A 4xx from the server is a
// deferral too; a 5xx fails the message at once. Deferred messages retry on
// the virtual clock every RetryInterval (INFER: 15 minutes) and expire 24
// hours after EXO received them (S28): the sender gets an NDR with
// 550 4.4.7 QUEUE.Expired; message expired (S30; C10: the observed 5.4.317
// wording is an option).
//
// # Message trace
//
// Every message has a trace like Get-MessageTrace (Received, SenderAddress,
// RecipientAddress, Subject, Status Delivered, Pending or Failed,
// MessageTraceId, MessageId, FromIP, ToIP, Size) and details like
// Get-MessageTraceDetail (RECEIVE, SEND, DEFER, FAIL, DELIVER), with the
// Reason in the documented form
// Reason: [{LED=...};{MSG=...};{FQDN=...};{IP=...};{LRT=...}]. OutboundProxyTargetIP: ... (§9).
// Each record names the SMTP session ids it came from.
//
// # Time
//
// Everything reads the clock it is given; nothing sleeps. Deliveries happen
// only in RunDue, which the lab calls after moving its clock; NextDue tells
// the lab when the next retry falls due; WaitIdle blocks until every
// front-door session has finished.
package fakeexo
