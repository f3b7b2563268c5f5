package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSenders: a non-Exchange client sends straight to the tenant's MX
// from its own address. Without a certificate Exchange Online treats it
// as Direct Send (F20's TLS requirement is not for it: it is not the
// on-premises organization); with RejectDirectSend it is refused; with
// the hybrid certificate the OnPremises connector attributes it.
func TestSenders(t *testing.T) {
	const base = "Base: default\nSenders:\n  - Name: app01.contoso.com\n    IPAddresses: [203.0.113.77]\n    MailFrom: scanner@contoso.com\n"
	tests := []struct {
		name, file  string
		wantRefusal string
		wantVerdict string
	}{
		{name: "DirectSend", file: base, wantVerdict: "contoso MAIL FROM"},
		{name: "RejectDirectSend", file: base + "EXO:\n  Tenants:\n    - Name: contoso\n      RejectDirectSend: $true\n",
			wantRefusal: "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources", wantVerdict: "contoso MAIL FROM"},
		{name: "ClientCertificate", file: base + "    Certificate: hybrid\n",
			wantVerdict: "contoso TlsSenderCertificateName Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("lab.yaml", []byte(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			l, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			res, err := l.SendFrom("app01.contoso.com", []string{"alice@contoso.com"}, "scan")
			if err != nil {
				t.Fatal(err)
			}
			if res.Refusal != tc.wantRefusal {
				t.Errorf("refusal = %q, want %q", res.Refusal, tc.wantRefusal)
			}
			if tc.wantRefusal == "" && !delivered(t, l, res.MessageID) {
				t.Errorf("message %s not delivered:\n%s", res.MessageID, l.Trace(res.MessageID))
			}
			v := l.EXO.Verdicts()
			if len(v) != 1 {
				t.Fatalf("verdicts = %+v, want one", v)
			}
			got := v[0].Tenant + " " + v[0].Rule
			if v[0].Connector != "" {
				got += " " + v[0].Connector
			}
			if diff := cmp.Diff(tc.wantVerdict, got); diff != "" || v[0].Source != "203.0.113.77" {
				t.Errorf("verdict from %s (-want +got):\n%s", v[0].Source, diff)
			}
		})
	}
}

// TestSenderErrors: a sender's mistakes name the file, line and field.
func TestSenderErrors(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{name: "NoAddress", file: "Base: default\nSenders:\n  - Name: app01.contoso.com\n    MailFrom: scanner@contoso.com\n",
			want: "lab.yaml:3: Senders[0].IPAddresses: sender app01.contoso.com has no address; give IPAddresses: [203.0.113.50]"},
		{name: "UnknownCertificate", file: "Base: default\nSenders:\n  - Name: app01.contoso.com\n    IPAddresses: [203.0.113.77]\n    MailFrom: scanner@contoso.com\n    Certificate: hybird\n",
			want: `lab.yaml:6: Senders[0].Certificate: no certificate named "hybird"; name one of the lab's Certificates`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("lab.yaml", []byte(tc.file))
			if err == nil {
				var l *Lab
				if l, err = New(cfg); err == nil {
					l.Close()
				}
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v\nwant %s", err, tc.want)
			}
		})
	}
}
