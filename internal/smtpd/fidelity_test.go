package smtpd

import (
	"crypto/tls"
	"testing"
	"time"
)

// Fidelity tests: the engine's renderings compared whole with the real samples of
// real-artifacts.md (spec folder), only the values the reference marks as varying taken
// from the sample.

type sampleCertificate struct{}

func (sampleCertificate) Subject() string      { return "CN=SERVER-HOSTNAME" }
func (sampleCertificate) Issuer() string       { return "CN=SERVER-HOSTNAME" }
func (sampleCertificate) SerialNumber() string { return "12DEABC6565646512346ABDC13456894" }
func (sampleCertificate) Thumbprint() string   { return "12DEABC6565646512346ABDC1345689413589876" }
func (sampleCertificate) CertificateDomains() []string {
	return []string{"SERVER-HOSTNAME", "SERVER-HOSTNAME.DOMAIN.TEST"}
}
func (sampleCertificate) NotBefore() time.Time {
	return time.Date(2020, 1, 17, 15, 15, 33, 0, time.UTC)
}
func (sampleCertificate) NotAfter() time.Time { return time.Date(2025, 1, 17, 15, 15, 33, 0, time.UTC) }

// TestFidelityCertificateRecord: §1.7, the one-record `Sending certificate ...` form.
func TestFidelityCertificateRecord(t *testing.T) {
	const sample = `2023-01-11T15:59:56.232Z,SERVER-HOSTNAME\Default Frontend SERVER-HOSTNAME,123453EC62278461,6,10.10.10.10:25,95.10.20.33:56026,*, CN=SERVER-HOSTNAME CN=SERVER-HOSTNAME 12DEABC6565646512346ABDC13456894 12DEABC6565646512346ABDC1345689413589876 2020-01-17T15:15:33.000Z 2025-01-17T15:15:33.000Z SERVER-HOSTNAME;SERVER-HOSTNAME.DOMAIN.TEST,Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names`
	var got string
	LogCertificateRecord(func(data, context string) {
		got = sampleRecord(6, '*', data, context).String()
	}, sampleCertificate{}, SendingCertificateRecord)
	if got != sample {
		t.Errorf("LogCertificateRecord:\n got %s\nwant %s", got, sample)
	}
}

// sampleRecord is a record with §1.7's fixed fields.
func sampleRecord(seq int, event byte, data, context string) Record {
	return Record{Time: time.Date(2023, 1, 11, 15, 59, 56, 232e6, time.UTC),
		ConnectorID: `SERVER-HOSTNAME\Default Frontend SERVER-HOSTNAME`, SessionID: "123453EC62278461", Seq: seq,
		Local: "10.10.10.10:25", Remote: "95.10.20.33:56026", Event: event, Data: data, Context: context}
}

// TestFidelityTLSNegotiated: §1.7's handshake record, and §1.8's client form of the frame.
func TestFidelityTLSNegotiated(t *testing.T) {
	tests := []struct {
		name   string
		state  tls.ConnectionState
		server bool
		want   string
	}{
		{name: "ReceiveSample", server: true,
			state: tls.ConnectionState{Version: tls.VersionTLS12, CipherSuite: tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CurveID: tls.CurveP256},
			want:  "TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"},
		{name: "ClientCBC", server: false,
			state: tls.ConnectionState{Version: tls.VersionTLS10, CipherSuite: tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, CurveID: tls.CurveP256},
			// §1.8 (Exchange 2013, 2019) says CALG_ECDHE where the newer §1.7 says
			// CALG_ECDH_EPHEM; the newer name is kept.
			want: "TLS protocol SP_PROT_TLS1_0_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TLSNegotiated(&tt.state, tt.server); got != tt.want {
				t.Errorf("TLSNegotiated() =\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
}

// TestFidelitySessionID: §1.3, session ids are .NET ticks at or before the session:
// 08D892B7A9441226 is 2020-11-27 09:34:38.94 (QA-179653).
func TestFidelitySessionID(t *testing.T) {
	at := time.Date(2020, 11, 27, 9, 34, 38, 940624600, time.UTC)
	if got := Ticks(at); got != 0x08D892B7A9441226 {
		t.Errorf("Ticks(%v) = %016X, want 08D892B7A9441226", at, got)
	}
	ids := TickSessionIDs(fixedClock{at.Add(16 * time.Millisecond)}, 16*time.Millisecond, 6)
	if first, second := ids(), ids(); first != "08D892B7A9441226" || second != "08D892B7A9441236" {
		t.Errorf("TickSessionIDs() = %s, %s; want 08D892B7A9441226, 08D892B7A9441236", first, second)
	}
}

// TestFidelityQueuedReply: §3.1's queued reply with its transfer clause, in the server
// locale's decimal separator (Relay-2024: a German server) and en-US's.
func TestFidelityQueuedReply(t *testing.T) {
	tests := []struct {
		name    string
		decimal string
		want    string
	}{
		// Relay-2024's reply, whole: the seconds with a point, the rate with the German comma.
		{name: "Comma", decimal: ",", want: "250 2.6.0 <e6c29c88-7479-4fee-9a7e-5ca909546317@Exchange.contoso.com> [InternalId=237172389052427, Hostname=Exchange.contoso.com] 11511 bytes in 0.102, 109,173 KB/sec Queued mail for delivery"},
		{name: "Point", decimal: ".", want: "250 2.6.0 <e6c29c88-7479-4fee-9a7e-5ca909546317@Exchange.contoso.com> [InternalId=237172389052427, Hostname=Exchange.contoso.com] 11511 bytes in 0.102, 109.173 KB/sec Queued mail for delivery"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExchangeServer.QueuedReplyStats("<e6c29c88-7479-4fee-9a7e-5ca909546317@Exchange.contoso.com>", 237172389052427,
				"Exchange.contoso.com", 11511, 102966951*time.Nanosecond, tt.decimal).String()
			if got != tt.want {
				t.Errorf("QueuedReplyStats() =\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
}
