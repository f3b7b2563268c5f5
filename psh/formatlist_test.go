package psh

import (
	"testing"
	"time"
)

func TestFormatList(t *testing.T) {
	type connector struct {
		Name               string
		RequireTLS         bool
		AuthMechanism      []string
		TlsCertificateName *string
		WhenCreated        time.Time
		MaxMessageSize     int
	}
	o := ObjectOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector", connector{
		Name: "Default Frontend EX01", RequireTLS: false, AuthMechanism: []string{"Tls", "Integrated"},
		WhenCreated: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), MaxMessageSize: 37748736})
	got := FormatList(o, o)
	want := "\n" +
		"Name               : Default Frontend EX01\n" +
		"RequireTLS         : False\n" +
		"AuthMechanism      : {Tls, Integrated}\n" +
		"TlsCertificateName : \n" +
		"WhenCreated        : 1/5/2026 9:00:00 AM\n" +
		"MaxMessageSize     : 37748736\n" +
		"\n" +
		"Name               : Default Frontend EX01\n" +
		"RequireTLS         : False\n" +
		"AuthMechanism      : {Tls, Integrated}\n" +
		"TlsCertificateName : \n" +
		"WhenCreated        : 1/5/2026 9:00:00 AM\n" +
		"MaxMessageSize     : 37748736\n" +
		"\n\n"
	if got != want {
		t.Errorf("FormatList = %q, want %q", got, want)
	}
	if v, ok := o.Get("requiretls"); !ok || v != false {
		t.Errorf("Get(requiretls) = %v, %v, want false, true", v, ok)
	}
}
