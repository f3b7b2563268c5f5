package psh

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadFormatList(t *testing.T) {
	data, err := os.ReadFile("testdata/receiveconnector.txt")
	if err != nil {
		t.Fatal(err)
	}
	text, err := DecodeText(EncodeUTF16LE(string(data))) // as Windows PowerShell's > writes it
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadFormatList(text)
	if err != nil {
		t.Fatalf("ReadFormatList: %v", err)
	}
	rc := `Get-ReceiveConnector "EX01\Default Frontend EX01" | fl`
	want := []ListObject{
		{Line: 4, Command: rc, Properties: []ListProperty{
			{"RunspaceId", "0b7e2d7c-0000-4000-8000-000000000001", 4},
			{"AuthMechanism", "Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer", 5},
			{"Bindings", "{[::]:25, 0.0.0.0:25}", 6},
			{"TlsCertificateName", "<I>CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", 7},
			{"TlsDomainCapabilities", "{mail.protection.outlook.com:AcceptCloudServicesMail}", 9},
			{"RemoteIPRanges", "{::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 0.0.0.0-255.255.255.255, 10.0.0.1, 10.0.0.2...}", 10},
			{"Comment", "", 11},
			{"RequireTLS", "False", 12},
			{"WhenChanged", "05.01.2026 09:00:00", 13},
		}},
		{Line: 16, Command: rc, Properties: []ListProperty{{"Name", "Default EX01", 16}}},
		{Line: 23, Command: "Get-AcceptedDomain", Properties: []ListProperty{
			{"Name", "contoso.com", 23}, {"DomainName", "contoso.com", 23}, {"DomainType", "Authoritative", 23}, {"Default", "True", 23}}},
		{Line: 24, Command: "Get-AcceptedDomain", Properties: []ListProperty{
			{"Name", "contoso.mail.onmicrosoft.com", 24}, {"DomainName", "contoso.mail.onmicrosoft.com", 24}, {"DomainType", "InternalRelay", 24}, {"Default", "False", 24}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadFormatList (-want +got):\n%s", diff)
	}
	values, truncated := ListValues(want[0].Properties[5].Value)
	if diff := cmp.Diff([]string{"::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255", "10.0.0.1", "10.0.0.2"}, values); diff != "" || !truncated {
		t.Errorf("ListValues(RemoteIPRanges) truncated = %v (-want +got):\n%s", truncated, diff)
	}
}

func TestFormatListRoundTrip(t *testing.T) {
	o := Object{Properties: []Property{
		{"CertificateDomains", []Value{"a.contoso.com", "b.contoso.com", "c.contoso.com", "d.contoso.com", "e.contoso.com"}},
		{"Issuer", "CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US"},
		{"NotAfter", time.Date(2027, 1, 4, 23, 59, 59, 0, time.UTC)},
		{"MessageExpirationTimeOut", 48 * time.Hour},
		{"FriendlyName", nil},
	}}
	for _, culture := range []string{"en-US", "en-GB", "de-DE", "ja-JP", "fr-FR"} {
		t.Run(culture, func(t *testing.T) {
			opts := ListOptions{Width: 60, EnumerationLimit: 4, Culture: culture}
			text := opts.FormatList(o, o)
			objs, err := ReadFormatList(text)
			if err != nil || len(objs) != 2 {
				t.Fatalf("ReadFormatList = %d objects, %v\n%s", len(objs), err, text)
			}
			p := objs[1].Properties
			if got, truncated := ListValues(p[0].Value); !truncated || len(got) != 4 {
				t.Errorf("CertificateDomains = %q, truncated %v; want four and truncated", got, truncated)
			}
			if p[1].Value != o.Properties[1].Value {
				t.Errorf("Issuer = %q, want %q\n%s", p[1].Value, o.Properties[1].Value, text)
			}
			if at, err := ParseDate(p[2].Value); err != nil || !at.Equal(o.Properties[2].Value.(time.Time)) {
				t.Errorf("ParseDate(%q) = %v, %v", p[2].Value, at, err)
			}
			if d, err := ParseTimeSpan(p[3].Value); err != nil || d != 48*time.Hour {
				t.Errorf("ParseTimeSpan(%q) = %v, %v", p[3].Value, d, err)
			}
			if p[4].Value != "" {
				t.Errorf("FriendlyName = %q, want empty ($null)", p[4].Value)
			}
		})
	}
}

func TestReadFormatListErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{name: "NotFormatList", text: "Name : EX01\n\nThis is a note\n", want: `line 3: "This is a note" is not a "Name : Value" line of Format-List output; send the output of the command piped to Format-List (| fl)`},
		{name: "OrphanContinuation", text: "\n    continued\n", want: `line 2: an indented line "    continued" that continues no property; a Format-List value continues only below a "Name : Value" line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFormatList(tt.text)
			var le *ListError
			if !errors.As(err, &le) || err.Error() != tt.want {
				t.Errorf("ReadFormatList(%q) = %v, want %q", tt.text, err, tt.want)
			}
		})
	}
}

func FuzzReadFormatList(f *testing.F) {
	if data, err := os.ReadFile("testdata/receiveconnector.txt"); err == nil {
		f.Add(string(data))
	}
	f.Add(ListOptions{Width: 40, EnumerationLimit: 4}.FormatList(Object{Properties: []Property{{"A", strings.Repeat("x", 90)}, {"B", []Value{"1", "2"}}}}))
	f.Fuzz(func(t *testing.T, text string) {
		objs, err := ReadFormatList(text)
		if err != nil {
			return
		}
		for _, o := range objs {
			for _, p := range o.Properties {
				ListValues(p.Value)
				ParseDate(p.Value)
				ParseTimeSpan(p.Value)
				if p.Line < 1 {
					t.Fatalf("property %q at line %d", p.Name, p.Line)
				}
			}
		}
	})
}

// TestListOptions: a value longer than the console's room wraps at the
// width, indented to the value column; a list longer than the enumeration
// limit ends in "..."; times print in the culture's form.
func TestListOptions(t *testing.T) {
	o := Object{Properties: []Property{
		{"TlsCertificateName", "<I>CN=Issuing CA, O=Contoso<S>CN=mail.contoso.com"},
		{"Bindings", []Value{"[::]:25", "0.0.0.0:25", "10.0.0.1:25"}},
		{"NotAfter", time.Date(2027, 1, 4, 23, 59, 59, 0, time.UTC)},
		{"NotBefore", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)},
	}}
	tests := []struct {
		name string
		opts ListOptions
		want string
	}{
		{name: "en-US", opts: ListOptions{Width: 40, EnumerationLimit: 2}, want: "\n" +
			"TlsCertificateName : <I>CN=Issuing CA, O\n" +
			"                     =Contoso<S>CN=mail.\n" +
			"                     contoso.com\n" +
			"Bindings           : {[::]:25, 0.0.0.0:2\n" +
			"                     5...}\n" +
			"NotAfter           : 1/4/2027 11:59:59 P\n" +
			"                     M\n" +
			"NotBefore          : 1/5/2026 9:00:00 AM\n" +
			"\n\n"},
		{name: "de-DE", opts: ListOptions{Culture: "de-DE"}, want: "\n" +
			"TlsCertificateName : <I>CN=Issuing CA, O=Contoso<S>CN=mail.contoso.com\n" +
			"Bindings           : {[::]:25, 0.0.0.0:25, 10.0.0.1:25}\n" +
			"NotAfter           : 04.01.2027 23:59:59\n" +
			"NotBefore          : 05.01.2026 09:00:00\n" +
			"\n\n"},
		{name: "ja-JP", opts: ListOptions{Culture: "ja-JP"}, want: "\n" +
			"TlsCertificateName : <I>CN=Issuing CA, O=Contoso<S>CN=mail.contoso.com\n" +
			"Bindings           : {[::]:25, 0.0.0.0:25, 10.0.0.1:25}\n" +
			"NotAfter           : 2027/01/04 23:59:59\n" +
			"NotBefore          : 2026/01/05 9:00:00\n" +
			"\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.opts.FormatList(o); got != tt.want {
				t.Errorf("FormatList =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 12, 10, 8, 30, 0, 0, time.UTC)
	tests := []struct{ name, text string }{
		{name: "en-US", text: "12/10/2026 8:30:00 AM"},
		{name: "en-GB", text: "10/12/2026 08:30:00"},
		{name: "de-DE", text: "10.12.2026 08:30:00"},
		{name: "ja-JP", text: "2026/12/10 8:30:00"},
		{name: "GetDateEnUS", text: "Thursday, December 10, 2026 8:30:00 AM"},
		{name: "GetDateEnGB", text: "10 December 2026 08:30:00"},
		{name: "RoundTrip", text: "2026-12-10T08:30:00.0000000+00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := ParseDate(tt.text); err != nil || !got.Equal(want) {
				t.Errorf("ParseDate(%q) = %v, %v, want %v", tt.text, got, err, want)
			}
		})
	}
	if _, err := ParseDate("next Tuesday"); err == nil {
		t.Error("ParseDate(next Tuesday) = nil error, want one")
	}
}

func TestListValuesDistinguishedNames(t *testing.T) {
	got, truncated := ListValues("{<I>CN=MSIT CA 2, DC=redmond, DC=corp<S>CN=mail.protection.outlook.com, O=Microsoft Corporation:AcceptCloudServicesMail, contoso.com:AcceptOorgProtocol}")
	want := []string{"<I>CN=MSIT CA 2, DC=redmond, DC=corp<S>CN=mail.protection.outlook.com, O=Microsoft Corporation:AcceptCloudServicesMail", "contoso.com:AcceptOorgProtocol"}
	if diff := cmp.Diff(want, got); diff != "" || truncated {
		t.Errorf("ListValues truncated = %v (-want +got):\n%s", truncated, diff)
	}
}
