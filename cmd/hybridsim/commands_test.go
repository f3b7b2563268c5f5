package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// TestRunCatalogue: `hybridsim run` reproduces and clears every entry, and
// two runs give identical transcripts.
func TestRunCatalogue(t *testing.T) {
	var ids []string
	for _, e := range scenarios.Catalogue() {
		ids = append(ids, e.ID)
	}
	var first string
	for i := range 2 {
		code, stdout, stderr := runHybridsim(t, "run", "--json", "--transcript")
		if code != 0 || stderr != "" {
			t.Fatalf("hybridsim run --json: exit %d, stderr %q", code, stderr)
		}
		var results []runResult
		if err := json.Unmarshal([]byte(stdout), &results); err != nil {
			t.Fatal(err)
		}
		var got, failing []string
		for _, r := range results {
			got = append(got, r.ID)
			if !r.Reproduced || !r.Fixed || r.Error != "" {
				failing = append(failing, r.ID)
			}
		}
		if diff := cmp.Diff(ids, got); diff != "" {
			t.Errorf("entries run (-want +got):\n%s", diff)
		}
		if len(failing) > 0 {
			t.Errorf("entries that did not reproduce or clear: %v", failing)
		}
		if i == 0 {
			first = stdout
		} else if stdout != first {
			t.Errorf("two runs differ (-first +second):\n%s", cmp.Diff(first, stdout))
		}
	}
}

func TestRunSelectedAndTable(t *testing.T) {
	code, stdout, stderr := runHybridsim(t, "run", "F10", "f28")
	want := "ID   SYMPTOM SEEN  ABSENT UNBROKEN  FIX VERIFIED  TITLE\n" +
		"F10  yes           yes              yes           a firewall in front of the hybrid server refuses Exchange Online's connections\n" +
		"F28  yes           yes              yes           RequireTLS on a receive connector whose AuthMechanism lacks Tls is refused\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("hybridsim run F10 f28 = %d, %q, %q; want 0, %q, \"\"", code, stdout, stderr, want)
	}
}

// TestRunOnBrokenLab: the catalogue run against a lab file that lacks the
// default lab's mailboxes fails, and says which entries and why.
func TestRunOnBrokenLab(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(path, []byte("Base: default\nOnPrem:\n  Mailboxes:\n    - Name: Bob\n      PrimarySmtpAddress: robert@contoso.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHybridsim(t, "run", "--lab", path, "F10")
	if want := "hybridsim run: none of the 1 entries applies to this lab; each says why above\n"; code != 1 || stderr != want {
		t.Errorf("hybridsim run --lab (renamed mailbox) F10 = %d, stderr %q; want 1, %q", code, stderr, want)
	}
	want := "F10: not applicable: the lab has no mailbox bob@contoso.com, which the entry's probe message uses\n"
	if lines := strings.SplitAfter(stdout, "\n"); !slices.Contains(lines, want) {
		t.Errorf("hybridsim run --lab (renamed mailbox) F10 printed\n%s\nwant the line %q", stdout, want)
	}
}

// TestRunLabNeverPanics: run --lab on labs the entries were not written
// for (the hybrid certificate under another name, no Edge, no tenant)
// reports each entry as run, failed or not applicable, and never panics.
func TestRunLabNeverPanics(t *testing.T) {
	def, err := os.ReadFile("../../sim/default-lab.yaml")
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.NewReplacer("Name: hybrid", "Name: contoso-2026", "Certificate: hybrid", "Certificate: contoso-2026").Replace(string(def))
	for _, tc := range []struct {
		name, lab string
		code      int
		ran       []string // entries that must run, reproduce and clear
		na        map[string]string
	}{
		{name: "CertificateRenamed", lab: renamed, code: 0, ran: []string{"F01", "F04", "F12", "F26"}},
		{name: "NoEdge", lab: "Base: default\nOnPrem:\n  EdgeSubscriptions: []\n  Servers:\n    - Name: EDGE01\n      Remove: $true\n", code: 0,
			ran: []string{"F01"}, na: map[string]string{"F27": "the lab has no on-premises server EDGE01, which the entry breaks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lab.yaml")
			if err := os.WriteFile(path, []byte(tc.lab), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"run", "--lab", path, "--json"}, tc.ran...)
			for id := range tc.na {
				args = append(args, id)
			}
			code, stdout, stderr := runHybridsim(t, args...)
			var results []runResult
			if err := json.Unmarshal([]byte(stdout), &results); err != nil || code != tc.code {
				t.Fatalf("hybridsim %v = %d, %v, stderr %q", args, code, err, stderr)
			}
			for _, r := range results {
				switch why, ok := tc.na[r.ID]; {
				case ok && r.NotApplicable != why:
					t.Errorf("%s: notApplicable = %q, want %q", r.ID, r.NotApplicable, why)
				case !ok && (!r.Reproduced || !r.Fixed || r.Error != "" || r.NotApplicable != ""):
					t.Errorf("%s = %+v, want reproduced and fixed", r.ID, r)
				}
			}
		})
	}
}

