package scenarios

// The strings the failure catalogue expects, as the spec quotes them
// (docs/catalogue.md and docs/rules.md, §1-§11), each
// with its source id. They are the catalogue's oracle: the fakes produce
// their own, and a fake that drifts from the spec fails here. Placeholders
// (%s) are filled from the run: names, addresses, thumbprints, times.

// Application log events (Event ID and text).
const (
	// event12014 is S8's full text (DOC-3P) with KB 2989382's form of the
	// domain name when TlsCertificateName is set (S9); the KB truncates
	// the text after "local computer.", so the rest is S8's (INFER for
	// the TlsCertificateName path).
	event12014 = "Event 12014: Microsoft Exchange could not find a certificate that contains the domain name %s in the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the connector %s with a FQDN parameter of %s. If the connector's FQDN is not specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has access to the certificate key."
	// event12016 is S6's STARTTLSCertificateExpired.
	event12016 = "Event 12016: There is no valid SMTP Transport Layer Security (TLS) certificate for the FQDN of %s. The existing certificate for that FQDN has expired. The continued use of that FQDN will cause mail flow problems. A new certificate that contains the FQDN of %s should be installed on this server as soon as possible. You can create a new certificate by using the New-ExchangeCertificate task."
	// event12018 is S6's STARTTLSCertificateExpiresSoon.
	event12018 = "Event 12018: The STARTTLS certificate will expire soon: subject: %s, thumbprint: %s, hours remaining: %d. Run the New-ExchangeCertificate cmdlet to create a new certificate."
	// event12012 is S6's InternalTransportCertificateMissingInAD.
	event12012 = "Event 12012: The internal transport certificate that is used for SMTP authentication by Microsoft Exchange could not be read from Active Directory. The certificate may be missing. If an existing certificate that matches the fully qualified domain name (FQDN) of the server is already installed, run the Enable-ExchangeCertificate cmdlet to publish this certificate to Active Directory. If a certificate for the FQDN of the server is not installed, create a certificate by running the New-ExchangeCertificate cmdlet for the FQDN of the server."
	// event12013 is S6's CannotLoadInternalTransportCertificateFromStore.
	event12013 = "Event 12013: Microsoft Exchange could not load the certificate with thumbprint of %s from the personal store on the local computer. This certificate was configured for authentication with other Exchange servers. Mail flow to other Exchange servers could be affected by this error. If the certificate with this thumbprint still exists in the personal store, run Enable-ExchangeCertificate %s -Services SMTP to resolve the issue. If the certificate does not exist in the personal store, restore it from backup by using the Import-ExchangeCertificate cmdlet, or create a new certificate for the FQDN or the server enabled for SMTP by running the following command: New-ExchangeCertificate -DomainName serverfqdn -Services SMTP."
	// event12015 is S6's InternalTransportCertificateExpired.
	event12015 = "Event 12015: An internal transport certificate expired. Thumbprint:%s"
	// event12019 is S6's RemoteInternalTransportCertificateExpired.
	event12019 = "Event 12019: The remote internal transport certificate expired. Certificate subject: %s."
	// event2004 is KB 2888788's event (S10), with the connector's name.
	event2004 = "Event 2004: Send connector %s: Message delivery was not successful. The message with message ID %s was acknowledged with SMTP response 454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied."
)

// EXO message trace (§9). The Reason's layout is the spec's INFER from the
// S14, S29 and S40 samples.
const (
	reasonForm = "Reason: [{LED=%s};{MSG=%s};{FQDN=%s};{IP=%s};{LRT=%s}]. OutboundProxyTargetIP: %s. OutboundProxyTargetHostName: %s"
	// ledStartTLSRequired is S14's (F01, F04).
	ledStartTLSRequired = "450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]"
	startTLSRequired    = "451 5.7.3 STARTTLS is required to send mail"
	// ledSubjectMismatch is S14's (F02), whole: the source truncates it
	// after "[BN7.", the server id.
	ledSubjectMismatch = "450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: %s. Presented Subject: %s. Thumbprint: %s.]"
	// ledSubjectMismatch2017 is S40's older form (C6).
	ledSubjectMismatch2017 = "450 4.7.320 Certificate validation failed [Message=SubjectMismatch]"
	subjectMismatch        = "SubjectMismatch"
	// ledUntrustedRoot is S29's (F05).
	ledUntrustedRoot = "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]"
	untrustedRoot    = "UntrustedRoot"
	// ledCertificateExpired is S28's code and text (F06); the token
	// CertificateExpired is INFER: no source names it.
	ledCertificateExpired = "450 4.7.320 Certificate validation failed [Message=CertificateExpired]"
	certificateExpired    = "CertificateExpired"
	// ledRefused is S28's 4.4.316 (F10); its [Message=] detail is INFER.
	ledRefused = "450 4.4.316 Connection refused [Message=Socket error code 10061]"
	refused    = "Socket error code 10061"
	// lastAttempted is the samples' [LastAttemptedServerName=][LastAttemptedIP=:port].
	lastAttempted = " [LastAttemptedServerName=%s] [LastAttemptedIP=%s:25]"
	// smtpSecurity is S14's element in the SubjectMismatch sample.
	smtpSecurity = " [SmtpSecurity=-1;-1]"
	// serverID is the bracketed EXO server of the samples.
	serverID = " [%s]"
	// lrtForm is the samples' {LRT=1/29/2025 7:07:29 PM}.
	lrtForm = "1/2/2006 3:04:05 PM"
	// expired is S30's NDR diagnostic (F09).
	expired = "#550 4.4.7 QUEUE.Expired; message expired ##"
	// expiredObserved is C10's observed wording (OBS).
	expiredObserved = "550 5.4.317 Message expired, cannot connect to remote server(%s)"
)

