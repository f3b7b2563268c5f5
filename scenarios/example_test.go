package scenarios_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Run one documented failure: the lab reproduces it, shows it where
// Exchange shows it, and clears it with the documented fix.
func ExampleExecute() {
	e, _ := scenarios.Find("F01")
	res := scenarios.Execute(e)
	fmt.Println(e.ID, e.Title)
	for _, s := range res.Symptoms {
		fmt.Printf("%s seen: %v\n", s.Where, s.Seen)
	}
	fmt.Println("cleared by the documented fix:", res.Fixed)
	// Output:
	// F01 the certificate was renewed with a new issuer and the old one removed: the receive connector's TlsCertificateName finds nothing
	// Application log seen: true
	// SMTP Receive protocol log seen: true
	// EXO message trace seen: true
	// cleared by the documented fix: true
}
