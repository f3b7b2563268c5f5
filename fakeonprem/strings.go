package fakeonprem

import "github.com/hybridsim/hybridsim/internal/smtpd"

// Every string Exchange shows that this package writes, once, with its source id (docs/sources.md). DOC: a Microsoft document; DOC-3P: a third party quoting
// Exchange; OBS: a real log or capture; INFER: no source gives it, the text is chosen here to
// read like Exchange (docs/rules.md lists every INFER choice).

// Application event log: sources (C3), task categories and levels.
const (
	sourceFrontEnd  = "MSExchangeFrontEndTransport" // C3: Frontend receive connectors (S9 capture)
	sourceTransport = "MSExchangeTransport"         // C3, S6: Hub and Edge transport; S10 (2004)

	categoryTransportService = "TransportService" // §1 (12014, S8 capture); S6 events
	categorySmtpSend         = "SmtpSend"         // S10 (2004)

	levelError       = "Error"       // §1 (12014, C3); S6 (12012, 12013)
	levelWarning     = "Warning"     // INFER: 12016 and 12018 (S6 gives no level)
	levelInformation = "Information" // S6 (12015, 12019); S10 (2004)
)

// Event texts. %-verbs stand for the event's insertion strings.
const (
	// event12014 is S8's full text [DOC-3P] (Exchange 2010, "Default internal receive
	// connector MAILGATE"): name, connector name, connector FQDN. KB 2989382 (S9, DOC) gives
	// the first sentence with a TlsCertificateName "<I>...<S>..." as the name and truncates
	// after "local computer."; the rest of the sentence for that case is S8's (INFER).
	event12014 = "Microsoft Exchange could not find a certificate that contains the domain name %s in the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the connector %s with a FQDN parameter of %s. If the connector's FQDN is not specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has access to the certificate key."
	// event12016 is STARTTLSCertificateExpired (S6, DOC): %1 the FQDN.
	event12016 = "There is no valid SMTP Transport Layer Security (TLS) certificate for the FQDN of %[1]s. The existing certificate for that FQDN has expired. The continued use of that FQDN will cause mail flow problems. A new certificate that contains the FQDN of %[1]s should be installed on this server as soon as possible. You can create a new certificate by using the New-ExchangeCertificate task."
	// event12018 is STARTTLSCertificateExpiresSoon (S6, DOC): subject, thumbprint, hours.
	event12018 = "The STARTTLS certificate will expire soon: subject: %s, thumbprint: %s, hours remaining: %d. Run the New-ExchangeCertificate cmdlet to create a new certificate."
	// event12012 is InternalTransportCertificateMissingInAD (S6, DOC).
	event12012 = "The internal transport certificate that is used for SMTP authentication by Microsoft Exchange could not be read from Active Directory. The certificate may be missing. If an existing certificate that matches the fully qualified domain name (FQDN) of the server is already installed, run the Enable-ExchangeCertificate cmdlet to publish this certificate to Active Directory. If a certificate for the FQDN of the server is not installed, create a certificate by running the New-ExchangeCertificate cmdlet for the FQDN of the server."
	// event12013 is CannotLoadInternalTransportCertificateFromStore (S6, DOC): %1 the thumbprint.
	event12013 = "Microsoft Exchange could not load the certificate with thumbprint of %[1]s from the personal store on the local computer. This certificate was configured for authentication with other Exchange servers. Mail flow to other Exchange servers could be affected by this error. If the certificate with this thumbprint still exists in the personal store, run Enable-ExchangeCertificate %[1]s -Services SMTP to resolve the issue. If the certificate does not exist in the personal store, restore it from backup by using the Import-ExchangeCertificate cmdlet, or create a new certificate for the FQDN or the server enabled for SMTP by running the following command: New-ExchangeCertificate -DomainName serverfqdn -Services SMTP."
	// event12015 is InternalTransportCertificateExpired (S6, DOC), spacing as given.
	event12015 = "An internal transport certificate expired. Thumbprint:%s"
	// event12019 is RemoteInternalTransportCertificateExpired (S6, DOC).
	event12019 = "The remote internal transport certificate expired. Certificate subject: %s."
	// event2004 is KB 2888788's (S10, DOC): connector name, Message-ID, the SMTP response.
	event2004 = "Send connector %s: Message delivery was not successful. The message with message ID %s was acknowledged with SMTP response %s."
)

