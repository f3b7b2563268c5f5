package smtpd

import (
	"crypto/tls"
	"crypto/x509"
	"time"
)

// Policy decides one session. The server calls it once per connection, after logging `+` and
// before the banner, so it is also the on-connect hook: it sees the session's id and addresses
// (the lab's simulated ones) and returns the hooks, certificate and refusals for the rest of
// the session. A nil Policy gives the zero Hooks.
type Policy func(s *Session) Hooks

// Hooks are one session's decisions, each optional. Hooks run on the session's goroutine, one
// at a time; they may call the Session's methods (Info to log). A hook that accepts a message
// must persist it before returning: its reply is written after it returns.
//
// MAIL, RCPT and DATA hooks return nil to accept with the dialect's reply, or a reply: a 2xx
// (MAIL, RCPT) or 3xx (DATA) accepts with that text, anything else refuses; Close then ends
// the session.
type Hooks struct {
	// Refuse, when set, is written instead of the banner and the connection closes.
	Refuse *Reply

	// Certificate is the STARTTLS certificate, chosen at connect time by the connector's
	// rules (never by SNI). Nil: no STARTTLS in EHLO, and the verb is refused.
	Certificate *tls.Certificate
	// CertificateUnusable, when set, is why the server cannot use Certificate's key (a
	// certificate the rules chose but the transport service may not use): STARTTLS is still
	// advertised, and the handshake fails on the server's side with this error before any
	// certificate is sent, so the client never judges a chain the server could not use.
	CertificateUnusable error
	// ClientAuth is the client-certificate request of the handshake.
	ClientAuth tls.ClientAuthType
	// ClientCAs verifies client certificates when ClientAuth asks for verification.
	ClientCAs *x509.CertPool
	// VerifyClient, when set, judges the client's certificate chain (leaf first) during a
	// STARTTLS handshake, as Schannel judges a client certificate against the machine's
	// trust: an error fails the handshake (the client gets a bad_certificate alert) and
	// reaches Handshake. Not used for X-ANONYMOUSTLS.
	VerifyClient func(chain []*x509.Certificate) error
	// TLSConfig, when set, replaces Config.TLSConfig as this session's base handshake
	// configuration: the versions and cipher suites the server's Schannel settings allow
	// (fakeonprem). Its TLS 1.2 CipherSuites are chosen in their order (server preference, as
	// Schannel does), not Go's.
	TLSConfig *tls.Config
	// AnonymousTLSCertificate is the internal transport certificate (§3a). Set: X-ANONYMOUSTLS
	// is advertised before TLS, and the verb answers like STARTTLS and handshakes with it,
	// asking for the client's certificate as ClientAuth says. Nil: the verb is refused.
	AnonymousTLSCertificate *tls.Certificate

	// Extensions returns the connector's conditional EHLO keywords, at each EHLO and HELO.
	Extensions func() Extensions
	// StartTLS runs when STARTTLS or X-ANONYMOUSTLS is accepted, its 220 queued and logged,
	// before the handshake: where Exchange logs the certificate it is about to present
	// (real-artifacts §1.7: the certificate record carries the 220's time).
	StartTLS func()
	// Handshake runs after every STARTTLS handshake with its state (the peer's chain
	// included) and error. With an error the connection closes once it returns. A non-nil
	// reply is written at once (under TLS).
	Handshake func(state *tls.ConnectionState, err error) *Reply

	// Mail decides MAIL FROM; m holds the sender and parameters, no recipients yet.
	Mail func(m *Message) *Reply
	// Rcpt decides each RCPT TO; m.To holds the recipients accepted so far.
	Rcpt func(m *Message, to Recipient) *Reply
	// Data decides DATA before the 354, and BDAT before its first chunk is taken.
	Data func(m *Message) *Reply
	// Message takes a whole message and returns the final reply, typically the dialect's
	// QueuedReply once the message is persisted. It never sees a partial message: a drop or
	// a size overflow discards the body first. Without it every message gets NotAccepted.
	Message func(m *Message) Reply
}

// Message is one transaction: the envelope, its DSN parameters and, once whole, the raw bytes.
type Message struct {
	HeloName string // the EHLO/HELO argument of this session (after STARTTLS, the new one)

	From     string // reverse path without brackets; "" for the null sender <>
	Size     int64  // SIZE= (RFC 1870); 0 when absent
	Body     string // BODY=: "7BIT", "8BITMIME", "BINARYMIME"; "" when absent
	SMTPUTF8 bool   // SMTPUTF8 (RFC 6531)
	Ret      string // RET= (RFC 3461): "FULL" or "HDRS"; "" when absent
	EnvID    string // ENVID= (RFC 3461), as sent (xtext)

	To []Recipient // accepted recipients, in order

	// Data is the message as received: dot-unstuffed after DATA, concatenated after BDAT.
	Data []byte
	// Elapsed is the modelled time the body took to arrive (BodyLatency): the T of the
	// queued reply's `<n> bytes in <T>` (real-artifacts §3.1).
	Elapsed time.Duration
}

// Recipient is one accepted RCPT TO with its DSN parameters.
type Recipient struct {
	Address string   // forward path without brackets
	Notify  []string // NOTIFY= (RFC 3461), upper case: SUCCESS, FAILURE, DELAY or NEVER
	ORcpt   string   // ORCPT= (RFC 3461), as sent: "rfc822;user@contoso.com"
}
