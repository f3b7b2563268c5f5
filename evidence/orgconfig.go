package evidence

import (
	"context"
	"fmt"

	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// OrganizationConfig is Exchange Online's Get-OrganizationConfig, the
// properties the lab models: RejectDirectSend refuses mail from the
// tenant's own domains that no connector attributes (F22).
type OrganizationConfig struct {
	Name             string
	RejectDirectSend bool
}

// typeOrganizationConfig is Get-OrganizationConfig's object through
// Exchange Online PowerShell's remote session.
var typeOrganizationConfig = deserialized(
	"Microsoft.Exchange.Data.Directory.Management.OrganizationConfig",
	"Microsoft.Exchange.Data.Directory.ADPresentationObject",
	"Microsoft.Exchange.Data.ConfigurableObject",
	"System.Object")

// organizationConfigObject is Get-OrganizationConfig's object.
func organizationConfigObject(c OrganizationConfig) psh.Object {
	return psh.Object{TypeNames: typeOrganizationConfig, ToString: c.Name, Properties: []psh.Property{
		prop("Name", c.Name),
		prop("RejectDirectSend", c.RejectDirectSend),
		prop("Identity", c.Name),
	}}
}

// exoOrganizationConfig is each tenant's Get-OrganizationConfig, read
// through the service's shell so that Set-OrganizationConfig's changes show.
func exoOrganizationConfig(l *sim.Lab) ([]any, error) {
	var out []any
	for _, t := range l.Config().EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return nil, err
		}
		objs, err := org.Invoke(context.Background(), psh.Command{Name: "Get-OrganizationConfig"})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			c := OrganizationConfig{Name: t.Name}
			for _, p := range o.Properties {
				if p.Name == "RejectDirectSend" {
					b, ok := p.Value.(bool)
					if !ok {
						return nil, fmt.Errorf("Get-OrganizationConfig's RejectDirectSend is a %T, not a bool", p.Value)
					}
					c.RejectDirectSend = b
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// writeRejectDirectSend writes the tenant's RejectDirectSend from
// Get-OrganizationConfig, or assumes the service's default ($false).
func (m *model) writeRejectDirectSend(w *yamlWriter) {
	for _, r := range m.orgConfig {
		if _, has := r.get("RejectDirectSend"); !has {
			continue
		}
		v, ok := r.boolean("RejectDirectSend")
		if !ok {
			m.warn("%s: RejectDirectSend %q is neither True nor False; the lab takes $false", r.source, r.str("RejectDirectSend"))
			continue
		}
		w.field(6, "RejectDirectSend", psBool(v), r.note("RejectDirectSend"))
		return
	}
	m.assume("the tenant's RejectDirectSend is $false, the default (the evidence has no Get-OrganizationConfig from Exchange Online)")
}
