package pki_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// Issue a certificate and print what Get-ExchangeCertificate | Format-List
// would show, and the TlsCertificateName a connector would select it by.
func ExamplePKI_Issue() {
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		log.Fatal(err)
	}
	c, err := p.Issue(pki.Request{Profile: pki.Trusted})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("CertificateDomains :", strings.Join(c.CertificateDomains(), ", "))
	fmt.Println("HasPrivateKey      :", c.HasPrivateKey())
	fmt.Println("IsSelfSigned       :", c.IsSelfSigned())
	fmt.Println("Issuer             :", c.Issuer())
	fmt.Println("NotAfter           :", c.NotAfter())
	fmt.Println("NotBefore          :", c.NotBefore())
	fmt.Println("SerialNumber       :", c.SerialNumber())
	fmt.Println("Subject            :", c.Subject())
	fmt.Println("Thumbprint         :", c.Thumbprint())
	fmt.Println()
	fmt.Println("TlsCertificateName :", c.TlsCertificateName())
	// Output:
	// CertificateDomains : mail.contoso.com, autodiscover.contoso.com
	// HasPrivateKey      : true
	// IsSelfSigned       : false
	// Issuer             : CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US
	// NotAfter           : 2026-07-08 23:59:59 +0000 UTC
	// NotBefore          : 2025-07-09 00:00:00 +0000 UTC
	// SerialNumber       : 4853B78DB5E1FD76101BCDBB9132007D
	// Subject            : CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US
	// Thumbprint         : 630621D440D0680126CE78C1D468E3CAED7DF1F5
	//
	// TlsCertificateName : <I>CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US
}

// Parse a TlsCertificateName as the S14 scripts write it and find the
// certificates it selects in the catalogue.
func ExampleParseTlsCertificateName() {
	name, err := pki.ParseTlsCertificateName("<i>" + pki.PublicIssuingCA + "<s>CN=mail.contoso.com, OU=IT, O=contoso, L=location, ST=location, C=US")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(name)
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		log.Fatal(err)
	}
	certs, err := p.Catalogue()
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range certs {
		if name.Matches(c.Leaf) {
			fmt.Println("matches", c.Profile)
		}
	}
	// Output:
	// <I>CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US
	// matches trusted
	// matches expired
	// matches not-yet-valid
	// matches revoked
	// matches leaf-only
	// matches renewed-same-name
	// matches no-private-key
}

// Check the chain a leaf-only server presents as Exchange Online would,
// and print it as Test-Certificate would.
func ExampleCheckChain() {
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		log.Fatal(err)
	}
	c, err := p.Issue(pki.Request{Profile: pki.LeafOnly})
	if err != nil {
		log.Fatal(err)
	}
	status := pki.CheckChain(c.Leaf, pki.ChainOptions{Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime})
	fmt.Println("WARNING: Chain status:")
	for _, flag := range strings.Split(status.String(), "\n") {
		fmt.Println("\t" + flag)
	}
	fmt.Println("Test-Certificate :", status.Message())
	// Output:
	// WARNING: Chain status:
	// 	CERT_TRUST_REVOCATION_STATUS_UNKNOWN
	// 	CERT_TRUST_IS_PARTIAL_CHAIN
	// Test-Certificate : A certificate chain could not be built to a trusted root authority. 0x800b010a (-2146762486 CERT_E_CHAINING)
}
