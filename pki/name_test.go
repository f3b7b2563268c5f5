package pki_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

func TestParseNameRendersAsWindows(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "KB2989382Subject", in: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
			want: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"},
		{name: "SpacingCaseSemicolonsAndST", in: " cn=mail.contoso.com;ou=IT ;o=contoso,l=location,  st=location,c=US ",
			want: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"},
		{name: "EnterpriseCA", in: "CN=Contoso-DC01-CA, DC=contoso, DC=com", want: "CN=Contoso-DC01-CA, DC=contoso, DC=com"},
		{name: "CommaInValueIsQuoted", in: `O="Contoso, Ltd", C=US`, want: `O="Contoso, Ltd", C=US`},
		{name: "InnerQuotesDoubled", in: `CN="say ""hi"""`, want: `CN="say ""hi"""`},
		{name: "EqualsInUnquotedValue", in: "CN=a=b", want: `CN="a=b"`},
		{name: "SpecialCharacters", in: `OU=" <x> ", O="#1", L="a;b", S="a+b"`, want: `OU=" <x> ", O="#1", L="a;b", S="a+b"`},
		{name: "EmptyQuotedValue", in: `CN=""`, want: `CN=""`},
		{name: "MultiValuedRDNInDEROrder", in: "OU=b + CN=a, O=x", want: "CN=a + OU=b, O=x"},
		{name: "ShortNames", in: "E=admin@contoso.com, T=Admin, G=Ada, I=AL, SN=Lovelace, STREET=1 Main St, PostalCode=98052, SERIALNUMBER=42",
			want: "E=admin@contoso.com, T=Admin, G=Ada, I=AL, SN=Lovelace, STREET=1 Main St, PostalCode=98052, SERIALNUMBER=42"},
		{name: "EmailAlias", in: "Email=admin@contoso.com", want: "E=admin@contoso.com"},
		{name: "UnknownOID", in: "OID.1.3.6.1.4.1.311.60.2.1.3=US, 2.5.4.3=mail", want: "OID.1.3.6.1.4.1.311.60.2.1.3=US, CN=mail"},
		{name: "HexStringValue", in: "CN=#0C0461626364", want: "CN=abcd"},
		{name: "HexNonStringValue", in: "OID.1.2.3=#0500", want: "OID.1.2.3=#0500"},
		{name: "NonASCII", in: "O=Contoso Société, C=FR", want: "O=Contoso Société, C=FR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := pki.ParseName(tt.in)
			if err != nil {
				t.Fatalf("ParseName(%q) error: %v", tt.in, err)
			}
			if got := n.String(); got != tt.want {
				t.Errorf("ParseName(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNameDER(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // hex of the DER RDNSequence
	}{
		// C is a PrintableString, CN a UTF8String; the RDN rendered last is
		// encoded first.
		{name: "CNAndC", in: "CN=a, C=US", want: "3019310b3009060355040613025553310a300806035504030c0161"},
		// DC and E are IA5Strings.
		{name: "DC", in: "DC=com", want: "301531133011060a0992268993f22c6401191603636f6d"},
		// A C that does not fit PrintableString falls back to UTF8String.
		{name: "CNotPrintable", in: "C=U*", want: "300d310b300906035504060c02552a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := pki.ParseName(tt.in)
			if err != nil {
				t.Fatalf("ParseName(%q) error: %v", tt.in, err)
			}
			if got := hex.EncodeToString(n.DER()); got != tt.want {
				t.Errorf("ParseName(%q).DER() = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseNameErrors(t *testing.T) {
	const example = `; write names like "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "Empty", in: "", want: `pki: name "": it is empty` + example},
		{name: "Blank", in: "  ", want: `pki: name "  ": it is empty` + example},
		{name: "UnknownAttribute", in: "CN=a, FOO=bar",
			want: `pki: name "CN=a, FOO=bar": part 2 "FOO=bar": unknown attribute "FOO"; use CN, OU, O, L, S, C, E, DC, STREET, SERIALNUMBER, T, G, I, SN, PostalCode, or OID.1.2.3 for any other type` + example},
		{name: "TrailingSeparator", in: "CN=a,", want: `pki: name "CN=a,": part 2 "": nothing follows the last separator` + example},
		{name: "NoEquals", in: "CN", want: `pki: name "CN": part 1 "CN": there is no "=" between the attribute name and its value` + example},
		{name: "NoEqualsBeforeSeparator", in: "CN=a, OU, O=b", want: `pki: name "CN=a, OU, O=b": part 2 "OU": there is no "=" between the attribute name and its value` + example},
		{name: "MissingAttributeName", in: "=a", want: `pki: name "=a": part 1 "=a": an attribute name is missing before "="` + example},
		{name: "UnterminatedQuote", in: `CN="abc`, want: `pki: name "CN=\"abc": part 1 "CN=\"abc": the closing double quote is missing` + example},
		{name: "TextAfterQuote", in: `CN="a"b, C=US`, want: `pki: name "CN=\"a\"b, C=US": part 1 "CN=\"a\"b": text follows the closing double quote; a quoted value must end at a separator` + example},
		{name: "QuoteInsideValue", in: `CN=a"b`, want: `pki: name "CN=a\"b": part 1 "CN=a\"b": a double quote inside an unquoted value; wrap the whole value in double quotes and write each quote inside it twice` + example},
		{name: "EmptyValue", in: "CN=, O=x", want: `pki: name "CN=, O=x": part 1 "CN=": the value is empty; write "" for an empty value` + example},
		{name: "BadOID", in: "OID.1=x", want: `pki: name "OID.1=x": part 1 "OID.1=x": "OID.1" is not a valid object identifier (write OID.2.5.4.3 or 2.5.4.3)` + example},
		{name: "BadHex", in: "CN=#zz", want: `pki: name "CN=#zz": part 1 "CN=#zz": "#zz" is not # followed by the hex of one DER value; wrap a value that starts with # in double quotes` + example},
		{name: "InvalidUTF8", in: "CN=\xff", want: `pki: name "CN=\xff": it is not valid UTF-8` + example},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := pki.ParseName(tt.in)
			if err == nil {
				t.Fatalf("ParseName(%q) = %q, want error %q", tt.in, n.String(), tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("ParseName(%q) error = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSubjectRoundTrip issues certificates with the given subjects and
// issuers and reads their names back from the DER.
func TestSubjectRoundTrip(t *testing.T) {
	p := newPKI(t)
	tests := []struct {
		name    string
		subject string
		issuer  string
	}{
		{name: "KB2989382", subject: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
			issuer: "CN=Certificate Name, OU=CertificateIssuer, O=Certificate Provider, C=US"},
		{name: "Quoted", subject: `CN=mail.contoso.com, O="Contoso, Ltd", C=US`, issuer: `CN="Issuer ""Q"" CA", O=Provider`},
		// DER SET OF order puts the shorter encoding first.
		{name: "MultiValued", subject: "OU=Mail + CN=mail.contoso.com, O=contoso", issuer: "CN=Contoso Issuing CA, DC=contoso, DC=com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := p.Issue(pki.Request{Subject: tt.subject, Issuer: tt.issuer})
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if got := c.Subject(); got != tt.subject {
				t.Errorf("Subject() = %q, want %q", got, tt.subject)
			}
			if got := c.Issuer(); got != tt.issuer {
				t.Errorf("Issuer() = %q, want %q", got, tt.issuer)
			}
			if got := strings.Join([]string{pki.SubjectName(c.Leaf), pki.IssuerName(c.Leaf)}, " | "); got != tt.subject+" | "+tt.issuer {
				t.Errorf("SubjectName | IssuerName = %q, want %q", got, tt.subject+" | "+tt.issuer)
			}
		})
	}
}
