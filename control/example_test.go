package control_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/hybridsim/hybridsim/control"
	"github.com/hybridsim/hybridsim/sim"
)

// Example serves the control API over a lab guarded by a mutex, and runs
// one Exchange Management Shell command line through it.
func Example() {
	lab, err := sim.New(sim.DefaultConfig())
	if err != nil {
		panic(err)
	}
	defer lab.Close()
	var mu sync.Mutex
	h, err := control.NewHandler(control.Config{
		Do: func(f func(*sim.Lab) error) error {
			mu.Lock()
			defer mu.Unlock()
			return f(lab)
		},
		Reset: func() error { return fmt.Errorf("this example does not reset") },
	})
	if err != nil {
		panic(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, command := range []string{"Get-AcceptedDomain", "Get-SendConnector | Select-Object Name"} {
		resp, err := http.Post(srv.URL+"/api/v1/shell", "application/json",
			strings.NewReader(`{"command": "`+command+`"}`))
		if err != nil {
			panic(err)
		}
		var answer struct{ Text, Error string }
		_ = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		fmt.Println(resp.Status)
		fmt.Println(strings.TrimSpace(answer.Text + answer.Error))
	}
	// Output:
	// 200 OK
	// DomainName : contoso.com
	// DomainType : Authoritative
	//
	// DomainName : contoso.onmicrosoft.com
	// DomainType : Authoritative
	//
	// DomainName : contoso.mail.onmicrosoft.com
	// DomainType : Authoritative
	// 400 Bad Request
	// psh: position 19: pipelines are not run by this shell: run one cmdlet per command line
}
