package sim

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

// TestRemoveInherited: "Remove: $true" takes an object of the default lab
// out, with what belonged to it; a wrong Remove names the file, the line
// and the field.
func TestRemoveInherited(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte("Base: default\nOnPrem:\n  Servers:\n    - Name: edge01\n      Remove: $true\n  Mailboxes:\n    - Name: Bob\n      Remove: $true\n"))
	if err != nil {
		t.Fatal(err)
	}
	var servers []string
	for _, s := range cfg.OnPrem.Servers {
		servers = append(servers, s.Name)
	}
	if diff := cmp.Diff([]string{"EX01"}, servers); diff != "" {
		t.Errorf("servers (-want +got):\n%s", diff)
	}
	if len(cfg.OnPrem.Mailboxes) != 0 || len(cfg.OnPrem.EdgeSubscriptions) != 0 {
		t.Errorf("mailboxes %v, Edge subscriptions %v; want none", cfg.OnPrem.Mailboxes, cfg.OnPrem.EdgeSubscriptions)
	}
	if slices.ContainsFunc(cfg.OnPrem.ReceiveConnectors, func(rc fakeonprem.ReceiveConnector) bool { return rc.Server == "EDGE01" }) {
		t.Errorf("EDGE01's receive connectors are still there")
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatalf("the lab without EDGE01 does not start: %v", err)
	}
	l.Close()

	for _, tc := range []struct{ name, src, want string }{
		{name: "NamesNothing", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EDGE02\n      Remove: $true\n",
			want: "lab.yaml:4: OnPrem.Servers: Remove: $true names no object the lab has (Name: EDGE02); check the spelling against the default lab (sim/default-lab.yaml)"},
		{name: "False", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EDGE01\n      Remove: $false\n",
			want: `lab.yaml:5: OnPrem.Servers.Remove: Remove takes only $true, got "$false"; leave Remove out to keep the object`},
		{name: "MoreProperties", src: "Base: default\nOnPrem:\n  Servers:\n    - Name: EDGE01\n      Fqdn: x.contoso.com\n      Remove: $true\n",
			want: `lab.yaml:5: OnPrem.Servers.Fqdn: an object with Remove: $true gives only its identity (Name); drop "Fqdn" or the Remove`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("lab.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse() error = %v\nwant %s", err, tc.want)
			}
		})
	}
}
