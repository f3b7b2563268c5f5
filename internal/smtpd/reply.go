package smtpd

import (
	"strconv"
	"strings"
)

// Reply is one SMTP reply: a code, an optional enhanced status code (RFC 3463) and text.
// Policy hooks return replies to refuse (or accept with other words) what the client asked.
type Reply struct {
	Code     int    // three-digit reply code, e.g. 250
	Enhanced string // enhanced status code, e.g. "2.1.0"; empty for none
	Text     string // reply text; "\n" separates the lines of a multi-line reply
	Close    bool   // close the connection once the reply is written
}

// String renders the reply the way Exchange's protocol log records it: the code, then each
// line's text (enhanced code first), all on one line joined by spaces. A multi-line reply
// loses its dashes, as in spec §1's receive-log sample `250 E19.Contoso.lab Hello [...] SIZE
// 37748736 PIPELINING ...` (S14; also a 2024 RECV log, see doc.go).
func (r Reply) String() string {
	b := strconv.AppendInt(nil, int64(r.Code), 10)
	for line := range strings.SplitSeq(r.Text, "\n") {
		b = append(b, ' ')
		b = r.appendLine(b, line)
	}
	return string(b)
}

// appendWire appends the reply as it goes on the wire: every line but the last with a dash
// after the code, CRLF line ends, the enhanced code on each line (RFC 2034).
func (r Reply) appendWire(b []byte) []byte {
	rest := r.Text
	for {
		line, tail, more := strings.Cut(rest, "\n")
		b = strconv.AppendInt(b, int64(r.Code), 10)
		if more {
			b = append(b, '-')
		} else {
			b = append(b, ' ')
		}
		b = r.appendLine(b, line)
		b = append(b, '\r', '\n')
		if !more {
			return b
		}
		rest = tail
	}
}

func (r Reply) appendLine(b []byte, line string) []byte {
	if r.Enhanced != "" {
		b = append(b, r.Enhanced...)
		if line != "" {
			b = append(b, ' ')
		}
	}
	return append(b, line...)
}

// Replies holds every reply a dialect answers with. The Text of Banner, Hello and Queued is a
// format, filled in per session; the rest are whole replies. Policies take the refusals they
// need from here (NotAuthenticated, UserUnknown, MustStartTLS, ...) instead of retyping them.
//
// Source tags, as in the spec: DOC (a Microsoft document), DOC-3P (third party), OBS (seen in a
// real transcript or log), INFER (no source found; Exchange-like text chosen here).
type Replies struct {
	Banner Reply // the greeting; Text formats the FQDN and the date
	Hello  Reply // HELO's reply and EHLO's first line; Text formats the FQDN and the client's IP
	Queued Reply // a message taken; Text formats the message id, internal id and hostname

	SenderOK      Reply // MAIL accepted
	RecipientOK   Reply // RCPT accepted
	StartMail     Reply // DATA accepted, send the body
	ChunkReceived Reply // a BDAT chunk other than the last accepted
	Closing       Reply // QUIT
	StartTLS      Reply // STARTTLS accepted, handshake next
	Reset         Reply // RSET
	OK            Reply // NOOP
	CannotVerify  Reply // VRFY
	Help          Reply // HELP

	Unrecognized           Reply // unknown verb, or a verb this session does not offer
	NotImplemented         Reply // EXPN, TURN, ETRN and other verbs Exchange knows but refuses
	InvalidArguments       Reply // a known verb with arguments it cannot parse
	InvalidDomain          Reply // EHLO/HELO without a valid domain
	InvalidAddress         Reply // MAIL FROM with an invalid reverse path
	InvalidRecipient       Reply // RCPT TO with an invalid forward path
	SendHelloFirst         Reply // MAIL before EHLO/HELO
	SenderAlreadySpecified Reply // a second MAIL in one transaction
	NeedMail               Reply // RCPT, DATA or BDAT before MAIL
	NeedRcpt               Reply // DATA or BDAT before an accepted RCPT
	BadSequence            Reply // DATA with BODY=BINARYMIME, DATA after BDAT
	SizeExceeded           Reply // SIZE= or the message over the maximum message size
	TooManyRecipients      Reply // RCPT over the maximum recipient count
	LineTooLong            Reply // a command line over the maximum line length
	AuthUnrecognized       Reply // AUTH (not implemented by this engine, see doc.go)
	NotAccepted            Reply // a whole message with no Message hook to take it

	Timeout            Reply // no command within the read timeout; the connection closes
	TooManyConnections Reply // over the connection limit, instead of the banner
	ShuttingDown       Reply // Shutdown's deadline passed while the session was open

	NotAuthenticated Reply // for policies: the connector refuses anonymous submission
	UserUnknown      Reply // for policies: the recipient does not exist
	MustStartTLS     Reply // for policies: the connector requires TLS (RequireTLS)
}

