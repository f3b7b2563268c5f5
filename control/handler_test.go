package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

func TestHealthAndClock(t *testing.T) {
	s := newAPIServer(t, false)
	var health healthBody
	if code, body := s.call(t, "GET", "/api/v1/health", "", &health); code != 200 {
		t.Fatalf("health = %d %s", code, body)
	}
	if want := (healthBody{Status: "ok", Clock: pki.DefaultTime}); !health.Clock.Equal(want.Clock) || health.Status != "ok" {
		t.Errorf("health = %+v, want %+v", health, want)
	}
	var c clockBody
	s.call(t, "GET", "/api/v1/clock", "", &c)
	if !c.Clock.Equal(pki.DefaultTime) {
		t.Errorf("clock = %v, want %v", c.Clock, pki.DefaultTime)
	}
	if code, body := s.call(t, "POST", "/api/v1/clock/advance", `{"duration": "15m"}`, &c); code != 200 || !c.Clock.Equal(pki.DefaultTime.Add(15*time.Minute)) {
		t.Errorf("advance 15m = %d %s", code, body)
	}
	if code, _ := s.call(t, "POST", "/api/v1/clock/advance", `{"duration": "01:00:00"}`, &c); code != 200 || !c.Clock.Equal(pki.DefaultTime.Add(75*time.Minute)) {
		t.Errorf("advance 01:00:00: clock %v", c.Clock)
	}
	for _, tt := range []struct{ name, body, want string }{
		{name: "Negative", body: `{"duration": "-5m"}`, want: `control: duration "-5m": give a positive Go duration ("15m", "24h") or TimeSpan ("00:15:00") up to 400 days`},
		{name: "Words", body: `{"duration": "soon"}`, want: `control: duration "soon": give a positive Go duration ("15m", "24h") or TimeSpan ("00:15:00") up to 400 days`},
		{name: "UnknownField", body: `{"minutes": 5}`, want: `control: POST /api/v1/clock/advance: the body is not the JSON this route takes (json: unknown field "minutes"); GET /api/v1/openapi.json describes it`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := s.call(t, "POST", "/api/v1/clock/advance", tt.body, nil)
			if code != http.StatusBadRequest || errorOf(t, body) != tt.want {
				t.Errorf("advance %s = %d %s, want 400 %s", tt.body, code, body, tt.want)
			}
		})
	}
}

func TestManifest(t *testing.T) {
	s := newAPIServer(t, false)
	var got sim.Manifest
	if code, body := s.call(t, "GET", "/api/v1/manifest", "", &got); code != 200 {
		t.Fatalf("manifest = %d %s", code, body)
	}
	var want sim.Manifest
	s.lab.do(func(l *sim.Lab) error { want = l.Manifest(); return nil })
	if diff := cmp.Diff(want.Endpoints, got.Endpoints); diff != "" || len(got.Endpoints) == 0 {
		t.Errorf("manifest endpoints -want +got:\n%s", diff)
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	s := newAPIServer(t, false)
	code, body := s.call(t, "GET", "/api/v1/mailboxes", "", nil)
	if code != http.StatusNotFound || !strings.HasPrefix(errorOf(t, body), "control: no route GET /api/v1/mailboxes; the API's routes: GET /api/v1/health, ") {
		t.Errorf("GET /api/v1/mailboxes = %d %s", code, body)
	}
	code, body = s.call(t, "DELETE", "/api/v1/shell", "", nil)
	if code != http.StatusMethodNotAllowed || errorOf(t, body) != "control: DELETE /api/v1/shell: use POST" {
		t.Errorf("DELETE /api/v1/shell = %d %s", code, body)
	}
}

func TestShellRoute(t *testing.T) {
	s := newAPIServer(t, false)
	var got shellBody
	if code, body := s.call(t, "POST", "/api/v1/shell", `{"command": "Get-TransportService EX01"}`, &got); code != 200 {
		t.Fatalf("shell = %d %s", code, body)
	}
	var objs []psh.Object
	s.lab.do(func(l *sim.Lab) error {
		var err error
		objs, err = l.Shell(context.Background(), "Get-TransportService EX01")
		return err
	})
	if got.Text != psh.FormatList(objs...) {
		t.Errorf("text = %q, want %q", got.Text, psh.FormatList(objs...))
	}
	// The CLIXML answer reads back, as Import-Clixml would, to the same object.
	values, err := psh.ReadCLIXML(got.CLIXML)
	if err != nil {
		t.Fatalf("ReadCLIXML(clixml): %v\n%s", err, got.CLIXML)
	}
	if len(values) != 1 {
		t.Fatalf("clixml holds %d values, want 1", len(values))
	}
	back, ok := values[0].(*psh.Object)
	if !ok || psh.FormatList(*back) != psh.FormatList(objs...) {
		t.Errorf("clixml reads back as %#v, want the object Format-List prints as %q", values[0], psh.FormatList(objs...))
	}
	if len(got.Objects) != 1 {
		t.Fatalf("objects = %s", got.Objects)
	}
	if want := `{"Name":"EX01","InternalTransportCertificateThumbprint":"` + objs[0].Properties[1].Value.(string) +
		`","MessageExpirationTimeOut":"2.00:00:00","MessageRetryInterval":"00:15:00","OutboundConnectionFailureRetryInterval":"00:10:00","TransientFailureRetryCount":6,"TransientFailureRetryInterval":"00:05:00","MaxPerDomainOutboundConnections":20}`; compact(t, got.Objects[0]) != want {
		t.Errorf("object = %s, want %s", got.Objects[0], want)
	}
	for _, tt := range []struct {
		name, command string
		code          int
		want          string
	}{
		{name: "Unparsable", command: `Get-Queue 'EX01`, code: 400, want: "psh: position 11: the string is missing its closing quote '"},
		{name: "UnknownParameter", command: `Get-Queue -Bogus 1`, code: 422, want: "psh: Get-Queue: A parameter cannot be found that matches parameter name 'Bogus'. Get-Queue takes -Identity, -Server."},
		{name: "Refused", command: `Set-ReceiveConnector "EX01\Default Frontend EX01" -AuthMechanism ExchangeServer -RequireTLS $true`, code: 422},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(shellRequest{Command: tt.command})
			code, body := s.call(t, "POST", "/api/v1/shell", string(b), nil)
			var want string
			if tt.want != "" {
				want = tt.want
			} else {
				s.lab.do(func(l *sim.Lab) error {
					_, err := l.Shell(context.Background(), tt.command)
					want = err.Error()
					return nil
				})
			}
			if code != tt.code || errorOf(t, body) != want {
				t.Errorf("shell %q = %d %s, want %d %s", tt.command, code, body, tt.code, want)
			}
		})
	}
}

