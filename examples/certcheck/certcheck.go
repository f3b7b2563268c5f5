// Package certcheck checks the certificate an SMTP server presents after
// STARTTLS, as a certificate monitor would: that STARTTLS is offered, that
// the certificate chains to a trusted root, names the host and is valid at
// a given time. It is an example of a tool tested against hybridsim's labs
// (see certcheck_test.go).
package certcheck

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/smtp"
	"time"
)

// Report is what Check found. An empty Problems means the server passed.
type Report struct {
	Subject  string    // the presented certificate's subject, if any
	NotAfter time.Time // its expiry
	Problems []string
}

// Check connects to addr, greets it as ehlo, asks for STARTTLS and checks
// the presented certificate against roots, the name host and the time at.
func Check(addr, host, ehlo string, roots *x509.CertPool, at time.Time) (Report, error) {
	var r Report
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return r, fmt.Errorf("certcheck: %w", err)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return r, fmt.Errorf("certcheck: %w", err)
	}
	defer c.Close()
	if err := c.Hello(ehlo); err != nil {
		return r, fmt.Errorf("certcheck: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		r.Problems = append(r.Problems, "no STARTTLS offered")
		return r, nil
	}
	// Verification is this tool's own, below, so that it reports every
	// problem rather than the first.
	if err := c.StartTLS(&tls.Config{ServerName: host, InsecureSkipVerify: true}); err != nil {
		return r, fmt.Errorf("certcheck: STARTTLS: %w", err)
	}
	st, _ := c.TLSConnectionState()
	if len(st.PeerCertificates) == 0 {
		r.Problems = append(r.Problems, "no certificate presented")
		return r, nil
	}
	leaf := st.PeerCertificates[0]
	r.Subject, r.NotAfter = leaf.Subject.String(), leaf.NotAfter
	if at.After(leaf.NotAfter) {
		r.Problems = append(r.Problems, "certificate expired on "+leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	if at.Before(leaf.NotBefore) {
		r.Problems = append(r.Problems, "certificate not valid before "+leaf.NotBefore.UTC().Format(time.DateOnly))
	}
	if err := leaf.VerifyHostname(host); err != nil {
		r.Problems = append(r.Problems, "certificate does not name "+host)
	}
	inter := x509.NewCertPool()
	for _, c := range st.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	// The chain is judged when the certificate is valid, so that an
	// expired certificate is not also reported untrusted.
	when := at
	if at.After(leaf.NotAfter) || at.Before(leaf.NotBefore) {
		when = leaf.NotBefore
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: when}); err != nil {
		r.Problems = append(r.Problems, "certificate does not chain to a trusted root")
	}
	return r, nil
}
