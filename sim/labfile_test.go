package sim

import (
	"fmt"
	"strings"
	"testing"
)

// TestLabFileErrors: every error of a lab file names the file, the line and
// the field, says what is wrong and what to do; errors found when the lab
// starts (the fakes' own validation) do too.
func TestLabFileErrors(t *testing.T) {
	const connector = "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "YAMLSyntax", src: "Base: default\nOnPrem:\n  Servers: [\n",
			want: "lab.yaml:3: YAML syntax: did not find expected node content"},
		{name: "UnknownProperty", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Fdqn: ex01.contoso.com\n",
			want: `lab.yaml:5: OnPrem.Servers[0].Fdqn: unknown property "Fdqn"; known properties: AdminDisplayVersion, Certificates, Culture, DisableRootAutoUpdate, Fqdn, HostNames, IPAddresses, Intermediates, Name, NetBIOSName, OperatingSystem, RevocationOffline, Role, Schannel, TimeZone, TransportService, TrustedRoots`},
		{name: "WrongBool", src: connector + "      RequireTLS: yes please\n",
			want: `lab.yaml:5: OnPrem.ReceiveConnectors[0].RequireTLS: want $true or $false, got "yes please"`},
		{name: "WrongAddress", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      IPAddresses: [203.0.113.300]\n",
			want: `lab.yaml:5: OnPrem.Servers[0].IPAddresses[0]: ParseAddr("203.0.113.300"): IPv4 field has value >255`},
		{name: "WrongServices", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: hybrid\n          Services: IIS, SMTPS\n",
			want: `lab.yaml:7: OnPrem.Servers[0].Certificates[0].Services: Services "IIS, SMTPS": unknown service "SMTPS"; use None, IMAP, POP, UM, IIS, SMTP, Federation or UMCallRouter`},
		{name: "WrongTime", src: "Clock: tomorrow\n",
			want: `lab.yaml:1: Clock: want a time in RFC 3339 form such as 2026-01-05T09:00:00Z, got "tomorrow"`},
		{name: "ListForMapping", src: "OnPrem: [a]\n",
			want: "lab.yaml:1: OnPrem: want a mapping of properties, got a list"},
		{name: "DuplicateProperty", src: "Clock: 2026-01-05T09:00:00Z\nclock: 2026-01-06T09:00:00Z\n",
			want: `lab.yaml:2: clock: property "clock" given twice (first on line 1)`},
		{name: "UnknownBase", src: "Base: defualt\n",
			want: `lab.yaml:1: Base: unknown base "defualt"; write Base: default to start from the default lab, or leave Base out`},
		{name: "UnknownProfile", src: "Certificates:\n  - Name: x\n    Profile: trusty\n",
			want: `lab.yaml:3: Certificates[0].Profile: unknown profile "trusty"; use one of trusted, wildcard, internal-ca, untrusted-root, self-signed, expired, not-yet-valid, wrong-host, no-cn, revoked, leaf-only, expired-intermediate, renewed-same-name, renewed-new-issuer, no-private-key`},
		{name: "DanglingCertificate", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: hybird\n",
			want: `lab.yaml:6: OnPrem.Servers[0].Certificates[0].Certificate: no certificate named "hybird"; name one of the lab's Certificates`},
		{name: "DanglingServer", src: "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Server: EX02\n      Name: Default Frontend EX02\n",
			want: `lab.yaml:4: OnPrem.ReceiveConnectors[0].Server: no server named "EX02" in Contoso; name one of its Servers`},
		{name: "DanglingEdge", src: "Base: default\nOnPrem:\n  EdgeSubscriptions: [EX01]\n",
			want: `lab.yaml:3: OnPrem.EdgeSubscriptions[0]: no Edge server named "EX01" in Contoso; name a server whose Role is Edge`},
		{name: "TwoErrors", src: "Clock: tomorrow\nBase: default\nOnPrem:\n  EdgeSubscriptions: [EX01]\n  Servers:\n    - Name: EX01\n      Role: Mailbox\n      Fqdn: [x]\n",
			want: "lab.yaml:1: Clock: want a time in RFC 3339 form such as 2026-01-05T09:00:00Z, got \"tomorrow\"\nlab.yaml:8: OnPrem.Servers[0].Fqdn: want text, got a list"},
		// Found when the lab starts: the fakes' validation, attributed to the object's line.
		{name: "CmdletValidation", src: connector + "      AuthMechanism: ExchangeServer\n      RequireTLS: $true\n",
			want: `lab.yaml:6: OnPrem.ReceiveConnectors[0].RequireTLS: receive connector "EX01\Default Frontend EX01": RequireTLS: The Receive connector requires TLS before the MailFrom command can be run. However, the connector is not configured to accept TLS. Check the authentication setting of this connector.`},
		{name: "UnknownAuthority", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      TrustedRoots: [CN=Nobody]\n",
			want: `lab.yaml:5: OnPrem.Servers[0].TrustedRoots: no authority is named "CN=Nobody"; the lab's authorities are ` +
				`"CN=Hybridsim Root Certification Authority, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US", "CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US", ` +
				`"CN=Hybridsim RSA TLS Issuing CA G2, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US", "CN=Hybridsim TLS Issuing CA 0, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US", ` +
				`"CN=Contoso-DC01-CA, DC=contoso, DC=com", "CN=Hybridsim Cloud Root CA, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US", ` +
				`"CN=Hybridsim Cloud TLS Issuing CA 1, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US", "CN=Hybridsim Unlisted Root CA, OU=Simulated PKI, O=Hybridsim Unlisted Provider, C=US"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("lab.yaml", []byte(tc.src))
			if err == nil {
				var l *Lab
				if l, err = New(cfg); err == nil {
					l.Close()
				}
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("lab file:\n%s\nerror:\n got %v\nwant %s", tc.src, err, tc.want)
			}
		})
	}
}

// TestLabFileOverrides: a file with Base: default changes only what it
// names, by identity, and keeps the rest of the default lab.
func TestLabFileOverrides(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte(`Base: default
OnPrem:
  ReceiveConnectors:
    - Server: EX01
      Name: Default Frontend EX01
      TlsCertificateName: $null
  Mailboxes:
    - Name: Dave
      PrimarySmtpAddress: dave@contoso.com
EXO:
  Tenants:
    - Name: contoso
      RejectDirectSend: True
`))
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultConfig()
	fe := cfg.OnPrem.ReceiveConnectors[0]
	if fe.Name != "Default Frontend EX01" || fe.TlsCertificateName != "" || strings.Join(fe.TlsDomainCapabilities, ",") != "mail.protection.outlook.com:AcceptCloudServicesMail" ||
		strings.Join(fe.Bindings, ",") != "0.0.0.0:25" {
		t.Errorf("Default Frontend EX01 after the override = %+v", fe)
	}
	if got := len(cfg.OnPrem.ReceiveConnectors); got != len(def.OnPrem.ReceiveConnectors) {
		t.Errorf("%d receive connectors, want the default lab's %d", got, len(def.OnPrem.ReceiveConnectors))
	}
	if got := cfg.OnPrem.Mailboxes; len(got) != 2 || got[0].PrimarySmtpAddress != "bob@contoso.com" || got[1].PrimarySmtpAddress != "dave@contoso.com" {
		t.Errorf("mailboxes = %+v, want Bob and the added Dave", got)
	}
	if tn := cfg.EXO.Tenants[0]; !tn.RejectDirectSend || len(tn.InboundConnectors) != 1 || tn.InitialDomain != "contoso.onmicrosoft.com" {
		t.Errorf("tenant = %+v, want the default tenant with RejectDirectSend", tn)
	}
}

// FuzzParse: no lab file, however broken, panics the loader; one it
// accepts clones to an equal configuration.
func FuzzParse(f *testing.F) {
	f.Add(string(DefaultLabFile))
	f.Add("Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n      TlsCertificateName: $null\n")
	f.Add("Clock: 2026-01-05T09:00:00Z\nCertificates:\n  - Name: x\n    Profile: expired\n")
	f.Add("OnPrem: {Servers: [{Name: A, IPAddresses: [1.2.3.4], Certificates: [{Certificate: x, Services: '{IIS, SMTP}'}]}]}\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := Parse("fuzz.yaml", []byte(src))
		if err != nil {
			if err.Error() == "" {
				t.Errorf("Parse(%q): an empty error", src)
			}
			return
		}
		_ = cfg.Clone()
	})
}

// TestLabFileAliasBomb: aliases that would expand a small file into a
// million values stop at the decoder's budget, with an error, at once.
func TestLabFileAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("OnPrem:\n  Servers:\n    - &s {Name: S, Certificates: [")
	b.WriteString(strings.Repeat("{Certificate: hybrid}, ", 999) + "{Certificate: hybrid}]}\n")
	b.WriteString("    - " + strings.Repeat("*s\n    - ", 999) + "*s\n")
	_, err := Parse("lab.yaml", []byte(b.String()))
	want := "lab.yaml:3: OnPrem.Servers[0].Certificates: two objects are named Certificate: hybrid in this list (the first on line 3); give each its own Certificate, or merge them into one\n" +
		"lab.yaml:3: OnPrem.Servers: two objects are named Name: S in this list (the first on line 3); give each its own Name, or merge them into one"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(alias bomb of one object) = %v, want %s", err, want)
	}
	// Distinct objects sharing an aliased list of a thousand values.
	b.Reset()
	b.WriteString("Certificates:\n  - {Name: c0, CertificateDomains: &d [")
	for i := range 1000 {
		fmt.Fprintf(&b, "h%d.contoso.com, ", i)
	}
	b.WriteString("x.contoso.com]}\n")
	for i := 1; i < 1000; i++ {
		fmt.Fprintf(&b, "  - {Name: c%d, CertificateDomains: *d}\n", i)
	}
	_, err = Parse("lab.yaml", []byte(b.String()))
	want = "lab.yaml:201: Certificates[199].CertificateDomains: the file expands to too many values or nests too deeply (YAML aliases?); write the values out"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(alias bomb) = %v, want %s", err, want)
	}
}
