package sim_test

import (
	"fmt"

	"github.com/emersion/go-smtp"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/sim"
)

// A test of another tool against a lab, in the style of httptest: here the
// tool is a STARTTLS checker (go-smtp's client standing in for it), pointed
// at the on-premises frontend; the lab then breaks the frontend the way
// KB 2989382 describes, and the tool must notice.
func Example() {
	lab, err := sim.New(sim.DefaultConfig())
	if err != nil {
		panic(err)
	}
	defer lab.Close()
	frontend := ""
	for _, e := range lab.Manifest().Endpoints {
		if e.Connector == "Default Frontend EX01" {
			frontend = e.Address // a real loopback address
		}
	}
	offersSTARTTLS := func() bool { // the tool under test
		c, err := smtp.Dial(frontend)
		if err != nil {
			panic(err)
		}
		defer c.Close()
		if err := c.Hello("checker.fabrikam.com"); err != nil {
			panic(err)
		}
		ok, _ := c.Extension("STARTTLS")
		return ok
	}
	fmt.Println("STARTTLS offered:", offersSTARTTLS())

	// The certificate named by TlsCertificateName is gone.
	err = lab.OnPrem.SetReceiveConnector(`EX01\Default Frontend EX01`, func(c *fakeonprem.ReceiveConnector) {
		c.TlsCertificateName = "<I>CN=Old Issuing CA, O=Old Provider, C=US<S>CN=mail.contoso.com"
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("STARTTLS offered:", offersSTARTTLS())
	events, _ := lab.OnPrem.GetEventLog("EX01")
	fmt.Println("event:", events[len(events)-1].EventID)
	// Output:
	// STARTTLS offered: true
	// STARTTLS offered: false
	// event: 12014
}
