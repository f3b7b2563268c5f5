package fakeexo

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// onPremQueued is the on-prem server's reply to a message (S4's form).
const onPremQueued = "250 2.6.0 <onprem-1@mail.contoso.com> [InternalId=1, Hostname=mail.contoso.com] Queued mail for delivery"

// TestDeferralThenFix: for every certificate of the catalogue that the
// HCW's DomainValidation connector refuses, the message stays queued with the
// documented LED as LastError; once on-prem presents the trusted certificate,
// the next attempt, RetryInterval later, hands it off; left broken, it comes
// back to its sender in an NDR after 24 hours. Each time the ledger holds
// every message in exactly one place.
func TestDeferralThenFix(t *testing.T) {
	tests := []struct {
		profile pki.Profile // names the case
		reason  string      // the DEFER's trace detail (outbound_test.go)
	}{
		{profile: pki.InternalCA, reason: deferUntrustedRoot},
		{profile: pki.UntrustedRoot, reason: deferUntrustedRoot},
		{profile: pki.SelfSigned, reason: deferSelfSigned},
		{profile: pki.Expired, reason: deferExpired},
		{profile: pki.NotYetValid, reason: deferNotYetValid},
		{profile: pki.WrongHost, reason: deferWrongHost},
		{profile: pki.Revoked, reason: deferRevoked},
		{profile: pki.LeafOnly, reason: deferUntrustedRoot},
		{profile: pki.ExpiredIntermediate, reason: deferExpiredIntermediate},
		{profile: pki.NoPrivateKey, reason: deferStartTLS},
	}
	for _, tt := range tests {
		// The LED is the Reason's {LED=...} element.
		led := tt.reason[len("Reason: [{LED="):strings.Index(tt.reason, "};{MSG=")]
		deferred := func(t *testing.T) (*testLab, *onPrem, string) {
			lab := newLab(t, Config{})
			onprem := lab.newOnPrem(tt.profile)
			id, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "Fix me")
			if err != nil {
				t.Fatal(err)
			}
			lab.runDue()
			want := []LedgerEntry{{MessageID: id, Recipient: "kate@contoso.com", Location: InQueue, Queue: "Outbound to " + hcwGUID, LastError: led}}
			if diff := cmp.Diff(want, lab.svc.Ledger()); diff != "" {
				t.Fatalf("Ledger() after the first attempt (-want +got):\n%s", diff)
			}
			if due, ok := lab.svc.NextDue(); !ok || !due.Equal(pki.DefaultTime.Add(15*time.Minute)) {
				t.Fatalf("NextDue() = %v, %v, want %v, true", due, ok, pki.DefaultTime.Add(15*time.Minute))
			}
			return lab, onprem, id
		}
		t.Run(string(tt.profile)+"/Fixed", func(t *testing.T) {
			lab, onprem, id := deferred(t)
			onprem.present(t, lab.certs[pki.Trusted])
			lab.clock.advance(15 * time.Minute)
			if n := lab.runDue(); n != 1 {
				t.Fatalf("RunDue() after the fix = %d, want 1", n)
			}
			want := []LedgerEntry{{MessageID: id, Recipient: "kate@contoso.com", Location: HandedOff, SessionID: "08DE4BBD2C75AA00",
				Host: "mail.contoso.com [203.0.113.10]", Target: "kate@contoso.com", Reply: onPremQueued}}
			if diff := cmp.Diff(want, lab.svc.Ledger()); diff != "" {
				t.Errorf("Ledger() after the fix (-want +got):\n%s", diff)
			}
			if _, ok := lab.svc.NextDue(); ok {
				t.Errorf("NextDue() reports a retry after delivery")
			}
			msgs := onprem.messages()
			if len(msgs) != 1 {
				t.Fatalf("on-prem took %d messages, want 1", len(msgs))
			}
			onprem.mu.Lock()
			clients := onprem.clients
			onprem.mu.Unlock()
			if diff := cmp.Diff([]string{pki.EXOSubject}, clients); diff != "" {
				t.Errorf("client certificates on-prem saw (-want +got):\n%s", diff)
			}
			got := Message{Data: msgs[0].Data}
			for header, want := range map[string]string{
				"Message-ID":                         id,
				"X-MS-Exchange-CrossPremises-AuthAs": "Internal",
				"X-MS-Exchange-Organization-AuthAs":  "",
			} {
				if v := got.Header(header); v != want {
					t.Errorf("on-prem's copy: %s = %q, want %q", header, v, want)
				}
			}
		})
		t.Run(string(tt.profile)+"/LeftBroken", func(t *testing.T) {
			lab, _, id := deferred(t)
			for {
				due, ok := lab.svc.NextDue()
				if !ok {
					break
				}
				lab.clock.advance(due.Sub(lab.clock.Now()))
				lab.runDue()
			}
			inbox, err := lab.svc.Mailbox("adele@contoso.com")
			if err != nil || len(inbox) != 1 {
				t.Fatalf("Mailbox(adele) = %d messages, %v; want the NDR", len(inbox), err)
			}
			want := []LedgerEntry{
				{MessageID: id, Recipient: "kate@contoso.com", Location: ReturnedInNDR, SessionID: "08DE4C843E6E5000", NDR: inbox[0].MessageID},
				{MessageID: inbox[0].MessageID, Recipient: "adele@contoso.com", Location: InMailbox, Mailbox: "adele@contoso.com"},
			}
			if diff := cmp.Diff(want, lab.svc.Ledger()); diff != "" {
				t.Errorf("Ledger() after 24 hours (-want +got):\n%s", diff)
			}
			if got, want := diagnosticOf(inbox[0]), "kate@contoso.com\r\n#550 4.4.7 QUEUE.Expired; message expired ##\r\n"; got != want {
				t.Errorf("NDR diagnostic = %q, want %q", got, want)
			}
		})
	}
}