// Send side: queue LastError LED texts, send protocol log lines.
const (
	// ledCertificateNotFound: F11, S14 and S15 (DOC), conflict C5's default wording.
	ledCertificateNotFound = "454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found."
	// ledCertificateNotFoundS13: F11, KB 3156771's lower-case wording (S13, DOC; C5 option).
	ledCertificateNotFoundS13 = "454 4.7.5 The certificate specified in the tlscertificatename of the send connector could not be found."
	// ledPrimaryTarget wraps a reply of the next hop, or of this side standing for it (S12,
	// DOC; F20, DOC-3P, whose curly quotes are the blog's typography). %s is the reply without
	// its final period.
	ledPrimaryTarget = `451 4.4.0 Primary target IP address responded with: "%s." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.`
	// ledCertificateValidation: F19 (DOC-3P, Microsoft Q&A) with reason "untrustedroot"; the
	// other reasons (see chainReason) are INFER.
	ledCertificateValidation = "454 4.7.5 Certificate validation failure, reason:%s"
	// ledDNSFailure: INFER (Exchange's SMTPSEND.DNS status wording, not in the spec).
	ledDNSFailure = "451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain"

	// replyConnectionTimedOut is what S11 and S12 (DOC) show inside ledPrimaryTarget when the
	// TLS credentials fail (F12, F13); also used for a connection that times out (INFER).
	replyConnectionTimedOut = "421 4.4.1 Connection timed out"
	// replyUnableToConnect: INFER (a refused connection; Exchange's common wording).
	replyUnableToConnect = "421 4.2.1 Unable to connect"
	// replyConnectionDropped: S43 (DOC), a TLS negotiation that fails on the socket (F21).
	replyConnectionDropped = "421 4.4.2 Connection dropped due to SocketError"
	// replyStartTLSRequired: C11 (INFER that the on-premises sender says it when RequireTLS
	// finds no STARTTLS); the text is S9's and S14's (DOC).
	replyStartTLSRequired = "451 5.7.3 STARTTLS is required to send mail"

	tlsNoCredentials      = "TLS negotiation failed with error NoCredentials"      // S11 (DOC)
	tlsUnknownCredentials = "TLS negotiation failed with error UnknownCredentials" // S12 (DOC)
	tlsSocketError        = "TLS negotiation failed with error SocketError"        // S43 (DOC)
	// tlsUntrustedRoot: INFER (G2-2026 gives only Exchange Online's side): the status word
	// after S11-S43's "TLS negotiation failed with error" form, for a client certificate whose
	// root the server does not trust.
	tlsUntrustedRoot = "TLS negotiation failed with error UntrustedRoot"

	logAttemptingToConnect = "attempting to connect" // §10 (OBS)
	// logFailedToConnect: INFER (Winsock's code for the failure; the real line adds more).
	logFailedToConnect = "Failed to connect. Winsock error code: %d, Win32 error code: %d."
)

// codeAccepted is the code of the reply that takes a message (RFC 5321); go-smtp's client
// returns the rest of that reply.
const codeAccepted = 250

// The reasons ledCertificateValidation names, from the chain's status and the name check.
const (
	reasonUntrustedRoot     = "untrustedroot"     // F19 (DOC-3P)
	reasonRevoked           = "revoked"           // INFER
	reasonExpired           = "expired"           // INFER
	reasonRevocationOffline = "revocationoffline" // INFER
	reasonNameMismatch      = "namemismatch"      // INFER
)

// logReceivedCertificate precedes the peer certificate's thumbprint record
// (INFER; the certificate block sent is smtpd's LogCertificate, §10).
const logReceivedCertificate = "Received certificate"

// Queue and message tracking texts.
const (
	// replyQueueExpired: S30 (DOC), and the recipient-status example of S32.
	replyQueueExpired = "550 4.4.7 QUEUE.Expired; message expired"
	// replyRecipientNotFound: INFER (the categorizer's NDR for an unknown recipient of an
	// accepted domain; not in the spec).
	replyRecipientNotFound = "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"

	// lastErrorFormat is Get-Queue's LastError (§9 OBS, with {MSG=} as in F19): LRT, LED,
	// FQDN, IP.
	lastErrorFormat = "[{LRT=%s};{LED=%s};{MSG=};{FQDN=%s};{IP=%s}]"
	// failStatusFormat is a FAIL entry's recipient-status (S14, F18): LED, FQDN, IP, LRT.
	failStatusFormat = "{[{LED=%s};{MSG=};{FQDN=%s};{IP=%s};{LRT=%s}]}"
	// lrtLayout is the {LRT=...} date (S14: `1/29/2025 7:07:29 PM`).
	lrtLayout = "1/2/2006 3:04:05 PM"
)

