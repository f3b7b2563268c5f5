package sim_test

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// This file reads the lab's written logs the way public parsers of real Exchange logs do
// (rules written here from the documented format, real-artifacts §1 and §2: AndiBellstedt's
// ExchangeLogs and fgbm's exchange-log-parser), so that a tool tested against the lab meets
// what it meets in production.

// The parsers' rules.
var (
	// ExchangeLogs' server-options rule for the receive log's EHLO record (§1.5).
	receiveOptions = regexp.MustCompile(`^250\s\s\S+\sHello\s\[\S+]\s(?P<options>(\S|\s)+)`)
	// The send log logs the peer's reply with one space (§1.5's 2022 SEND log).
	sendOptions   = regexp.MustCompile(`^250\s\S+\sHello\s\[\S+]\s(?P<options>(\S|\s)+)`)
	tlsProtocol   = regexp.MustCompile(`^TLS protocol (SP_PROT_\S+) negotiation succeeded`)
	thumbprint    = regexp.MustCompile(` ([0-9A-F]{40}) `)
	bytesIn       = regexp.MustCompile(`\] (\d+) bytes in \d+[.,]\d{3}, \d+[.,]\d{3} KB/sec Queued mail for delivery$`)
	queuedID      = regexp.MustCompile(`^250 2\.6\.0 (<[^>]+>) \[InternalId=`)
	sendingRecord = regexp.MustCompile(`^sending message with RecordId (\d+) and InternetMessageId (<[^>]+>)$`)
	sourceContext = regexp.MustCompile(`^([0-9A-F]{16});(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z);(\d+)$`)
)

// parsedSession is what a parser finds in one SMTP session.
type parsedSession struct {
	file        string
	send        bool
	options     string
	tls         bool   // a data field starts with " CN=" (ExchangeLogs' rule)
	certificate string // the thumbprint of the certificate records
	protocol    string // SP_PROT_TLS1_2_SERVER
	size        string // the queued reply's byte count
	messageID   string
	mail        bool // the session sent MAIL FROM
}

// readExchangeLog reads a W3C-style Exchange log: '#' header lines, the #Fields line naming
// the columns, CSV records.
func readExchangeLog(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fields []string
	var body strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if after, ok := strings.CutPrefix(line, "#Fields: "); ok {
			fields = strings.Split(after, ",")
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		body.WriteString(line + "\n")
	}
	if fields == nil {
		t.Fatalf("%s has no #Fields line", name)
	}
	r := csv.NewReader(strings.NewReader(body.String()))
	r.FieldsPerRecord = len(fields)
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := map[string]string{}
		for i, f := range fields {
			m[f] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// parseProtocolLogs reads every RECV and SEND file under dir into sessions.
func parseProtocolLogs(t *testing.T, dir string) map[string]*parsedSession {
	t.Helper()
	sessions := map[string]*parsedSession{}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		base := filepath.Base(path)
		send := strings.HasPrefix(base, "SEND")
		if err != nil || info.IsDir() || !strings.HasSuffix(base, ".LOG") || !send && !strings.HasPrefix(base, "RECV") {
			return err
		}
		for _, rec := range readExchangeLog(t, path) {
			key := base[:4] + " " + rec["session-id"]
			s := sessions[key]
			if s == nil {
				s = &parsedSession{file: path, send: send}
				sessions[key] = s
			}
			data, context, event := rec["data"], rec["context"], rec["event"]
			options := receiveOptions
			if send {
				options = sendOptions
			}
			if m := options.FindStringSubmatch(data); m != nil && (event == ">" && !send || event == "<" && send) {
				s.options = m[1]
			}
			if strings.HasPrefix(data, " CN=") {
				s.tls = true
				if m := thumbprint.FindStringSubmatch(data); m != nil && strings.HasPrefix(context, "Sending certificate") != send {
					s.certificate = m[1] // the server's certificate: sent on receive, remote on send
				}
			}
			if m := tlsProtocol.FindStringSubmatch(context); m != nil {
				s.protocol = m[1]
			}
			if m := bytesIn.FindStringSubmatch(data); m != nil {
				s.size = m[1]
			}
			if m := queuedID.FindStringSubmatch(data); m != nil && !send {
				s.messageID = m[1]
			}
			if m := sendingRecord.FindStringSubmatch(context); m != nil && send {
				s.messageID = m[2]
			}
			if strings.HasPrefix(data, "MAIL FROM:") {
				s.mail = true
			}
		}
		return nil
	})
	return sessions
}

