package labnet

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
)

// testNetwork returns a network with an on-prem and an EXO host, and a
// listener for the on-prem host that echoes each connection's addresses.
func testNetwork(t testing.TB) (*Network, net.Listener) {
	t.Helper()
	n := NewNetwork()
	for name, addr := range map[string]string{
		"mail.contoso.com": "203.0.113.10",
		"ex01.contoso.com": "203.0.113.10",
		"exo.outlook.com":  "198.51.100.10",
	} {
		if err := n.AddHost(name, netip.MustParseAddr(addr)); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := n.Listen(netip.MustParseAddrPort("203.0.113.10:25"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte(c.LocalAddr().String() + " " + c.RemoteAddr().String() + "\n"))
			c.Close()
		}
	}()
	return n, ln
}

func readLine(t testing.TB, c net.Conn) string {
	t.Helper()
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return line
}

func TestDialSeesSimulatedAddresses(t *testing.T) {
	n, _ := testNetwork(t)
	d := n.Dialer("exo.outlook.com")
	var got []string
	for range 3 {
		c, err := d.DialContext(context.Background(), "tcp", "mail.contoso.com:25")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.LocalAddr().String()+" "+c.RemoteAddr().String()+" | "+readLine(t, c))
		c.Close()
	}
	want := []string{
		"198.51.100.10:49152 203.0.113.10:25 | 203.0.113.10:25 198.51.100.10:49152\n",
		"198.51.100.10:49153 203.0.113.10:25 | 203.0.113.10:25 198.51.100.10:49153\n",
		"198.51.100.10:49154 203.0.113.10:25 | 203.0.113.10:25 198.51.100.10:49154\n",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("connection %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

func TestOutsideConnectionKeepsRealAddress(t *testing.T) {
	_, ln := testNetwork(t)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	want := "203.0.113.10:25 " + c.LocalAddr().String() + "\n"
	if got := readLine(t, c); got != want {
		t.Errorf("outside connection: got %q, want %q", got, want)
	}
}

func TestDialFailures(t *testing.T) {
	n, _ := testNetwork(t)
	n.SetFirewall(netip.MustParseAddrPort("203.0.113.10:25"), Drop)
	tests := []struct {
		name    string
		setup   func()
		address string
		check   func(error) bool
	}{
		{name: "DroppingFirewallTimesOut", address: "mail.contoso.com:25", check: func(err error) bool {
			var ne net.Error
			return errors.As(err, &ne) && ne.Timeout() && errors.Is(err, os.ErrDeadlineExceeded)
		}},
		{name: "RejectingFirewallRefuses", setup: func() { n.SetFirewall(netip.MustParseAddrPort("203.0.113.10:25"), Reject) },
			address: "mail.contoso.com:25", check: func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }},
		{name: "NoListenerRefuses", address: "mail.contoso.com:587", check: func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }},
		{name: "AddressOutsideTheLabRefuses", address: "8.8.8.8:53", check: func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }},
		{name: "UnknownNameIsNotFound", address: "mail.fabrikam.com:25", check: func(err error) bool {
			var de *net.DNSError
			return errors.As(err, &de) && de.IsNotFound
		}},
	}
	d := n.Dialer("exo.outlook.com")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			c, err := d.DialContext(context.Background(), "tcp", tc.address)
			if err == nil {
				c.Close()
				t.Fatalf("DialContext(%q) = nil error, want a failure", tc.address)
			}
			if !tc.check(err) {
				t.Errorf("DialContext(%q) = %v (%T), the wrong kind of error", tc.address, err, err)
			}
		})
	}
}

func TestOutsideDialMessage(t *testing.T) {
	n := NewNetwork()
	if err := n.AddHost("exo.outlook.com", netip.MustParseAddr("198.51.100.10")); err != nil {
		t.Fatal(err)
	}
	_, err := n.Dialer("exo.outlook.com").DialContext(context.Background(), "tcp", "8.8.8.8:53")
	want := "dial tcp 8.8.8.8:53: connection refused: 8.8.8.8:53 is not a lab listener (the lab never dials outside itself; add the host and its listener to the lab)"
	if err == nil || err.Error() != want {
		t.Errorf("dial outside the lab: got %v, want %q", err, want)
	}
}

func TestLookupMX(t *testing.T) {
	n := NewNetwork()
	n.AddMX("contoso.com", 10, "contoso-com.mail.protection.outlook.com")
	n.AddMX("contoso.com", 5, "mail.contoso.com.")
	mx, err := n.LookupMX(context.Background(), "Contoso.com.")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range mx {
		got = append(got, r.Host)
	}
	want := []string{"mail.contoso.com.", "contoso-com.mail.protection.outlook.com."}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("LookupMX = %q, want %q", got, want)
	}
}
