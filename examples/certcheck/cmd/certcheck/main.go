// Command certcheck checks an SMTP server's STARTTLS certificate:
//
//	certcheck -addr 127.0.0.1:2525 -name mail.contoso.com -ca onprem-trust.pem
//
// It prints each problem and exits 1 if there is any.
package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hybridsim/hybridsim/examples/certcheck"
)

func main() {
	addr := flag.String("addr", "", "the SMTP server's `host:port`")
	name := flag.String("name", "", "the host `name` the certificate must cover")
	ca := flag.String("ca", "", "a PEM `file` of trusted roots (default: the system's)")
	flag.Parse()
	if *addr == "" || *name == "" {
		fmt.Fprintln(os.Stderr, "certcheck: -addr and -name are required")
		os.Exit(2)
	}
	roots, err := x509.SystemCertPool()
	if *ca != "" {
		var pem []byte
		if pem, err = os.ReadFile(*ca); err == nil {
			roots = x509.NewCertPool()
			roots.AppendCertsFromPEM(pem)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "certcheck:", err)
		os.Exit(2)
	}
	r, err := certcheck.Check(*addr, *name, "certcheck.example", roots, time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s (expires %s)\n", r.Subject, r.NotAfter.Format(time.DateOnly))
	for _, p := range r.Problems {
		fmt.Println("problem:", p)
	}
	if len(r.Problems) > 0 {
		os.Exit(1)
	}
}
