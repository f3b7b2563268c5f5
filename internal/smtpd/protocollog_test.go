package smtpd

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// s14Time is the time of spec §1's receive-log sample.
var s14Time = time.Date(2025, 1, 29, 20, 14, 51, 470e6, time.UTC)

// TestReceiveLog runs a STARTTLS session and compares its whole receive protocol log: the
// engine's records and those the hooks add, as a fake will.
func TestReceiveLog(t *testing.T) {
	p := labPKI(t)
	var sink recordingSink
	var box mailbox
	srv := newTestServer(t, Config{
		Sink: &sink, ConnectorID: `EX01\Default Frontend EX01`, Clock: fixedClock{s14Time},
		SessionIDs: func() string { return "08DD34FA3086278D" },
		Policy: func(s *Session) Hooks {
			return box.hooks(Hooks{
				Certificate: &p.Server,
				Handshake: func(st *tls.ConnectionState, err error) *Reply {
					s.Info("", "Sending certificate")
					s.Info("CN=mail.contoso.com", "Certificate subject")
					return nil
				},
				Mail: func(*Message) *Reply {
					s.Info(s.ID()+";2025-01-29T20:14:51.470Z;1", "receiving message")
					return nil
				},
			})
		},
	})
	c := dialRaw(t, srv)
	c.reply()
	c.cmd("EHLO onprem.contoso.com")
	c.cmd("STARTTLS")
	c.startTLS(p.clientTLS())
	c.cmd("EHLO onprem.contoso.com")
	c.cmd("MAIL FROM:<chris@contoso.com>")
	c.cmd("RCPT TO:<kate@fabrikam.com>")
	c.cmd("DATA")
	c.cmd("Subject: test\r\n\r\nThis is a test message.\r\n.")
	c.cmd("QUIT")
	c.rest()
	srv.WaitIdle()

	pre := func(ms string) string {
		return "2025-01-29T20:14:51." + ms + `Z,EX01\Default Frontend EX01,08DD34FA3086278D,`
	}
	const ep = ",10.0.0.1:25,203.0.113.10:49152,"
	want := []string{
		pre("470") + "0" + ep + "+,,",
		pre("470") + "1" + ep + `>,"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000",`,
		pre("471") + "2" + ep + "<,EHLO onprem.contoso.com,",
		pre("471") + "3" + ep + ">,250  mail.contoso.com Hello [203.0.113.10] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("472") + "4" + ep + "<,STARTTLS,",
		pre("472") + "5" + ep + ">,220 2.0.0 SMTP server ready,",
		pre("476") + "6" + ep + "*,,Sending certificate",
		pre("476") + "7" + ep + "*,CN=mail.contoso.com,Certificate subject",
		pre("477") + "8" + ep + "<,EHLO onprem.contoso.com,",
		pre("477") + "9" + ep + ">,250  mail.contoso.com Hello [203.0.113.10] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
		pre("478") + "10" + ep + "<,MAIL FROM:<chris@contoso.com>,",
		pre("478") + "11" + ep + "*,08DD34FA3086278D;2025-01-29T20:14:51.470Z;1,receiving message",
		pre("478") + "12" + ep + ">,250 2.1.0 Sender OK,",
		pre("479") + "13" + ep + "<,RCPT TO:<kate@fabrikam.com>,",
		pre("479") + "14" + ep + ">,250 2.1.5 Recipient OK,",
		pre("480") + "15" + ep + "<,DATA,",
		pre("480") + "16" + ep + ">,354 Start mail input; end with <CRLF>.<CRLF>,",
		pre("486") + "17" + ep + `>,"` + queuedS4 + `",`,
		pre("487") + "18" + ep + "<,QUIT,",
		pre("487") + "19" + ep + ">,221 2.0.0 Service closing transmission channel,",
		pre("487") + "20" + ep + "-,,Local",
	}
	if diff := cmp.Diff(want, sink.Lines()); diff != "" {
		t.Errorf("receive log (-want +got):\n%s", diff)
	}
}

