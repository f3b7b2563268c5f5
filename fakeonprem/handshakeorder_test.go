package fakeonprem

import "testing"

// TestUnusableCertificate: the server-side checks of one handshake (S11,
// S12), in their order: the private key first, then the SMTP service.
func TestUnusableCertificate(t *testing.T) {
	tests := []struct {
		name     string
		key      bool
		services Services
		want     error
		logged   string
	}{
		{name: "Usable", key: true, services: IIS | SMTP},
		{name: "NoPrivateKey", key: false, services: IIS | SMTP, want: errNoPrivateKey, logged: tlsNoCredentials},
		{name: "NotEnabledForSMTP", key: true, services: IIS, want: errKeyInaccessible, logged: tlsUnknownCredentials},
		{name: "NeitherKeyNorSMTP", key: false, services: IIS, want: errNoPrivateKey, logged: tlsNoCredentials},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := unusableCertificate(tc.key, tc.services)
			if got != tc.want {
				t.Fatalf("unusableCertificate(%v, %s) = %v, want %v", tc.key, tc.services, got, tc.want)
			}
			if got != nil && credentialsError(got) != tc.logged {
				t.Errorf("credentialsError(%v) = %q, want %q", got, credentialsError(got), tc.logged)
			}
		})
	}
}
