package smtpd

import (
	"crypto/tls"
	"fmt"
)

// tlsNegotiated is the frame of the protocol log's handshake record (real-artifacts §1.7,
// DFIR-Exchange, build 15.01.2375; the 2019 send log of §1.8 has the same frame): protocol,
// then bulk cipher, MAC hash and key exchange, each with its strength.
const tlsNegotiated = "TLS protocol %s negotiation succeeded using bulk encryption algorithm %s with strength %d bits, MAC hash algorithm %s with strength %d bits and key exchange algorithm %s with strength %d bits"

// TLSNegotiated renders the protocol log's record of a completed handshake, in Schannel's
// names for what Go negotiated (the record's context; its data is empty):
//
//	TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm
//	CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits
//	and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits
//
// server chooses the protocol token's _SERVER (receive log) or _CLIENT (send log) suffix.
// Mapped from the samples: an AEAD suite's hash has strength 0 (§1.7), a CBC-SHA suite's
// CALG_SHA1 160 (§1.8), ECDHE is CALG_ECDH_EPHEM with the curve's size (§1.7: P-256, 256).
// INFER: the TLS 1.3 token SP_PROT_TLS1_3_*, X25519's strength (255), CALG_SHA_384 for the
// SHA-384 suites, CALG_RSA_KEYX for RSA key exchange; no sample shows them.
func TLSNegotiated(state *tls.ConnectionState, server bool) string {
	side := "CLIENT"
	if server {
		side = "SERVER"
	}
	proto := fmt.Sprintf("SP_PROT_%s_%s", schannelVersion(state.Version), side)
	bulk, bulkBits, mac, macBits := schannelCipher(state.CipherSuite)
	kx, kxBits := "CALG_ECDH_EPHEM", curveBits(state.CurveID)
	if state.Version < tls.VersionTLS13 && rsaKeyExchange(state.CipherSuite) {
		kx, kxBits = "CALG_RSA_KEYX", 2048
	}
	return fmt.Sprintf(tlsNegotiated, proto, bulk, bulkBits, mac, macBits, kx, kxBits)
}

// SchannelVersion is a TLS version as Exchange's message trace writes it: TLS1.2 (§4.7).
func SchannelVersion(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLS1.0"
	case tls.VersionTLS11:
		return "TLS1.1"
	case tls.VersionTLS13:
		return "TLS1.3"
	}
	return "TLS1.2"
}

// schannelVersion is the version part of the SP_PROT_* token: TLS1_2.
func schannelVersion(v uint16) string {
	s := []byte(SchannelVersion(v))
	s[4] = '_'
	return string(s)
}

// BulkBits is the strength of a suite's bulk cipher: 128 or 256 (the AES<bits> of EXO's
// `using TLS1.2 with AES256`, §4.7).
func BulkBits(suite uint16) int {
	_, bits, _, _ := schannelCipher(suite)
	return bits
}

// schannelCipher names a suite's bulk cipher and MAC in Schannel's ALG_ID names.
func schannelCipher(suite uint16) (bulk string, bulkBits int, mac string, macBits int) {
	switch suite {
	case tls.TLS_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_RSA_WITH_AES_128_GCM_SHA256:
		return "CALG_AES_128", 128, "CALG_SHA_256", 0
	case tls.TLS_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_RSA_WITH_AES_256_GCM_SHA384:
		return "CALG_AES_256", 256, "CALG_SHA_384", 0
	case tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, tls.TLS_RSA_WITH_AES_128_CBC_SHA256:
		return "CALG_AES_128", 128, "CALG_SHA_256", 256
	case tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA:
		return "CALG_AES_256", 256, "CALG_SHA1", 160
	case tls.TLS_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return "CALG_CHACHA20", 256, "CALG_SHA_256", 0 // INFER: Schannel has no ChaCha20
	}
	return "CALG_AES_128", 128, "CALG_SHA1", 160
}

func rsaKeyExchange(suite uint16) bool {
	switch suite {
	case tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA:
		return true
	}
	return false
}

func curveBits(c tls.CurveID) int {
	switch c {
	case tls.CurveP384:
		return 384
	case tls.CurveP521:
		return 521
	case tls.X25519:
		return 255
	}
	return 256
}
