package check_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/check"
	"github.com/hybridsim/hybridsim/sim"
)

// Check the default lab: nothing is red, and mail from Exchange Online
// stops when the hybrid certificate expires.
func ExampleRun() {
	rep, err := check.Run(sim.DefaultConfig(), check.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("red:", rep.Red())
	ff := rep.FirstFailure
	fmt.Println(ff.At.Format("2006-01-02"), ff.Prediction.Direction, ff.Prediction.Shows[0].Where)
	fmt.Println(ff.Cause)
	// Output:
	// red: false
	// 2026-07-09 exo-to-onprem EXO message trace
	// receive connector EX01\Default Frontend EX01: certificate expires within 60 days
}