// TestExpiryReturnsNDR: left broken, the message is retried every 15
// minutes for 24 hours (97 attempts), then returned to its sender with
// S30's diagnostic; the ledger has it in the NDR, and the NDR in the
// sender's mailbox.
func TestExpiryReturnsNDR(t *testing.T) {
	lab := newLab(t, Config{})
	lab.newOnPrem(pki.WrongHost)
	id, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "Left broken")
	if err != nil {
		t.Fatal(err)
	}
	attempts := lab.runDue()
	for {
		due, ok := lab.svc.NextDue()
		if !ok {
			break
		}
		lab.clock.advance(due.Sub(lab.clock.Now()))
		attempts += lab.runDue()
	}
	if attempts != 97 {
		t.Errorf("attempts = %d, want 97 (every 15 minutes from receipt to 24 hours later)", attempts)
	}
	if want := pki.DefaultTime.Add(24 * time.Hour); !lab.clock.Now().Equal(want) {
		t.Errorf("the last attempt was at %v, want %v", lab.clock.Now(), want)
	}
	inbox, err := lab.svc.Mailbox("adele@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 1 {
		t.Fatalf("adele's mailbox has %d messages, want the NDR", len(inbox))
	}
	ndr := inbox[0]
	wantLedger := []LedgerEntry{
		{MessageID: id, Recipient: "kate@contoso.com", Location: ReturnedInNDR, SessionID: "08DE4C843E6E5000", NDR: ndr.MessageID},
		{MessageID: ndr.MessageID, Recipient: "adele@contoso.com", Location: InMailbox, Mailbox: "adele@contoso.com"},
	}
	if diff := cmp.Diff(wantLedger, lab.svc.Ledger()); diff != "" {
		t.Errorf("Ledger() (-want +got):\n%s", diff)
	}
	wantNDR := "X-MS-Exchange-Organization-AuthAs: Internal\r\n" +
		"X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n" +
		"Message-ID: <08DE000000000002@SIM1EUR01FT001.mail.protection.outlook.com>\r\n" +
		"From: postmaster@contoso.onmicrosoft.com\r\n" +
		"To: adele@contoso.com\r\n" +
		"Subject: Undeliverable: Left broken\r\n" +
		"Date: Tue, 6 Jan 2026 09:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=\"us-ascii\"\r\n" +
		"Auto-Submitted: auto-replied\r\n" +
		"\r\n" +
		"Delivery has failed to these recipients or groups:\r\n\r\nkate@contoso.com\r\n\r\n" +
		"Diagnostic information for administrators:\r\n\r\n" +
		"Generating server: SIM1EUR01FT001.mail.protection.outlook.com\r\n\r\n" +
		"kate@contoso.com\r\n#550 4.4.7 QUEUE.Expired; message expired ##\r\n\r\n" +
		"Original message headers:\r\n\r\n" +
		"Message-ID: <08DE000000000001@SIM1EUR01FT001.mail.protection.outlook.com>\r\n" +
		"From: adele@contoso.com\r\n" +
		"To: kate@contoso.com\r\n" +
		"Subject: Left broken\r\n" +
		"Date: Mon, 5 Jan 2026 09:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=\"us-ascii\"\r\n"
	if diff := cmp.Diff(wantNDR, string(ndr.Data)); diff != "" {
		t.Errorf("NDR (-want +got):\n%s", diff)
	}
	details := lab.details("contoso", "kate@contoso.com")
	wantFail := MessageTraceDetail{Date: pki.DefaultTime.Add(24 * time.Hour), Event: "FAIL",
		Detail: "Reason: [{LED=550 4.4.7 QUEUE.Expired; message expired};{MSG=};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/6/2026 9:00:00 AM}]. " +
			"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		MessageTraceId: details[0].MessageTraceId, MessageId: id, RecipientAddress: "kate@contoso.com", SessionID: "08DE4C843E6E5000"}
	if diff := cmp.Diff(wantFail, details[len(details)-1]); diff != "" {
		t.Errorf("last trace event (-want +got):\n%s", diff)
	}
	if n := len(details); n != 1+97+1 {
		t.Errorf("trace events = %d, want RECEIVE, 97 DEFER, FAIL", n)
	}
	var rows []string
	for _, r := range lab.org("contoso").GetMessageTrace() {
		rows = append(rows, r.RecipientAddress+" "+r.Status)
	}
	if diff := cmp.Diff([]string{"kate@contoso.com Failed", "adele@contoso.com Delivered"}, rows); diff != "" {
		t.Errorf("Get-MessageTrace statuses (-want +got):\n%s", diff)
	}
}

