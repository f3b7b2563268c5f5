package pki_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// handshake runs a real TLS handshake over loopback TCP between a server
// with serverConf and a client with clientConf, and returns the client's
// and the server's errors.
func handshake(t testing.TB, serverConf, clientConf *tls.Config) (clientErr, serverErr error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	done := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer conn.Close()
		done <- tls.Server(conn, serverConf).Handshake()
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	clientErr = tls.Client(conn, clientConf).Handshake()
	conn.Close()
	return clientErr, <-done
}

// TestTLSHandshake presents catalogue certificates to a Go client that
// trusts what EXO trusts, at the lab's clock (Go does not check CRLs).
func TestTLSHandshake(t *testing.T) {
	p := newPKI(t)
	cat := catalogue(t, p)
	clock := func() time.Time { return pki.DefaultTime }
	tests := []struct {
		name    string
		profile pki.Profile
		check   func(error) bool
		want    string
	}{
		{name: "Trusted", profile: pki.Trusted, check: func(err error) bool { return err == nil }, want: "no error"},
		{name: "Wildcard", profile: pki.Wildcard, check: func(err error) bool { return err == nil }, want: "no error"},
		{name: "LeafOnly", profile: pki.LeafOnly, check: isUnknownAuthority, want: "x509.UnknownAuthorityError"},
		{name: "InternalCA", profile: pki.InternalCA, check: isUnknownAuthority, want: "x509.UnknownAuthorityError"},
		{name: "Expired", profile: pki.Expired, check: isInvalid(x509.Expired), want: "x509.CertificateInvalidError{Reason: Expired}"},
		{name: "ExpiredIntermediate", profile: pki.ExpiredIntermediate, check: isInvalid(x509.Expired), want: "x509.CertificateInvalidError{Reason: Expired}"},
		{name: "WrongHost", profile: pki.WrongHost, check: isHostnameError, want: "x509.HostnameError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := cat[tt.profile].TLS()
			if err != nil {
				t.Fatal(err)
			}
			clientErr, _ := handshake(t,
				&tls.Config{Certificates: []tls.Certificate{cert}},
				&tls.Config{RootCAs: p.EXOTrust().Pool(), ServerName: "mail.contoso.com", Time: clock})
			if !tt.check(clientErr) {
				t.Errorf("handshake with %s: client error %v, want %s", tt.profile, clientErr, tt.want)
			}
		})
	}
}

// TestTLSClientCertificate: EXO presents its certificate as a client
// certificate to an on-prem server that trusts what on-prem trusts.
func TestTLSClientCertificate(t *testing.T) {
	p := newPKI(t)
	server, err := catalogue(t, p)[pki.Trusted].TLS()
	if err != nil {
		t.Fatal(err)
	}
	client, err := p.EXOCertificate().TLS()
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return pki.DefaultTime }
	clientErr, serverErr := handshake(t,
		&tls.Config{Certificates: []tls.Certificate{server}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.OnPremTrust().Pool(), Time: clock},
		&tls.Config{Certificates: []tls.Certificate{client}, RootCAs: p.EXOTrust().Pool(), ServerName: "mail.contoso.com", Time: clock})
	if clientErr != nil || serverErr != nil {
		t.Errorf("handshake: client error %v, server error %v; want none", clientErr, serverErr)
	}
}

func isUnknownAuthority(err error) bool {
	var e x509.UnknownAuthorityError
	return errors.As(err, &e)
}

func isHostnameError(err error) bool {
	var e x509.HostnameError
	return errors.As(err, &e)
}

func isInvalid(reason x509.InvalidReason) func(error) bool {
	return func(err error) bool {
		var e x509.CertificateInvalidError
		return errors.As(err, &e) && e.Reason == reason
	}
}
