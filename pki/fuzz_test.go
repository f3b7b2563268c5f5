package pki_test

import (
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// FuzzName checks that whatever ParseName accepts renders to a form that
// parses back to the same rendering, and that the DER encoding decodes to it
// too.
func FuzzName(f *testing.F) {
	for _, seed := range []string{
		"CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
		`CN="a, ""b""", O=x + OU=y; DC=com`,
		"OID.1.2.3=#0500, CN=#0C0161, E=admin@contoso.com",
		" st = WA ; c = US ",
		"CN=Société",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := pki.ParseName(s)
		if err != nil {
			return
		}
		rendered := n.String()
		again, err := pki.ParseName(rendered)
		if err != nil {
			t.Fatalf("ParseName(%q) rendered %q, which does not parse: %v", s, rendered, err)
		}
		if got := again.String(); got != rendered {
			t.Fatalf("ParseName(%q).String() = %q, but it renders %q after parsing again", s, rendered, got)
		}
		decoded, err := pki.NameFromDER(n.DER())
		if err != nil {
			t.Fatalf("NameFromDER(ParseName(%q).DER()) error: %v", s, err)
		}
		if got := decoded.String(); got != rendered {
			t.Fatalf("NameFromDER(ParseName(%q).DER()).String() = %q, want %q", s, got, rendered)
		}
	})
}

// FuzzParseTlsCertificateName checks that whatever ParseTlsCertificateName
// accepts renders to a value that parses back to the same rendering.
func FuzzParseTlsCertificateName(f *testing.F) {
	for _, seed := range []string{
		"<I>CN=Hybridsim TLS Issuing CA 1, O=Hybridsim<S>CN=mail.contoso.com, C=US",
		"<i>CN=a<s>CN=b",
		`<I>CN="x<S>y"<S>CN="<I>"`,
		"<I>CN=a<S>",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := pki.ParseTlsCertificateName(s)
		if err != nil {
			return
		}
		rendered := v.String()
		again, err := pki.ParseTlsCertificateName(rendered)
		if err != nil {
			t.Fatalf("ParseTlsCertificateName(%q) rendered %q, which does not parse: %v", s, rendered, err)
		}
		if got := again.String(); got != rendered {
			t.Fatalf("ParseTlsCertificateName(%q).String() = %q, but it renders %q after parsing again", s, rendered, got)
		}
	})
}
