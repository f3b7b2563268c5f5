package fakeonprem

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// edgeOrg is contoso with an Edge Transport server: EDGE01 holds the hybrid certificate and
// sends to EXO through the HCW's connector; EX01 relays to it (S17, S20).
func edgeOrg(cert *pki.Certificate, ex01 ...ExchangeCertificate) Config {
	cfg := contoso(
		Server{Name: "EX01", IPAddresses: []netip.Addr{netip.MustParseAddr(ex01Addr)}, Certificates: ex01},
		Server{Name: "EDGE01", Role: RoleEdge, IPAddresses: []netip.Addr{netip.MustParseAddr(edgeAddr)},
			Certificates: []ExchangeCertificate{{Certificate: cert, Services: SMTP}}},
	)
	cfg.SendConnectors = []SendConnector{HybridSendConnector(hybridGUID, routingDom, "mail.contoso.com", cert.TlsCertificateName().String(), "EDGE01")}
	return cfg
}

// startEdgeOrg starts it and subscribes the Edge.
func (l *lab) startEdgeOrg(cfg Config) *Organization {
	l.t.Helper()
	o := l.start(cfg)
	if err := o.NewEdgeSubscription("EDGE01"); err != nil {
		l.t.Fatal(err)
	}
	return o
}

// wire returns a server's protocol log records of one connector as event,data.
func wire(t testing.TB, o *Organization, server, connector string) []string {
	t.Helper()
	o.WaitIdle()
	recs, err := o.ProtocolLog(server, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		if r.ConnectorID == connector && (r.Event == '>' || r.Event == '<') {
			out = append(out, string(r.Event)+r.Data)
		}
	}
	return out
}

// TestEdgeDirectTrust: Mailbox to Edge over X-ANONYMOUSTLS with mutual certificates and direct
// trust (S2, S3, S19), then Edge to EXO; the verb is on the wire in both logs.
func TestEdgeDirectTrust(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	o := l.startEdgeOrg(edgeOrg(cert))
	e := l.startEXO(smtpd.Hooks{}, true)
	id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "via edge")
	if err != nil {
		t.Fatal(err)
	}
	q := queues(t, o, "EX01")
	if len(q) != 1 || q[0].DeliveryType != "SmtpRelayWithinAdSitetoEdge" || q[0].NextHopDomain != "outbound to office 365 - "+hybridGUID {
		t.Errorf("EX01's queues = %+v, want one SmtpRelayWithinAdSitetoEdge queue", q)
	}
	runAll(t, o, e)
	sent := wire(t, o, "EX01", "Intra-Organization SMTP Send Connector")
	if i := slices.Index(sent, ">X-ANONYMOUSTLS"); i < 0 || sent[i+1] != "<220 2.0.0 SMTP server ready" {
		t.Errorf("EX01's send log = %q, want X-ANONYMOUSTLS answered 220 2.0.0 SMTP server ready", sent)
	}
	if msgs := e.messages(); len(msgs) != 1 {
		t.Fatalf("EXO received %d messages, want 1", len(msgs))
	}
	want := []LedgerEntry{
		{Server: "EX01", MessageID: id, Recipient: "bob@contoso.com", RoutedAs: "bob@" + routingDom, State: HandedOff,
			Host: "edge01.contoso.com", Reply: smtpd.ExchangeServer.QueuedReplyStats(id, firstInternalID(1)+1, "edge01.contoso.com", 340, smtpd.BodyLatency(340), ".").String()},
		{Server: "EDGE01", MessageID: id, Recipient: "bob@" + routingDom, RoutedAs: "bob@" + routingDom, State: HandedOff,
			Host: exoMXHost, Reply: "250 2.6.0 " + id + " [InternalId=1, Hostname=" + exoMXHost + "] Queued mail for delivery"},
	}
	if diff := cmp.Diff(want, o.Ledger()); diff != "" {
		t.Errorf("ledger (-want +got):\n%s", diff)
	}
	for _, s := range []string{"EX01", "EDGE01"} {
		if ev := events(t, o, s); len(ev) != 0 {
			t.Errorf("%s logged %+v, want no event", s, ev)
		}
	}
}

