package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
)

// newDefaultLab starts the default lab for a test.
func newDefaultLab(t testing.TB) *Lab {
	t.Helper()
	l, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// TestDefaultLabMailFlows: mail goes every way through the default lab,
// over the hops a hybrid deployment uses.
func TestDefaultLabMailFlows(t *testing.T) {
	l := newDefaultLab(t)
	for _, m := range []struct{ from, to string }{
		{"alice@contoso.com", "bob@contoso.com"},
		{"bob@contoso.com", "alice@contoso.com"},
		{"bob@contoso.com", "carol@fabrikam.com"},
	} {
		if _, err := l.Send(m.from, []string{m.to}, "hello"); err != nil {
			t.Fatal(err)
		}
	}
	where, err := l.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range where {
		got = append(got, w.Recipient+" "+w.Place+" via "+joinPath(w.Path))
	}
	want := []string{
		"bob@contoso.com mailbox via Exchange Online > EX01",
		"alice@contoso.com mailbox via EX01 > Exchange Online",
		"carol@fabrikam.com mailbox via EX01 > EDGE01 > MAIL01",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("where the mail is (-want +got):\n%s", diff)
	}
}

func joinPath(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += " > "
		}
		out += s
	}
	return out
}

func TestSendFromNowhere(t *testing.T) {
	l := newDefaultLab(t)
	_, err := l.Send("mallory@example.org", []string{"bob@contoso.com"}, "x")
	if want := "sim: no mailbox mallory@example.org in the lab; send from an on-premises or cloud mailbox"; err == nil || err.Error() != want {
		t.Errorf("Send from outside = %v, want %s", err, want)
	}
}

// TestDefaultLabIsWhatTheWizardLeaves: the wizard run on the default lab
// with its certificate changes nothing.
func TestDefaultLabIsWhatTheWizardLeaves(t *testing.T) {
	l := newDefaultLab(t)
	r, err := l.RunHybridWizard(l.Certificates["hybrid"].Thumbprint(), WizardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	rows := 0
	for _, tb := range r.Tables {
		tables = append(tables, tb.Kind+" "+tb.Name)
		rows += len(tb.Rows)
	}
	want := []string{
		"Send connector Outbound to Office 365 - 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93",
		`Receive connector EX01\Default Frontend EX01`,
		"Inbound connector Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93",
		"Outbound connector Outbound to 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93",
	}
	if diff := cmp.Diff(want, tables); diff != "" || !r.Equal() || rows != 29 {
		t.Errorf("wizard on the default lab: Equal=%v, %d rows, tables (-want +got):\n%s", r.Equal(), rows, diff)
	}
}

// TestWizardUpdatesTheCertificate: "Update Secure Mail Certificate for
// Connectors" after a renewal with a new issuer changes the two
// TlsCertificateName values and nothing else, and mail flows again.
func TestWizardUpdatesTheCertificate(t *testing.T) {
	l := newDefaultLab(t)
	renewed, err := l.PKI.Issue(pki.Request{Profile: pki.RenewedNewIssuer})
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := renewed.PFX(pki.DefaultPFXPassword, pki.TripleDESSHA1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.OnPrem.ImportExchangeCertificate("EX01", pfx, pki.DefaultPFXPassword, true); err != nil {
		t.Fatal(err)
	}
	if err := l.OnPrem.EnableExchangeCertificate("EX01", renewed.Thumbprint(), fakeonprem.IIS|fakeonprem.SMTP, false); err != nil {
		t.Fatal(err)
	}
	if err := l.OnPrem.RemoveExchangeCertificate("EX01", l.Certificates["hybrid"].Thumbprint()); err != nil {
		t.Fatal(err)
	}
	r, err := l.RunHybridWizard(renewed.Thumbprint(), WizardOptions{UpdateCertificateOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, tb := range r.Tables {
		for _, row := range tb.Rows {
			if !row.Equals {
				changed = append(changed, tb.Kind+" "+row.Property+" = "+row.Expected)
			}
		}
	}
	name := renewed.TlsCertificateName().String()
	want := []string{"Send connector TlsCertificateName = " + name, "Receive connector TlsCertificateName = " + name}
	if diff := cmp.Diff(want, changed); diff != "" {
		t.Errorf("what the certificate update changed (-want +got):\n%s", diff)
	}
	for _, m := range []struct{ from, to string }{{"alice@contoso.com", "bob@contoso.com"}, {"bob@contoso.com", "alice@contoso.com"}} {
		if _, err := l.Send(m.from, []string{m.to}, "after the renewal"); err != nil {
			t.Fatal(err)
		}
	}
	where, err := l.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range where {
		if w.Place != "mailbox" {
			t.Errorf("%s for %s is in %s %s, want a mailbox", w.MessageID, w.Recipient, w.Place, w.Where)
		}
	}
}

// TestTraceIsDeterministic: the same actions on two labs give the same
// timeline, byte for byte.
func TestTraceIsDeterministic(t *testing.T) {
	var traces []string
	for range 2 {
		l := newDefaultLab(t)
		id, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "twice")
		if err != nil {
			t.Fatal(err)
		}
		traces = append(traces, l.Trace(id).String())
	}
	if diff := cmp.Diff(traces[0], traces[1]); diff != "" {
		t.Errorf("two runs' timelines differ (-first +second):\n%s", diff)
	}
}
