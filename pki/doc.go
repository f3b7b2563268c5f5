// Package pki is the lab's certificate world: simulated certification
// authorities, a catalogue of certificates an Exchange server may hold (one
// per documented way hybrid mail flow breaks on a certificate), and the
// Windows and Exchange views of them: Get-ExchangeCertificate's names,
// thumbprints, TlsCertificateName values, Test-Certificate's chain status,
// PEM and PFX files.
//
// New(Options{At: t}) makes a PKI whose validity periods are relative to t,
// the instant the lab's clock starts; its keys come from a pre-generated
// pool and its signatures are deterministic, so the same calls give
// byte-identical certificates. The authorities, the profiles and every
// choice where the sources are silent are described in docs/rules.md,
// "Certificates".
package pki
