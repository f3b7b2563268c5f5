package psh_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/psh"
)

func ExampleParseCommandLine() {
	cmd, err := psh.ParseCommandLine(`Set-ReceiveConnector "EX01\Default Frontend EX01" -AuthMechanism Tls, ExchangeServer -RequireTLS:$true`)
	if err != nil {
		panic(err)
	}
	b, err := psh.Bind(cmd, []psh.Parameter{{Name: "Identity", Positional: true}, {Name: "AuthMechanism"}, {Name: "RequireTLS"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(cmd.Name)
	fmt.Println(b["Identity"], b["AuthMechanism"], b["RequireTLS"])
	// Output:
	// Set-ReceiveConnector
	// EX01\Default Frontend EX01 [Tls ExchangeServer] true
}
