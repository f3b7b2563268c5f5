package sim

import (
	"io/fs"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/internal/labnet"
)

// readTree reads every file under dir, by path relative to dir.
func readTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStreamLogs: the logs streamed while the lab runs are on disk before
// anything closes them, and they are the files WriteLogs writes at the end,
// byte for byte (EXO's protocol log in order of writing rather than by
// session; its message trace as each message was delivered).
func TestStreamLogs(t *testing.T) {
	l := newDefaultLab(t)
	streamed := t.TempDir()
	if err := l.StreamLogs(streamed); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ from, to string }{
		{"alice@contoso.com", "bob@contoso.com"},
		{"bob@contoso.com", "alice@contoso.com"},
		{"bob@contoso.com", "carol@fabrikam.com"},
	} {
		if _, err := l.Send(m.from, []string{m.to}, "streamed"); err != nil {
			t.Fatal(err)
		}
	}
	l.Advance(25 * time.Hour) // past a day: the files roll over
	if _, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "the next day"); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, streamed) // before CloseLogs: what a killed process leaves
	t.Logf("%d files: %v", len(got), slices.Sorted(maps.Keys(got)))
	written := t.TempDir()
	if err := l.WriteLogs(written); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, written)
	sortLines := func(s string) string {
		lines := strings.Split(s, "\n")
		slices.Sort(lines)
		return strings.Join(lines, "\n")
	}
	const exoLog = "Exchange Online/SmtpProtocolLog.log"
	got[exoLog], want[exoLog] = sortLines(got[exoLog]), sortLines(want[exoLog])
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("streamed logs (-as WriteLogs writes them +streamed):\n%s", diff)
	}
	var rolled []string
	for name := range got {
		if strings.Contains(name, "MessageTracking/") {
			rolled = append(rolled, name)
		}
	}
	if len(rolled) < 2 {
		t.Errorf("message tracking files %v: want one per period, two or more after 25 hours", rolled)
	}
	if err := l.CloseLogs(); err != nil {
		t.Fatal(err)
	}
}

// TestStreamLogsKeep: with Retain, the lab's memory holds only the last
// records; the streamed files hold all.
func TestStreamLogsKeep(t *testing.T) {
	l := newDefaultLab(t)
	dir := t.TempDir()
	const keep = 5
	if err := l.StreamLogs(dir); err != nil {
		t.Fatal(err)
	}
	l.Retain(keep)
	for range 12 {
		if _, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "kept"); err != nil {
			t.Fatal(err)
		}
	}
	if msgs, _ := l.Mailbox("bob@contoso.com"); len(msgs) == 0 || len(msgs) > 2*keep {
		t.Errorf("bob's mailbox keeps %d messages in memory, want 1 to %d", len(msgs), 2*keep)
	}
	if n := len(l.EXO.Ledger()); n == 0 || n > 2*keep {
		t.Errorf("EXO's ledger keeps %d entries, want 1 to %d", n, 2*keep)
	}
	if n := len(l.OnPrem.Ledger()); n == 0 || n > 2*keep {
		t.Errorf("on-premises ledger keeps %d entries, want 1 to %d", n, 2*keep)
	}
	if n := len(l.EXO.ProtocolLog("")); n == 0 || n > 2*keep {
		t.Errorf("EXO keeps %d protocol log records, want 1 to %d", n, 2*keep)
	}
	recs, err := l.OnPrem.ProtocolLog("EX01", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) > 2*keep {
		t.Errorf("EX01 keeps %d protocol log records in memory, want at most %d", len(recs), 2*keep)
	}
	tracking, _ := l.OnPrem.GetMessageTrackingLog("EX01", "")
	if len(tracking) > 2*keep {
		t.Errorf("EX01 keeps %d tracking entries in memory, want at most %d", len(tracking), 2*keep)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "EX01", "TransportRoles", "Logs", "MessageTracking", "*"))
	lines := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(data), "\r\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				lines++
			}
		}
	}
	if lines < 20 { // a RECEIVE and a DELIVER at least per message
		t.Errorf("EX01's tracking files hold %d entries, want every one of 10 messages' (20 or more)", lines)
	}
}

// TestStreamLogsPendingTrace: a message still on its way is not in the
// streamed message trace until CloseLogs appends it, as Pending.
func TestStreamLogsPendingTrace(t *testing.T) {
	l := newDefaultLab(t)
	dir := t.TempDir()
	if err := l.StreamLogs(dir); err != nil {
		t.Fatal(err)
	}
	l.network.SetFirewall(netip.MustParseAddrPort("203.0.113.10:25"), labnet.Reject)
	if _, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "held up"); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(dir, "Exchange Online", "MessageTrace.txt")
	if data, _ := os.ReadFile(trace); len(data) != 0 {
		t.Errorf("the streamed trace holds a message still queued:\n%s", data)
	}
	if err := l.CloseLogs(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if fields := strings.Split(first, "  "); len(fields) != 5 || fields[2] != "Pending" {
		t.Errorf("trace after CloseLogs begins %q, want the row of the queued message, Pending", first)
	}
}