// exchangeReplies are Exchange Server's texts. Exchange Online's front door answers with the
// same ones as far as the captures show (§11: `250 2.1.0 Sender OK` from EXO; the rest INFER).
var exchangeReplies = Replies{
	// S4 transcript `220 mail1.fabrikam.com Microsoft ESMTP MAIL Service ready at Fri, 5 Aug
	// 2016 16:24:41 -0700`; capital "Service" as in every real capture (conflict C8).
	Banner: Reply{Code: 220, Text: "%s Microsoft ESMTP MAIL Service ready at %s"},
	// S4 `250-mail1.fabrikam.com Hello [172.16.0.5]`; HELO: S4 "250 mail1.fabrikam.com Hello
	// [<sourceIPaddress>]".
	Hello: Reply{Code: 250, Text: "%s Hello [%s]"},
	// S4 `250 2.6.0 <c89b4fcc-...@mail1.fabrikam.com> [InternalId=5111011082268,
	// Hostname=mail1.fabrikam.com] Queued mail for delivery`. (A 2024 RECV log adds "<n> bytes
	// in <t>, <r> KB/sec" before "Queued"; not rendered, see doc.go.)
	Queued: Reply{Code: 250, Enhanced: "2.6.0", Text: "%s [InternalId=%d, Hostname=%s] Queued mail for delivery"},

	SenderOK:    Reply{Code: 250, Enhanced: "2.1.0", Text: "Sender OK"},                                         // S4
	RecipientOK: Reply{Code: 250, Enhanced: "2.1.5", Text: "Recipient OK"},                                      // S4
	StartMail:   Reply{Code: 354, Text: "Start mail input; end with <CRLF>.<CRLF>"},                             // S4
	Closing:     Reply{Code: 221, Enhanced: "2.0.0", Text: "Service closing transmission channel", Close: true}, // S4
	StartTLS:    Reply{Code: 220, Enhanced: "2.0.0", Text: "SMTP server ready"},                                 // §10/§11 OBS
	Reset:       Reply{Code: 250, Enhanced: "2.0.0", Text: "Resetting"},                                         // DOC KB Q304897 transcript
	OK:          Reply{Code: 250, Enhanced: "2.0.0", Text: "OK"},                                                // DOC-3P heralding Exchange persona
	Help:        Reply{Code: 214, Text: "This server supports the following commands:\n" + helpVerbs},           // DOC-3P heralding
	// DOC-3P heralding's Exchange persona and ExoMail's table both answer VRFY this way.
	CannotVerify: Reply{Code: 252, Enhanced: "2.1.5", Text: "Cannot VRFY user"},
	// INFER: RFC 3030 leaves the text open; no Exchange capture of a non-last BDAT reply found.
	ChunkReceived: Reply{Code: 250, Enhanced: "2.0.0", Text: "Chunk received"},

	Unrecognized:     Reply{Code: 500, Enhanced: "5.3.3", Text: "Unrecognized command"},    // S4
	InvalidDomain:    Reply{Code: 501, Enhanced: "5.5.4", Text: "Invalid domain name"},     // S4
	InvalidAddress:   Reply{Code: 550, Enhanced: "5.1.7", Text: "Invalid address"},         // S4 (MAIL FROM)
	NotImplemented:   Reply{Code: 502, Enhanced: "5.3.3", Text: "Command not implemented"}, // DOC-3P heralding
	InvalidArguments: Reply{Code: 501, Enhanced: "5.5.4", Text: "Invalid arguments"},       // DOC-3P heralding
	// DOC-3P: a relay tester's transcript of a source-routed RCPT (`501 5.1.3 Invalid address`).
	InvalidRecipient: Reply{Code: 501, Enhanced: "5.1.3", Text: "Invalid address"},
	// DOC-3P: heralding's Exchange persona maps its sequence errors to these three; the same
	// texts recur in Exchange-imitating course servers.
	SendHelloFirst: Reply{Code: 503, Enhanced: "5.5.2", Text: "Send hello first"},
	NeedMail:       Reply{Code: 503, Enhanced: "5.5.2", Text: "Need mail command"},
	NeedRcpt:       Reply{Code: 503, Enhanced: "5.5.2", Text: "Need rcpt command"},
	// DOC-3P heralding; KB 202765 quotes the older "503 Sender already specified".
	SenderAlreadySpecified: Reply{Code: 503, Enhanced: "5.5.2", Text: "Sender already specified"},
	// INFER: RFC 5321 §4.2.2 wording with Exchange's 5.5.1.
	BadSequence: Reply{Code: 503, Enhanced: "5.5.1", Text: "Bad sequence of commands"},
	// DOC-3P: bobcares and Symantec TECH152572 quote it from Exchange recipients.
	SizeExceeded: Reply{Code: 552, Enhanced: "5.3.4", Text: "Message size exceeds fixed maximum message size"},
	// INFER: RFC 5321 §4.5.3.1.10 wording; Exchange's MaxRecipientsPerMessage text not found.
	TooManyRecipients: Reply{Code: 452, Enhanced: "4.5.3", Text: "Too many recipients"},
	// DOC-3P: heralding's Exchange persona; INFER that Exchange keeps the session open.
	LineTooLong: Reply{Code: 500, Enhanced: "5.3.3", Text: "Line too long"},
	// OBS: a 2016 Default Frontend RECV log answers `AUTH LOGIN` (offered: NTLM) this way.
	AuthUnrecognized: Reply{Code: 504, Enhanced: "5.7.4", Text: "Unrecognized authentication type"},
	// INFER: RFC 3463 X.3.2 wording; temporary, so a sender keeps the message.
	NotAccepted: Reply{Code: 451, Enhanced: "4.3.2", Text: "System not accepting network messages"},

	// §11 OBS idle timeout.
	Timeout: Reply{Code: 451, Enhanced: "4.7.0", Text: "Timeout waiting for client input", Close: true},
	// OBS (Q&A 407670, exchangeitup 2017) for the per-source limit: "... has exceeded a
	// per-source limit, closing transmission channel"; the global-limit wording is INFER.
	TooManyConnections: Reply{Code: 421, Enhanced: "4.3.2", Close: true,
		Text: "The maximum number of concurrent server connections has exceeded a limit, closing transmission channel"},
	// DOC-3P: yusufustundag.com (2022, "How to Fix Exchange Server 421 4.3.2 Service not
	// available") quotes Exchange's RECV log answering `421 4.3.2 Service not available` while
	// HubTransport is draining; the tail ", closing transmission channel" is RFC 5321 §3.8 and
	// §4.2.3's wording for 421 (INFER that Exchange sends it).
	ShuttingDown: Reply{Code: 421, Enhanced: "4.3.2", Text: "Service not available, closing transmission channel", Close: true},

	NotAuthenticated: Reply{Code: 530, Enhanced: "5.7.1", Text: "Client was not authenticated"}, // S4
	UserUnknown:      Reply{Code: 550, Enhanced: "5.1.1", Text: "User unknown"},                 // S4
	// §10 (S43 logs, F20/F21); conflict C11: the receiving side's own complaint.
	MustStartTLS: Reply{Code: 451, Enhanced: "5.7.3", Text: "Must issue a STARTTLS command first"},
}

// helpVerbs is the second HELP line (DOC-3P heralding's Exchange persona).
const helpVerbs = "HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"