func compact(t testing.TB, j json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, j); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSendAndRead(t *testing.T) {
	s := newAPIServer(t, false)
	var sent sendBody
	if code, body := s.call(t, "POST", "/api/v1/send", `{"from": "alice@contoso.com", "to": "bob@contoso.com", "subject": "hello"}`, &sent); code != 200 || sent.MessageID == "" {
		t.Fatalf("send = %d %s", code, body)
	}
	var timeline timelineBody
	if code, body := s.call(t, "GET", "/api/v1/messages/"+url.PathEscape(sent.MessageID), "", &timeline); code != 200 {
		t.Fatalf("messages = %d %s", code, body)
	}
	var want sim.Timeline
	s.lab.do(func(l *sim.Lab) error { want = l.Trace(sent.MessageID); return nil })
	if timeline.Text != want.String() || len(timeline.Hops) == 0 {
		t.Errorf("timeline text = %q, want %q", timeline.Text, want.String())
	}
	if code, body := s.call(t, "GET", "/api/v1/messages/nobody@nowhere", "", nil); code != 404 ||
		errorOf(t, body) != "control: no message nobody@nowhere in the lab: give the Message-ID POST /api/v1/send answered (URL-encoded)" {
		t.Errorf("unknown message = %d %s", code, body)
	}

	var trace []traceRow
	s.call(t, "GET", "/api/v1/messagetrace?messageId="+url.QueryEscape(sent.MessageID), "", &trace)
	if len(trace) != 1 || trace[0].Status != "Delivered" || trace[0].RecipientAddress != "bob@contoso.com" || len(trace[0].Details) == 0 {
		t.Errorf("messagetrace = %+v", trace)
	}
	var all []traceRow
	s.call(t, "GET", "/api/v1/messagetrace", "", &all)
	if len(all) != 1 || all[0].Details != nil || all[0].MessageTraceId != trace[0].MessageTraceId {
		t.Errorf("messagetrace without a filter = %+v, want the one row without details", all)
	}
	var tracking []map[string]any
	s.call(t, "GET", "/api/v1/tracking?server=EX01&messageId="+url.QueryEscape(sent.MessageID), "", &tracking)
	// Exchange's chain for mail from Exchange Online to a local mailbox:
	// the Front End's RECEIVE, the Transport service's RECEIVE, the
	// agents' AGENTINFO, SEND to the Mailbox Transport, DELIVER.
	var events []string
	for _, e := range tracking {
		events = append(events, fmt.Sprintf("%v %v %v", e["EventId"], e["Source"], e["ConnectorId"]))
	}
	if diff := cmp.Diff([]string{
		`RECEIVE SMTP EX01\Default Frontend EX01`,
		`RECEIVE SMTP EX01\Default EX01`,
		"AGENTINFO AGENT ",
		"SEND SMTP Intra-Organization SMTP Send Connector",
		"DELIVER STOREDRIVER ",
	}, events); diff != "" {
		t.Errorf("tracking EventId, Source and ConnectorId -want +got:\n%s", diff)
	}
	code, body := s.call(t, "POST", "/api/v1/send", `{"from": "mallory@nowhere.example", "to": ["bob@contoso.com"]}`, nil)
	if code != http.StatusUnprocessableEntity {
		t.Errorf("send from nowhere = %d %s", code, body)
	}
}

