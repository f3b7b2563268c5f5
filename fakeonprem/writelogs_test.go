package fakeonprem

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// scenarioLogs runs a small hybrid day in a fresh lab — mail from EXO to alice, alice to bob
// (stale certificate, fixed, retried), a refused relay — and writes the logs to dir.
func scenarioLogs(t *testing.T, dir string) {
	t.Helper()
	l := newLab(t)
	old := l.issue(pki.Request{Profile: pki.Trusted})
	renewed := l.issue(pki.Request{Profile: pki.RenewedNewIssuer})
	cfg := hybridOrg(renewed.TlsCertificateName().String(), ExchangeCertificate{Certificate: renewed, Services: SMTP})
	cfg.SendConnectors[0].TlsCertificateName = old.TlsCertificateName().String()
	cfg.ReceiveConnectors = hybridFrontend(renewed.TlsCertificateName().String())
	o := l.start(cfg)
	e := l.startEXO(smtpd.Hooks{}, true)
	if err := l.exoSend(frontend, "carol@contoso.com", "alice@contoso.com", hybridMessage); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "hello"); err != nil {
		t.Fatal(err)
	}
	runAll(t, o, e)
	o.SetSendConnector(hybridName, func(c *SendConnector) { c.TlsCertificateName = renewed.TlsCertificateName().String() })
	next, ok := o.NextDue()
	if !ok {
		t.Fatal("NextDue() found nothing queued after the stale certificate's deferral")
	}
	l.clock.set(next)
	runAll(t, o, e)
	c := l.dialRaw("mail.fabrikam.com", frontend)
	c.reply()
	c.cmd("EHLO mail.fabrikam.com")
	c.cmd("MAIL FROM:<a@fabrikam.com>")
	c.cmd("RCPT TO:<kate@fabrikam.com>")
	c.cmd("QUIT")
	o.WaitIdle()
	if err := o.WriteLogs(dir); err != nil {
		t.Fatal(err)
	}
}

// readTree returns every file under dir by its slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWriteLogs: Exchange's folder layout (S32), the message tracking file's header, and the
// same calls giving the same files byte for byte on a second run (determinism).
func TestWriteLogs(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	scenarioLogs(t, first)
	scenarioLogs(t, second)
	a, b := readTree(t, first), readTree(t, second)
	var names []string
	for name := range a {
		names = append(names, name)
	}
	want := []string{
		"EX01/EventLog/Application.txt",
		"EX01/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/RECV2026010509-1.LOG",
		"EX01/TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/SEND2026010509-1.LOG",
		"EX01/TransportRoles/Logs/MessageTracking/MSGTRK2026010509-1.LOG",
		"EX01/TransportRoles/Logs/MessageTracking/MSGTRKMD2026010509-1.LOG",
		"EX01/TransportRoles/Logs/MessageTracking/MSGTRKMS2026010509-1.LOG",
	}
	if diff := cmp.Diff(want, names, sortStrings); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("a second run wrote other logs (-first +second):\n%s", diff)
	}
	header := strings.Join(strings.SplitN(a["EX01/TransportRoles/Logs/MessageTracking/MSGTRK2026010509-1.LOG"], "\r\n", 6)[:5], "\n")
	wantHeader := "#Software: Microsoft Exchange Server\n#Version: 15.02.1748.010\n#Log-type: Message Tracking Log\n" +
		"#Date: 2026-01-05T09:00:00.000Z\n" +
		"#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"
	if header != wantHeader {
		t.Errorf("message tracking header =\n%s\nwant\n%s", header, wantHeader)
	}
	if err := func() error { l := newLab(t); o := l.start(contoso()); return o.WriteLogs(first) }(); errText(err) !=
		"fakeonprem: WriteLogs: "+filepath.Join(first, "EX01")+" exists; write the logs into a new directory" {
		t.Errorf("WriteLogs into a used directory = %v", err)
	}
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })
