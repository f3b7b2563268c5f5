package fakeexo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// TestDeterministic runs one scenario twice, each in a new lab, and compares
// everything the service records, byte for byte: protocol logs, verdicts,
// message trace, ledger and mailboxes.
func TestDeterministic(t *testing.T) {
	var runs [2]string
	for i := range runs {
		t.Run(fmt.Sprint("Run", i+1), func(t *testing.T) { runs[i] = scenarioRecord(t) })
	}
	first, second := runs[0], runs[1]
	if first == "" {
		t.Fatal("the scenario recorded nothing")
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}

// scenarioRecord: on-prem sends to a cloud mailbox over TLS with its
// certificate, a cloud mailbox sends to an on-prem mail user whose server
// presents the wrong certificate, which is then fixed.
func scenarioRecord(t testing.TB) string {
	t.Helper()
	lab := newLab(t, Config{})
	onprem := lab.newOnPrem(pki.WrongHost)
	c, err := smtp.NewClientStartTLS(lab.dialFrontDoor("mail.contoso.com"), lab.clientTLS(pki.Trusted))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("kate@contoso.com", []string{"adele@contoso.com"}, strings.NewReader("Subject: in\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	lab.svc.WaitIdle()
	if _, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "out"); err != nil {
		t.Fatal(err)
	}
	lab.runDue()
	onprem.present(t, lab.certs[pki.Trusted])
	lab.clock.advance(15 * time.Minute)
	lab.runDue()

	var b strings.Builder
	for _, r := range lab.svc.ProtocolLog("") {
		fmt.Fprintln(&b, r)
	}
	for _, v := range lab.svc.Verdicts() {
		fmt.Fprintf(&b, "%+v\n", v)
	}
	org := lab.org("contoso")
	for _, row := range org.GetMessageTrace() {
		fmt.Fprintf(&b, "%+v\n", row)
		details, err := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range details {
			fmt.Fprintf(&b, "  %+v\n", d)
		}
	}
	for _, e := range lab.svc.Ledger() {
		fmt.Fprintf(&b, "%+v\n", e)
	}
	inbox, err := lab.svc.Mailbox("adele@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range inbox {
		fmt.Fprintf(&b, "%+v\n%s\n", m, m.Data)
	}
	return b.String()
}
