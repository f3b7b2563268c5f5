package fakeonprem

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzAddressSpace: any AddressSpaces value parses or is refused without a panic, and a parsed
// one matches domains without one.
func FuzzAddressSpace(f *testing.F) {
	for _, s := range []string{"smtp:contoso.mail.onmicrosoft.com;1", "SMTP:*;100", "*", "--", "*.contoso.com", "*contoso.com", "x400:c=US;1", "smtp:;0"} {
		f.Add(s, "contoso.mail.onmicrosoft.com")
	}
	f.Fuzz(func(t *testing.T, v, domain string) {
		a, err := parseAddressSpace(v)
		if err != nil {
			return
		}
		if a.cost < 1 || a.cost > 100 {
			t.Errorf("parseAddressSpace(%q) cost %d, want 1-100", v, a.cost)
		}
		_ = a.match(domain, true) // must not panic
		_ = a.match(domain, false)
	})
}

// FuzzServices: Services read back what String writes.
func FuzzServices(f *testing.F) {
	for _, s := range []string{"IMAP, POP, IIS, SMTP", "{SMTP, IIS}", "None", "smtp", "Kerberos"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var s Services
		if err := s.UnmarshalText([]byte(text)); err != nil {
			return
		}
		var back Services
		if err := back.UnmarshalText([]byte(s.String())); err != nil || back != s {
			t.Errorf("Services %q -> %q -> %v, %v", text, s.String(), back, err)
		}
	})
}

// FuzzSplitMessage: a message split into header fields and body renders back to a message that
// splits the same way.
func FuzzSplitMessage(f *testing.F) {
	f.Add([]byte("From: a@contoso.com\r\nSubject: hi\r\n folded\r\n\r\nbody\r\n"))
	f.Add([]byte("no header\r\n"))
	f.Add([]byte("\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, body := splitMessage(data)
		m := message{header: h, body: body}
		h2, body2 := splitMessage(m.bytes())
		if !cmp.Equal(h, h2, cmp.AllowUnexported(headerField{})) || string(body) != string(body2) {
			t.Errorf("splitMessage(%q): the rendering %q splits differently", data, m.bytes())
		}
	})
}
