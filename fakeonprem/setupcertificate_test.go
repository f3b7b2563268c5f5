package fakeonprem

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// TestSetupCertificateAbsent: NoSetupCertificate gives a server no setup
// certificate (F24's state when the lab starts), and
// EmptyInternalTransportCertificate keeps the internal transport
// certificate's thumbprint empty (F23's), so that the service logs 12012
// (and, without setup's certificate for the server's FQDN, 12014);
// without them the server has setup's certificate as its internal one.
func TestSetupCertificateAbsent(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	addr := []netip.Addr{netip.MustParseAddr(ex01Addr)}
	tests := []struct {
		name       string
		server     Server
		selfSigned bool  // setup's certificate is in the store
		internal   bool  // the thumbprint is setup's certificate's
		errors     []int // the error events' ids
	}{
		{name: "Default", server: Server{Name: "EX01", IPAddresses: addr}, selfSigned: true, internal: true},
		{name: "NoSetupCertificate", server: Server{Name: "EX01", IPAddresses: addr, NoSetupCertificate: true,
			Certificates: []ExchangeCertificate{{Certificate: cert, Services: IIS | SMTP}}}, errors: []int{12012, 12014, 12014}},
		{name: "EmptyInternalTransportCertificate", server: Server{Name: "EX01", IPAddresses: addr, EmptyInternalTransportCertificate: true},
			selfSigned: true, errors: []int{12012}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := l.fork(t).start(contoso(tt.server))
			certs, err := o.GetExchangeCertificate("EX01", "")
			if err != nil {
				t.Fatal(err)
			}
			setup := ""
			for _, c := range certs {
				if c.Certificate.IsSelfSigned() && c.Certificate.Subject() == "CN=EX01" {
					setup = c.Certificate.Thumbprint()
				}
			}
			if got := setup != ""; got != tt.selfSigned {
				t.Errorf("setup's certificate in the store = %v, want %v", got, tt.selfSigned)
			}
			ts, err := o.GetTransportService("EX01")
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.internal {
				want = setup
			}
			if ts.InternalTransportCertificateThumbprint != want {
				t.Errorf("InternalTransportCertificateThumbprint = %q, want %q", ts.InternalTransportCertificateThumbprint, want)
			}
			events, err := o.GetEventLog("EX01")
			if err != nil {
				t.Fatal(err)
			}
			var errs []int
			for _, e := range events {
				if e.Level == "Error" {
					errs = append(errs, e.EventID)
				}
				if e.EventID == 12012 && e.Message != event12012 {
					t.Errorf("12012's message = %q, want %q", e.Message, event12012)
				}
			}
			if diff := cmp.Diff(tt.errors, errs); diff != "" {
				t.Errorf("error events (-want +got):\n%s", diff)
			}
		})
	}
}
