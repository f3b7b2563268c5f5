package control

import (
	"context"
	"encoding/csv"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hybridsim/hybridsim/scenarios"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the dashboard's screenshots into docs/screenshots (the README shows them)")

// screenshotDir is where -update-screenshots writes, from the package's
// directory.
const screenshotDir = "../docs/screenshots"

// needChromium returns headless Chromium's path: the test skips where it
// is missing and fails under CI, where .ci/run installs it.
func needChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is missing; .ci/run installs it (Debian: apt-get install chromium)")
	}
	t.Skip("chromium is missing: install it (Debian: apt-get install chromium) to test the dashboard in a real browser")
	return ""
}

// browser starts headless Chromium with a fresh profile and returns a
// tab's context; every URL the page requests is recorded in requests.
func browser(t *testing.T, requests *[]string, mu *sync.Mutex) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(needChromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			*requests = append(*requests, e.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: Network.enable: %v", err)
	}
	return ctx
}

// page is the dashboard in a browser tab.
type page struct {
	t   *testing.T
	ctx context.Context
}

// do runs actions, failing the test with the step's name.
func (p page) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", step, err)
	}
}

// text is the visible text of the first element sel (CSS) matches,
// waiting for it; read in one step, as the page re-renders it live.
func (p page) text(sel string) string {
	p.t.Helper()
	return p.read(sel, `e.innerText`)
}

// attr is an attribute of the first element sel matches.
func (p page) attr(sel, name string) string {
	p.t.Helper()
	return p.read(sel, `e.getAttribute(`+jsString(name)+`)`)
}