func TestRecordString(t *testing.T) {
	base := Record{Time: time.Date(2017, 4, 14, 17, 0, 41, 125e6, time.FixedZone("", 3*3600)),
		ConnectorID: `SERVER1\Default Frontend SERVER1`, SessionID: "08D479E14521204D", Seq: 21,
		Local: "172.20.102.10:25", Remote: "155.39.36.248:30648", Event: '*'}
	tests := []struct {
		name          string
		data, context string
		want          string
	}{
		{name: "Plain", data: "CN=SERVER1", context: "Certificate subject",
			want: `2017-04-14T14:00:41.125Z,SERVER1\Default Frontend SERVER1,08D479E14521204D,21,172.20.102.10:25,155.39.36.248:30648,*,CN=SERVER1,Certificate subject`},
		{name: "Comma", data: "CN=mail.contoso.com, OU=IT", context: "Certificate subject",
			want: `2017-04-14T14:00:41.125Z,SERVER1\Default Frontend SERVER1,08D479E14521204D,21,172.20.102.10:25,155.39.36.248:30648,*,"CN=mail.contoso.com, OU=IT",Certificate subject`},
		{name: "Quote", data: `say "hi"`, context: "",
			want: `2017-04-14T14:00:41.125Z,SERVER1\Default Frontend SERVER1,08D479E14521204D,21,172.20.102.10:25,155.39.36.248:30648,*,"say ""hi""",`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			r.Data, r.Context = tt.data, tt.context
			if got := r.String(); got != tt.want {
				t.Errorf("Record.String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFileSink writes records over two days and compares both files whole.
func TestFileSink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "SmtpReceive")
	sink := &FileSink{Dir: dir}
	day1 := time.Date(2025, 1, 29, 23, 59, 59, 999e6, time.UTC)
	day2 := day1.Add(time.Millisecond)
	rec := func(at time.Time, seq int, event byte, data string) Record {
		return Record{Time: at, ConnectorID: `EX01\Default Frontend EX01`, SessionID: "08DD34FA3086278D", Seq: seq,
			Local: "10.0.0.1:25", Remote: "104.47.58.43:57811", Event: event, Data: data}
	}
	sink.Log(rec(day1, 0, '+', ""))
	sink.Log(rec(day1, 1, '>', "220 E19.Contoso.lab Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 23:59:59 +0000"))
	sink.Log(rec(day2, 2, '<', "EHLO mail.protection.outlook.com"))
	if err := sink.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	header := func(date string) string {
		return "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Receive Protocol Log\r\n" +
			"#Date: " + date + "\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"
	}
	want := map[string]string{
		"RECV2025012923-1.LOG": header("2025-01-29T23:59:59.999Z") +
			`2025-01-29T23:59:59.999Z,EX01\Default Frontend EX01,08DD34FA3086278D,0,10.0.0.1:25,104.47.58.43:57811,+,,` + "\r\n" +
			`2025-01-29T23:59:59.999Z,EX01\Default Frontend EX01,08DD34FA3086278D,1,10.0.0.1:25,104.47.58.43:57811,>,"220 E19.Contoso.lab Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 23:59:59 +0000",` + "\r\n",
		"RECV2025013000-1.LOG": header("2025-01-30T00:00:00.000Z") +
			`2025-01-30T00:00:00.000Z,EX01\Default Frontend EX01,08DD34FA3086278D,2,10.0.0.1:25,104.47.58.43:57811,<,EHLO mail.protection.outlook.com,` + "\r\n",
	}
	got := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log files (-want +got):\n%s", diff)
	}

	// A second sink in the same hour appends without a second header.
	again := &FileSink{Dir: dir}
	again.Log(rec(day2, 3, '-', ""))
	if err := again.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "RECV2025013000-1.LOG"))
	if n := strings.Count(string(b), "#Software"); n != 1 {
		t.Errorf("RECV2025013000-1.LOG has %d headers, want 1:\n%s", n, b)
	}

	send := &FileSink{Dir: dir, Send: true}
	send.Log(rec(day1, 0, '*', "attempting to connect"))
	if err := send.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "SEND2025012923-1.LOG"))
	if got, want := strings.SplitN(string(b), "\r\n", 4)[2], "#Log-type: SMTP Send Protocol Log"; got != want {
		t.Errorf("send log type line = %q, want %q", got, want)
	}
}
