package pki

import "time"

// DigiCertGlobalRootG2 is the name of the root Exchange Online's certificates chain to from
// EXOG2Since (G2-2026: "Trust DigiCert Global Root G2 Certificate Authority to Avoid Exchange
// Online Email Disruption"; Health Checker's TrustedRootCertificatesCheck). The lab's root of
// that name is simulated, like every authority of the lab; Windows fetches the real one on
// demand unless DisableRootAutoUpdate is set.
const DigiCertGlobalRootG2 = "CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US"

// EXOG2Since is the instant Exchange Online begins presenting certificates that chain to
// DigiCertGlobalRootG2: 15 March 2026 (G2-2026, as updated on 4 February 2026; Health
// Checker's TrustedRootCertificatesCheck gives the same date).
var EXOG2Since = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)