// TestRunReading: --reading runs the entries a conflict reading changes,
// with that reading alone, and refuses a reading no entry has.
func TestRunReading(t *testing.T) {
	code, stdout, stderr := runHybridsim(t, "run", "--reading", "C1")
	want := "ID      SYMPTOM SEEN  ABSENT UNBROKEN  FIX VERIFIED  TITLE\n" +
		"F13     yes           yes              yes           the hybrid certificate is no longer enabled for SMTP: the send connector still picks it by TlsCertificateName, and the handshake fails\n" +
		"F13 C1  yes           yes                              reading: SMTP as a selection criterion on every path (S1's list, S7, S8)\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("hybridsim run --reading C1 = %d, %q, %q; want 0, %q, \"\"", code, stdout, stderr, want)
	}
	code, _, stderr = runHybridsim(t, "run", "--reading", "C7")
	want = "hybridsim run: no entry has the reading \"C7\"; the readings are C1, C10, C2, C5, C6\nRun 'hybridsim help run' for usage.\n"
	if code != 2 || stderr != want {
		t.Errorf("hybridsim run --reading C7 = %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

func TestList(t *testing.T) {
	code, stdout, _ := runHybridsim(t, "list", "--json")
	var listedEntries []listed
	if err := json.Unmarshal([]byte(stdout), &listedEntries); code != 0 || err != nil {
		t.Fatalf("hybridsim list --json = %d, %v", code, err)
	}
	for i, e := range scenarios.Catalogue() {
		got := listedEntries[i]
		if got.ID != e.ID || got.Direction != string(e.Direction) || len(got.Fix) != len(e.Fix) || got.Fix[0] != e.Fix[0].Cmdlet {
			t.Errorf("list entry %d = %+v, want %s with %d fix steps", i, got, e.ID, len(e.Fix))
		}
	}
}

func TestExplainCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	lab := "Base: default\nOnPrem:\n  ReceiveConnectors:\n    - Name: Default Frontend EX01\n      TlsCertificateName: " +
		"<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\n"
	if err := os.WriteFile(path, []byte(lab), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHybridsim(t, "explain", "--lab", path, "--json")
	if code != 0 {
		t.Fatalf("hybridsim explain = %d, %s", code, stderr)
	}
	var got []scenarios.Prediction
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Outcome != "deferred: still in Exchange Online's queue" || len(got[0].Matches) != 1 || got[0].Matches[0].ID != "F01" {
		t.Errorf("explain's first prediction = %+v, want F01 deferred", got[0])
	}
}

// TestExplainNoTenant: a lab without an Exchange Online tenant says so and
// explains the on-premises directions; a lab with no two mailboxes to send
// between exits non-zero.
func TestExplainNoTenant(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(path, []byte("Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      Remove: $true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runHybridsim(t, "explain", "--lab", path)
	want := "The lab has no Exchange Online tenant: only the directions between on-premises and the internet are explained.\n\n" +
		"onprem-to-internet: bob@contoso.com -> carol@fabrikam.com\n  outcome: delivered\n"
	if code != 0 || stdout != want {
		t.Errorf("hybridsim explain (no tenant) = %d,\n%s\nwant 0,\n%s", code, stdout, want)
	}
	if err := os.WriteFile(path, []byte("Base: default\nEXO:\n  Tenants:\n    - Name: contoso\n      Remove: $true\nInternet:\n  - Name: Fabrikam\n    Remove: $true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runHybridsim(t, "explain", "--lab", path)
	if want := "hybridsim explain: " + scenarios.ErrNoProbe.Error() + "\n"; code != 1 || stderr != want {
		t.Errorf("hybridsim explain (nothing to send between) = %d, %q; want 1, %q", code, stderr, want)
	}
}

// TestDiagnoseCommand: diagnose names the entries and rules of pasted
// evidence, and exits 1 on text with no documented symptom.
func TestDiagnoseCommand(t *testing.T) {
	code, stdout, _ := runHybridsim(t, "diagnose", "--json", "TLS negotiation failed with error NoCredentials")
	var d scenarios.Diagnosis
	if err := json.Unmarshal([]byte(stdout), &d); code != 0 || err != nil || len(d.Entries) != 1 || d.Entries[0].ID != "F12" {
		t.Errorf("hybridsim diagnose --json = %d, %v, %+v; want F12", code, err, d)
	}
	code, _, stderr := runHybridsim(t, "diagnose", "hello")
	if want := "hybridsim diagnose: no documented symptom found in the text; paste a whole LED, NDR line, LastError, event text or protocol log line\n"; code != 1 || stderr != want {
		t.Errorf("hybridsim diagnose hello = %d, %q; want 1, %q", code, stderr, want)
	}
}

func TestBadLabFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(path, []byte("Base: default\nOnPrem:\n  Servers:\n    - Name: EX01\n      Role: Mailbox\n      Fqdn: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runHybridsim(t, "explain", "--lab", path)
	want := "hybridsim explain: " + path + ":6: OnPrem.Servers[0].Fqdn: want text, got a list\n"
	if code != 1 || stderr != want {
		t.Errorf("hybridsim explain (bad file) = %d, %q; want 1, %q", code, stderr, want)
	}
}

// TestServe is issue 6's done-when: openssl sees the on-premises
// frontend's certificate and verifies it with the manifest's bundle; curl
// with the on-premises client certificate delivers into EXO's front door;
// the message comes out on-premises, in both sides' logs.
func TestServe(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed (apt-get install openssl)")
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed (apt-get install curl)")
	}
	dir := filepath.Join(t.TempDir(), "lab")
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, []string{"--dir", dir}, w, ticks); w.Close() }()
	t.Cleanup(func() { cancel(); <-done })
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "serving;") {
	}
	go io.Copy(io.Discard, out)

	var m sim.Manifest
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	endpoint := func(connector, name string) sim.Endpoint {
		for _, e := range m.Endpoints {
			if e.Connector == connector && e.Name == name {
				return e
			}
		}
		t.Fatalf("no endpoint %q %q in the manifest", connector, name)
		return sim.Endpoint{}
	}

	frontend := endpoint("Default Frontend EX01", "ex01.contoso.lab")
	cmd := exec.Command(openssl, "s_client", "-connect", frontend.Address, "-starttls", "smtp", "-name", "onprem.contoso.com",
		"-servername", "mail.contoso.com", "-verify_hostname", "mail.contoso.com", "-CAfile", filepath.Join(dir, "onprem-trust.pem"),
		"-verify_return_error", "-brief")
	cmd.Stdin = strings.NewReader("QUIT\r\n")
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl s_client: %v\n%s", err, got)
	}
	for _, want := range []string{"Verification: OK", "Verified peername: mail.contoso.com",
		"Peer certificate: C = US, ST = location, L = location, O = contoso, OU = IT, CN = mail.contoso.com"} {
		if !slices.Contains(strings.Split(string(got), "\n"), want) {
			t.Errorf("openssl s_client output lacks the line %q:\n%s", want, got)
		}
	}

	door := endpoint("", "contoso-com.mail.protection.outlook.com")
	_, port, _ := strings.Cut(door.Address, ":")
	msg := filepath.Join(t.TempDir(), "msg.eml")
	if err := os.WriteFile(msg, []byte("Message-ID: <serve-test@onprem.contoso.com>\r\nSubject: through the front door\r\n\r\nhi\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(curl, "--silent", "--show-error", "--url", "smtp://contoso-com.mail.protection.outlook.com:"+port+"/onprem.contoso.com",
		"--resolve", "contoso-com.mail.protection.outlook.com:"+port+":127.0.0.1", "--ssl-reqd", "--cacert", filepath.Join(dir, "exo-trust.pem"),
		"--cert", filepath.Join(dir, "onprem-client.pem"), "--key", filepath.Join(dir, "onprem-client.key"),
		"--mail-from", "bob@contoso.com", "--mail-rcpt", "bob@contoso.com", "--upload-file", msg)
	if got, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("curl to the front door: %v\n%s", err, got)
	}
	ticks <- time.Time{} // EXO delivers to on-premises
	ticks <- time.Time{} // returns once that tick's deliveries are done
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the cleanup

	tracking, _ := filepath.Glob(filepath.Join(dir, "logs", "EX01", "TransportRoles", "Logs", "MessageTracking", "MSGTRK*.LOG"))
	var events []string
	for _, f := range tracking {
		for _, rec := range readLog(t, f) {
			if rec["message-id"] == "<serve-test@onprem.contoso.com>" {
				events = append(events, rec["event-id"]+" "+rec["source"]+" "+rec["recipient-address"])
			}
		}
	}
	// The event chain of real-artifacts §2.3: RECEIVE on the Front End and on the Transport
	// service, AGENTINFO, SEND to Mailbox Transport (MSGTRK...), STOREDRIVER DELIVER (MSGTRKMD...).
	wantEvents := []string{"RECEIVE SMTP bob@contoso.com", "RECEIVE SMTP bob@contoso.com", "AGENTINFO AGENT bob@contoso.com",
		"SEND SMTP bob@contoso.com", "DELIVER STOREDRIVER bob@contoso.com"}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("EX01's message tracking of the message (-want +got):\n%s", diff)
	}
	trace, err := os.ReadFile(filepath.Join(dir, "logs", "Exchange Online", "MessageTrace.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(trace), "\n") {
		if fields := strings.Split(line, "  "); len(fields) == 5 && fields[3] == "<serve-test@onprem.contoso.com>" {
			rows = append(rows, fields[1]+" "+fields[2])
		}
	}
	if diff := cmp.Diff([]string{"bob@contoso.com -> bob@contoso.com Delivered"}, rows); diff != "" {
		t.Errorf("EXO's message trace of the message (-want +got):\n%s", diff)
	}
}

// TestServeJSON: serve --json prints the manifest it wrote, as exactly one
// JSON document, and nothing else; the manifest is gone once serve stops.
func TestServeJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--dir", dir, "--json", "--at", "2026-01-05T09:00:00Z"}, w, nil)
		w.Close()
	}()
	t.Cleanup(func() { cancel(); <-done })
	dec := json.NewDecoder(out)
	var printed json.RawMessage
	if err := dec.Decode(&printed); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want json.RawMessage
	if err := json.Unmarshal(written, &want); err != nil {
		t.Fatal(err)
	}
	if string(printed) != string(want) {
		t.Errorf("serve --json printed:\n%s\nmanifest.json:\n%s", printed, written)
	}
	cancel()
	rest, _ := io.ReadAll(io.MultiReader(dec.Buffered(), out))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the cleanup
	if strings.TrimSpace(string(rest)) != "" {
		t.Errorf("serve --json printed more after the manifest: %q", rest)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("manifest.json after serve stopped: %v, want it removed", err)
	}
}

// readLog reads an Exchange log file: the #Fields line names the columns.
func readLog(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	var out []map[string]string
	for _, line := range strings.Split(string(data), "\n") {
		if f, ok := strings.CutPrefix(line, "#Fields: "); ok {
			fields = strings.Split(strings.TrimSpace(f), ",")
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		values, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rec := map[string]string{}
		for i, f := range fields {
			if i < len(values) {
				rec[f] = values[i]
			}
		}
		out = append(out, rec)
	}
	return out
}

// TestVersion: hybridsim version names its module version ((devel) in a
// test or a clone's build), the Go version and the simulated build.
func TestVersion(t *testing.T) {
	code, stdout, stderr := runHybridsim(t, "version")
	want := "hybridsim (devel)\nbuilt with " + runtime.Version() + "\nsimulated Exchange Server build 15.2.1748.10 (Exchange Server 2019 CU15, by default)\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("hybridsim version = %d, %q, %q; want 0, %q, \"\"", code, stdout, stderr, want)
	}
}
