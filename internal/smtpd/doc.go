// Package smtpd is an SMTP server engine that speaks Exchange's dialect byte for byte, shared
// by the two fakes: fakeonprem's receive connectors and fakeexo's front door. go-smtp stays
// the client everywhere; its server cannot say Exchange's banner, EHLO lists or replies
// (spec/go-libs.md §1).
//
// # Model
//
// A Server listens (httptest style: NewServer returns it bound and serving, Close waits for
// every goroutine) and runs one Session per connection on its own goroutine: a state machine
// on bufio and net over RFC 5321 (EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, HELP),
// RFC 3207 STARTTLS, RFC 2920 PIPELINING, RFC 3030 CHUNKING/BDAT and BINARYMIME, RFC 1870
// SIZE, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8 and RFC 3461 DSN parameters (NOTIFY, RET,
// ENVID, ORCPT, parsed and kept on the Message).
//
// What it says is a Dialect, plain data: ExchangeServer or ExchangeOnline, with the banner,
// the EHLO keyword order and every reply text (reply.go, each with its source). What it
// decides is a Policy: per session, at connect time, the STARTTLS certificate (chosen by the
// connector's rules, never by SNI; none means no STARTTLS), the client-certificate request,
// the conditional EHLO keywords (Extensions), and hooks at MAIL, RCPT, DATA/BDAT, after the
// handshake and for the whole message, which the fake persists before its 250 goes out. The
// engine never answers success to what no one scripted: without a Message hook a message
// gets a 451.
//
// Every session writes Exchange's SMTP Receive protocol log (spec §10) to a Sink; FileSink
// writes Exchange's files. ClientTap writes the SMTP Send protocol log of a go-smtp client.
// Time (banners, log stamps, TLS verification) comes from an injected Clock and session ids
// from an injected source, so a session logs the same lines on every run; addresses are the
// connection's as given (the lab's simulated ones). Socket deadlines are wall-clock
// (wallclock.go). Server.WaitIdle tells the lab when every session's log is complete.
//
// # Spec sections implemented
//
//   - §11 banners and EHLO: `220 <fqdn> Microsoft ESMTP MAIL Service ready at <date>` with
//     capital "Service" (conflict C8), EXO's ` [<session id>]` suffix and +0000 date, the
//     `<fqdn> Hello [<ip>]` first line, the keyword orders of S4 (plus SMTPUTF8, S14) and of
//     EXO's captures, STARTTLS only with a certificate (§1), X-ANONYMOUSTLS, AUTH and X-EXPS
//     from Extensions (§3a, §11 INFER).
//   - S4's replies (Sender OK, Recipient OK, 354, Queued mail for delivery, 221, 500 5.3.3,
//     501 5.5.4, 550 5.1.7, 530 5.7.1, 550 5.1.1), §10/§11's `220 2.0.0 SMTP server ready`,
//     `451 4.7.0 Timeout waiting for client input`, and C11's receiving-side
//     `451 5.7.3 Must issue a STARTTLS command first`.
//   - §10 protocol log: the #Fields line, events + - > < *, CSV quoting, the receive log's
//     one '>' record per multi-line reply (S14), the header lines of the files.
//
// # Choices where the spec is silent
//
//   - Post-TLS EHLO: the same list without STARTTLS and X-ANONYMOUSTLS. OBS: a 2023 Exchange
//     2016 RECV log shows exactly that after STARTTLS (`... ENHANCEDSTATUSCODES AUTH NTLM
//     LOGIN X-EXPS GSSAPI NTLM 8BITMIME ...`), AUTH gaining LOGIN, which Extensions express.
//     For EXO the same rule is INFER.
//   - AUTH is out of scope. Keywords are advertised as the policy says; the AUTH command gets
//     `504 5.7.4 Unrecognized authentication type`, Exchange's answer to a mechanism it does
//     not offer (OBS, 2016 RECV log). The X-EXPS verb is unrecognized.
//   - X-ANONYMOUSTLS (§3) is STARTTLS with Hooks.AnonymousTLSCertificate: the same 220 2.0.0
//     reply and handshake (INFER: no capture of the verb's reply; Exchange's STARTTLS one is
//     taken), then Session.AnonymousTLS. ClientTap logs it as it logs STARTTLS.
//   - STARTTLS (or X-ANONYMOUSTLS) when not offered or already under TLS: `500 5.3.3
//     Unrecognized command`, as any verb the session does not offer (INFER). Input pipelined
//     behind it is dropped (RFC 3207 §5). A failed handshake closes the connection after the
//     Handshake hook.
//   - Reply texts without a Microsoft source are marked in reply.go: DOC-3P where a third
//     party quotes Exchange (Send hello first, Need mail command, Need rcpt command, Sender
//     already specified, Invalid arguments, Command not implemented, Resetting, OK, Cannot
//     VRFY user, HELP, Message size exceeds fixed maximum message size, Line too long,
//     501 5.1.3 Invalid address), OBS where a capture shows it (504 5.7.4, the 421 4.3.2
//     connection-limit text), INFER otherwise (Bad sequence of commands, Too many
//     recipients, Chunk received, Service not available for Shutdown, System not accepting
//     network messages). Exchange Online uses Exchange Server's texts (INFER beyond §11).
//   - The queued reply: QueuedReply is S4's form; QueuedReplyStats adds the current builds'
//     "<n> bytes in <t>, <r> KB/sec" (real-artifacts §3.1), T being the modelled BodyLatency.
//   - Multi-line replies in the log: the receive log writes the EHLO reply as
//     `250  host Hello [ip] SIZE ...`, two spaces after the code, as the 15.01 receive log of
//     real-artifacts §1.5 does and public parsers expect; other multi-line replies and the
//     send log (ClientTap) use one space, as a 2022 Exchange 2016 SEND log does
//     (`<,250 host Hello ... SIZE 1000000 ...`).
//   - Log timestamps advance within a session by a modelled latency (latency.go: 1 ms a line
//     from the peer, 4 ms a handshake, BodyLatency a body) over the injected clock, which the
//     session never moves (real-artifacts §1.3).
//   - TLSNegotiated maps Go's negotiated version, suite and curve to Schannel's record
//     (§1.7); LogCertificateRecord writes the one-record certificate form of current builds,
//     LogCertificate the pre-2020 six-record block. Hooks.TLSConfig lets a policy give each
//     session the versions and suites its server's Schannel allows; their TLS 1.2 suites are
//     then chosen in the server's order, as Schannel does.
//   - Disconnect context: "Local" when this side closes (after 221, a timeout, a limit,
//     Close), "Remote" when the peer closes (OBS 2016 RECV log), "Remote(ConnectionReset)"
//     on a reset (OBS 2024 RECV log). A refused-for-load connection logs + > - too.
//   - Log files: `RECVyyyyMMddHH-1.LOG` per UTC hour as real 15.x servers write them
//     (real-artifacts §1.1, `RECV2023011116-1.LOG`; S32's daily `yyyymmdd-nnnn.log` is the
//     docs'), LogFileName; `#Version: 15.0.0.0` because every real protocol log
//     found says so whatever the build (the message tracking log carries the build,
//     15.01.2375.007); `#Log-type` spelled as in real files; CRLF line ends.
//   - DATA ends only at <CRLF>.<CRLF> and unstuffs only dots after CRLF (no SMTP smuggling);
//     a body over the size limit is read to its end, dropped, and answered 552. A BDAT chunk
//     whose size parses is always read, even to be dropped; an unparsable size closes the
//     connection. DATA and BDAT refusals end the transaction.
//   - ReadTimeout bounds each read, DATA bodies included (go-smtp bounds a whole DATA); on
//     expiry the session answers Timeout and closes. A deadline is re-armed only when it has
//     aged by a sixteenth of its timeout (setting one costs a runtime timer update), so a read
//     gets between 15/16 and all of ReadTimeout. Overlong command lines are read to their end
//     and answered LineTooLong; the session goes on. MaxProtocolErrors and ConnectionTimeout
//     (S16) are not modelled.
//   - ClientTap reads the connection itself until the server accepts STARTTLS, then go-smtp's
//     DebugWriter, because go-smtp's NewClientStartTLS talks before a DebugWriter can be set.
//   - Shutdown lets sessions run until its context ends, then wakes every open session, which
//     answers `421 4.3.2 Service not available, closing transmission channel` and closes.
//   - Session ids default to a counter from 08DD000000000001: Exchange's look, the lab's
//     determinism. TickSessionIDs gives ids as Exchange derives them: .NET ticks of a moment
//     before the session (real-artifacts §1.3), kept unique by a counter and a tag.
//   - The engine owns no certificate, so unlike httptest it offers no ClientTLSConfig: the
//     policy's certificate comes from the pki package, which also gives the trust roots.
package smtpd
