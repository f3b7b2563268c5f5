package fakeonprem

import (
	"crypto/tls"
	"fmt"
)

// What Schannel offers: the server's Windows version and its Schannel registry values
// decide the TLS versions and cipher suites of its receive connectors (server side) and send
// connectors (client side), as real-artifacts §3.6 describes (HC-TLS for the registry
// values; Win-ciphers for the order).

// schannelOn reports whether a protocol side is on: Windows' default (defaultOn) unless the
// registry says otherwise. Enabled=0 or DisabledByDefault=1 turns it off, as Health Checker
// reads them (HC-TLS: either disables the protocol for Exchange).
func schannelOn(side SchannelSide, defaultOn bool) bool {
	on := defaultOn
	if side.Enabled != nil {
		on = *side.Enabled
	}
	if side.DisabledByDefault != nil && *side.DisabledByDefault {
		on = false
	}
	return on
}

// tlsVersions is the range of versions one side of a server offers: min > max when none is
// on (every handshake then fails). Go takes a range, so the versions on are the contiguous
// run ending at the highest one on.
func (s *server) tlsVersions(client bool) (min, max uint16) {
	sc := s.schannel
	side := func(p SchannelProtocol) SchannelSide {
		if client {
			return p.Client
		}
		return p.Server
	}
	on := []bool{
		schannelOn(side(sc.TLS10), true),
		schannelOn(side(sc.TLS11), true),
		schannelOn(side(sc.TLS12), true),
		// TLS 1.3: only a Windows that has it, under a build that uses it (build.go).
		s.windows.tls13() && s.build.tls13() && schannelOn(side(sc.TLS13), true),
	}
	versions := []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13}
	top := -1
	for i := len(on) - 1; i >= 0; i-- {
		if on[i] {
			top = i
			break
		}
	}
	if top < 0 {
		return tls.VersionTLS13, tls.VersionTLS12
	}
	bottom := top
	for bottom > 0 && on[bottom-1] {
		bottom--
	}
	return versions[bottom], versions[top]
}

// schannelSuites are Windows' default TLS 1.2 cipher suites in their order (Win-ciphers,
// real-artifacts §3.6: AES-256-GCM before AES-128-GCM, then the ECDHE CBC suites, then RSA
// key exchange), those Go implements. The SHA-384 CBC suites and the DHE ones are missing
// from Go, so from this list.
var schannelSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
	tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA,
}

// schannelCurves: P-256 then P-384. INFER: Windows lists curve25519 first, but no Exchange
// log shows what it writes for it; the §1.7 sample's `CALG_ECDH_EPHEM with strength 256
// bits` is P-256.
var schannelCurves = []tls.CurveID{tls.CurveP256, tls.CurveP384}

// receiveTLS is the base handshake configuration of the server's receive connectors, one
// value per distinct setting so that smtpd caches its per-certificate clones. Callers hold
// o.mu.
func (s *server) receiveTLS() *tls.Config {
	min, max := s.tlsVersions(false)
	key := fmt.Sprint(min, max)
	if c, ok := s.tlsBase[key]; ok {
		return c
	}
	c := &tls.Config{MinVersion: min, MaxVersion: max, CipherSuites: schannelSuites, CurvePreferences: schannelCurves}
	if s.tlsBase == nil {
		s.tlsBase = map[string]*tls.Config{}
	}
	s.tlsBase[key] = c
	return c
}

// sendTLS sets the versions, suites and curves of a send connector's handshake.
func (s *server) sendTLS(c *tls.Config) {
	c.MinVersion, c.MaxVersion = s.tlsVersions(true)
	c.CipherSuites, c.CurvePreferences = schannelSuites, schannelCurves
}

// SetSchannel changes a server's Schannel registry values, as `New-ItemProperty
// HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\...` does.
// Like Schannel, the transport service reads them when it starts: they take effect at
// RestartTransportService (`Restart-Service MSExchangeTransport`).
func (o *Organization) SetSchannel(serverName string, change func(*Schannel)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return err
	}
	change(&s.cfg.Schannel)
	return nil
}

// GetSchannel returns a server's Schannel registry values (those set, whether or not the
// transport service has restarted since).
func (o *Organization) GetSchannel(serverName string) (Schannel, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return Schannel{}, err
	}
	return s.cfg.Schannel, nil
}
