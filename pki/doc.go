// Package pki is the lab's certificate world: simulated certification
// authorities, a catalogue of certificates an Exchange server may hold (one
// per documented way hybrid mail flow breaks on a certificate), and the
// Windows and Exchange views of them: names as Get-ExchangeCertificate
// prints them, thumbprints, TlsCertificateName values, Test-Certificate's
// chain status, PEM and PFX files.
//
// New(Options{At: t}) creates a PKI whose every validity period is relative
// to t, the instant the lab's clock starts: "expired" means expired at t, on
// every run, on every machine. Issue makes one certificate from a Request;
// Catalogue makes one of every Profile; WriteCatalogue writes them all, with
// CA bundles, CRLs and index.json. EXOTrust and OnPremTrust are the two
// sides' stores; CheckChain judges a chain as Windows would.
//
// Keys come from a pool of pre-generated RSA-2048 keys and signatures are
// deterministic, so the same calls give byte-identical certificates.
//
// The authorities, the profiles, determinism and every choice where the
// sources are silent are described in docs/rules.md, "Certificates".
package pki