// Receive side replies a receive connector's policy gives (the engine's own are in smtpd).
var (
	// replyCertificateValidationFailure: F07 (DOC-3P, thecloudtechnologist 2018), at MAIL when
	// a client claims a TlsDomainCapabilities domain with a certificate this server cannot
	// validate.
	replyCertificateValidationFailure = smtpd.Reply{Code: 454, Enhanced: "4.7.5", Text: "Certificate Validation Failure"}
	// replyUnableToRelay: S13 (DOC, `550 5.7.1 Unable to relay`, markdown emphasis removed).
	replyUnableToRelay = smtpd.Reply{Code: 550, Enhanced: "5.7.1", Text: "Unable to relay"}
	// replyDirectTrustFailed: INFER (F27: no source gives Edge's answer when direct trust
	// fails; temporary, so the sender keeps the message until New-EdgeSubscription is run).
	replyDirectTrustFailed = smtpd.Reply{Code: 451, Enhanced: "4.7.1", Text: "Unable to relay; direct trust authentication failed"}
)

// Test-Certificate's output around pki.ChainStatus (S14, OBS; "WARNING: Chain status: " keeps
// the sample's trailing space).
const (
	testCertificateWarning = "WARNING: Chain status: "
	testCertificatePrefix  = "Test-Certificate : "
)

// Headers (§7).
const (
	headerOrganization  = "X-MS-Exchange-Organization-"  // S27, S36
	headerCrossPremises = "X-MS-Exchange-CrossPremises-" // S16 CloudServicesMailEnabled
	headerAuthAs        = "X-MS-Exchange-Organization-AuthAs"
	authAsInternal      = "Internal"  // §7 (Advanced Office 365 Routing note)
	authAsAnonymous     = "Anonymous" // §7
	// receivedFormat: INFER (Exchange's Received header, shortened): HELO name, client IP,
	// server FQDN, server IP, "via Frontend Transport" or "", date.
	receivedFormat = "from %s (%s) by %s (%s) with Microsoft SMTP Server id " + ExchangeBuild + "%s; %s"
	receivedVia    = " via Frontend Transport"
)

// Hybrid values (seed 000, S13, S14, S16, S40).
const (
	// CapabilityAcceptCloudServicesMail is the HCW's TlsDomainCapabilities value (S13, S14).
	capabilityCloudServicesMail = "mail.protection.outlook.com:AcceptCloudServicesMail"
	exoTlsDomain                = "mail.protection.outlook.com" // S14 TlsDomain
	hybridSendConnectorPrefix   = "Outbound to Office 365 - "   // S40's exact cmdlet (DOC-3P)
)

// Non-delivery reports (INFER: the layout of Exchange's NDR, shortened; the diagnostic line
// `#550 4.4.7 QUEUE.Expired; message expired ##` is S30's).
const (
	ndrFrom          = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s"
	ndrSubjectPrefix = "Undeliverable: "
	ndrIntro         = "Delivery has failed to these recipients or groups:"
	ndrDiagnostic    = "Diagnostic information for administrators:"
	ndrGenerating    = "Generating server: %s"
	ndrRemote        = "Remote Server returned '%s'"
	ndrLocal         = "#%s ##"
)

// Site and EdgeSync (S20, DOC; the site name is AD's default, INFER).
const (
	siteName              = "Default-First-Site-Name"
	edgeSyncInboundName   = "EdgeSync - Inbound to %s"
	edgeSyncInternetName  = "EdgeSync - %s to Internet"
	edgeSyncAllDomains    = "--" // S20: all authoritative and internal relay domains / Mailbox servers
	edgeSyncInboundSpace  = "SMTP:--;1"
	edgeSyncInternetSpace = "SMTP:*;100"
)

// Cmdlet validation errors. F28's text is DOC (S16 rule, Exchange 2007 text); the others
// say what is wrong in the cmdlets' own terms (INFER: Exchange's texts are not in the spec).
const (
	errRequireTLSWithoutTls = "The Receive connector requires TLS before the MailFrom command can be run. However, the connector is not configured to accept TLS. Check the authentication setting of this connector."
	errAuthNoneAlone        = "None cannot be combined with other values"
	errBasicRequireTLS      = "BasicAuthRequireTLS requires BasicAuth and Tls"
	errExternalAuth         = "only Tls may accompany ExternalAuthoritative"
	errExternalAuthGroups   = "ExternalAuthoritative requires PermissionGroups ExchangeServers"
	errTlsAuthLevel         = "TlsAuthLevel cannot be set when IgnoreSTARTTLS is $true or RequireTLS is $false"
	errTlsDomainRequired    = "TlsDomain is required when TlsAuthLevel is DomainValidation and DNSRoutingEnabled is $false"
	errSmartHostsWithDNS    = "DNSRoutingEnabled must be $false when SmartHosts is set"
	errSmartHostsRequired   = "SmartHosts is required when DNSRoutingEnabled is $false"
	errIgnoreWithRequire    = "IgnoreSTARTTLS must be $false when RequireTLS is $true"
)
