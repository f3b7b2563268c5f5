// Package pki is the lab's certificate world: simulated certification
// authorities, a catalogue of certificates an Exchange server may hold (one
// per documented way hybrid mail flow breaks on a certificate), and the
// Windows and Exchange views of them: names as Get-ExchangeCertificate
// prints them, thumbprints, TlsCertificateName values, Test-Certificate's
// chain status, PEM and PFX files.
//
// # Model
//
// New(Options{At: t}) creates a PKI whose every validity period is relative
// to t, the instant the lab's virtual clock starts (DefaultTime for
// `hybridsim certs`): "expired" means expired at t, on every run, on every
// machine. The PKI creates its authorities at once:
//
//   - PublicRootCA and its issuing CAs PublicIssuingCA, RenamedIssuingCA and
//     ExpiredIssuingCA: a commercial CA, trusted by EXO and on-prem;
//   - InternalRootCA: an Active Directory enterprise CA, trusted on-prem only
//     (KB 2888788, spec F14);
//   - MicrosoftRootCA and MicrosoftIssuingCA, which issue Exchange Online's
//     own certificate (EXOCertificate: EXOSubject, SANs
//     mail.protection.outlook.com, *.mail.protection.outlook.com and
//     *.outbound.protection.outlook.com; also EXO's client certificate);
//   - UntrustedRootCA: a root no store trusts.
//
// Issue makes one certificate from a Request (a Profile and, optionally,
// Exchange's own values: Subject, Issuer, CertificateDomains, validity);
// Catalogue makes one of every Profile for mail.contoso.com; WriteCatalogue
// writes them all, with CA bundles, CRLs and index.json, for openssl, curl,
// swaks or Windows. EXOTrust and OnPremTrust are the two sides' stores;
// CheckChain judges a chain as Windows would and returns CERT_TRUST_* flags
// (ChainStatus) and Test-Certificate's message; CRL and CheckRevocation give
// revocation.
//
// Spec sections implemented (../shared/spec/exchange-rules.md): §1 (the
// TlsCertificateName format and KB 2989382's names), §5 (certificate
// requirements, Exchange's default self-signed certificate, S29's "EXO does
// not fetch intermediates"), §6 "Certificate cmdlets" (Get-ExchangeCertificate
// fields, Export/Import-ExchangeCertificate, Test-Certificate's chain
// statuses and texts), and spec/go-libs.md §4 (go-pkcs12) and §5 (Go 1.26
// crypto).
//
// # Determinism
//
// Keys come from keypool.pem, 64 pre-generated RSA-2048 keys embedded in the
// package (Go 1.26 ignores seeded randomness in key generation); each PKI
// takes them in order and wraps around after the 64th, so in a PKI that
// makes more than 64 certificates keys repeat (a leaf may then share a key
// with a CA; no lab needs that many). Serial numbers count per PKI and are
// rendered as 16 bytes: the prefix 0x4853 ("HS") and 14 bytes of SHA-256 of
// the counter. Signatures are RSA PKCS#1 v1.5 with SHA-256, which is
// deterministic. The same Options and the same calls therefore give
// byte-identical certificates, thumbprints, CRLs and PFX files.
//
// Each key slot is parsed once per process. Every signature is remembered
// per process, keyed by the key slot and the SHA-256 of the complete signing
// input (deterministic inputs give deterministic signatures, so this is
// invisible); a lab that starts many times in one process signs each
// distinct certificate once. The memo grows with the number of distinct
// certificates a process makes.
//
// # Choices where the spec is silent
//
// Names. Get-ExchangeCertificate's Subject and Issuer are Windows'
// CertNameToStr with CERT_X500_NAME_STR and CERT_NAME_STR_REVERSE_FLAG: RDNs
// most specific first, ", " between them, " + " inside a multi-valued RDN,
// short names CN OU O L S C E DC STREET SERIALNUMBER T G I SN PostalCode and
// OID.1.2.3 otherwise; a value is double-quoted, inner quotes doubled, when it
// is empty, has leading or trailing white space, or contains , + = " < > # ;
// or a control character. A value that is not a string renders as #hex
// (RFC 4514's form; what Windows prints there is not in the sources).
// ParseName reads that form (and ST= for S=) and certificates are encoded
// from the parsed RDNs, so a subject renders back byte for byte. Values are
// encoded as PrintableString (C, SERIALNUMBER), IA5String (E, DC) or
// UTF8String; a multi-valued RDN is kept in DER SET OF order.
//
// TlsCertificateName. The tags are matched in either case, a tag inside a
// double-quoted value belongs to the value, and both names are required.
// Matches compares the rendered issuer and subject ignoring case (spec §1
// marks the rule INFER). Exchange's own error text for a malformed
// SmtpX509Identifier is not in the sources: searches of the docs, issues,
// code and pages corpora ("SmtpX509Identifier", "TlsCertificateName invalid",
// "Cannot process argument transformation on parameter 'TlsCertificateName'")
// found the class's reference pages (Parse, TryParse, IssuerPrefix,
// SubjectPrefix) without error texts, and decompiled Exchange assemblies that
// name the resource (InvalidSmtpX509Identifier, thrown as a
// StrongTypeFormatException) but not its text; the spec does not use
// decompiled code as a source, and neither does hybridsim. The error says
// what is wrong and shows a valid value.
//
// Get-ExchangeCertificate view. CertificateDomains lists the DNS names of
// the subject alternative name extension (spec §6: "SAN list").
// SerialNumber is the DER integer's bytes in upper-case hex. NotBefore and
// NotAfter are in UTC (Windows shows local time; the lab has none).
//
// Profiles and their defaults (CA-issued leaves carry serverAuth and
// clientAuth, digitalSignature and keyEncipherment, a CRL distribution point
// http://crl.hybridsim.test/<ca>.crl that nothing fetches, and key
// identifiers; validity days count back from midnight UTC of At, and a
// commercial certificate lasts 365 days less a second):
//
//   - trusted: PublicIssuingCA, subject KB 2989382's "CN=mail.contoso.com,
//     OU=IT, O=contoso, L=location, S=location, C=US", SANs mail.contoso.com
//     and autodiscover.contoso.com, issued 180 days before At;
//   - wildcard: CN=*.contoso.com, SANs *.contoso.com and contoso.com;
//   - internal-ca: issued directly by InternalRootCA (a one-tier AD CS), two
//     years from 60 days before At;
//   - untrusted-root: issued directly by UntrustedRootCA, which the server
//     does not send. Windows then cannot find the root and reports
//     CERT_TRUST_IS_PARTIAL_CHAIN (CERT_E_CHAINING), openssl "unable to get
//     local issuer certificate", and EXO UntrustedRoot (S29 uses that word
//     for a missing intermediate too). CheckChain reports
//     CERT_TRUST_IS_UNTRUSTED_ROOT when the verifier holds the root;
//   - self-signed: CN=EX01, SANs EX01 and ex01.contoso.com, NotBefore exactly
//     one year before At (the install time), NotAfter five years later (S18),
//     PrivateKeyExportable False, no CRL distribution point;
//   - expired: issued 400 days before At (expired 35 days before At);
//   - not-yet-valid: valid from 30 days after At;
//   - wrong-host: CN=mail.fabrikam.com, SAN mail.fabrikam.com;
//   - no-cn: the trusted subject without CN, names only in the SAN;
//   - revoked: listed in PublicIssuingCA's CRL as revoked 7 days before At,
//     reason keyCompromise;
//   - leaf-only: PresentChain false;
//   - expired-intermediate: issued by ExpiredIssuingCA (expired 30 days
//     before At) while it was valid;
//   - renewed-same-name: trusted's issuer and subject, issued 10 days before
//     At (newest NotBefore and NotAfter, so it wins either tie-break of
//     conflict C2);
//   - renewed-new-issuer: as renewed-same-name but from RenamedIssuingCA;
//   - no-private-key: trusted's names, without a key.
//
// Keys of CA-issued certificates are exportable, as S14 advises importing
// them (-PrivateKeyExportable $true); Exchange's self-signed certificate's and
// EXO's are not; ImportPFX returns Exportable false, Import-ExchangeCertificate's
// default. PFX refuses a missing or non-exportable key; PEM does not, since
// it is the lab's own copy of the key. PFX files use TripleDES_SHA1
// (pkcs12.LegacyDES: every Windows and OpenSSL 3 without -legacy open it) or
// AES256_SHA256 on request, hold the chain and the root, have no friendly
// name, and take their salts from a ChaCha8 generator seeded with the SHA-256
// of the leaf, so they are byte-stable.
//
// Verification. VerifiesForEXO and VerifiesForOnPrem judge the chain as the
// server presents it (trust, validity at At, revocation), not the host name:
// wrong-host verifies, and fails only a name check such as DomainValidation
// (x509.Certificate.VerifyHostname, openssl x509 -checkhost). EXO's store
// holds the commercial and Microsoft roots and no intermediate (S29);
// on-prem's holds the enterprise root too, and every issuing CA, as a server
// does once its certificates' chains are installed (S14).
//
// Authorities and name constraints. Every root carries a critical name
// constraints extension permitting only Options.Domains (the Microsoft root:
// only those under outlook.com and onmicrosoft.com), and Issue refuses a DNS
// name outside Options.Domains (single-label names, such as a NetBIOS name,
// are allowed), so a root trusted by mistake vouches for nothing real. An
// Issuer named in a Request that is not an authority yet is created once per
// PKI as an issuing CA under the root of the profile's own authority, valid
// from two years before At for eight years.
//
// Revocation. Each authority publishes one CRL (PKI.CRL): thisUpdate At,
// nextUpdate seven days later, CRL number counting the CRLs it has published.
// CheckRevocation answers from the same lists at any instant (the lab's CA
// keeps publishing; it ignores nextUpdate). An unreachable CRL server is a
// RevocationChecker that returns an error.
//
// Chain status. CheckChain finds issuers by name and signature among the
// trusted roots, the presented certificates and the store's intermediates,
// preferring a trusted root, then one valid at the clock. It stops at a
// trusted certificate, at a self-signed one (CERT_TRUST_IS_UNTRUSTED_ROOT
// unless trusted) or where no issuer is found (CERT_TRUST_IS_PARTIAL_CHAIN).
// It ORs the flags of every element: CERT_TRUST_IS_NOT_TIME_VALID,
// CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT (a CA's permitted DNS subtrees
// against the leaf's DNS names), and, with a RevocationChecker,
// CERT_TRUST_IS_REVOKED or CERT_TRUST_REVOCATION_STATUS_UNKNOWN with
// CERT_TRUST_IS_OFFLINE_REVOCATION for every element but the root (a partial
// chain's last element has no issuer to ask: status unknown only). The
// values of CERT_TRUST_HAS_NOT_PERMITTED_NAME_CONSTRAINT,
// CERT_TRUST_IS_PARTIAL_CHAIN and CERT_TRUST_IS_OFFLINE_REVOCATION are
// wincrypt.h's, not the spec's. ChainStatus.Message picks Test-Certificate's
// line by a fixed priority (see Message); the texts and their sources are in
// strings.go.
package pki
