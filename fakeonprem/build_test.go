package fakeonprem

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseBuild: AdminDisplayVersion as Get-ExchangeServer shows it or as a build number;
// anything else is refused with what to write.
func TestParseBuild(t *testing.T) {
	tests := []struct {
		name, in, schema, err string
	}{
		{name: "AdminDisplayVersion", in: "Version 15.2 (Build 1748.10)", schema: "15.02.1748.010"},
		{name: "Dotted", in: "15.1.2375.7", schema: "15.01.2375.007"},
		{name: "Padded", in: "15.02.1748.024", schema: "15.02.1748.024"},
		{name: "Garbage", in: "2019 CU15", err: `AdminDisplayVersion "2019 CU15": write it as Get-ExchangeServer shows it, e.g. "Version 15.2 (Build 1748.10)", or as a build number, e.g. 15.2.1748.10`},
		{name: "Exchange2013", in: "15.0.1497.2", err: `AdminDisplayVersion "15.0.1497.2": hybridsim simulates Exchange 2016 (15.1) and 2019/SE (15.2)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := parseBuild(tt.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err || err == nil && b.schema() != tt.schema {
				t.Errorf("parseBuild(%q) = %s, %q; want %s, %q", tt.in, b.schema(), got, tt.schema, tt.err)
			}
		})
	}
}

// TestOlderBuildForms: the property reaches the older forms (real-artifacts §1.5, §1.7,
// §2.1, §3.4): Exchange 2016 CU22 (15.01.2375.007) offers no SMTPUTF8, the 2016 CU10 build
// writes the six-record certificate block, 15.01 refuses relay with 5.7.1, and tracking's
// #Version is the build.
func TestOlderBuildForms(t *testing.T) {
	for _, tt := range []struct {
		name, version string
		smtputf8      bool
		block         string // the context of the first certificate record
		relay         string
	}{
		{name: "Exchange2019CU15", version: DefaultAdminDisplayVersion, smtputf8: true, block: "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names",
			relay: "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"},
		{name: "Exchange2016CU22", version: "Version 15.1 (Build 2375.7)", block: "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names",
			relay: "550 5.7.1 Unable to relay"},
		{name: "Exchange2016CU10", version: "Version 15.1 (Build 1531.3)", block: "Sending certificate", relay: "550 5.7.1 Unable to relay"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			cfg := contoso()
			cfg.Servers[0].AdminDisplayVersion = tt.version
			o := l.start(cfg)
			c := l.dialRaw(exoOutHost, frontend)
			c.reply()
			ehlo := c.cmd("EHLO " + exoOutHost)
			c.cmd("STARTTLS")
			c.startTLS(nil)
			c.cmd("EHLO " + exoOutHost)
			c.cmd("MAIL FROM:<kate@fabrikam.com>")
			relay := c.cmd("RCPT TO:<kate@fabrikam.com>")
			c.cmd("QUIT")
			want := ehloFrontend
			if !tt.smtputf8 {
				want = strings.Replace(want, "250-SMTPUTF8\n", "", 1)
			}
			if ehlo != want {
				t.Errorf("EHLO =\n%s\nwant\n%s", ehlo, want)
			}
			if relay != tt.relay {
				t.Errorf("relay refusal = %q, want %q", relay, tt.relay)
			}
			var block string
			for _, line := range logLines(t, o, "EX01") {
				if i := strings.LastIndex(line, ",Sending certificate"); i >= 0 {
					block = line[i+1:]
					break
				}
			}
			if block != tt.block {
				t.Errorf("first certificate record's context = %q, want %q", block, tt.block)
			}
		})
	}
}

// TestSchannelVersions: Windows and the registry decide what each side offers (real-artifacts
// §3.6): Windows Server 2019 has no TLS 1.3; 2022 has it under 2019 CU15; TLS 1.2 disabled
// leaves 1.0 and 1.1; everything disabled leaves nothing (min above max).
func TestSchannelVersions(t *testing.T) {
	off, on := false, true
	tests := []struct {
		name, os, version string
		schannel          Schannel
		client            bool
		min, max          uint16
	}{
		{name: "Default", os: DefaultOperatingSystem, version: DefaultAdminDisplayVersion, min: tls.VersionTLS10, max: tls.VersionTLS12},
		{name: "WindowsServer2022", os: "Windows Server 2022 Datacenter", version: DefaultAdminDisplayVersion, min: tls.VersionTLS10, max: tls.VersionTLS13},
		{name: "WindowsServer2022Exchange2016", os: "Windows Server 2022", version: "15.1.2507.6", min: tls.VersionTLS10, max: tls.VersionTLS12},
		{name: "TLS12ClientDisabled", os: DefaultOperatingSystem, version: DefaultAdminDisplayVersion, client: true,
			schannel: Schannel{TLS12: SchannelProtocol{Client: SchannelSide{Enabled: &off}}}, min: tls.VersionTLS10, max: tls.VersionTLS11},
		{name: "Hardened", os: DefaultOperatingSystem, version: DefaultAdminDisplayVersion,
			schannel: Schannel{TLS10: SchannelProtocol{Server: SchannelSide{Enabled: &off}}, TLS11: SchannelProtocol{Server: SchannelSide{DisabledByDefault: &on}}},
			min:      tls.VersionTLS12, max: tls.VersionTLS12},
		{name: "NothingLeft", os: DefaultOperatingSystem, version: DefaultAdminDisplayVersion,
			schannel: Schannel{TLS10: SchannelProtocol{Server: SchannelSide{Enabled: &off}}, TLS11: SchannelProtocol{Server: SchannelSide{Enabled: &off}},
				TLS12: SchannelProtocol{Server: SchannelSide{Enabled: &off}}},
			min: tls.VersionTLS13, max: tls.VersionTLS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := parseBuild(tt.version)
			w, err := parseWindows(tt.os)
			if err != nil {
				t.Fatal(err)
			}
			s := &server{build: b, windows: w, schannel: tt.schannel}
			min, max := s.tlsVersions(tt.client)
			if diff := cmp.Diff([]string{tls.VersionName(tt.min), tls.VersionName(tt.max)}, []string{tls.VersionName(min), tls.VersionName(max)}); diff != "" {
				t.Errorf("tlsVersions (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseBuild(f *testing.F) {
	f.Add("Version 15.2 (Build 1748.10)")
	f.Add("15.1.2375.7")
	f.Add("Windows Server 2019")
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := parseBuild(s); err == nil && (b.major != 15 || b.minor < 1 || b.minor > 2) {
			t.Errorf("parseBuild(%q) accepted %+v", s, b)
		}
		parseWindows(s)
		decimalSeparator(s)
	})
}

// TestCultureDecimal: the queued reply's separator follows the server's culture (§3.1).
func TestCultureDecimal(t *testing.T) {
	tests := []struct{ name, culture, want, err string }{
		{name: "Default", want: "."},
		{name: "English", culture: "en-US", want: "."},
		{name: "German", culture: "de-DE", want: ","},
		{name: "Russian", culture: "ru-RU", want: ","},
		{name: "Bad", culture: "German", err: `Culture "German": write a culture name as Get-Culture shows it, e.g. en-US or de-DE`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decimalSeparator(tt.culture)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.err {
				t.Errorf("decimalSeparator(%q) = %q, %q; want %q, %q", tt.culture, got, gotErr, tt.want, tt.err)
			}
		})
	}
}
