package sim

import (
	"strings"
	"testing"
)

// TestLabFileConstructErrors: the new constructs' error paths, each naming
// the file, the field's own line and the file's own index, in plain words;
// those found when the lab starts too.
func TestLabFileConstructErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{name: "DuplicateServer", src: "OnPrem:\n  Servers:\n    - Name: EX01\n      Role: Mailbox\n    - Name: ex01\n      Role: Mailbox\n",
			want: "lab.yaml:5: OnPrem.Servers: two objects are named Name: ex01 in this list (the first on line 3); give each its own Name, or merge them into one"},
		{name: "DuplicateCertificate", src: "Certificates:\n  - Name: a\n  - Name: b\n  - Name: A\n",
			want: "lab.yaml:4: Certificates: two objects are named Name: A in this list (the first on line 2); give each its own Name, or merge them into one"},
		{name: "DuplicateMailboxWithBase", src: "Base: default\nOnPrem:\n  Mailboxes:\n    - Name: Dave\n      PrimarySmtpAddress: dave@contoso.com\n    - Name: Dave\n      PrimarySmtpAddress: david@contoso.com\n",
			want: "lab.yaml:6: OnPrem.Mailboxes: two objects are named Name: Dave in this list (the first on line 4); give each its own Name, or merge them into one"},
		{name: "BinaryInput", src: "Clock: 2026-01-05T09:00:00Z\nOnPrem:\n  Name: \x00\x01\x02\n",
			want: "lab.yaml:3: YAML syntax: control characters are not allowed; a lab file is UTF-8 text without control characters"},
		{name: "FileIndexWithBase", src: "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Server: EX01\n      Name: Relay EX01\n      Bindings: 0.0.0.0:2525\n    - Server: EX02\n      Name: Default Frontend EX02\n",
			want: `lab.yaml:7: OnPrem.ReceiveConnectors[1].Server: no server named "EX02" in Contoso; name one of its Servers`},
		{name: "WrongCertificateName", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      TransportService:\n        InternalTransportCertificateThumbprint: hybird\n",
			want: `lab.yaml:6: OnPrem.Servers[0].TransportService.InternalTransportCertificateThumbprint: "hybird" is neither a thumbprint nor the Name of a certificate in EX01's store (it holds `},
		{name: "InheritedObjectNamesThisFile", src: "Base: default\nCertificates:\n",
			want: `lab.yaml: OnPrem.Servers[0].Certificates[0].Certificate: no certificate named "hybrid"; name one of the lab's Certificates (an object this file inherits from the default lab, default-lab.yaml:40: override it here, or take it out with Remove: $true)`},
		{name: "StartErrorPlainWords", src: "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n      AuthMechanism: ExchangeServer\n      RequireTLS: $true\n",
			want: `lab.yaml:6: OnPrem.ReceiveConnectors[0].RequireTLS: receive connector "EX01\Default Frontend EX01": RequireTLS: The Receive connector requires TLS before the MailFrom command can be run. However, the connector is not configured to accept TLS. Check the authentication setting of this connector.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("lab.yaml", []byte(tc.src))
			if err == nil {
				var l *Lab
				l, err = New(cfg)
				if err == nil {
					l.Close()
				}
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			// The thumbprint error lists what the store holds: compare up to it.
			if strings.HasSuffix(tc.want, "(it holds ") && len(got) >= len(tc.want) {
				got = got[:len(tc.want)]
			}
			if got != tc.want {
				t.Errorf("error:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLabFileTooLarge: a file over the size limit is refused before it is
// parsed, with a clear error.
func TestLabFileTooLarge(t *testing.T) {
	data := []byte("# " + strings.Repeat("x", MaxLabFileSize) + "\n")
	_, err := Parse("big.yaml", data)
	want := "big.yaml: the file is 1048579 bytes; a lab file may be at most 1048576: describe the deployment's servers, certificates and connectors, not data"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(1 MiB) = %v, want %s", err, want)
	}
}

// TestLabFileNamesForThumbprints: a certificate's Name stands for its
// thumbprint (InternalTransportCertificateThumbprint) and for its
// "<I>issuer<S>subject" (TlsCertificateName).
func TestLabFileNamesForThumbprints(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte("Base: default\nCertificates:\n  - Name: other\n    Profile: wrong-host\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: other\n          Services: SMTP\n      TransportService:\n        InternalTransportCertificateThumbprint: hybrid\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n      TlsCertificateName: other\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ts, err := l.OnPrem.GetTransportService("EX01")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ts.InternalTransportCertificateThumbprint, l.Certificates["hybrid"].Thumbprint(); got != want {
		t.Errorf("InternalTransportCertificateThumbprint = %s, want hybrid's %s", got, want)
	}
	rc, err := l.OnPrem.GetReceiveConnector(`EX01\Default Frontend EX01`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rc[0].TlsCertificateName, l.Certificates["other"].TlsCertificateName().String(); got != want {
		t.Errorf("TlsCertificateName = %s, want %s", got, want)
	}
}