// read waits for an element and evaluates expr with it as e; an element
// whose value stays empty for 10 s fails the test.
func (p page) read(sel, expr string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Poll[string](`(() => { const e = document.querySelector(`+jsString(sel)+`); return e ? `+expr+` : "" })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		p.t.Fatalf("reading %s (%s): %v", sel, expr, err)
	}
	return s
}

// count is how many elements sel matches now.
func (p page) count(sel string) int {
	p.t.Helper()
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		p.t.Fatal(err)
	}
	return n
}

// screenshot writes a PNG of one section of the page (a CSS selector) at
// a viewport size into docs/screenshots when -update-screenshots is given.
func (p page) screenshot(name, sel string, width, height int64, mobile bool) {
	p.t.Helper()
	if !*updateScreenshots {
		return
	}
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	p.do("viewport for "+name, chromedp.EmulateViewport(width, height, opts...))
	png, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	p.do("reset the viewport", chromedp.ResetViewport())
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestDashboardFollowsF01 drives the dashboard in a real browser over a
// served lab: it breaks F01 from the page, sends a probe, finds the
// deferral with its LED and Event 12014 on the message's timeline, fixes
// F01, advances the clock and finds the delivery. Every request the page
// makes goes to the lab's server.
func TestDashboardFollowsF01(t *testing.T) {
	s := newAPIServer(t, true)
	var mu sync.Mutex
	var requests []string
	p := page{t, browser(t, &requests, &mu)}
	frontend := `#diagram li[data-connector="Default Frontend EX01"]`
	lastChange := `#change-log article.change`
	changed := func(title string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`(() => { const a = document.querySelector("#change-log article.change");
				return a !== null && a.getAttribute("aria-busy") === "false" && a.querySelector("h4").textContent === `+jsString(title)+` })()`)(ctx, tg)
			return err
		})
	}

	p.do("load the page", chromedp.Navigate(s.URL), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if got, want := p.text(frontend+` .choice .rule`), "by TlsCertificateName"; got != want {
		t.Errorf("the unbroken frontend's rule reads %q, want %q", got, want)
	}
	if unlabelled := p.count(`input:not([type=hidden]), select`) - p.count(`label + input, label + select`); unlabelled != 0 {
		t.Errorf("%d form controls have no label before them", unlabelled)
	}
	if n := p.count(frontend + ` .flag`); n != 0 {
		t.Errorf("the unbroken frontend shows %d flags", n)
	}

	p.do("break F01 from the page",
		chromedp.SetValue(chromedp.CSS(`#catalogue-entry`), "F01"),
		chromedp.Click(chromedp.CSS(`#catalogue-form button[value="break"]`)),
		changed("Break F01"))
	for _, c := range []struct{ what, got, want string }{
		{"the frontend's rule", p.text(frontend + ` .choice .rule`), "none: TlsCertificateName finds no usable certificate"},
		{"the frontend's flag", p.text(frontend + ` .flag`), "⚠ F01: no STARTTLS; Event 12014"},
		{"the change's first step", p.text(lastChange + ` pre.answer`)[:len("> $new = Import-ExchangeCertificate")], "> $new = Import-ExchangeCertificate"},
	} {
		if c.got != c.want {
			t.Errorf("after breaking F01, %s reads %q, want %q", c.what, c.got, c.want)
		}
	}

	p.do("send a probe",
		chromedp.SetValue(chromedp.CSS(`#probe-from`), "alice@contoso.com"),
		chromedp.SetValue(chromedp.CSS(`#probe-to`), "bob@contoso.com"),
		chromedp.Click(chromedp.CSS(`#probe-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline .deferral .led`)),
		chromedp.WaitReady(chromedp.CSS(`#timeline li[data-event-id="12014"]`)))
	// F01's LED (spec F01, S14) with the lab's endpoint and Exchange
	// Online's server bracket, as the catalogue expects it.
	wantLED := catalogueLED(t, "F01")
	for _, c := range []struct{ what, got, want string }{
		{"the deferral's LED", p.text(`#timeline .deferral .led`), wantLED},
		{"where the message is", p.attr(`#timeline .whereabouts li`, "data-place"), "queue"},
		{"the queue's LastError", p.text(`#timeline .whereabouts .led`), wantLED},
		{"Event 12014's source", p.attr(`#timeline li[data-event-id="12014"]`, "data-event-source"), "MSExchangeFrontEndTransport"},
		{"the EXO session's verdict", p.text(`#timeline li.hop[data-host="Exchange Online"] .session .verdict`), "451 5.7.3 STARTTLS is required to send mail"},
	} {
		if c.got != c.want {
			t.Errorf("on the probe's timeline, %s reads %q, want %q", c.what, c.got, c.want)
		}
	}
	p.screenshot("dashboard-f01-deployment.png", "#diagram", 1280, 1000, false)
	p.screenshot("dashboard-f01-deferral.png", "#timeline", 1280, 1000, false)
	p.screenshot("dashboard-phone.png", "#timeline .hops > li", 390, 844, true)
	// At phone width (without mobile emulation, which would widen the
	// layout to fit the page) nothing is wider than the window.
	p.do("phone width", chromedp.EmulateViewport(390, 844))
	if wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")]
		.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
		.slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + "." + e.className + " ends at " + Math.round(e.getBoundingClientRect().right))`)); err != nil || len(wide) > 0 {
		t.Errorf("at phone width (390 px) these are wider than the window: %q (%v)", wide, err)
	}
	p.do("desktop width", chromedp.ResetViewport())

	// From the keyboard: focus the Fix button and press Enter.
	p.do("fix F01 from the page",
		chromedp.SetValue(chromedp.CSS(`#catalogue-entry`), "F01"),
		chromedp.Focus(chromedp.CSS(`#catalogue-form button[value="fix"]`)),
		chromedp.KeyEvent("\r"),
		changed("Fix F01"))
	if got, want := p.text(frontend+` .choice .rule`), "by TlsCertificateName"; got != want {
		t.Errorf("after the fix the frontend's rule reads %q, want %q", got, want)
	}
	p.do("advance the clock to the retry",
		chromedp.SetValue(chromedp.CSS(`#clock-duration`), "15m"),
		chromedp.Click(chromedp.CSS(`#clock-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline .whereabouts li[data-place="mailbox"]`)))
	if got, want := p.text(`#timeline li[data-kind="DELIVER"] pre`), "DELIVER STOREDRIVER alice@contoso.com -> bob@contoso.com"; got != want {
		t.Errorf("the delivery reads %q, want %q", got, want)
	}
	session := `#timeline li.hop[data-host="EX01"] .session`
	if got, want := p.attr(session+` dd.presented`, "data-thumbprint"), p.attr(frontend+` .choice`, "data-thumbprint"); got != want || want == "" {
		t.Errorf("the frontend's session presented %q; the deployment says the frontend chooses %q", got, want)
	}
	// The verdict is the frontend's whole 250 2.6.0 reply (S4 with the
	// bytes and rate of real-artifacts §3.1), as its receive protocol log
	// wrote it.
	id := p.text(`#timeline h3 code`)
	want := queuedReply(t, s, id, "EX01")
	if !queuedForm.MatchString(want) || !strings.HasPrefix(want, "250 2.6.0 "+id+" ") {
		t.Errorf("EX01's queued reply to %s is %q, not of the form %s", id, want, queuedForm)
	}
	if got := p.text(session + ` .verdict`); got != want {
		t.Errorf("the frontend session's verdict reads %q, want %q", got, want)
	}
	p.screenshot("dashboard-delivered.png", "#timeline", 1280, 1000, false)

	p.do("reset, break F01 again, send a probe and let it expire",
		chromedp.Click(chromedp.CSS(`#reset-form button`)),
		changed("Reset the lab"),
		chromedp.SetValue(chromedp.CSS(`#catalogue-entry`), "F01"),
		chromedp.Click(chromedp.CSS(`#catalogue-form button[value="break"]`)),
		changed("Break F01"),
		chromedp.SetValue(chromedp.CSS(`#probe-subject`), "Expires"),
		chromedp.Click(chromedp.CSS(`#probe-form button`)),
		changed("Send a probe from alice@contoso.com to bob@contoso.com"),
		chromedp.SetValue(chromedp.CSS(`#clock-duration`), "25h"),
		chromedp.Click(chromedp.CSS(`#clock-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline .whereabouts li[data-place="ndr"]`)))
	// Exchange Online's expiry (spec F09) as the lab's trace detail gives it.
	if got, want := p.text(`#timeline li[data-kind="FAIL"] .ndr .led`), "550 4.4.7 QUEUE.Expired; message expired"; got != want {
		t.Errorf("the expired probe's FAIL reads %q, want %q", got, want)
	}

	mu.Lock()
	defer mu.Unlock()
	lab, _ := url.Parse(s.URL)
	if len(requests) < 5 {
		t.Errorf("the browser recorded %d requests: %q; the network log is not working", len(requests), requests)
	}
	for _, r := range requests {
		if u, err := url.Parse(r); err != nil || u.Host != lab.Host {
			t.Errorf("the page requested %s, outside the lab's API at %s", r, lab.Host)
		}
	}
}

