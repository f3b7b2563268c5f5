package fakeexo

import "github.com/hybridsim/hybridsim/internal/smtpd"

// Every string Exchange Online documents, once, with its source id (docs/sources.md). DOC: a Microsoft document; DOC-3P: a third
// party quoting Exchange Online; OBS: seen in a real log or header; INFER: no
// source gives it, chosen here (docs/rules.md lists every INFER choice).

// Front-door replies (§7). The 451 5.7.3 "Must issue a STARTTLS command
// first" (F20, C11) and S4's "550 5.1.1 User unknown" come from the dialect's
// replies (smtpd.ExchangeOnline.Replies.MustStartTLS and UserUnknown).
var (
	// replyRelayDenied is the 5.7.64 reply as it goes on the wire (F15, F16;
	// real-artifacts §3.4: QA-304252's NDR `550 5.7.64 TenantAttribution;
	// Relay Access Denied [AM5EUR02FT025.eop-EUR02.prod.protection.outlook.com]`,
	// a 2018 capture the same). S21's `... Relay Access Denied SMTP.` is the
	// KB's NDR title, not the wire text. relayDenied adds the bracket.
	replyRelayDenied = smtpd.Reply{Code: 550, Enhanced: "5.7.64",
		Text: "TenantAttribution; Relay Access Denied"}
	// replyATTR36 is S23's reply (F17).
	replyATTR36 = smtpd.Reply{Code: 550, Enhanced: "5.7.64",
		Text: "Relay Access Denied ATTR36. For more details please refer to KB 3169958."}
	// replyPartnerRestricted is S14's reply (F18); the bracket is
	// "[<server> <ISO time with milliseconds>Z <session id>]", as in S14's
	// `[CH3PEPF00000016.namprd21.prod.outlook.com 2025-01-29T19:07:30.476Z 08DD3FA5DBC8F401]`.
	replyPartnerRestricted = smtpd.Reply{Code: 550, Enhanced: "5.7.51",
		Text: "TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. " +
			"The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [%s %s %s]"}
	// replyDirectSend is the RejectDirectSend refusal (F22, DOC-3P quoting Microsoft, 2025).
	replyDirectSend = smtpd.Reply{Code: 550, Enhanced: "5.7.68",
		Text: "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"}
	// replyDBEB is Directory-Based Edge Blocking's RCPT reply (real-artifacts §3.3,
	// postfix-EXO-2023; NDR-EXO's "Recipient address rejected: Access denied"); the
	// bracket is added per session (eopBracket).
	replyDBEB = smtpd.Reply{Code: 550, Enhanced: "5.4.1", Text: "Recipient address rejected: Access denied. AS(201806281)"}
	// replyUntrustedRoot is KB 2888788's reply (S10, F14).
	replyUntrustedRoot = smtpd.Reply{Code: 454, Enhanced: "4.7.0",
		Text: "Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"}
)

// bracketTime is the time in 5.7.51's bracket: S14 `2025-01-29T19:07:30.476Z`.
const bracketTime = "2006-01-02T15:04:05.000Z"

// Deferral LEDs of outbound delivery (§9). S28 lists the connector codes.
const (
	// ledCannotConnect: S28, S29, S14 (F01, F02, F04, F05).
	ledCannotConnect = "450 4.4.317 Cannot connect to remote server"
	// ledCannotEstablish is the 2026 wording of the same deferral (real-artifacts §4.5,
	// G2-2026): Config.EstablishSessionWording, and always when the server refused Exchange
	// Online's certificate in the handshake, as a server without DigiCert Global Root G2 does.
	ledCannotEstablish = "450 4.4.317 Cannot establish session with remote server"
	// ledCertificateValidation: S28 (F06); C6's 2017 SubjectMismatch form (S40, F03).
	ledCertificateValidation = "450 4.7.320 Certificate validation failed"
	ledDNSQueryFailed        = "450 4.4.312 DNS query failed"               // S28 (F10)
	ledTimedOut              = "450 4.4.315 Connection timed out"           // S28 (F10)
	ledRefused               = "450 4.4.316 Connection refused"             // S28 (F10)
	ledClosedAbruptly        = "450 4.4.318 Connection was closed abruptly" // S28 (F10)
)

