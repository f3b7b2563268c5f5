package labnet

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"testing"
)

// TestLabDialed: a connection the lab's dialer opened says so on the
// accepting side; one an outside tool opened to the real address does not.
func TestLabDialed(t *testing.T) {
	n := NewNetwork()
	if err := n.AddHost("exo.outlook.com", netip.MustParseAddr("198.51.100.10")); err != nil {
		t.Fatal(err)
	}
	ln, err := n.Listen(netip.MustParseAddrPort("203.0.113.10:25"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	for _, tt := range []struct {
		name string
		dial func() (net.Conn, error)
		want bool
	}{
		{name: "LabDialer", want: true, dial: func() (net.Conn, error) {
			return n.DialFrom(context.Background(), "exo.outlook.com", "203.0.113.10:25")
		}},
		{name: "OutsideTool", want: false, dial: func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.dial()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			accepted, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer accepted.Close()
			if got := accepted.(interface{ LabDialed() bool }).LabDialed(); got != tt.want {
				t.Errorf("LabDialed() = %v, want %v", got, tt.want)
			}
		})
	}
}

// freePort returns a port free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	return probe.Addr().(*net.TCPAddr).Port
}

// TestPortBase: with a port base, listeners bind base+1, base+2, ... in
// the order they are opened; a pinned port wins. Ports found free can be
// taken by another process before the network binds them: then it tries
// other ports.
func TestPortBase(t *testing.T) {
	for attempt := 0; ; attempt++ {
		err := portBaseOnce(t)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EADDRINUSE) || attempt == 10 {
			t.Fatal(err)
		}
	}
	if err, want := NewNetwork().SetPortBase(70000), "labnet: port base 70000 is not a port number: give 1024-65535, or 0 for ephemeral ports"; err == nil || err.Error() != want {
		t.Errorf("SetPortBase(70000) = %v, want %s", err, want)
	}
}

func portBaseOnce(t *testing.T) error {
	base, pin := freePort(t), freePort(t)
	if base > 65000 {
		return syscall.EADDRINUSE // too near the top to serve as a base: try another
	}
	n := NewNetwork()
	if err := n.SetPortBase(base); err != nil {
		t.Fatal(err)
	}
	n.PinPort(netip.MustParseAddrPort("203.0.113.12:25"), pin)
	var got []string
	for _, a := range []string{"203.0.113.10:25", "203.0.113.11:25", "203.0.113.12:25"} {
		ln, err := n.Listen(netip.MustParseAddrPort(a))
		if err != nil {
			return err
		}
		t.Cleanup(func() { ln.Close() })
		got = append(got, ln.Addr().String())
	}
	want := []string{"127.0.0.1:" + strconv.Itoa(base+1), "127.0.0.1:" + strconv.Itoa(base+2), "127.0.0.1:" + strconv.Itoa(pin)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("listener %d bound %s, want %s", i, got[i], want[i])
		}
	}
	return nil
}