// catalogueLED is the LED of an entry's Exchange Online message trace
// symptom, whole, as the catalogue's own run of the entry expects it (its
// Want is "Reason: [{LED=...};{MSG=...};...]").
func catalogueLED(t *testing.T, id string) string {
	t.Helper()
	e, ok := scenarios.Find(id)
	if !ok {
		t.Fatalf("no catalogue entry %s", id)
	}
	res := scenarios.Execute(e)
	if res.Err != nil {
		t.Fatalf("running %s: %v", id, res.Err)
	}
	for _, s := range res.Symptoms {
		if s.Where != scenarios.MessageTrace {
			continue
		}
		if m := reasonLED.FindStringSubmatch(s.Want); m != nil {
			return m[1]
		}
		t.Fatalf("%s's %s symptom %q has no LED", id, s.Where, s.Want)
	}
	t.Fatalf("%s has no %s symptom", id, scenarios.MessageTrace)
	return ""
}

// reasonLED is the LED of a message trace detail's Reason.
var reasonLED = regexp.MustCompile(`^Reason: \[\{LED=(.+?)\};\{MSG=`)

// queuedForm is a receive connector's reply to a message it queued:
// `250 2.6.0 <id> [InternalId=n, Hostname=fqdn] <n> bytes in <s>, <rate>
// KB/sec Queued mail for delivery`.
var queuedForm = regexp.MustCompile(`^250 2\.6\.0 <[^>]+> \[InternalId=\d+, Hostname=ex01\.contoso\.lab\] \d+ bytes in \d+\.\d{3}, \d+\.\d{3} KB/sec Queued mail for delivery$`)

// queuedReply is the 250 2.6.0 reply a host's receive protocol log wrote
// for the message, read through the API's timeline; every such reply of
// the host's sessions must be the same.
func queuedReply(t *testing.T, s *apiServer, messageID, host string) string {
	t.Helper()
	var tl timelineBody
	if code, body := s.call(t, "GET", "/api/v1/messages/"+url.PathEscape(messageID), "", &tl); code != 200 {
		t.Fatalf("messages/%s = %d %s", messageID, code, body)
	}
	var replies []string
	for _, h := range tl.Hops {
		for _, e := range h.Entries {
			if h.Host != host || e.Source != "protocol log" {
				continue
			}
			r := csv.NewReader(strings.NewReader(e.Text))
			r.FieldsPerRecord = -1
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%s's protocol log: %v", host, err)
			}
			for _, f := range rows {
				if len(f) > 7 && f[6] == ">" && strings.HasPrefix(f[7], "250 2.6.0 ") {
					replies = append(replies, f[7])
				}
			}
		}
	}
	if len(replies) != 1 {
		t.Fatalf("%s's protocol log has %d queued replies for %s: %q", host, len(replies), messageID, replies)
	}
	return replies[0]
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch r {
		case '"', '\\':
			b = append(b, '\\', byte(r))
		default:
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
}