// TestConnectionFailures: the F10 codes, a remote 4xx carried in the LED,
// C6's 2017 SubjectMismatch form and C10's observed expiry wording.
func TestConnectionFailures(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		setup func(t *testing.T, lab *testLab)
		want  string // the first attempt's trace detail
	}{
		{
			name:  "NothingListens",
			setup: func(*testing.T, *testLab) {},
			want: "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] " +
				"[LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=Socket error code 10061};" +
				"{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
		{
			name: "FirewallRejects",
			setup: func(t *testing.T, lab *testLab) {
				lab.newOnPrem(pki.Trusted)
				lab.net.SetFirewall(netip.AddrPortFrom(onPremAddr, 25), labnet.Reject)
			},
			want: "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] " +
				"[LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=Socket error code 10061};" +
				"{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
		{
			name: "FirewallDrops",
			setup: func(t *testing.T, lab *testLab) {
				lab.newOnPrem(pki.Trusted)
				lab.net.SetFirewall(netip.AddrPortFrom(onPremAddr, 25), labnet.Drop)
			},
			want: "Reason: [{LED=450 4.4.315 Connection timed out [Message=Socket error code 10060] [LastAttemptedServerName=mail.contoso.com] " +
				"[LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=Socket error code 10060};" +
				"{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
		{
			name: "SmartHostUnknown",
			cfg: Config{Tenants: []Tenant{func() Tenant {
				t := contoso()
				t.OutboundConnectors[0].SmartHosts = []string{"hybrid.contoso.com"}
				return t
			}()}},
			setup: func(*testing.T, *testLab) {},
			want: "Reason: [{LED=450 4.4.312 DNS query failed [Message=InfoDomainNonexistent] [LastAttemptedServerName=hybrid.contoso.com] " +
				"[SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=InfoDomainNonexistent};{FQDN=hybrid.contoso.com};{IP=};{LRT=1/5/2026 9:00:00 AM}]",
		},
		{
			name: "ClosedAbruptly",
			setup: func(t *testing.T, lab *testLab) {
				ln, err := lab.net.Listen(netip.AddrPortFrom(onPremAddr, 25))
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan struct{})
				go func() {
					defer close(done)
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				}()
				t.Cleanup(func() { ln.Close(); <-done })
			},
			want: "Reason: [{LED=450 4.4.318 Connection was closed abruptly [Message=Socket error code 10054] [LastAttemptedServerName=mail.contoso.com] " +
				"[LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=Socket error code 10054};" +
				"{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
		{
			name: "RemoteTemporaryError",
			setup: func(t *testing.T, lab *testLab) {
				// S13's PRX5 deferral (F08).
				lab.newOnPrem(pki.Trusted).refuse = &smtpd.Reply{Code: 451, Enhanced: "4.7.0", Text: "Temporary server error. Please try again later. PRX5"}
			},
			want: "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=451 4.7.0 Temporary server error. Please try again later. PRX5] " +
				"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
				"{MSG=451 4.7.0 Temporary server error. Please try again later. PRX5};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
				"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
		{
			name:  "LegacySubjectMismatch",
			cfg:   Config{LegacySubjectMismatch: true},
			setup: func(t *testing.T, lab *testLab) { lab.newOnPrem(pki.WrongHost) },
			want: "Reason: [{LED=450 4.7.320 Certificate validation failed [Message=SubjectMismatch] [LastAttemptedServerName=mail.contoso.com] " +
				"[LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=SubjectMismatch};" +
				"{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := newLab(t, tt.cfg)
			tt.setup(t, lab)
			if _, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "F10"); err != nil {
				t.Fatal(err)
			}
			lab.runDue()
			details := lab.details("contoso", "kate@contoso.com")
			if got := details[len(details)-1].Detail; got != tt.want {
				t.Errorf("trace detail (-want +got):\n%s", cmp.Diff(tt.want, got))
			}
		})
	}
}

// TestRemotePermanentError: a 5xx from on-prem fails the message at once and
// returns it to its sender with the remote's reply.
func TestRemotePermanentError(t *testing.T) {
	lab := newLab(t, Config{})
	// S13: the NDR detail with centralized transport.
	lab.newOnPrem(pki.Trusted).refuse = &smtpd.Reply{Code: 550, Enhanced: "5.7.1", Text: "Unable to relay"}
	id, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "Refused")
	if err != nil {
		t.Fatal(err)
	}
	lab.runDue()
	details := lab.details("contoso", "kate@contoso.com")
	want := "Reason: [{LED=550 5.7.1 Unable to relay};{MSG=};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	if got := details[len(details)-1]; got.Event != "FAIL" || got.Detail != want {
		t.Errorf("last trace event = %s %q, want FAIL %q", got.Event, got.Detail, want)
	}
	inbox, err := lab.svc.Mailbox("adele@contoso.com")
	if err != nil || len(inbox) != 1 {
		t.Fatalf("Mailbox(adele) = %d messages, %v; want the NDR", len(inbox), err)
	}
	wantDiagnostic := "kate@contoso.com\r\nRemote Server returned '550 5.7.1 Unable to relay'\r\n"
	if got := diagnosticOf(inbox[0]); got != wantDiagnostic {
		t.Errorf("NDR diagnostic = %q, want %q", got, wantDiagnostic)
	}
	if got := lab.svc.Ledger()[0]; got.MessageID != id || got.Location != ReturnedInNDR || got.NDR != inbox[0].MessageID {
		t.Errorf("Ledger()[0] = %+v, want %s returned in NDR %s", got, id, inbox[0].MessageID)
	}
}

