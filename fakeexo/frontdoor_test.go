package fakeexo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/textproto"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// routingMX is contoso's hybrid routing domain's MX host, where on-prem's
// "Outbound to Office 365" connector sends (S14).
const routingMX = "contoso-mail-onmicrosoft-com.mail.protection.outlook.com"

// dialFrontDoor connects to the front door on behalf of a lab host.
func (l *testLab) dialFrontDoor(from string) net.Conn {
	l.t.Helper()
	c, err := l.net.DialFrom(context.Background(), from, routingMX+":25")
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { c.Close() })
	return c
}

// clientTLS is what a sender uses to reach the front door: EXO's roots, the
// lab's clock, and a client certificate from the pki (none for "").
func (l *testLab) clientTLS(profile pki.Profile) *tls.Config {
	l.t.Helper()
	cfg := l.svc.ClientTLSConfig()
	cfg.ServerName = routingMX
	if profile != "" {
		c := l.certs[profile]
		if c.Key == nil {
			l.t.Fatalf("profile %s has no key to present", profile)
		}
		tc, err := c.TLS()
		if err != nil {
			l.t.Fatal(err)
		}
		if profile == pki.InternalCA {
			tc.Certificate = append(tc.Certificate, c.Root.Raw) // the enterprise root sent along (F14)
		}
		cfg.Certificates = []tls.Certificate{tc}
	}
	return cfg
}

// transcript speaks SMTP by hand and records each command's reply.
type transcript struct {
	t    testing.TB
	text *textproto.Conn
	conn net.Conn
}

