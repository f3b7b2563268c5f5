package fakeonprem

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
	_ "time/tzdata" // TimeZone names resolve the same on every machine

	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// The simulated version of a server: its Exchange build (AdminDisplayVersion) and the Windows
// Server under it (OperatingSystem). The build decides every artifact whose form changed
// between builds (real-artifacts.md in the spec folder): the tracking log's #Version and
// schema-version, the protocol log's certificate records (one record since about 2020, six
// before), SMTPUTF8 in EHLO (15.02), the relay refusal's wording (5.7.54 on 15.02), the id in
// Received headers. Windows decides, with the server's Schannel registry values, which TLS
// versions and cipher suites the server offers and uses (schannelpolicy.go).

// DefaultAdminDisplayVersion is Exchange Server 2019 CU15, build 15.2.1748.10 (released
// February 2025; Microsoft's "Exchange Server build numbers and release dates" page): the
// build current on-premises servers run in 2025-2026, whose Received headers read
// `with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)
// id 15.2.1748.10` and `with mapi id 15.02.1748.010` in public mail of 2025-2026.
const DefaultAdminDisplayVersion = "Version 15.2 (Build 1748.10)"

// ExchangeBuild is the default simulated build as a build number
// (DefaultAdminDisplayVersion), for `hybridsim version`.
const ExchangeBuild = "15.2.1748.10"

// DefaultOperatingSystem is the Windows Server under the default build: 2019, which has no
// TLS 1.3 (real-artifacts §3.6).
const DefaultOperatingSystem = "Windows Server 2019"

// build is an Exchange build number: major.minor.build.revision.
type build struct{ major, minor, build, revision int }

