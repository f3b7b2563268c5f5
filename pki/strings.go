package pki

// Test-Certificate's error lines (S39), each "Windows message, HRESULT in
// hex, then in signed decimal and its symbol", as S14 shows it for a revoked
// certificate. ChainStatus.Message picks one. The Test-Certificate
// formatting of every line but the revoked one is INFER (spec §6: "prints
// `Test-Certificate : <Windows message> 0x<hex> (<signed decimal> <SYMBOL>)`
// for other errors too"); the message texts' sources are beside each.
const (
	// TestCertificateRevoked is CRYPT_E_REVOKED: S14 [OBS], verbatim.
	TestCertificateRevoked = "The certificate is revoked. 0x80092010 (-2146885616 CRYPT_E_REVOKED)"
	// TestCertificateUntrustedRoot is CERT_E_UNTRUSTEDROOT; message and
	// code from S22 [DOC] (CAPI2 event 30, 800B0109).
	TestCertificateUntrustedRoot = "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. 0x800b0109 (-2146762487 CERT_E_UNTRUSTEDROOT)"
	// TestCertificateExpired is CERT_E_EXPIRED; message, code and
	// lower-case hex from the certutil output in S40 [OBS] (which puts two
	// spaces before the parenthesis). Windows uses it for "not yet valid" too.
	TestCertificateExpired = "A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file. 0x800b0101 (-2146762495 CERT_E_EXPIRED)"
	// TestCertificatePartialChain is CERT_E_CHAINING. INFER: Windows' text,
	// not in the spec.
	TestCertificatePartialChain = "A certificate chain could not be built to a trusted root authority. 0x800b010a (-2146762486 CERT_E_CHAINING)"
	// TestCertificateInvalidName is CERT_E_INVALID_NAME. INFER: Windows'
	// text, not in the spec.
	TestCertificateInvalidName = "The certificate has an invalid name. The name is not included in the permitted list or is explicitly excluded. 0x800b0114 (-2146762476 CERT_E_INVALID_NAME)"
	// TestCertificateRevocationOffline is CRYPT_E_REVOCATION_OFFLINE.
	// INFER: Windows' text, not in the spec.
	TestCertificateRevocationOffline = "The revocation function was unable to check revocation because the revocation server was offline. 0x80092013 (-2146885613 CRYPT_E_REVOCATION_OFFLINE)"
	// TestCertificateNoRevocationCheck is CRYPT_E_NO_REVOCATION_CHECK.
	// INFER: Windows' text, not in the spec.
	TestCertificateNoRevocationCheck = "The revocation function was unable to check revocation for the certificate. 0x80092012 (-2146885614 CRYPT_E_NO_REVOCATION_CHECK)"
)