// TestInternalTransportCertificate: F23, F24, F25 (§3, S6), whole events, and whether the
// Default Frontend still advertises X-ANONYMOUSTLS.
func TestInternalTransportCertificate(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	expiredSetup := l.issue(pki.Request{Profile: pki.SelfSigned, ServerName: "EX01", ServerFQDN: "ex01.contoso.com",
		NotBefore: pki.DefaultTime.AddDate(-5, 0, -1), NotAfter: pki.DefaultTime.AddDate(0, 0, -1)})
	ev := func(source string, id int, level, msg string) Event {
		return Event{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com", Source: source, EventID: id,
			TaskCategory: "TransportService", Level: level, Message: msg}
	}
	tests := []struct {
		name       string
		ex01       []ExchangeCertificate
		thumbprint *string // Set-TransportService, then a restart
		anonymous  bool    // X-ANONYMOUSTLS on the Default Frontend
		ex01Events []Event
		ack        string // event 2004's SMTP response on EX01, "" for none
		edgeEvents []Event
	}{
		{name: "NotSetF23", thumbprint: new(""), anonymous: false, ack: "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
			ex01Events: []Event{ev("MSExchangeTransport", 12012, "Error", "The internal transport certificate that is used for SMTP authentication by Microsoft Exchange could not be read from Active Directory. The certificate may be missing. If an existing certificate that matches the fully qualified domain name (FQDN) of the server is already installed, run the Enable-ExchangeCertificate cmdlet to publish this certificate to Active Directory. If a certificate for the FQDN of the server is not installed, create a certificate by running the New-ExchangeCertificate cmdlet for the FQDN of the server.")}},
		{name: "NotInStoreF24", thumbprint: new(cert.Thumbprint()), anonymous: false, ack: "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
			ex01Events: []Event{ev("MSExchangeTransport", 12013, "Error", "Microsoft Exchange could not load the certificate with thumbprint of "+cert.Thumbprint()+" from the personal store on the local computer. This certificate was configured for authentication with other Exchange servers. Mail flow to other Exchange servers could be affected by this error. If the certificate with this thumbprint still exists in the personal store, run Enable-ExchangeCertificate "+cert.Thumbprint()+" -Services SMTP to resolve the issue. If the certificate does not exist in the personal store, restore it from backup by using the Import-ExchangeCertificate cmdlet, or create a new certificate for the FQDN or the server enabled for SMTP by running the following command: New-ExchangeCertificate -DomainName serverfqdn -Services SMTP.")}},
		{name: "ExpiredF25", ex01: []ExchangeCertificate{{Certificate: expiredSetup, Services: IMAP | POP | IIS | SMTP}}, anonymous: true,
			ex01Events: []Event{ev("MSExchangeTransport", 12015, "Information", "An internal transport certificate expired. Thumbprint:"+expiredSetup.Thumbprint()),
				ev("MSExchangeFrontEndTransport", 12016, "Warning", expired12016), ev("MSExchangeTransport", 12016, "Warning", expired12016)},
			edgeEvents: []Event{{TimeCreated: pki.DefaultTime, MachineName: "edge01.contoso.com", Source: "MSExchangeTransport", EventID: 12019,
				TaskCategory: "TransportService", Level: "Information", Message: "The remote internal transport certificate expired. Certificate subject: CN=EX01."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			o := l.startEdgeOrg(edgeOrg(cert, tt.ex01...))
			if tt.thumbprint != nil {
				if err := o.SetTransportService("EX01", func(ts *TransportService) {
					ts.InternalTransportCertificateThumbprint = *tt.thumbprint
				}); err != nil {
					t.Fatal(err)
				}
				if err := o.RestartTransportService("EX01"); err != nil {
					t.Fatal(err)
				}
			}
			c := l.dialRaw(exoOutHost, frontend)
			c.reply()
			want := ehloFrontend
			if !tt.anonymous {
				want = ehloNoAnonymous
			}
			if got := c.cmd("EHLO " + exoOutHost); got != want {
				t.Errorf("EHLO = %q\nwant %q", got, want)
			}
			c.cmd("QUIT")
			id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "internal")
			if err != nil {
				t.Fatal(err)
			}
			runAll(t, o)
			wantEX01 := tt.ex01Events
			if tt.ack != "" {
				wantEX01 = append(wantEX01, Event{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com", Source: "MSExchangeTransport",
					EventID: 2004, TaskCategory: "SmtpSend", Level: "Information",
					Message: "Send connector Intra-Organization SMTP Send Connector: Message delivery was not successful. The message with message ID " +
						id + " was acknowledged with SMTP response " + tt.ack + "."})
			}
			if diff := cmp.Diff(wantEX01, events(t, o, "EX01")); diff != "" {
				t.Errorf("EX01's events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.edgeEvents, events(t, o, "EDGE01")); diff != "" {
				t.Errorf("EDGE01's events (-want +got):\n%s", diff)
			}
		})
	}
}

// expired12016 is 12016 for EX01's FQDN (S6).
const expired12016 = "There is no valid SMTP Transport Layer Security (TLS) certificate for the FQDN of ex01.contoso.com. The existing certificate for that FQDN has expired. The continued use of that FQDN will cause mail flow problems. A new certificate that contains the FQDN of ex01.contoso.com should be installed on this server as soon as possible. You can create a new certificate by using the New-ExchangeCertificate task."

// ehloNoAnonymous is ehloFrontend without X-ANONYMOUSTLS (F23, F24).
const ehloNoAnonymous = "250-ex01.contoso.com Hello [198.51.100.20]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
	"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-AUTH NTLM\n250-X-EXPS GSSAPI NTLM\n" +
	"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"

// TestOverwrittenInternalCertificateF27: answering yes to the overwrite prompt of
// Enable-ExchangeCertificate -Services SMTP on the subscribed Mailbox server breaks direct
// trust: the Edge refuses to relay (INFER text), the message stays queued, and subscribing the
// Edge again (S9, S14) lets the retry through.
func TestOverwrittenInternalCertificateF27(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	o := l.startEdgeOrg(edgeOrg(cert, ExchangeCertificate{Certificate: cert, Services: IIS}))
	e := l.startEXO(smtpd.Hooks{}, true)
	if err := o.EnableExchangeCertificate("EX01", cert.Thumbprint(), SMTP|IIS, true); err != nil {
		t.Fatal(err)
	}
	if ts, _ := o.GetTransportService("EX01"); ts.InternalTransportCertificateThumbprint != cert.Thumbprint() {
		t.Fatalf("InternalTransportCertificateThumbprint = %s, want the enabled certificate's %s", ts.InternalTransportCertificateThumbprint, cert.Thumbprint())
	}
	id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "after the prompt")
	if err != nil {
		t.Fatal(err)
	}
	runAll(t, o, e)
	refusal := "451 4.7.1 Unable to relay; direct trust authentication failed"
	q := queues(t, o, "EX01")
	wantLastError := "[{LRT=" + lrt0 + "};{LED=" + refusal + "};{MSG=};{FQDN=edge01.contoso.com};{IP=" + edgeAddr + "}]"
	if len(q) != 1 || q[0].Status != "Retry" || q[0].LastError != wantLastError {
		t.Fatalf("EX01's queues = %+v, want Retry with %s", q, wantLastError)
	}
	if err := o.NewEdgeSubscription("EDGE01"); err != nil {
		t.Fatal(err)
	}
	next, _ := o.NextDue()
	if !next.Equal(pki.DefaultTime.Add(5 * time.Minute)) {
		t.Errorf("NextDue = %v, want the transient retry 5 minutes on", next)
	}
	l.clock.set(next)
	runAll(t, o, e)
	if msgs := e.messages(); len(msgs) != 1 || messageIDOf(msgs[0].Data) != id {
		t.Fatalf("EXO received %d messages, want %s", len(msgs), id)
	}
}

