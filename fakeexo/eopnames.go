package fakeexo

import (
	"crypto/tls"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// The names and brackets Exchange Online's current texts carry (real-artifacts §3.2, §3.3,
// §4.1, §4.7), derived from the front door's Hostname (e.g. SIM1EUR01FT001, region EUR01).

// frontDoorName splits a front-door server name such as DM6NAM12FT012 into its short name
// and region (NAM12); a name without a region gets EUR01 (INFER).
var frontDoorName = regexp.MustCompile(`([A-Z]{3}\d{2})FT\d+$`)

func regionOf(hostname string) string {
	if m := frontDoorName.FindStringSubmatch(strings.ToUpper(shortName(hostname))); m != nil {
		return m[1]
	}
	return "EUR01"
}

func (s *Service) region() string { return regionOf(s.cfg.Hostname) }

// eopHost is the host the LED's closing bracket names: `<FT host>.eop-<region>.prod.
// protection.outlook.com` (§4.1: DM6NAM12FT012.eop-nam12..., AM5EUR02FT025.eop-EUR02...;
// the region's case varies, upper kept).
func eopHost(hostname string) string {
	return fmt.Sprintf("%s.eop-%s.prod.protection.outlook.com", shortName(hostname), regionOf(hostname))
}

// eopBracket is `[<host> <time>Z <id>]` (§4.1, §3.3): the time with milliseconds and a
// 16-hex id that decodes as .NET ticks to a moment before it (an EXO session id).
func (s *Service) eopBracket(at time.Time, id string) string {
	return eopBracketOf(s.cfg.Hostname, at, id)
}

func eopBracketOf(hostname string, at time.Time, id string) string {
	return fmt.Sprintf("[%s %s %s]", eopHost(hostname), at.UTC().Format(bracketTime), id)
}

// mailboxHost is the mailbox-side server of the queued reply's Hostname and the trace's
// `Message received by:` (§3.2: DB5PR07MB9516.eurprd07.prod.outlook.com; §4.7:
// MWHPR14MB1808.namprd14.prod.outlook.com): SIMPR01MB0001.eurprd01.prod.outlook.com.
func (s *Service) mailboxHost() string {
	r := s.region()
	return fmt.Sprintf("SIMPR%sMB0001.%sprd%s.prod.outlook.com", r[3:], strings.ToLower(r[:3]), r[3:])
}

// firstInternalID is where the queued reply's InternalId starts: real ones have 12 digits
// at EXO (§3.2's 901943135827); INFER: the value.
const firstInternalID = 901_943_135_000

// queuedReply is the reply to an accepted message: the transfer clause with en-US's decimal
// point (§3.2's `171.566 KB/sec`), the mailbox-side Hostname.
func (s *Service) queuedReply(messageID string, size int, elapsed time.Duration) smtpd.Reply {
	return smtpd.ExchangeOnline.QueuedReplyStats(messageID, firstInternalID+int64(s.messages), s.mailboxHost(), size, elapsed, ".")
}

// dbebRefusal is Directory-Based Edge Blocking's reply to an unknown recipient of an
// authoritative domain (§3.3, postfix-EXO-2023), with the bracket of the session.
func dbebRefusal(hostname string, at time.Time, sessionID string) smtpd.Reply {
	r := replyDBEB
	r.Text += " " + eopBracketOf(hostname, at, sessionID)
	return r
}

// tlsDetail is the trace's `using TLS1.2 with AES256` (§4.7): the version and the bulk
// cipher's strength.
func tlsDetail(version, suite uint16) string {
	return fmt.Sprintf("%s with AES%d", smtpd.SchannelVersion(version), smtpd.BulkBits(suite))
}

// frontDoorTLS is what the front door offers: TLS 1.2 and 1.3 (real-artifacts §3.6), the TLS
// 1.2 suites in this order, chosen by the server (QA-176723's trace reads `using TLS1.2 with
// AES256`; the order beyond AES-256 first is INFER).
var frontDoorTLS = &tls.Config{
	MinVersion: tls.VersionTLS12,
	MaxVersion: tls.VersionTLS13,
	CipherSuites: []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	},
	CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384},
}

// relayDenied is 5.7.64's refusal with its bracket naming the EXO server (§3.4; no sample
// shows a time or an id inside this bracket).
func relayDenied(hostname string) smtpd.Reply {
	r := replyRelayDenied
	r.Text += " [" + eopHost(hostname) + "]"
	return r
}