// The [Message=...] details of the LEDs and their {MSG=...} tokens (§9).
const (
	// detailStartTLSRequired: S14 (F01, F04); C11: EXO's own words when
	// the server offers no STARTTLS and TLS is required.
	detailStartTLSRequired = "451 5.7.3 STARTTLS is required to send mail"
	// detailSubjectMismatch: S14 (F02), filled with TlsDomain, the presented
	// subject as Windows renders it, and the thumbprint.
	detailSubjectMismatch = "SubjectMismatch Expected Subject: %s. Presented Subject: %s. Thumbprint: %s."
	// tokenSubjectMismatch: S14, S40 (`[Message=SubjectMismatch]`, `{MSG=SubjectMismatch}`).
	tokenSubjectMismatch = "SubjectMismatch"
	// tokenUntrustedRoot: S29 (F05).
	tokenUntrustedRoot = "UntrustedRoot"
	// tokenCertificateExpired is INFER: spec §9 found no token for an expired
	// certificate (F06) and proposes this one as a placeholder.
	tokenCertificateExpired = "CertificateExpired"
	// tokenCertificateNotYetValid is INFER, by analogy with CertificateExpired.
	tokenCertificateNotYetValid = "CertificateNotYetValid"
	// tokenCertificateRevoked is INFER, by analogy with CertificateExpired.
	tokenCertificateRevoked = "CertificateRevoked"
	// tokenRevocationCheckFailure is INFER: Get-ExchangeCertificate's Status
	// name for a revocation list that could not be read (§6).
	tokenRevocationCheckFailure = "RevocationCheckFailure"
	// detailTLSFailed is the current wording (real-artifacts §4.4, QA-1187616, QA-2195248):
	// `451 4.4.0 TLS negotiation failed with error SocketError` (or ConnectionAborted).
	detailTLSFailed = "451 4.4.0 TLS negotiation failed with error %s"
	// detailCertificateExpired is §4.3's (QA-2195248, 2025): the SubjectMismatch layout.
	detailCertificateExpired = "CertificateExpired Expected Subject: %s. Presented Subject: %s. Thumbprint: %s."
	// The Winsock errors behind 4.4.316, 4.4.315 and 4.4.318 are INFER:
	// WSAECONNREFUSED, WSAETIMEDOUT and WSAECONNRESET in Exchange's
	// "Socket error code" wording.
	detailRefused  = "Socket error code 10061"
	detailTimedOut = "Socket error code 10060"
	detailClosed   = "Socket error code 10054"
	// detailDomainNonexistent is INFER: the DNS status name for a name
	// that does not exist (4.4.312).
	detailDomainNonexistent = "InfoDomainNonexistent"
	// smtpSecurity is the element S14's SubjectMismatch sample carries, and QA-2195248's
	// CertificateExpired (a certificate verdict, real-artifacts §4.2).
	smtpSecurity = "[SmtpSecurity=-1;-1]"
	// smtpSecurityTLS is what TLS negotiation failures carry (§4.2, QA-1187616). The
	// numbers' meaning is INFER.
	smtpSecurityTLS = "[SmtpSecurity=-2;-2]"
)

// The LED and trace detail forms (§9; the layout is INFER from the samples
// of S14, S29, S40 and snapoverflow).
const (
	// ledForm: code and text, [Message=], [LastAttemptedServerName=],
	// [LastAttemptedIP=<ip>:<port>] (absent when no address was found, as
	// for 4.4.312), S14's [SmtpSecurity=-1;-1] where it applies, and the
	// bracketed server id.
	ledMessage       = " [Message=%s]"
	ledServerName    = " [LastAttemptedServerName=%s]"
	ledAttemptedIP   = " [LastAttemptedIP=%s:%d]"
	ledServer        = " %s" // eopBracket
	reasonForm       = "Reason: [{LED=%s};{MSG=%s};{FQDN=%s};{IP=%s};{LRT=%s}]"
	reasonProxyForm  = ". OutboundProxyTargetIP: %s. OutboundProxyTargetHostName: %s"
	lastRetryTime    = "1/2/2006 3:04:05 PM" // S14, S40 `{LRT=1/29/2025 7:07:29 PM}`
	remoteReplyForm  = "%d %d.%d.%d %s"      // a remote server's reply, as the LED quotes it
	remoteReplyPlain = "%d %s"               // the same without an enhanced code
)