func (tr *transcript) reply() string {
	tr.t.Helper()
	var lines []string
	for {
		line, err := tr.text.ReadLine()
		if err != nil {
			tr.t.Fatalf("reading a reply after %q: %v", lines, err)
		}
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

func (tr *transcript) cmd(line string) string {
	tr.t.Helper()
	if err := tr.text.PrintfLine("%s", line); err != nil {
		tr.t.Fatal(err)
	}
	return tr.reply()
}

func (tr *transcript) startTLS(cfg *tls.Config) {
	tr.t.Helper()
	tc := tls.Client(tr.conn, cfg)
	if err := tc.Handshake(); err != nil {
		tr.t.Fatal(err)
	}
	tr.conn, tr.text = tc, textproto.NewConn(tc)
}

// TestFrontDoorHybridMail: contoso's on-prem server sends to a cloud mailbox
// as the HCW's connectors expect (STARTTLS, its *.contoso.com-matching
// certificate): EXO's banner and EHLO lists (§11), the queued reply, and in
// the mailbox the header firewall and promotion of §7.
func TestFrontDoorHybridMail(t *testing.T) {
	lab := newLab(t, Config{})
	conn := lab.dialFrontDoor("mail.contoso.com")
	tr := &transcript{t: t, text: textproto.NewConn(conn), conn: conn}
	var got []string
	got = append(got, tr.reply(), tr.cmd("EHLO mail.contoso.com"), tr.cmd("STARTTLS"))
	tr.startTLS(lab.clientTLS(pki.Trusted))
	got = append(got, tr.cmd("EHLO mail.contoso.com"), tr.cmd("MAIL FROM:<kate@contoso.com>"),
		tr.cmd("RCPT TO:<adele@contoso.mail.onmicrosoft.com>"), tr.cmd("DATA"),
		tr.cmd("Message-ID: <hybrid-1@mail.contoso.com>\r\n"+
			"X-MS-Exchange-Organization-SCL: -1\r\n"+
			"X-MS-Exchange-CrossPremises-AuthAs: Internal\r\n"+
			"X-MS-Exchange-CrossPremises-OriginalClientIPAddress: 10.0.0.7\r\n"+
			"Subject: From on-prem\r\n\r\nHello from Exchange Server.\r\n."),
		tr.cmd("QUIT"))
	want := []string{
		"220 SIM1EUR01FT001.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 5 Jan 2026 09:00:00 +0000 [08DE4BBB14049000]",
		"250-SIM1EUR01FT001.mail.protection.outlook.com Hello [203.0.113.10]\n250-SIZE 157286400\n250-PIPELINING\n250-DSN\n" +
			"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250 SMTPUTF8",
		"220 2.0.0 SMTP server ready",
		"250-SIM1EUR01FT001.mail.protection.outlook.com Hello [203.0.113.10]\n250-SIZE 157286400\n250-PIPELINING\n250-DSN\n" +
			"250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250 SMTPUTF8",
		"250 2.1.0 Sender OK",
		"250 2.1.5 Recipient OK",
		"354 Start mail input; end with <CRLF>.<CRLF>",
		"250 2.6.0 <hybrid-1@mail.contoso.com> [InternalId=901943135001, Hostname=SIMPR01MB0001.eurprd01.prod.outlook.com] 240 bytes in 0.006, 39.062 KB/sec Queued mail for delivery",
		"221 2.0.0 Service closing transmission channel",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	lab.svc.WaitIdle()
	inbox, err := lab.svc.Mailbox("adele@contoso.com")
	if err != nil || len(inbox) != 1 {
		t.Fatalf("Mailbox(adele) = %d messages, %v; want 1", len(inbox), err)
	}
	wantData := "X-MS-Exchange-Organization-AuthAs: Internal\r\n" +
		"X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n" +
		"X-MS-Exchange-Organization-AuthMechanism: 10\r\n" +
		"X-CrossPremisesHeadersPromoted: SIM1EUR01FT001.mail.protection.outlook.com\r\n" +
		"X-CrossPremisesHeadersFiltered: SIM1EUR01FT001.mail.protection.outlook.com\r\n" +
		"Message-ID: <hybrid-1@mail.contoso.com>\r\n" +
		"X-MS-Exchange-Organization-OriginalClientIPAddress: 10.0.0.7\r\n" +
		"Subject: From on-prem\r\n\r\nHello from Exchange Server.\r\n"
	if diff := cmp.Diff(wantData, string(inbox[0].Data)); diff != "" {
		t.Errorf("stored message (-want +got):\n%s", diff)
	}
	wantVerdicts := []Verdict{{SessionID: "08DE4BBB14049000", Time: pki.DefaultTime, Source: "203.0.113.10",
		Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", MailFrom: "kate@contoso.com",
		Tenant: "contoso", Connector: "Inbound from " + hcwGUID, Rule: "TlsSenderCertificateName"}}
	if diff := cmp.Diff(wantVerdicts, lab.svc.Verdicts()); diff != "" {
		t.Errorf("Verdicts() (-want +got):\n%s", diff)
	}
	var log []string
	for _, r := range lab.svc.ProtocolLog("08DE4BBB14049000") {
		log = append(log, r.String())
	}
	// The one-record certificate forms, the TLS record and timestamps advancing by the
	// modelled latency (real-artifacts §1.3, §1.7, §1.8).
	wantLog := strings.Split(`2026-01-05T09:00:00.000Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,0,198.51.100.25:25,203.0.113.10:49152,+,,
2026-01-05T09:00:00.000Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,1,198.51.100.25:25,203.0.113.10:49152,>,"220 SIM1EUR01FT001.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 5 Jan 2026 09:00:00 +0000 [08DE4BBB14049000]",
2026-01-05T09:00:00.001Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,2,198.51.100.25:25,203.0.113.10:49152,<,EHLO mail.contoso.com,
2026-01-05T09:00:00.001Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,3,198.51.100.25:25,203.0.113.10:49152,>,250  SIM1EUR01FT001.mail.protection.outlook.com Hello [203.0.113.10] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8,
2026-01-05T09:00:00.002Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,4,198.51.100.25:25,203.0.113.10:49152,<,STARTTLS,
2026-01-05T09:00:00.002Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,5,198.51.100.25:25,203.0.113.10:49152,>,220 2.0.0 SMTP server ready,
2026-01-05T09:00:00.002Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,6,198.51.100.25:25,203.0.113.10:49152,*," CN=mail.protection.outlook.com, O=Microsoft Corporation, L=Redmond, S=Washington, C=US CN=Hybridsim Cloud TLS Issuing CA 1, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US 48530F4BF1A844CD9A3111BD5766A15A 38DFF0E9EF6C6C813B329AA79BFFCE985AF2EB08 2025-11-06T00:00:00.000Z 2026-11-05T23:59:59.000Z mail.protection.outlook.com;*.mail.protection.outlook.com;*.outbound.protection.outlook.com",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names
2026-01-05T09:00:00.006Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,7,198.51.100.25:25,203.0.113.10:49152,*,,"TLS protocol SP_PROT_TLS1_3_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 255 bits"
2026-01-05T09:00:00.006Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,8,198.51.100.25:25,203.0.113.10:49152,*," CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US 4853B78DB5E1FD76101BCDBB9132007D 630621D440D0680126CE78C1D468E3CAED7DF1F5 2025-07-09T00:00:00.000Z 2026-07-08T23:59:59.000Z mail.contoso.com;autodiscover.contoso.com",Remote certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names
2026-01-05T09:00:00.007Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,9,198.51.100.25:25,203.0.113.10:49152,<,EHLO mail.contoso.com,
2026-01-05T09:00:00.007Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,10,198.51.100.25:25,203.0.113.10:49152,>,250  SIM1EUR01FT001.mail.protection.outlook.com Hello [203.0.113.10] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING SMTPUTF8,
2026-01-05T09:00:00.008Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,11,198.51.100.25:25,203.0.113.10:49152,<,MAIL FROM:<kate@contoso.com>,
2026-01-05T09:00:00.008Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,12,198.51.100.25:25,203.0.113.10:49152,>,250 2.1.0 Sender OK,
2026-01-05T09:00:00.009Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,13,198.51.100.25:25,203.0.113.10:49152,<,RCPT TO:<adele@contoso.mail.onmicrosoft.com>,
2026-01-05T09:00:00.009Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,14,198.51.100.25:25,203.0.113.10:49152,>,250 2.1.5 Recipient OK,
2026-01-05T09:00:00.010Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,15,198.51.100.25:25,203.0.113.10:49152,<,DATA,
2026-01-05T09:00:00.010Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,16,198.51.100.25:25,203.0.113.10:49152,>,354 Start mail input; end with <CRLF>.<CRLF>,
2026-01-05T09:00:00.016Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,17,198.51.100.25:25,203.0.113.10:49152,>,"250 2.6.0 <hybrid-1@mail.contoso.com> [InternalId=901943135001, Hostname=SIMPR01MB0001.eurprd01.prod.outlook.com] 240 bytes in 0.006, 39.062 KB/sec Queued mail for delivery",
2026-01-05T09:00:00.017Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,18,198.51.100.25:25,203.0.113.10:49152,<,QUIT,
2026-01-05T09:00:00.017Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,19,198.51.100.25:25,203.0.113.10:49152,>,221 2.0.0 Service closing transmission channel,
2026-01-05T09:00:00.017Z,SIM1EUR01FT001\Front Door,08DE4BBB14049000,20,198.51.100.25:25,203.0.113.10:49152,-,,Local`, "\n")
	if diff := cmp.Diff(wantLog, log); diff != "" {
		t.Errorf("ProtocolLog (-want +got):\n%s", diff)
	}
}

// TestFrontDoorRefusals: the documented refusals as a go-smtp sender sees
// them on the wire.
func TestFrontDoorRefusals(t *testing.T) {
	tests := []struct {
		name     string
		tenant   func(Tenant) Tenant
		from     string      // lab host
		profile  pki.Profile // client certificate; "" for none
		startTLS bool
		withhold bool
		mailFrom string
		rcpt     string
		want     string // the refusal, whole
	}{
		{name: "RenamedCertificateRelay", from: "mail.contoso.com", profile: pki.WrongHost, startTLS: true,
			mailFrom: "kate@contoso.com", rcpt: "bob@fabrikam.net", want: relayDeniedWire},
		{name: "LeafOnlyRelay", from: "mail.contoso.com", profile: pki.LeafOnly, startTLS: true,
			mailFrom: "kate@contoso.com", rcpt: "bob@fabrikam.net", want: relayDeniedWire},
		{name: "CertificateNameNotAccepted", from: "mail.contoso.com", profile: pki.Trusted, startTLS: true,
			tenant:   func(t Tenant) Tenant { t.InboundConnectors[0].TlsSenderCertificateName = "mail.contoso.com"; return t },
			mailFrom: "kate@contoso.com", rcpt: "bob@fabrikam.net", want: "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958."},
		{name: "EnterpriseCertificate", from: "mail.contoso.com", profile: pki.InternalCA, startTLS: true,
			mailFrom: "kate@contoso.com", rcpt: "adele@contoso.com", want: "454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"},
		{name: "PartnerRestricted", from: "mail.contoso.com", profile: pki.WrongHost, startTLS: true,
			tenant: func(t Tenant) Tenant {
				t.InboundConnectors = append(t.InboundConnectors, InboundConnector{Name: "Contoso partner", ConnectorType: Partner,
					SenderDomains: []string{"contoso.com"}, TlsSenderCertificateName: "*.contoso.com", RestrictDomainsToCertificate: true, Enabled: true})
				return t
			},
			mailFrom: "kate@contoso.com", rcpt: "adele@contoso.mail.onmicrosoft.com",
			want: "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. " +
				"The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set " +
				"[SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]"},
		{name: "DirectSend", from: "mail.fabrikam.com", startTLS: true,
			tenant:   func(t Tenant) Tenant { t.RejectDirectSend = true; return t },
			mailFrom: "printer@contoso.com", rcpt: "adele@contoso.com",
			want: "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"},
		{name: "StartTLSWithheld", from: "mail.contoso.com", withhold: true,
			mailFrom: "kate@contoso.com", rcpt: "adele@contoso.com", want: "451 5.7.3 Must issue a STARTTLS command first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := contoso()
			if tt.tenant != nil {
				tenant = tt.tenant(tenant)
			}
			lab := newLab(t, Config{Tenants: []Tenant{tenant}})
			if tt.withhold {
				lab.svc.WithholdStartTLS(onPremAddr, true)
			}
			conn := lab.dialFrontDoor(tt.from)
			c := smtp.NewClient(conn)
			if tt.startTLS {
				var err error
				if c, err = smtp.NewClientStartTLS(conn, lab.clientTLS(tt.profile)); err != nil {
					t.Fatal(err)
				}
			}
			defer c.Close()
			err := c.Hello(tt.from)
			if ok, _ := c.Extension("STARTTLS"); ok && tt.withhold {
				t.Errorf("EHLO offers STARTTLS to a withheld source")
			}
			if err == nil {
				err = c.Mail(tt.mailFrom, nil)
			}
			if err == nil {
				err = c.Rcpt(tt.rcpt, nil)
			}
			if got := replyOf(err); got != tt.want {
				t.Errorf("refusal = %q, want %q", got, tt.want)
			}
			c.Quit()
		})
	}
}

// replyOf renders go-smtp's error as the reply on the wire.
func replyOf(err error) string {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return fmt.Sprint(err)
	}
	e := se.EnhancedCode
	return fmt.Sprintf("%d %d.%d.%d %s", se.Code, e[0], e[1], e[2], strings.ReplaceAll(se.Message, "\n", " "))
}

// TestRelayToInternet: on-prem relays through its tenant (S24) to an outside
// domain; EXO delivers by MX with opportunistic TLS (the server offers none
// here), through the header firewall.
func TestRelayToInternet(t *testing.T) {
	lab := newLab(t, Config{})
	lab.net.AddMX("fabrikam.net", 10, "mail.fabrikam.com")
	ln, err := lab.net.Listen(netip.AddrPortFrom(fabrikamAddr, 25))
	if err != nil {
		t.Fatal(err)
	}
	fabrikam := &onPrem{}
	fabrikam.srv, err = smtpd.NewServer(smtpd.Config{Listener: ln, Hostname: "mail.fabrikam.com", Clock: lab.clock, Policy: fabrikam.policy})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fabrikam.srv.Close() })

	c, err := smtp.NewClientStartTLS(lab.dialFrontDoor("mail.contoso.com"), lab.clientTLS(pki.Trusted))
	if err != nil {
		t.Fatal(err)
	}
	body := "Message-ID: <relay-1@mail.contoso.com>\r\nX-MS-Exchange-CrossPremises-AuthAs: Internal\r\nSubject: Out\r\n\r\nHi\r\n"
	if err := c.SendMail("kate@contoso.com", []string{"bob@fabrikam.net"}, strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	lab.svc.WaitIdle()
	if n := lab.runDue(); n != 1 {
		t.Fatalf("RunDue() = %d, want 1", n)
	}
	want := []LedgerEntry{{MessageID: "<relay-1@mail.contoso.com>", Recipient: "bob@fabrikam.net", Location: HandedOff, SessionID: "08DE4BBB14049010",
		Host: "mail.fabrikam.com [192.0.2.20]", Target: "bob@fabrikam.net", Reply: onPremQueued}}
	if diff := cmp.Diff(want, lab.svc.Ledger()); diff != "" {
		t.Errorf("Ledger() (-want +got):\n%s", diff)
	}
	msgs := fabrikam.messages()
	if len(msgs) != 1 {
		t.Fatalf("fabrikam took %d messages, want 1", len(msgs))
	}
	wantData := "Message-ID: <relay-1@mail.contoso.com>\r\nSubject: Out\r\n\r\nHi\r\n"
	if diff := cmp.Diff(wantData, string(msgs[0].Data)); diff != "" {
		t.Errorf("message at fabrikam (-want +got):\n%s", diff)
	}
	if got := lab.details("contoso", "bob@fabrikam.net")[1].Detail; got != "Message sent to mail.fabrikam.com at 192.0.2.20" {
		t.Errorf("SEND detail = %q, want %q", got, "Message sent to mail.fabrikam.com at 192.0.2.20")
	}
}
