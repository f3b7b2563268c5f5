package smtpd

import (
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// TestResumeTLS: a plain go-smtp client greets with the sender's own name,
// then ResumeTLS upgrades the same session: one banner and one EHLO before
// STARTTLS on the wire, no "EHLO localhost", and the message goes through
// under TLS, as the send log shows.
func TestResumeTLS(t *testing.T) {
	p := labPKI(t)
	conn := tapTarget(t, Hooks{Certificate: &p.Server})
	var sink recordingSink
	tap := &ClientTap{Sink: &sink, Clock: fixedClock{s14Time}, ConnectorID: "Outbound to Office 365",
		SessionID: "08DD34FA30862790", Remote: sendRemote.String()}
	wrapped := tap.Wrap(conn)
	plain := smtp.NewClient(wrapped)
	if err := plain.Hello("onprem.contoso.com"); err != nil {
		t.Fatalf("Hello: %v", err)
	}
	if ok, _ := plain.Extension("STARTTLS"); !ok {
		t.Fatal("the server offers no STARTTLS")
	}
	c, err := ResumeTLS(wrapped, "STARTTLS", p.clientTLS())
	if err != nil {
		t.Fatalf("ResumeTLS: %v", err)
	}
	c.DebugWriter = tap
	send(t, c)

	const pre = "2025-01-29T20:14:51.470Z,Outbound to Office 365,08DD34FA30862790,"
	const ep = ",10.0.0.1:49153,104.47.58.43:25,"
	ehlo := "250 mail.contoso.com Hello [10.0.0.1] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
	want := []string{
		pre + "0" + ep + "+,,",
		pre + "1" + ep + `<,"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",`,
		pre + "2" + ep + ">,EHLO onprem.contoso.com,",
		pre + "3" + ep + "<," + ehlo + "STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre + "4" + ep + ">,STARTTLS,",
		pre + "5" + ep + "<,220 2.0.0 SMTP server ready,",
		pre + "6" + ep + ">,EHLO onprem.contoso.com,",
		pre + "7" + ep + "<," + ehlo + "8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre + "8" + ep + ">,MAIL FROM:<chris@contoso.com> BODY=8BITMIME,",
		pre + "9" + ep + "<,250 2.1.0 Sender OK,",
		pre + "10" + ep + ">,RCPT TO:<kate@fabrikam.com>,",
		pre + "11" + ep + "<,250 2.1.5 Recipient OK,",
		pre + "12" + ep + ">,DATA,",
		pre + "13" + ep + "<,354 Start mail input; end with <CRLF>.<CRLF>,",
		pre + "14" + ep + `<,"` + queuedS4 + `",`,
		pre + "15" + ep + ">,QUIT,",
		pre + "16" + ep + "<,221 2.0.0 Service closing transmission channel,",
		pre + "17" + ep + "-,,Local",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("send log (-want +got):\n%s", diff)
	}
}