// On-premises queue LastError and message tracking (§2, §9).
const (
	// lastErrorForm is the queue's LastError (OBS §9, {MSG=} as in F19's sample).
	lastErrorForm = "[{LRT=%s};{LED=%s};{MSG=%s};{FQDN=%s};{IP=%s}]"
	// notFound454 is S14's and S15's (F11); notFound454Legacy S13's (C5).
	notFound454       = "454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found."
	notFound454Legacy = "454 4.7.5 The certificate specified in the tlscertificatename of the send connector could not be found."
	// primaryTarget is S12's queue error, around the remote's reply (F12,
	// F13, F20); S11 prints only its tail.
	primaryTarget = "451 4.4.0 Primary target IP address responded with: \"%s.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts."
	// connectionTimedOut is S11's and S12's remote reply.
	connectionTimedOut = "421 4.4.1 Connection timed out"
	// mustStartTLS is the reply S40 quotes in F20's queue error.
	mustStartTLS = "451 5.7.3 Must issue a STARTTLS command first"
	// sentThumbprint is the send log's certificate thumbprint record (S12, OBS).
	sentThumbprint = "*,%s,Certificate thumbprint"
	// noCredentials and unknownCredentials are S11's and S12's send log lines.
	noCredentials      = "TLS negotiation failed with error NoCredentials"
	unknownCredentials = "TLS negotiation failed with error UnknownCredentials"
	// untrustedRoot454 is KB 2888788's reply (S10, F14).
	untrustedRoot454 = "454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"
	// validationFailure is the Microsoft Q&A queue error (F19, DOC-3P).
	validationFailure = "454 4.7.5 Certificate validation failure, reason:untrustedroot"
	// trackingFailForm is S14's message tracking recipient-status (F18).
	trackingFailForm = "{[{LED=%s};{MSG=};{FQDN=%s};{IP=%s};{LRT=%s}]}"
)

// Exchange Online front-door replies (§7).
const (
	relayDenied       = "550 5.7.64 TenantAttribution; Relay Access Denied SMTP."                                                                                                                                                                            // S21 (S22 prints it without the period)
	attr36            = "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958."                                                                                                                                                // S23
	partnerRestricted = "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [%s %s %s]" // S14
	directSend        = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"                                                                                                                       // DOC-3P
)

// Certificates and cmdlets.
const (
	// testCertificateRevoked is S14's Test-Certificate line (F04).
	testCertificateRevoked = "Test-Certificate : The certificate is revoked. 0x80092010 (-2146885616 CRYPT_E_REVOKED)"
	// requireTLSWithoutTls is the Exchange 2007 MOM rule text for F28 (S16's rule).
	requireTLSWithoutTls = "The Receive connector requires TLS before the MailFrom command can be run. However, the connector is not configured to accept TLS. Check the authentication setting of this connector."
)

// ehloNoAnonymousTLS is S4's EHLO keyword list without X-ANONYMOUSTLS, as
// a receive log writes it (F23, F24; INFER: no source shows this line).
const ehloNoAnonymousTLS = "250 %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST"

// edgeRefusal is the Edge's reply when direct trust fails (F27). INFER: no
// source gives an error for a broken Edge Subscription.
const edgeRefusal = "451 4.7.1 Unable to relay; direct trust authentication failed"

// ehloWithout is S14's receive-log line of an EHLO reply without
// STARTTLS (F01, F04), the keyword list its sample shows.
const ehloWithout = "250 %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST"

// Replies of the hybrid server to Exchange Online (F07, F08).
const (
	// certificateValidationFailure is the reply thecloudtechnologist.com
	// reports (S40, DOC-3P) when on-premises cannot validate EXO's certificate.
	certificateValidationFailure = "454 4.7.5 Certificate Validation Failure"
	// unableToRelay is S13's NDR detail with centralized transport.
	unableToRelay = "550 5.7.1 Unable to relay"
	// ledRemoteRefused is EXO's LED for a remote's temporary refusal
	// (INFER: §9 gives the form only for connection failures).
	ledRemoteRefused = "450 4.4.317 Cannot connect to remote server [Message=%s]"
)

// validateDisabled is S42's Validate-OutboundConnector result for a
// connector saved disabled (F29).
const validateDisabled = "The domain of the recipient is not configured as part of connector."
