package match_test

import (
	"fmt"

	"github.com/onsi/gomega"

	"github.com/hybridsim/hybridsim/simtest"
	"github.com/hybridsim/hybridsim/simtest/match"
)

// The matchers outside Ginkgo: gomega.NewGomega with a fail handler. In a
// Ginkgo suite, Expect(msg).To(match.BeDelivered()) reads the same.
func Example() {
	g := gomega.NewGomega(func(message string, _ ...int) { fmt.Println("FAILED:", message) })
	f, err := simtest.Start("F01")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	msg, _ := f.Probe()
	g.Expect(msg).NotTo(match.BeDelivered())
	g.Expect(msg).To(match.BeDeferredWith("450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]"))
	g.Expect(f.Lab).To(match.HaveLoggedEvent(12014, "Microsoft Exchange could not find a certificate that contains the domain name "+
		f.Lab.Config().OnPrem.ReceiveConnectors[0].TlsCertificateName+" in the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the connector Default Frontend EX01 with a FQDN parameter of ex01.contoso.lab. If the connector's FQDN is not specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has access to the certificate key."))
	for _, s := range f.Symptoms() {
		g.Expect(s).To(match.BeSeen())
	}
	g.Expect(f.Fix()).To(gomega.Succeed())
	ok, _ := f.Verify()
	g.Expect(ok).To(gomega.BeTrue())
	g.Expect(msg).To(match.BeDelivered())
	fmt.Println("done")
	// Output: done
}
