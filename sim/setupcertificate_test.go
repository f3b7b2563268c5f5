package sim

import "testing"

// TestSetupCertificateConstructs: a lab file says a server has no setup
// certificate (Remove: $true on the entry named Microsoft Exchange) or an
// empty internal transport certificate thumbprint ($null, as against
// leaving it out); misuse gets a whole error naming file, line and field.
func TestSetupCertificateConstructs(t *testing.T) {
	tests := []struct {
		name, src  string
		selfSigned bool   // EX01 holds setup's certificate
		internal   string // "setup", "empty" or a thumbprint
	}{
		{name: "Absent", src: "Base: default\n", selfSigned: true, internal: "setup"},
		{name: "NullThumbprint", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      TransportService:\n        InternalTransportCertificateThumbprint: $null\n",
			selfSigned: true, internal: "empty"},
		{name: "EmptyThumbprint", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      TransportService:\n        InternalTransportCertificateThumbprint: ''\n",
			selfSigned: true, internal: "empty"},
		{name: "SetupRemoved", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: Microsoft Exchange\n          Remove: $true\n      TransportService:\n        InternalTransportCertificateThumbprint: 624BE7FC0D4CDCE82B772CC2069613598F5209D3\n",
			internal: "624BE7FC0D4CDCE82B772CC2069613598F5209D3"},
		{name: "SetupRemovedNoThumbprint", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: microsoft exchange\n          Remove: $true\n",
			internal: "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("lab.yaml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			l, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			certs, err := l.OnPrem.GetExchangeCertificate("EX01", "")
			if err != nil {
				t.Fatal(err)
			}
			setup := ""
			for _, c := range certs {
				if c.Certificate.IsSelfSigned() && c.Certificate.Subject() == "CN=EX01" {
					setup = c.Certificate.Thumbprint()
				}
			}
			if got := setup != ""; got != tc.selfSigned {
				t.Errorf("setup's certificate in EX01's store = %v, want %v", got, tc.selfSigned)
			}
			if len(certs) == 0 {
				t.Errorf("EX01's store is empty; want the default lab's hybrid certificate at least")
			}
			ts, err := l.OnPrem.GetTransportService("EX01")
			if err != nil {
				t.Fatal(err)
			}
			want := tc.internal
			switch want {
			case "setup":
				want = setup
			case "empty":
				want = ""
			}
			if ts.InternalTransportCertificateThumbprint != want {
				t.Errorf("InternalTransportCertificateThumbprint = %q, want %q", ts.InternalTransportCertificateThumbprint, want)
			}
			// EDGE01, which the file does not touch, keeps setup's certificate.
			edge, err := l.OnPrem.GetTransportService("EDGE01")
			if err != nil || edge.InternalTransportCertificateThumbprint == "" {
				t.Errorf("EDGE01's internal certificate = %q, %v; want setup's", edge.InternalTransportCertificateThumbprint, err)
			}
		})
	}

	for _, tc := range []struct{ name, src, want string }{
		{name: "RemoveFalse", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: Microsoft Exchange\n          Remove: $false\n",
			want: `lab.yaml:7: OnPrem.Servers[0].Certificates.Remove: Remove takes only $true, got "$false"; leave Remove out to keep the object`},
		{name: "RemoveWithServices", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: Microsoft Exchange\n          Services: SMTP\n          Remove: $true\n",
			want: `lab.yaml:7: OnPrem.Servers[0].Certificates.Services: an object with Remove: $true gives only its identity (Certificate); drop "Services" or the Remove`},
		{name: "RemoveOtherName", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: Microsoft Exchang\n          Remove: $true\n",
			want: `lab.yaml:6: OnPrem.Servers[0].Certificates: Remove: $true names no object the lab has (Certificate: Microsoft Exchang); check the spelling against the default lab (sim/default-lab.yaml)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("lab.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse() error = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestSetupCertificateGo: Go code says the same with StoreEntry's Remove;
// Remove on any other entry is refused.
func TestSetupCertificateGo(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OnPrem.Servers[0].Certificates = append(cfg.OnPrem.Servers[0].Certificates, StoreEntry{Certificate: SetupCertificate, Remove: true})
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := l.OnPrem.GetExchangeCertificate("EX01", "")
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range certs {
		if c.Certificate.IsSelfSigned() {
			t.Errorf("EX01 holds the self-signed %s; want setup's certificate gone", c.Certificate.Subject())
		}
	}

	cfg = DefaultConfig()
	cfg.OnPrem.Servers[0].Certificates[0].Remove = true
	_, err = New(cfg)
	want := `default-lab.yaml:40: OnPrem.Servers[0].Certificates[0].Remove: Remove keeps only setup's certificate (Certificate: Microsoft Exchange) out of a store; take the entry for "hybrid" out of the list instead`
	if err == nil || err.Error() != want {
		t.Errorf("New() error = %v\nwant %s", err, want)
	}
}