// TestLogsReadByPublicParsers: the default lab's mail both ways, its logs written, and every
// session that carried a message yields its server options, TLS, the certificate, the TLS
// protocol, the size and the message id; each SMTP RECEIVE tracking row joins its session by
// source-context (§2.3).
func TestLogsReadByPublicParsers(t *testing.T) {
	lab, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lab.Close() })
	toOnPrem, err := lab.Send("alice@contoso.com", []string{"bob@contoso.com"}, "from the cloud")
	if err != nil {
		t.Fatal(err)
	}
	toCloud, err := lab.Send("bob@contoso.com", []string{"alice@contoso.com"}, "to the cloud")
	if err != nil {
		t.Fatal(err)
	}
	lab.Advance(time.Minute)
	dir := t.TempDir()
	if err := lab.WriteLogs(dir); err != nil {
		t.Fatal(err)
	}
	sessions := parseProtocolLogs(t, dir)
	var keys []string
	for k := range sessions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ids := map[string]bool{}
	carried := 0
	for _, k := range keys {
		s := sessions[k]
		if !s.mail {
			continue
		}
		carried++
		ids[s.messageID] = true
		wantProtocol := "SP_PROT_TLS1_2_SERVER"
		if s.send {
			wantProtocol = "SP_PROT_TLS1_2_CLIENT"
		}
		switch {
		case s.options == "":
			t.Errorf("%s (%s): no server options", k, s.file)
		case !s.tls:
			t.Errorf("%s: seen as plaintext: no data field starts with \" CN=\"", k)
		case s.certificate == "":
			t.Errorf("%s: no certificate thumbprint", k)
		case s.protocol != wantProtocol:
			t.Errorf("%s: TLS protocol %q, want %s", k, s.protocol, wantProtocol)
		case s.messageID == "":
			t.Errorf("%s: no message id", k)
		case !s.send && s.size == "":
			t.Errorf("%s: no size (bytes in)", k)
		}
	}
	if carried < 2 || !ids[toOnPrem] || !ids[toCloud] {
		t.Errorf("sessions carrying messages: %d with ids %v; want both %s and %s", carried, ids, toOnPrem, toCloud)
	}
	// Message tracking: each SMTP RECEIVE names its session as <session id>;<time>;<n>, and
	// that session carried the same message.
	tracking, _ := filepath.Glob(filepath.Join(dir, "EX01", "TransportRoles", "Logs", "MessageTracking", "MSGTRK*.LOG"))
	joined := 0
	for _, f := range tracking {
		for _, row := range readExchangeLog(t, f) {
			if row["source"] != "SMTP" || row["event-id"] != "RECEIVE" {
				continue
			}
			m := sourceContext.FindStringSubmatch(row["source-context"])
			if m == nil {
				t.Errorf("%s: RECEIVE source-context %q is not <session id>;<time>;<n>", f, row["source-context"])
				continue
			}
			s := sessions["RECV "+m[1]]
			if s == nil || s.messageID != row["message-id"] {
				t.Errorf("%s: RECEIVE of %s names session %s, which carried %v", f, row["message-id"], m[1], s)
				continue
			}
			if row["transport-traffic-type"] != "Email" || row["schema-version"] != "15.02.1748.010" {
				t.Errorf("%s: RECEIVE row's transport-traffic-type %q, schema-version %q; want Email, 15.02.1748.010", f, row["transport-traffic-type"], row["schema-version"])
			}
			joined++
		}
	}
	t.Logf("%d sessions carried messages, %d RECEIVE rows joined their sessions", carried, joined)
	if joined == 0 {
		t.Errorf("no SMTP RECEIVE tracking row joined a protocol log session")
	}
}
