package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

// TestHandshakeOrder: a certificate the frontend's TlsCertificateName
// chooses but that is not enabled for SMTP fails the handshake on the
// on-premises side (UnknownCredentials in its receive log) before Exchange
// Online judges the chain: EXO does not report the certificate's wrong
// name (SubjectMismatch) it never received; enabling SMTP (the documented
// fix of that symptom, KB 4051498) clears it, and only then does the
// chain's own symptom show.
func TestHandshakeOrder(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte("Base: default\nCertificates:\n  - Name: other\n    Profile: wrong-host\nOnPrem:\n  Servers:\n    - Name: EX01\n      Certificates:\n        - Certificate: other\n          Services: IIS\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	other := l.Certificates["other"]
	if err := l.OnPrem.SetReceiveConnector(`EX01\Default Frontend EX01`, func(c *fakeonprem.ReceiveConnector) {
		c.TlsCertificateName = other.TlsCertificateName().String()
	}); err != nil {
		t.Fatal(err)
	}
	_, err = l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "order of checks")
	if err != nil {
		t.Fatal(err)
	}
	const wantEXO = "450 4.4.317 Cannot connect to remote server [Message=451 4.4.0 TLS negotiation failed with error SocketError] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-2;-2] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]"
	if got := exoLastError(t, l); got != wantEXO {
		t.Errorf("EXO's queue, certificate not enabled for SMTP:\n got %s\nwant %s", got, wantEXO)
	}
	if !receiveLogHas(t, l, "*,,TLS negotiation failed with error UnknownCredentials") {
		t.Errorf("EX01's receive log has no UnknownCredentials")
	}
	// The fix of that symptom: enable SMTP. Now EXO judges the chain.
	if err := l.OnPrem.EnableExchangeCertificate("EX01", other.Thumbprint(), fakeonprem.IIS|fakeonprem.SMTP, false); err != nil {
		t.Fatal(err)
	}
	l.Advance(15 * time.Minute)
	wantMismatch := "450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: *.contoso.com. Presented Subject: CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US. Thumbprint: " +
		other.Thumbprint() + ".] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:15:00.000Z 08DE4BBD2C75AA00]"
	if got := exoLastError(t, l); got != wantMismatch {
		t.Errorf("EXO's queue after SMTP is enabled:\n got %s\nwant %s", got, wantMismatch)
	}
}

func exoLastError(t testing.TB, l *Lab) string {
	t.Helper()
	org, err := l.EXO.Organization("contoso")
	if err != nil {
		t.Fatal(err)
	}
	last := ""
	for _, row := range org.GetMessageTrace() {
		details, _ := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
		for _, d := range details {
			if d.Event == "DEFER" {
				last = d.Detail
			}
		}
	}
	_, led, _ := strings.Cut(last, "{LED=")
	led, _, _ = strings.Cut(led, "};")
	return led
}

func receiveLogHas(t testing.TB, l *Lab, tail string) bool {
	t.Helper()
	records, err := l.OnPrem.ProtocolLog("EX01", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		if s := r.String(); len(s) >= len(tail) && s[len(s)-len(tail):] == tail {
			return true
		}
	}
	return false
}
