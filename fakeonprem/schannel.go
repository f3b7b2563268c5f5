package fakeonprem

// Schannel is a server's TLS protocol settings as the registry holds them, for F21 and
// Health Checker's TLSConfigurationCheck (HC-TLS):
//
//	HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\<TLS 1.x>\Client
//	HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\<TLS 1.x>\Server
//
// each with the DWORDs Enabled and DisabledByDefault, and .NET Framework's
// SystemDefaultTlsVersions and SchUseStrongCrypto under
// HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319. A nil value is a value the registry does
// not hold: Windows' default applies. The zero Schannel is a server nobody has hardened or
// broken.
type Schannel struct {
	TLS10, TLS11, TLS12, TLS13 SchannelProtocol
	SystemDefaultTlsVersions   *bool
	SchUseStrongCrypto         *bool
}

// SchannelProtocol is one protocol's Client and Server keys.
type SchannelProtocol struct {
	Client, Server SchannelSide
}

// SchannelSide is one key's values: Enabled (0 or 1) and DisabledByDefault (0 or 1).
type SchannelSide struct {
	Enabled           *bool
	DisabledByDefault *bool
}