func TestQueuesAndEventLog(t *testing.T) {
	s := newAPIServer(t, false)
	s.call(t, "POST", "/api/v1/catalogue/F06/break", "", nil)
	s.call(t, "POST", "/api/v1/shell", `{"command": "Restart-Service MSExchangeTransport -Server EX01"}`, nil)
	s.call(t, "POST", "/api/v1/send", `{"from": "bob@contoso.com", "to": "alice@contoso.com"}`, nil)
	var queues []map[string]any
	if code, body := s.call(t, "GET", "/api/v1/queues?server=EX01", "", &queues); code != 200 {
		t.Fatalf("queues = %d %s", code, body)
	}
	var want []any
	s.lab.do(func(l *sim.Lab) error {
		q, _ := l.OnPrem.GetQueue("EX01")
		for _, x := range q {
			want = append(want, x.Identity)
		}
		return nil
	})
	var got []any
	for _, q := range queues {
		got = append(got, q["Identity"])
	}
	if diff := cmp.Diff(want, got); diff != "" || len(got) == 0 {
		t.Errorf("queue identities -want +got:\n%s", diff)
	}
	var events []map[string]any
	if code, body := s.call(t, "GET", "/api/v1/events?server=EX01", "", &events); code != 200 {
		t.Fatalf("events = %d %s", code, body)
	}
	var wantEvents int
	s.lab.do(func(l *sim.Lab) error { e, _ := l.OnPrem.GetEventLog("EX01"); wantEvents = len(e); return nil })
	if len(events) != wantEvents || wantEvents == 0 {
		t.Errorf("events = %d entries, want %d", len(events), wantEvents)
	}
	if code, body := s.call(t, "GET", "/api/v1/events?server=EX99", "", nil); code != 404 ||
		errorOf(t, body) != `fakeonprem: server "EX99" not found: the organization's servers are EX01, EDGE01` {
		t.Errorf("events of EX99 = %d %s", code, body)
	}
}

func TestCatalogueBreakFix(t *testing.T) {
	s := newAPIServer(t, false)
	var list []entryBody
	s.call(t, "GET", "/api/v1/catalogue", "", &list)
	if len(list) != len(scenarios.Catalogue()) || list[0].ID != scenarios.Catalogue()[0].ID {
		t.Fatalf("catalogue = %+v", list)
	}
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F06/fix", "", nil); code != 409 ||
		errorOf(t, body) != "control: F06 is not broken on this lab: POST /api/v1/catalogue/F06/break first (the fix follows the break's steps)" {
		t.Errorf("fix before break = %d %s", code, body)
	}
	// The transcript is the catalogue's, as on a lab of one's own.
	e, _ := scenarios.Find("F06")
	own, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { own.Close() })
	run := scenarios.Attach(e, own)
	if err := run.Break(); err != nil {
		t.Fatal(err)
	}
	wantBreak := run.Transcript()
	if err := run.Fix(); err != nil {
		t.Fatal(err)
	}
	wantFix := run.Transcript()[len(wantBreak):]

	var broke, fixed stepsBody
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F06/break", "", &broke); code != 200 || broke.Transcript != wantBreak || broke.Restarted {
		t.Fatalf("break F06 = %d %s, want transcript %q", code, body, wantBreak)
	}
	if code, body := s.call(t, "POST", "/api/v1/catalogue/expired-certificate/break", "", nil); code != 409 ||
		errorOf(t, body) != "control: F06 is already broken: POST /api/v1/catalogue/F06/fix, or POST /api/v1/reset" {
		t.Errorf("break twice = %d %s", code, body)
	}
	s.call(t, "GET", "/api/v1/catalogue", "", &list)
	for _, x := range list {
		if x.Broken != (x.ID == "F06") {
			t.Errorf("catalogue: %s broken %v", x.ID, x.Broken)
		}
	}
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F06/fix", "", &fixed); code != 200 || fixed.Transcript != wantFix {
		t.Errorf("fix F06 = %d %s, want transcript %q", code, body, wantFix)
	}
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F99/break", "", nil); code != 404 ||
		errorOf(t, body) != `control: no catalogue entry "F99": GET /api/v1/catalogue lists them` {
		t.Errorf("break F99 = %d %s", code, body)
	}
	// An entry that needs its own lab: refused without Restart.
	code, body := s.call(t, "POST", "/api/v1/catalogue/F15/break", "", nil)
	if code != 409 || !strings.HasPrefix(errorOf(t, body), "control: F15 needs a lab started for it (") {
		t.Errorf("break F15 without Restart = %d %s", code, body)
	}
}

