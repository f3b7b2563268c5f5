package simtest_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/simtest"
)

// Break a lab as F01 breaks it (the certificate renewed with a new issuer,
// the old one removed: the receive connector's TlsCertificateName finds
// nothing), send the probe, read the symptoms, fix it the documented way
// and verify.
func Example() {
	f, err := simtest.Start("F01")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	msg, err := f.Probe()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range f.Symptoms() {
		fmt.Printf("%s: seen %v\n", s.Where, s.Seen)
	}
	for _, w := range msg.Whereabouts() {
		fmt.Printf("%s is in a %s\n", w.Recipient, w.Place)
	}
	if err := f.Fix(); err != nil {
		fmt.Println(err)
		return
	}
	ok, err := f.Verify()
	fmt.Println("delivered after the fix:", ok, err)
	// Output:
	// Application log: seen true
	// SMTP Receive protocol log: seen true
	// EXO message trace: seen true
	// bob@contoso.com is in a queue
	// delivered after the fix: true <nil>
}

// A tool that checks certificates against the real time needs a lab whose
// clock follows the wall clock: its certificates are then valid now.
func ExampleWithRealClock() {
	f, err := simtest.Start("F06", simtest.WithRealClock())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	hybrid := f.Lab.Certificates["hybrid"].Leaf
	now := f.Lab.Now()
	fmt.Println("the hybrid certificate is valid now:", now.After(hybrid.NotBefore) && now.Before(hybrid.NotAfter))
	// Output: the hybrid certificate is valid now: true
}
