package smtpd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type loggedCertificate struct{}

func (loggedCertificate) Subject() string      { return "CN=mail.contoso.com, OU=IT, O=contoso, C=US" }
func (loggedCertificate) Issuer() string       { return "CN=Certificate Name, O=Certificate Provider, C=US" }
func (loggedCertificate) SerialNumber() string { return "1234567890ABCDEF" }
func (loggedCertificate) Thumbprint() string   { return "9876534210FEDCBA9876534210FEDCBA12345678" }
func (loggedCertificate) CertificateDomains() []string {
	return []string{"mail.contoso.com", "autodiscover.contoso.com"}
}

// TestLogCertificate: the certificate block in the order and words of the
// spec's §10 samples.
func TestLogCertificate(t *testing.T) {
	var got []string
	LogCertificate(func(data, context string) { got = append(got, "*,"+data+","+context) }, loggedCertificate{})
	want := []string{
		"*,,Sending certificate",
		"*,CN=mail.contoso.com, OU=IT, O=contoso, C=US,Certificate subject",
		"*,CN=Certificate Name, O=Certificate Provider, C=US,Certificate issuer name",
		"*,1234567890ABCDEF,Certificate serial number",
		"*,9876534210FEDCBA9876534210FEDCBA12345678,Certificate thumbprint",
		"*,mail.contoso.com;autodiscover.contoso.com,Certificate alternate names",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LogCertificate (-want +got):\n%s", diff)
	}
}
