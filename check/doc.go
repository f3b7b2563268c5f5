// Package check makes Exchange Health Checker's hybrid-transport checks on a
// lab, and proves each one by what it does to mail.
//
// Health Checker (Microsoft's CSS-Exchange scripts) reads a server's
// configuration and colours it. The checks here follow its public pages
// (microsoft/CSS-Exchange, docs/Diagnostics/HealthChecker/):
//
//   - CloudConnectorCheck (HC-Cloud): TlsCertificateName set, well formed
//     (<I>X.500Issuer<S>X.500Subject), found on the server, expiring within
//     60 days, equal to the hybrid configuration's; RequireTLS.
//   - ExoConnectorCheck (HC-EXO): send connectors to Exchange Online need
//     TlsCertificateName and CloudServicesMailEnabled (red), TlsAuthLevel
//     CertificateValidation or DomainValidation and TlsDomain
//     mail.protection.outlook.com under DomainValidation (yellow).
//   - CertificateCheck (HC-Cert): lifetime green at 60 days or more, yellow
//     30 to 59, red under 30; key size under 2048 bits red; weak signature
//     hash yellow.
//   - InternalTransportCertificateCheck (HC-ITC): the internal transport
//     certificate is in the store.
//   - TLSConfigurationCheck (HC-TLS): TLS 1.0, 1.1, 1.2 Enabled, Disabled,
//     Half Disabled or Misconfigured; SystemDefaultTlsVersions and
//     SchUseStrongCrypto.
//   - TrustedRootCertificatesCheck (HC-Roots): DisableRootAutoUpdate, and
//     DigiCert Global Root G2, which Exchange Online's certificates chain to
//     from 2026-03-15 (G2-2026).
//   - TransportRetryConfigCheck (HC-Retry): MaxPerDomainOutboundConnections
//     40 or more, MessageRetryInterval 5 minutes or less.
//
// Where a page gives no colour the choice is hybridsim's, marked INFER where
// it is made. Get-HybridConfiguration is not modelled: its TlsCertificateName
// is taken from the wizard's send connector, which the wizard writes with
// the same value.
//
// Two more checks need both sides, so Health Checker cannot make them
// (BothSidesCheck): an Exchange Online inbound connector's
// TlsSenderCertificateName against the certificate on-premises presents,
// and an outbound connector's TlsDomain against the certificate its smart
// host presents (read with EHLO and STARTTLS, as Exchange Online's delivery
// would, without sending a message).
//
// Every finding is read before any message is sent (Inspect). Then Run
// sends a message each way and gives every finding its consequence: the
// direction that fails, the string and where it shows, or "no consequence
// now". Findings that depend on time carry the instant they change (a
// certificate's NotAfter, a known date); Run moves fresh labs' clocks to
// each such instant in turn and reports the first at which mail that flows
// now fails, and how. The lab changes only at those instants, so stepping
// over them finds the first failure exactly.
//
// Run takes a sim.Config: a lab file's, the default lab's, or one made from
// customer evidence.
package check
