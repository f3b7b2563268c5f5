package sim

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

type connectorFile struct {
	Identity           string
	TlsCertificateName string
	AuthMechanism      []string
	RequireTLS         bool
	Address            netip.Addr
	Retry              time.Duration
	Port               int
}

type labFileForTest struct {
	Clock      time.Time
	Connectors []connectorFile `yaml:"ReceiveConnectors"`
	Extra      *connectorFile
}

func decodeForTest(t *testing.T, src string) (labFileForTest, error) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	var out labFileForTest
	d := &decoder{file: "lab.yaml"}
	d.decode(&root, reflectValue(&out), "")
	return out, errors.Join(d.errs...)
}

func TestDecodeFormatListValues(t *testing.T) {
	got, err := decodeForTest(t, `
Clock: 2026-01-05T09:00:00Z
receiveconnectors:
  - Identity: EX01\Default Frontend EX01
    TlsCertificateName: $null
    AuthMechanism: "{Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer}"
    RequireTLS: True
    Address: 203.0.113.10
    Retry: 2.00:00:00
    Port: 25
  - Identity: EX01\Client Frontend EX01
    AuthMechanism: [Tls, BasicAuth]
    RequireTLS: $false
    Retry: 10m
`)
	if err != nil {
		t.Fatal(err)
	}
	want := labFileForTest{
		Clock: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		Connectors: []connectorFile{
			{Identity: `EX01\Default Frontend EX01`, AuthMechanism: []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"},
				RequireTLS: true, Address: netip.MustParseAddr("203.0.113.10"), Retry: 48 * time.Hour, Port: 25},
			{Identity: `EX01\Client Frontend EX01`, AuthMechanism: []string{"Tls", "BasicAuth"}, Retry: 10 * time.Minute},
		},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("decode (-want +got):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "UnknownProperty", src: "ReceiveConnectors:\n  - Identity: x\n    TlsCertName: y\n",
			want: `lab.yaml:3: ReceiveConnectors[0].TlsCertName: unknown property "TlsCertName"; known properties: Address, AuthMechanism, Identity, Port, RequireTLS, Retry, TlsCertificateName`},
		{name: "WrongBool", src: "Extra:\n  RequireTLS: maybe\n",
			want: `lab.yaml:2: Extra.RequireTLS: want $true or $false, got "maybe"`},
		{name: "WrongNumber", src: "Extra:\n  Port: twenty-five\n",
			want: `lab.yaml:2: Extra.Port: want a whole number, got "twenty-five"`},
		{name: "WrongTime", src: "Clock: yesterday\n",
			want: `lab.yaml:1: Clock: want a time in RFC 3339 form such as 2026-01-05T09:00:00Z, got "yesterday"`},
		{name: "BadAddress", src: "Extra:\n  Address: 203.0.113\n",
			want: `lab.yaml:2: Extra.Address: ParseAddr("203.0.113"): IPv4 address too short`},
		{name: "MappingForList", src: "ReceiveConnectors:\n  Identity: x\n",
			want: `lab.yaml:2: ReceiveConnectors: want a list, got a mapping`},
		{name: "Duplicate", src: "Extra:\n  Port: 25\n  port: 26\n",
			want: `lab.yaml:3: Extra.port: property "port" given twice (first on line 2)`},
		{name: "TwoErrorsBothReported", src: "Extra:\n  Port: x\n  RequireTLS: y\n",
			want: "lab.yaml:2: Extra.Port: want a whole number, got \"x\"\nlab.yaml:3: Extra.RequireTLS: want $true or $false, got \"y\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeForTest(t, tc.src)
			if err == nil || err.Error() != tc.want {
				t.Errorf("decode(%q) error:\n got %v\nwant %s", tc.src, err, tc.want)
			}
		})
	}
}
