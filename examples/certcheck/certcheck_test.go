package certcheck_test

import (
	"crypto/x509"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hybridsim/hybridsim/examples/certcheck"
	"github.com/hybridsim/hybridsim/sim"
	"github.com/hybridsim/hybridsim/simtest"
)

// check runs the tool against the lab's hybrid server (EX01's Default
// Frontend, published as mail.contoso.com) at the real time, trusting
// what the on-premises side trusts.
func check(lab *sim.Lab) certcheck.Report {
	var addr string
	for _, e := range lab.Manifest().Endpoints {
		if e.Connector == "Default Frontend EX01" {
			addr = e.Address
		}
	}
	Expect(addr).NotTo(BeEmpty(), "the lab has no Default Frontend EX01")
	roots := x509.NewCertPool()
	Expect(roots.AppendCertsFromPEM(lab.PKI.OnPremTrust().PEM())).To(BeTrue())
	r, err := certcheck.Check(addr, "mail.contoso.com", "certcheck.example", roots, time.Now())
	Expect(err).NotTo(HaveOccurred())
	return r
}

var _ = Describe("certcheck", func() {
	// The lab's clock follows the wall clock, as certcheck's does: the
	// healthy lab's certificates are valid now.
	It("passes the healthy hybrid server", func() {
		lab := simtest.NewLab(GinkgoT(), simtest.WithRealClock())
		Expect(check(lab).Problems).To(BeEmpty())
	})

	DescribeTable("notices the documented failures",
		func(id string, want func(certcheck.Report) string) {
			f := simtest.Break(GinkgoT(), id, simtest.WithRealClock())
			r := check(f.Lab)
			Expect(r.Problems).To(ConsistOf(want(r)))

			Expect(f.Fix()).To(Succeed())
			Expect(check(f.Lab).Problems).To(BeEmpty(), "after %s's documented fix", id)
		},
		Entry("F01: the receive connector names a removed certificate, so no STARTTLS", "F01",
			func(certcheck.Report) string { return "no STARTTLS offered" }),
		Entry("F06: only an expired certificate is left", "F06", func(r certcheck.Report) string {
			Expect(r.NotAfter).To(BeTemporally("<", time.Now()))
			return "certificate expired on " + r.NotAfter.UTC().Format(time.DateOnly)
		}),
	)
})