// TestEdgeInbound: internet mail for alice reaches the Edge, which sends it to the Mailbox
// servers through "EdgeSync - Inbound to Default-First-Site-Name" (SmartHosts --) over
// X-ANONYMOUSTLS; the Mailbox server trusts the subscribed Edge, so the Edge's verdict
// (anonymous, internet mail) is kept.
func TestEdgeInbound(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	o := l.startEdgeOrg(edgeOrg(cert))
	c := l.dialRaw("mail.fabrikam.com", "edge01.contoso.com:25")
	c.reply()
	steps := []string{c.cmd("EHLO mail.fabrikam.com"), c.cmd("MAIL FROM:<kate@fabrikam.com>"),
		c.cmd("RCPT TO:<alice@contoso.com>"), c.cmd("DATA")}
	got := c.cmd("Subject: hello\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n\r\nfrom the internet\r\n.")
	c.cmd("QUIT")
	tracked, _ := o.GetMessageTrackingLog("EDGE01", "")
	queued := smtpd.ExchangeServer.QueuedReplyStats(tracked[0].MessageId, firstInternalID(1)+1, "edge01.contoso.com", 82, smtpd.BodyLatency(82), ".").String()
	if steps[1] != "250 2.1.0 Sender OK" || steps[2] != "250 2.1.5 Recipient OK" || got != queued {
		t.Fatalf("the Edge answered %q, then %q, want %q", steps, got, queued)
	}
	q := queues(t, o, "EDGE01")
	if len(q) != 1 || q[0].DeliveryType != "SmartHostConnectorDelivery" || q[0].NextHopDomain != "edgesync - inbound to default-first-site-name" {
		t.Errorf("EDGE01's queues = %+v, want the EdgeSync inbound connector's", q)
	}
	runAll(t, o)
	if sent := wire(t, o, "EDGE01", "EdgeSync - Inbound to Default-First-Site-Name"); !slices.Contains(sent, ">X-ANONYMOUSTLS") {
		t.Errorf("EDGE01's send log = %q, want X-ANONYMOUSTLS", sent)
	}
	msgs, _ := o.GetMessages("alice@contoso.com")
	if len(msgs) != 1 || msgs[0].Header.Get("X-MS-Exchange-Organization-AuthAs") != "Anonymous" {
		t.Fatalf("alice's messages = %+v, want the internet message, AuthAs Anonymous", msgs)
	}
}
