package scenarios

// Labels of the catalogue, for `ginkgo --label-filter` and `hybridsim list`.
// Every entry carries its direction (exo-to-onprem, onprem-to-exo, internal,
// config), the KB articles it reproduces and the area it touches.
const (
	// KB articles (the spec's sources).
	KB2989382 = "kb2989382" // can't receive mail after installing a new certificate (S9)
	KB2888788 = "kb2888788" // event 2004, UntrustedRoot to Exchange Online (S10)
	KB4495258 = "kb4495258" // TLS negotiation failed with error NoCredentials (S11)
	KB4051498 = "kb4051498" // outbound mail not sent: UnknownCredentials (S12)
	KB3156771 = "kb3156771" // 2016 certificate change, legacy TlsDomainCapabilities (S13)
	KB3212877 = "kb3212877" // 550 5.7.64 TenantAttribution, chain not sent (S22)
	KB3169958 = "kb3169958" // ATTR36: certificate-based connector (S23)

	// Areas.
	AreaReceiveConnector = "receive-connector" // on-prem receive connector and inbound STARTTLS (§1)
	AreaSendConnector    = "send-connector"    // on-prem send connector and outbound TLS (§2)
	AreaCertificate      = "certificate"       // the certificate itself: chain, key, validity, services
	AreaAttribution      = "attribution"       // EXO tenant attribution and relay (§7)
	AreaInternalTLS      = "internal-tls"      // anonymous TLS and the internal transport certificate (§3)
	AreaEdge             = "edge"              // Edge Subscription and direct trust (§4)
	AreaExpiry           = "expiry"            // retries running out and NDRs (§9)
	AreaNetwork          = "network"           // connections that never reach SMTP (F10)
	AreaValidation       = "validation"        // cmdlets refusing a configuration
	AreaRootChange       = "root-change"       // Exchange Online's certificates moving to another root (G2-2026)
)