// TestObservedExpiryNDR: conflict C10's observed wording quotes the last
// deferral's detail.
func TestObservedExpiryNDR(t *testing.T) {
	lab := newLab(t, Config{ObservedExpiryNDR: true})
	if _, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "Nobody home"); err != nil {
		t.Fatal(err)
	}
	lab.clock.advance(24 * time.Hour)
	lab.runDue()
	inbox, err := lab.svc.Mailbox("adele@contoso.com")
	if err != nil || len(inbox) != 1 {
		t.Fatalf("Mailbox(adele) = %d messages, %v; want the NDR", len(inbox), err)
	}
	want := "kate@contoso.com\r\n550 5.4.317 Message expired, cannot connect to remote server(Socket error code 10061)\r\n"
	if got := diagnosticOf(inbox[0]); got != want {
		t.Errorf("NDR diagnostic = %q, want %q", got, want)
	}
}

// diagnosticOf returns an NDR's lines between "Generating server" and
// "Original message headers".
func diagnosticOf(m Message) string {
	s := string(m.Data)
	const from, to = "Generating server: SIM1EUR01FT001.mail.protection.outlook.com\r\n\r\n", "\r\nOriginal message headers:"
	i, j := strings.Index(s, from), strings.Index(s, to)
	if i < 0 || j < i {
		return s
	}
	return s[i+len(from) : j]
}