// Expiry after 24 hours (§9, F09).
const (
	// expiredQueue is S30's status; the NDR's diagnostic line wraps it in
	// S30's "#... ##".
	expiredQueue      = "550 4.4.7 QUEUE.Expired; message expired"
	expiredDiagnostic = "#%s ##"
	// expiredObserved is C10's observed wording (snapoverflow, OBS), with
	// the last deferral's [Message=] detail in the parenthesis.
	expiredObserved = "550 5.4.317 Message expired, cannot connect to remote server(%s)"
)

// validateDisabled is S42's Validate-OutboundConnector result for a
// connector saved disabled (F29).
const validateDisabled = "The domain of the recipient is not configured as part of connector."

// Headers (§7). X-MS-Exchange-Organization-AuthAs: the Exchange Team's
// "Advanced Office 365 Routing" note (DOC); MessageDirectionality: S27 (DOC);
// AuthMechanism 10, FromEntityHeader Internet and the CrossPremisesHeaders
// pair: OBS (real EXO headers in §7); the prefixes: S16 CloudServicesMailEnabled.
const (
	prefixOrganization   = "X-MS-Exchange-Organization-"
	prefixCrossPremises  = "X-MS-Exchange-CrossPremises-"
	headerAuthAs         = "X-MS-Exchange-Organization-AuthAs"
	headerDirectionality = "X-MS-Exchange-Organization-MessageDirectionality"
	headerAuthMechanism  = "X-MS-Exchange-Organization-AuthMechanism"
	headerFromEntity     = "X-MS-Exchange-Organization-FromEntityHeader"
	headerPromoted       = "X-CrossPremisesHeadersPromoted"
	headerFiltered       = "X-CrossPremisesHeadersFiltered"
	authInternal         = "Internal"
	authAnonymous        = "Anonymous"
	directionOriginating = "Originating"
	directionIncoming    = "Incoming"
	authMechanismHybrid  = "10"
	fromEntityInternet   = "Internet"
)

// Message trace (§9, S16 Get-MessageTraceV2 and Get-MessageTraceDetailV2,
// S38). The event names and statuses are DOC; the Detail texts other than
// the Reason form are INFER, in the words of the EAC's trace.
const (
	eventReceive = "RECEIVE"
	eventSend    = "SEND"
	eventDefer   = "DEFER"
	eventFail    = "FAIL"
	eventDeliver = "DELIVER"

	statusDelivered = "Delivered"
	statusPending   = "Pending"
	statusFailed    = "Failed"

	detailReceived      = "Message received by: %s"                 // INFER
	detailReceivedTLS   = "Message received by: %s using %s"        // real-artifacts §4.7 (QA-176723): `using TLS1.2 with AES256`
	detailSubmitted     = "Message submitted by: %s"                // INFER
	detailSent          = "Message sent to %s at %s using %s"       // INFER (§6.11: the cipher clause by analogy with §4.7)
	detailSentPlain     = "Message sent to %s at %s"                // INFER
	detailDelivered     = "The message was successfully delivered." // INFER
	detailRemoteFailure = "Remote Server returned '%s'"             // INFER: classic Exchange NDR wording
)

// Non-delivery report (INFER layout around S30's diagnostic line; the
// Auto-Submitted field is RFC 3834's).
const (
	ndrSender        = "postmaster@%s" // INFER: the tenant's initial domain
	ndrAutoSubmitted = "Auto-Submitted: auto-replied"
	ndrSubject       = "Undeliverable: %s"
	ndrBody          = "Delivery has failed to these recipients or groups:\r\n\r\n%s\r\n\r\n" +
		"Diagnostic information for administrators:\r\n\r\nGenerating server: %s\r\n\r\n%s\r\n%s\r\n\r\n" +
		"Original message headers:\r\n\r\n%s"
)

// Protocol log '*' records (§10; the certificate records are smtpd's
// one-record form, real-artifacts §1.7-§1.8): `attempting to connect` (OBS),
// S11/S12/S43's TLS failure line with EXO's token (INFER beyond the
// documented errors). EXO's own protocol log has no public counterpart
// (real-artifacts §6.20): it is written as on-premises 15.x writes its own.
const (
	logAttemptingConnect = "attempting to connect"
	logTLSFailed         = "TLS negotiation failed with error %s"
)

// submitBody is the body of the messages Submit sends: S4's test message.
const submitBody = "This is a test message.\r\n"

// Validate-OutboundConnector's result for a connector that delivered the test
// (INFER: the EAC shows a succeeded step).
const validateSucceeded = "Succeeded"