var (
	adminDisplayVersion = regexp.MustCompile(`^Version (\d+)\.(\d+) \(Build (\d+)\.(\d+)\)$`)
	dottedVersion       = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)\.(\d+)$`)
)

// parseBuild reads Get-ExchangeServer's AdminDisplayVersion ("Version 15.2 (Build 1748.10)")
// or a dotted build ("15.2.1748.10", "15.02.1748.010").
func parseBuild(s string) (build, error) {
	m := adminDisplayVersion.FindStringSubmatch(s)
	if m == nil {
		m = dottedVersion.FindStringSubmatch(s)
	}
	if m == nil {
		return build{}, fmt.Errorf("AdminDisplayVersion %q: write it as Get-ExchangeServer shows it, e.g. %q, or as a build number, e.g. 15.2.1748.10", s, DefaultAdminDisplayVersion)
	}
	var n [4]int
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	b := build{n[0], n[1], n[2], n[3]}
	if b.major != 15 || b.minor < 1 || b.minor > 2 {
		return build{}, fmt.Errorf("AdminDisplayVersion %q: hybridsim simulates Exchange 2016 (15.1) and 2019/SE (15.2)", s)
	}
	return b, nil
}

// schema is the build as message tracking's #Version and schema-version write it:
// 15.02.1748.010 (real-artifacts §2.1).
func (b build) schema() string {
	return fmt.Sprintf("%d.%02d.%04d.%03d", b.major, b.minor, b.build, b.revision)
}

// short is the build as Received headers write it: 15.2.1748.10.
func (b build) short() string {
	return fmt.Sprintf("%d.%d.%d.%d", b.major, b.minor, b.build, b.revision)
}

// atLeast reports whether b is minor.buildNo or later.
func (b build) atLeast(minor, buildNo int) bool {
	return b.minor > minor || b.minor == minor && b.build >= buildNo
}

// oneRecordCertificate reports whether the build writes a certificate as one protocol log
// record (real-artifacts §1.7: 15.01.2375 does; the 2017 and 2019 samples of older builds
// write six or two). INFER: the change is placed at the mid-2020 updates, Exchange 2016 CU17
// (15.1.2044) and 2019 CU6 (15.2.659).
func (b build) oneRecordCertificate() bool {
	if b.minor == 1 {
		return b.build >= 2044
	}
	return b.build >= 659
}

// smtpUTF8 reports whether EHLO offers SMTPUTF8: 15.02 does (QA-1193037, 2019 CU12), 15.01
// does not (the 15.01.2375 receive log of §1.5).
func (b build) smtpUTF8() bool { return b.minor >= 2 }

// relay5754 reports whether a relay refusal reads 5.7.54 (15.02, QA-1193037) rather than
// 5.7.1 (real-artifacts §3.4; which condition yields which on 15.x is INFER).
func (b build) relay5754() bool { return b.minor >= 2 }

// tls13 reports whether Exchange itself may negotiate TLS 1.3 for SMTP: 2019 CU15 and SE
// (P365-TLS13: "only partly"; INFER that SMTP is in the part), on a Windows that has it.
func (b build) tls13() bool { return b.atLeast(2, 1748) }

// windows is a Windows Server version: 2016, 2019, 2022, 2025.
type windows int

var operatingSystem = regexp.MustCompile(`^Windows Server (2016|2019|2022|2025)( \w+)?$`)

// parseWindows reads OperatingSystem as Health Checker shows it ("Windows Server 2019",
// optionally with its edition: "Windows Server 2022 Datacenter").
func parseWindows(s string) (windows, error) {
	m := operatingSystem.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("OperatingSystem %q: use Windows Server 2016, 2019, 2022 or 2025", s)
	}
	n, _ := strconv.Atoi(m[1])
	return windows(n), nil
}

// tls13 reports whether Schannel has TLS 1.3: Windows Server 2022 and later.
func (w windows) tls13() bool { return w >= 2022 }

// dialect is the server's receive dialect: Exchange Server's, without SMTPUTF8 on 15.01.
func (s *server) dialect() *smtpd.Dialect {
	d := smtpd.ExchangeServer
	if !s.build.smtpUTF8() {
		d.Keywords = slices.DeleteFunc(slices.Clone(d.Keywords), func(k string) bool { return k == "SMTPUTF8" })
	}
	return &d
}

// firstInternalID is where a server's InternalId (the queued reply's, tracking's
// internal-message-id and the send log's RecordId) starts counting: real ones have 12 to 15
// digits (real-artifacts §3.1, §1.9); INFER: the value, an id per server index apart.
func firstInternalID(index int) int64 { return 4_032_974_290_000 + int64(index)*100_000_000_000 }

// culture is a Get-Culture name: en-US, de-DE.
var culture = regexp.MustCompile(`^([a-z]{2,3})(-[A-Za-z]{2,4})?$`)

// commaCultures are languages whose decimal separator is a comma (.NET's NumberFormatInfo
// for their main cultures).
var commaCultures = map[string]bool{"de": true, "fr": true, "ru": true, "es": true, "it": true, "nl": true, "pt": true,
	"pl": true, "sv": true, "da": true, "nb": true, "fi": true, "cs": true, "tr": true, "uk": true}

// decimalSeparator is a culture's decimal separator: "." for en-US (and ""), "," for de-DE.
func decimalSeparator(name string) (string, error) {
	if name == "" {
		return ".", nil
	}
	m := culture.FindStringSubmatch(name)
	if m == nil {
		return "", fmt.Errorf("Culture %q: write a culture name as Get-Culture shows it, e.g. en-US or de-DE", name)
	}
	if commaCultures[m[1]] {
		return ",", nil
	}
	return ".", nil
}

// timeZone loads a server's time zone from the zone database embedded in the binary (so
// that the lab reads the same on every machine).
func timeZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("TimeZone %q: write an IANA time zone name, e.g. Europe/Berlin or America/New_York", name)
	}
	return loc, nil
}

// localClock is the lab's clock read in the server's time zone: the banner's.
type localClock struct {
	clock Clock
	loc   *time.Location
}

func (c localClock) Now() time.Time { return c.clock.Now().In(c.loc) }