func TestCatalogueEntryWithItsOwnLab(t *testing.T) {
	s := newAPIServer(t, true)
	var broke stepsBody
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F15/break", "", &broke); code != 200 || !broke.Restarted || broke.Transcript == "" {
		t.Fatalf("break F15 = %d %s", code, body)
	}
	var fixed stepsBody
	if code, body := s.call(t, "POST", "/api/v1/catalogue/F15/fix", "", &fixed); code != 200 || fixed.Transcript == "" {
		t.Errorf("fix F15 = %d %s", code, body)
	}
}

func TestReset(t *testing.T) {
	s := newAPIServer(t, false)
	s.call(t, "POST", "/api/v1/clock/advance", `{"duration": "2h"}`, nil)
	s.call(t, "POST", "/api/v1/catalogue/F06/break", "", nil)
	var c clockBody
	if code, body := s.call(t, "POST", "/api/v1/reset", "", &c); code != 200 || !c.Clock.Equal(pki.DefaultTime) {
		t.Fatalf("reset = %d %s, want the clock at %v", code, body, pki.DefaultTime)
	}
	var list []entryBody
	s.call(t, "GET", "/api/v1/catalogue", "", &list)
	for _, x := range list {
		if x.Broken {
			t.Errorf("%s broken after a reset", x.ID)
		}
	}
	var got shellBody
	s.call(t, "POST", "/api/v1/shell", `{"command": "Get-ExchangeCertificate -Server EX01"}`, &got)
	var want []psh.Object
	own, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	want, _ = own.Shell(context.Background(), "Get-ExchangeCertificate -Server EX01")
	if got.Text != psh.FormatList(want...) {
		t.Errorf("certificates after a reset:\n%s\nwant those of a new lab:\n%s", got.Text, psh.FormatList(want...))
	}
}

func TestLogs(t *testing.T) {
	s := newAPIServer(t, false)
	s.call(t, "POST", "/api/v1/send", `{"from": "alice@contoso.com", "to": "bob@contoso.com"}`, nil)
	var files []string
	if code, body := s.call(t, "GET", "/api/v1/logs", "", &files); code != 200 || len(files) == 0 {
		t.Fatalf("logs = %d %s", code, body)
	}
	var tracking string
	for _, f := range files {
		if strings.Contains(f, "MessageTracking") {
			tracking = f
			break
		}
	}
	if tracking == "" {
		t.Fatalf("no message tracking log among %v", files)
	}
	code, body := s.call(t, "GET", "/api/v1/logs/"+tracking, "", nil)
	if code != 200 || !strings.HasPrefix(body, "#Software: Microsoft Exchange Server") {
		t.Errorf("GET %s = %d %.200s", tracking, code, body)
	}
	if code, body := s.call(t, "GET", "/api/v1/logs/nothing/here.log", "", nil); code != 404 ||
		errorOf(t, body) != `control: no log file "nothing/here.log": GET /api/v1/logs lists them` {
		t.Errorf("missing log = %d %s", code, body)
	}
	if code, _ := s.call(t, "GET", "/api/v1/logs/..%2f..%2fetc%2fpasswd", "", nil); code != 400 && code != 404 {
		t.Errorf("a path out of the log directory = %d", code)
	}
}

// TestPanicInTheLab: a panic inside the lab's code is answered with 500
// and the owner's Do returns normally.
func TestPanicInTheLab(t *testing.T) {
	l, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var broken bool
	h, err := NewHandler(Config{
		Do: func(f func(*sim.Lab) error) error {
			if broken {
				return f(nil) // a lab in a state the handler's code does not expect
			}
			return f(l)
		},
		Reset: func() error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	broken = true
	resp, err := srv.Client().Get(srv.URL + "/api/v1/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorBody
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 500 || e.Error != "control: the lab panicked: runtime error: invalid memory address or nil pointer dereference" {
		t.Errorf("clock on a broken lab = %d %q", resp.StatusCode, e.Error)
	}
}

func TestHealthNotReady(t *testing.T) {
	l, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	h, err := NewHandler(Config{
		Do:    func(f func(*sim.Lab) error) error { return f(l) },
		Reset: func() error { return nil },
		Ready: func() error { return errors.New("EX01's Default Frontend EX01 does not accept yet") },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL + "/api/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorBody
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 503 || e.Error != "control: the lab is not ready: EX01's Default Frontend EX01 does not accept yet" {
		t.Errorf("health before ready = %d %q", resp.StatusCode, e.Error)
	}
}
