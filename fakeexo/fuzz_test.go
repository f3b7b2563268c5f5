package fakeexo

import (
	"bytes"
	"testing"
)

// FuzzStamp: whatever a sender puts in a message, splitting it keeps every
// byte, and the front door's and the outbound stamps leave no
// X-MS-Exchange-Organization-* field from outside and never lose the body.
func FuzzStamp(f *testing.F) {
	f.Add([]byte(fromOnPrem))
	f.Add([]byte("Subject: a\r\n b\r\n\r\nbody\r\n"))
	f.Add([]byte("no header at all"))
	f.Add([]byte("X-MS-Exchange-Organization-AuthAs: Internal\n\n"))
	f.Add([]byte("\r")) // a body starting with a lone CR once lost its separator
	f.Fuzz(func(t *testing.T, data []byte) {
		h := splitMessage(data)
		if got := h.bytes(); !bytes.Equal(got, data) {
			t.Fatalf("splitMessage(%q).bytes() = %q", data, got)
		}
		for _, internal := range []bool{false, true} {
			stamped := splitMessage(stampInbound(data, internal, internal, "EXO01.mail.protection.outlook.com"))
			if !bytes.Equal(content(stamped), content(h)) {
				t.Fatalf("stampInbound changed the body of %q: %q", data, stamped.body)
			}
			out := splitMessage(stampOutbound(data, false))
			for _, f := range out.fields {
				if hasPrefixFold(fieldName(f), prefixOrganization) || hasPrefixFold(fieldName(f), prefixCrossPremises) {
					t.Fatalf("stampOutbound(%q) kept %q through the header firewall", data, f)
				}
			}
		}
	})
}

// FuzzDomainPattern: a pattern that parses renders back to a value that
// parses to the same pattern, and always names its own base.
func FuzzDomainPattern(f *testing.F) {
	// "0.." once parsed to a base with a trailing dot.
	for _, s := range []string{"contoso.com", "*.contoso.com", "smtp:*;1", "domain.*.contoso.com", "*", "Mail.Contoso.COM.", "0.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseAddressSpace(s)
		if err != nil {
			return
		}
		again, err := parseAddressSpace(p.String())
		if err != nil || again != p {
			t.Fatalf("parseAddressSpace(%q) = %v; its String %q parses to %v, %v", s, p, p.String(), again, err)
		}
		if p.base != "" && !p.covers(p.base) {
			t.Fatalf("%v does not cover its own base", p)
		}
	})
}

// content is a message's body without the empty line that starts it.
func content(h header) []byte {
	if b, ok := bytes.CutPrefix(h.body, []byte("\r\n")); ok {
		return b
	}
	b, _ := bytes.CutPrefix(h.body, []byte("\n"))
	return b
}
