package fakeonprem

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// hybridMessage is what EXO sends to on-prem with CloudServicesMailEnabled: its organization
// headers converted to CrossPremises ones, and one forged organization header.
const hybridMessage = "From: carol@contoso.com\r\nTo: alice@contoso.com\r\nSubject: from the cloud\r\n" +
	"Message-ID: <cloud-1@contoso.onmicrosoft.com>\r\n" +
	"X-MS-Exchange-CrossPremises-AuthAs: Internal\r\nX-MS-Exchange-CrossPremises-OriginalSender: carol\r\n" +
	"X-MS-Exchange-Organization-SCL: -1\r\n\r\nhello\r\n"

// TestCloudServicesMail: a Default Frontend with TlsDomainCapabilities
// mail.protection.outlook.com:AcceptCloudServicesMail grants it once EXO's certificate
// validates on the server; then the CrossPremises headers are promoted and the message is
// Internal (§7, S16). Otherwise the header firewall strips them and the message is Anonymous;
// a certificate that names the domain but does not validate is refused at MAIL (F07).
func TestCloudServicesMail(t *testing.T) {
	l := newLab(t)
	msRoot, _ := l.pki.Authority(pki.MicrosoftRootCA)
	tests := []struct {
		name    string
		hybrid  bool // the HCW's Default Frontend
		roots   func(trust pki.TrustStore) []*x509.Certificate
		offline bool
		err     string // the refusal, "" for delivered
		headers map[string]string
	}{
		{name: "Granted", hybrid: true, headers: map[string]string{
			"X-MS-Exchange-Organization-AuthAs": "Internal", "X-MS-Exchange-Organization-OriginalSender": "carol",
			"X-MS-Exchange-Organization-SCL": "", "X-MS-Exchange-CrossPremises-AuthAs": ""}},
		{name: "NoCapability", hybrid: false, headers: map[string]string{
			"X-MS-Exchange-Organization-AuthAs": "Anonymous", "X-MS-Exchange-Organization-OriginalSender": "",
			"X-MS-Exchange-Organization-SCL": "", "X-MS-Exchange-CrossPremises-AuthAs": ""}},
		{name: "MicrosoftRootMissingF07", hybrid: true, roots: func(trust pki.TrustStore) []*x509.Certificate {
			var out []*x509.Certificate
			for _, r := range trust.Roots {
				if r != msRoot.Cert {
					out = append(out, r)
				}
			}
			return out
		}, err: "454 4.7.5 Certificate Validation Failure"},
		{name: "CRLUnreachableF07", hybrid: true, offline: true, err: "454 4.7.5 Certificate Validation Failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			cfg := contoso()
			if tt.hybrid {
				cfg.ReceiveConnectors = hybridFrontend("")
			}
			if tt.roots != nil {
				cfg.Servers[0].TrustedRoots = tt.roots(l.pki.OnPremTrust())
			}
			cfg.Servers[0].RevocationOffline = tt.offline
			o := l.start(cfg)
			err := l.exoSend(frontend, "carol@contoso.com", "alice@contoso.com", hybridMessage)
			var se *smtp.SMTPError
			switch {
			case tt.err != "" && (!errors.As(err, &se) || replyText(se) != tt.err):
				t.Fatalf("send = %v, want the reply %q", err, tt.err)
			case tt.err == "" && err != nil:
				t.Fatalf("send = %v", err)
			case tt.err != "":
				return
			}
			o.WaitIdle()
			msgs, _ := o.GetMessages("alice@contoso.com")
			if len(msgs) != 1 {
				t.Fatalf("alice has %d messages, want 1", len(msgs))
			}
			got := map[string]string{}
			for k := range tt.headers {
				got[k] = msgs[0].Header.Get(k)
			}
			if diff := cmp.Diff(tt.headers, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReceiveReplies: the receive connectors' refusals, whole (S4, S13, C11).
func TestReceiveReplies(t *testing.T) {
	tests := []struct {
		name       string
		addr       string
		requireTLS bool
		steps      [][2]string
	}{
		{name: "RelayRefused", addr: frontend, steps: [][2]string{{"MAIL FROM:<a@fabrikam.com>", "250 2.1.0 Sender OK"},
			{"RCPT TO:<kate@fabrikam.com>", "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"}}},
		{name: "UnknownUser", addr: frontend, steps: [][2]string{{"MAIL FROM:<a@fabrikam.com>", "250 2.1.0 Sender OK"},
			{"RCPT TO:<nobody@contoso.com>", "550 5.1.1 User unknown"}}},
		{name: "MailboxAndRemoteMailbox", addr: frontend, steps: [][2]string{{"MAIL FROM:<a@fabrikam.com>", "250 2.1.0 Sender OK"},
			{"RCPT TO:<alice@contoso.com>", "250 2.1.5 Recipient OK"}, {"RCPT TO:<bob@contoso.com>", "250 2.1.5 Recipient OK"}}},
		{name: "ClientFrontendNeedsAuthentication", addr: "ex01.contoso.com:587", steps: [][2]string{
			{"MAIL FROM:<a@fabrikam.com>", "530 5.7.1 Client was not authenticated"}}},
		{name: "RequireTLS", addr: frontend, requireTLS: true, steps: [][2]string{
			{"MAIL FROM:<a@fabrikam.com>", "451 5.7.3 Must issue a STARTTLS command first"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			o := l.start(contoso())
			if tt.requireTLS {
				if err := o.SetReceiveConnector(`EX01\Default Frontend EX01`, func(c *ReceiveConnector) { c.RequireTLS = true }); err != nil {
					t.Fatal(err)
				}
			}
			c := l.dialRaw("mail.fabrikam.com", tt.addr)
			c.reply()
			c.cmd("EHLO mail.fabrikam.com")
			var got, want []string
			for _, s := range tt.steps {
				got, want = append(got, c.cmd(s[0])), append(want, s[1])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
		})
	}
}
