package fakeonprem

import (
	"context"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestEndpointsAndClose: a new Mailbox server listens with S33's default connectors on its
// simulated address; Close is idempotent and stops the lifecycle.
func TestEndpointsAndClose(t *testing.T) {
	l := newLab(t)
	o := l.start(contoso())
	ep := func(connector string, port uint16) Endpoint {
		return Endpoint{Server: "EX01", Role: RoleMailbox, Connector: connector, Host: "ex01.contoso.com",
			Address: netip.AddrPortFrom(netip.MustParseAddr(ex01Addr), port)}
	}
	want := []Endpoint{ep("Default Frontend EX01", 25), ep("Default EX01", 2525), ep("Client Frontend EX01", 587),
		ep("Outbound Proxy Frontend EX01", 717), ep("Client Proxy EX01", 465)}
	got := o.Endpoints()
	for _, e := range got {
		if e.Real == nil {
			t.Errorf("endpoint %s has no real address", e.Connector)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Endpoint{}, "Real"), cmpopts.EquateComparable(netip.AddrPort{})); diff != "" {
		t.Errorf("Endpoints (-want +got):\n%s", diff)
	}
	if err := o.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if err := o.Close(); err != nil {
		t.Errorf("second Close() = %v", err)
	}
	if n := o.RunDue(context.Background()); n != 0 {
		t.Errorf("RunDue after Close = %d", n)
	}
	if _, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "late"); errText(err) != "fakeonprem: Submit after Close" {
		t.Errorf("Submit after Close = %v", err)
	}
}
