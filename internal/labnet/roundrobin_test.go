package labnet

import (
	"context"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRoundRobin: a name with two addresses answers them in turn; a name
// with one is unchanged; the same address twice is one record.
func TestRoundRobin(t *testing.T) {
	n := NewNetwork()
	for _, a := range []string{"203.0.113.10", "203.0.113.11", "203.0.113.11"} {
		if err := n.AddAddress("mail.contoso.com", netip.MustParseAddr(a)); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.AddHost("ex01.contoso.lab", netip.MustParseAddr("203.0.113.10")); err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for range 3 {
		addrs, err := n.LookupHost(context.Background(), "Mail.Contoso.com.")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, addrs)
	}
	one, _ := n.LookupHost(context.Background(), "ex01.contoso.lab")
	got = append(got, one)
	want := [][]string{{"203.0.113.10", "203.0.113.11"}, {"203.0.113.11", "203.0.113.10"}, {"203.0.113.10", "203.0.113.11"}, {"203.0.113.10"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lookups (-want +got):\n%s", diff)
	}
	if err := n.AddAddress("", netip.MustParseAddr("203.0.113.10")); err == nil {
		t.Error("AddAddress with no name succeeded")
	}
}
