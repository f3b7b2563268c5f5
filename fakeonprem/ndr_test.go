package fakeonprem

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// TestRemoteRefusalReturnsMessage: a 5xx from EXO (F15's 5.7.64, F17's ATTR36, F18's 5.7.51,
// F22's 5.7.68) fails the recipient at once: a FAIL entry whose recipient-status reads like
// S14's, event 2004, and an NDR to the sender with the remote's reply.
func TestRemoteRefusalReturnsMessage(t *testing.T) {
	refusals := []struct {
		name  string
		reply smtpd.Reply
	}{
		{name: "TenantAttributionF15", reply: smtpd.Reply{Code: 550, Enhanced: "5.7.64", Text: "TenantAttribution; Relay Access Denied SMTP."}},
		{name: "ATTR36F17", reply: smtpd.Reply{Code: 550, Enhanced: "5.7.64", Text: "Relay Access Denied ATTR36. For more details please refer to KB 3169958."}},
		{name: "TenantInboundAttributionF18", reply: smtpd.Reply{Code: 550, Enhanced: "5.7.51", Text: "TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set"}},
		{name: "DirectSendF22", reply: smtpd.Reply{Code: 550, Enhanced: "5.7.68", Text: "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"}},
	}
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			o := l.start(hybridOrg(cert.TlsCertificateName().String(), ExchangeCertificate{Certificate: cert, Services: SMTP}))
			e := l.startEXO(smtpd.Hooks{Rcpt: func(*smtpd.Message, smtpd.Recipient) *smtpd.Reply { return &tt.reply }}, true)
			id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "relay")
			if err != nil {
				t.Fatal(err)
			}
			runAll(t, o, e)
			reply := tt.reply.String()
			tracked, _ := o.GetMessageTrackingLog("EX01", id)
			last := tracked[len(tracked)-1]
			wantStatus := "{[{LED=" + reply + "};{MSG=};{FQDN=" + exoMXHost + "};{IP=" + exoMXAddr + "};{LRT=" + lrt0 + "}]}"
			if last.EventId != "FAIL" || len(last.RecipientStatus) != 1 || last.RecipientStatus[0] != wantStatus {
				t.Errorf("last tracking entry = %s %q, want FAIL %q", last.EventId, last.RecipientStatus, wantStatus)
			}
			if q := queues(t, o, "EX01"); q[0].MessageCount != 0 || q[0].Status != "Ready" {
				t.Errorf("Get-Queue = %+v, want the queue empty", q)
			}
			msgs, _ := o.GetMessages("alice@contoso.com")
			if len(msgs) != 1 {
				t.Fatalf("alice has %d messages, want the NDR", len(msgs))
			}
			ndr := msgs[0]
			wantBody := ndrBody("bob@contoso.com", "Remote Server returned '"+reply+"'", id, "relay")
			if ndr.Subject != "Undeliverable: relay" || ndr.Sender != "" || ndr.Body != wantBody {
				t.Errorf("NDR = subject %q, sender %q, body\n%s\nwant body to start with\n%s", ndr.Subject, ndr.Sender, ndr.Body, wantBody)
			}
			var ndrEvents []string
			ndrTracked, _ := o.GetMessageTrackingLog("EX01", ndr.MessageID)
			for _, te := range ndrTracked {
				ndrEvents = append(ndrEvents, te.Source+" "+te.EventId+" "+te.Reference)
			}
			if diff := cmp.Diff([]string{"DSN DSN " + id, "SMTP SEND ", "STOREDRIVER DELIVER "}, ndrEvents); diff != "" {
				t.Errorf("the NDR's message tracking (-want +got):\n%s", diff)
			}
			wantLedger := []LedgerEntry{
				{Server: "EX01", MessageID: id, Recipient: "bob@contoso.com", RoutedAs: "bob@" + routingDom, State: InNDR, NDR: ndr.MessageID},
				{Server: "EX01", MessageID: ndr.MessageID, Recipient: "alice@contoso.com", RoutedAs: "alice@contoso.com",
					State: InMailbox, Mailbox: "alice@contoso.com"},
			}
			if diff := cmp.Diff(wantLedger, o.Ledger()); diff != "" {
				t.Errorf("ledger (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpiry: a message deferred for MessageExpirationTimeOut (2 days, S34) is returned with
// 550 4.4.7 QUEUE.Expired; message expired (S30) in the NDR's diagnostic line.
func TestExpiry(t *testing.T) {
	l := newLab(t)
	old := l.issue(pki.Request{Profile: pki.Trusted})
	o := l.start(hybridOrg(old.TlsCertificateName().String())) // F11: deferred at every retry
	id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "stuck")
	if err != nil {
		t.Fatal(err)
	}
	attempts := 0
	for {
		attempts += runAll(t, o)
		next, ok := o.NextDue()
		if !ok {
			break
		}
		l.clock.set(next)
	}
	if want := 2*24*6 + 1; attempts != want { // every 10 minutes for two days, then the expiry
		t.Errorf("%d attempts and expiries, want %d", attempts, want)
	}
	if got := l.clock.Now(); !got.Equal(pki.DefaultTime.Add(48 * time.Hour)) {
		t.Errorf("expired at %v, want two days after submission", got)
	}
	msgs, _ := o.GetMessages("alice@contoso.com")
	if want := ndrBody("bob@contoso.com", "#550 4.4.7 QUEUE.Expired; message expired ##", id, "stuck"); len(msgs) != 1 || msgs[0].Body != want {
		t.Fatalf("alice's messages = %+v, want the NDR\n%s", msgs, want)
	}
	tracked, _ := o.GetMessageTrackingLog("EX01", id)
	last := tracked[len(tracked)-1]
	if last.EventId != "FAIL" || last.Source != "QUEUE" || last.RecipientStatus[0] != "550 4.4.7 QUEUE.Expired; message expired" {
		t.Errorf("last tracking entry = %+v, want FAIL from QUEUE with 550 4.4.7", last)
	}
}

// TestRetryIntervals: a 4xx to a recipient retries after TransientFailureRetryInterval (5
// minutes) six times, then every MessageRetryInterval (15 minutes) (S34); Retry-Queue makes
// the next RunDue try at once.
func TestRetryIntervals(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	o := l.start(hybridOrg(cert.TlsCertificateName().String(), ExchangeCertificate{Certificate: cert, Services: SMTP}))
	busy := smtpd.Reply{Code: 451, Enhanced: "4.7.500", Text: "Server busy. Please try again later"}
	e := l.startEXO(smtpd.Hooks{Rcpt: func(*smtpd.Message, smtpd.Recipient) *smtpd.Reply { return &busy }}, true)
	if _, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "busy"); err != nil {
		t.Fatal(err)
	}
	var gaps []time.Duration
	for range 8 {
		start := l.clock.Now()
		runAll(t, o, e)
		next, _ := o.NextDue()
		gaps = append(gaps, next.Sub(start))
		l.clock.set(next)
	}
	m5, m15 := 5*time.Minute, 15*time.Minute
	if diff := cmp.Diff([]time.Duration{m5, m5, m5, m5, m5, m5, m15, m15}, gaps); diff != "" {
		t.Errorf("retry gaps (-want +got):\n%s", diff)
	}
	q := queues(t, o, "EX01")
	if want := "[{LRT=1/5/2026 9:45:00 AM};{LED=" + busy.String() + "};{MSG=};{FQDN=" + exoMXHost + "};{IP=" + exoMXAddr + "}]"; q[0].LastError != want {
		t.Errorf("LastError = %q, want %q", q[0].LastError, want)
	}
	if err := o.RetryQueue(`EX01\1`); err != nil {
		t.Fatal(err)
	}
	if n := o.RunDue(context.Background()); n != 1 {
		t.Errorf("RunDue after Retry-Queue = %d attempts, want 1", n)
	}
}

// ndrBody is the whole text of an NDR for one recipient of a message alice submitted at the
// lab's start: the diagnostic line, then the original headers.
func ndrBody(rcpt, diagnostic, id, subject string) string {
	return "Delivery has failed to these recipients or groups:\r\n\r\n" + rcpt + "\r\n\r\n" +
		"Diagnostic information for administrators:\r\n\r\nGenerating server: ex01.contoso.com\r\n\r\n" +
		rcpt + "\r\n" + diagnostic + "\r\n\r\nOriginal message headers:\r\n\r\n" +
		"From: alice@contoso.com\r\nTo: " + rcpt + "\r\nSubject: " + subject + "\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\n" +
		"Message-ID: " + id + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n" +
		"X-MS-Exchange-Organization-AuthAs: Internal\r\n\r\n"
}
