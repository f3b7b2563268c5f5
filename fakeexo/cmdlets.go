package fakeexo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/psh"
)

// cmdlet is one row of the tenant's cmdlet table: the parameters Exchange
// Online PowerShell's cmdlet takes (those the service models) and the
// method it runs.
type cmdlet struct {
	name   string
	params []psh.Parameter
	run    func(o *Organization, ctx context.Context, b psh.Bound) ([]psh.Object, error)
}

// Type names of the objects the cmdlets write (INFER: Exchange Online's
// .NET types as Get-Member shows them; no spec source).
const (
	typeInboundConnector   = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantInboundConnector"
	typeOutboundConnector  = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantOutboundConnector"
	typeValidationResult   = "Microsoft.Exchange.Management.SystemConfigurationTasks.ValidateOutboundConnectorResult"
	typeAcceptedDomain     = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain"
	typeOrganizationConfig = "Microsoft.Exchange.Data.Directory.Management.OrganizationConfig"
	typeMessageTrace       = "Microsoft.Exchange.Management.FfoReporting.MessageTrace"
	typeMessageTraceDetail = "Microsoft.Exchange.Management.FfoReporting.MessageTraceDetail"
)

var (
	pIdentity = psh.Parameter{Name: "Identity", Positional: true}
	pConfirm  = psh.Parameter{Name: "Confirm", Switch: true}
)

// cmdletTable is every cmdlet a tenant runs from a command line.
var cmdletTable = []cmdlet{
	{"Get-InboundConnector", []psh.Parameter{pIdentity}, (*Organization).cmdGetInboundConnector},
	{"Set-InboundConnector", append([]psh.Parameter{pIdentity, pConfirm}, psh.FieldParameters(InboundConnector{})...), (*Organization).cmdSetInboundConnector},
	{"New-InboundConnector", psh.FieldParameters(InboundConnector{}), (*Organization).cmdNewInboundConnector},
	{"Remove-InboundConnector", []psh.Parameter{pIdentity, pConfirm}, (*Organization).cmdRemoveInboundConnector},
	{"Get-OutboundConnector", []psh.Parameter{pIdentity}, (*Organization).cmdGetOutboundConnector},
	{"Set-OutboundConnector", append([]psh.Parameter{pIdentity, pConfirm}, psh.FieldParameters(OutboundConnector{}, "IsValidated", "LastValidationTimestamp")...), (*Organization).cmdSetOutboundConnector},
	{"New-OutboundConnector", psh.FieldParameters(OutboundConnector{}, "IsValidated", "LastValidationTimestamp"), (*Organization).cmdNewOutboundConnector},
	{"Remove-OutboundConnector", []psh.Parameter{pIdentity, pConfirm}, (*Organization).cmdRemoveOutboundConnector},
	{"Validate-OutboundConnector", []psh.Parameter{pIdentity, {Name: "Recipients"}}, (*Organization).cmdValidateOutboundConnector},
	{"Get-AcceptedDomain", []psh.Parameter{pIdentity}, (*Organization).cmdGetAcceptedDomain},
	{"Get-OrganizationConfig", nil, (*Organization).cmdGetOrganizationConfig},
	{"Set-OrganizationConfig", []psh.Parameter{{Name: "RejectDirectSend"}}, (*Organization).cmdSetOrganizationConfig},
	{"Get-MessageTrace", []psh.Parameter{{Name: "SenderAddress"}, {Name: "RecipientAddress"}, {Name: "MessageId"}, {Name: "Status"}}, (*Organization).cmdGetMessageTrace},
	{"Get-MessageTraceDetail", []psh.Parameter{{Name: "MessageTraceId"}, {Name: "RecipientAddress"}}, (*Organization).cmdGetMessageTraceDetail},
}

// Cmdlets lists the cmdlets Invoke runs, as Exchange Online spells them.
func (o *Organization) Cmdlets() []string {
	out := make([]string, len(cmdletTable))
	for i, c := range cmdletTable {
		out[i] = c.name
	}
	return out
}

// Invoke runs one parsed command line (package psh) as Exchange Online
// PowerShell would for this tenant, with the same methods and validations
// as the Go API, and returns the objects the cmdlet writes. An unknown
// cmdlet or parameter is refused with PowerShell's text and the list of
// what exists. New-InboundConnector and New-OutboundConnector take the
// cmdlets' defaults for what the line leaves out: Enabled $true,
// RequireTls $true for a Partner inbound connector, UseMXRecord $true
// without SmartHosts.
func (o *Organization) Invoke(ctx context.Context, cmd psh.Command) ([]psh.Object, error) {
	i := slices.IndexFunc(cmdletTable, func(c cmdlet) bool { return strings.EqualFold(c.name, cmd.Name) })
	if i < 0 {
		return nil, psh.NotFound(cmd.Name, o.Cmdlets())
	}
	b, err := psh.Bind(cmd, cmdletTable[i].params)
	if err != nil {
		return nil, err
	}
	return cmdletTable[i].run(o, ctx, b)
}

// setParameters is what a Set-* command line gives besides its identity.
func setParameters(b psh.Bound) psh.Bound {
	out := psh.Bound{}
	for k, v := range b {
		if k != "Identity" && k != "Confirm" {
			out[k] = v
		}
	}
	return out
}

func requiredIdentity(b psh.Bound, cmdlet, lister string) (string, error) {
	id, err := b.String("Identity")
	if err == nil && id == "" {
		err = fmt.Errorf("fakeexo: %s: give the -Identity (%s lists them)", cmdlet, lister)
	}
	return id, err
}

func (o *Organization) cmdGetInboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := b.String("Identity")
	if err != nil {
		return nil, err
	}
	all, err := o.GetInboundConnector(id)
	out := make([]psh.Object, len(all))
	for i, c := range all {
		out[i] = psh.ObjectOf(typeInboundConnector, c)
	}
	return out, err
}

func (o *Organization) cmdSetInboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := requiredIdentity(b, "Set-InboundConnector", "Get-InboundConnector")
	if err != nil {
		return nil, err
	}
	params := setParameters(b)
	if err := psh.Assign(&InboundConnector{}, params); err != nil { // convert before changing anything
		return nil, err
	}
	return nil, o.SetInboundConnector(id, func(c *InboundConnector) { _ = psh.Assign(c, params) })
}

func (o *Organization) cmdNewInboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	c := InboundConnector{Enabled: true}
	if err := psh.Assign(&c, b); err != nil {
		return nil, err
	}
	if !b.Has("RequireTls") && (c.ConnectorType == "" || c.ConnectorType == Partner) {
		c.RequireTls = true
	}
	added, err := o.NewInboundConnector(c)
	if err != nil {
		return nil, err
	}
	return []psh.Object{psh.ObjectOf(typeInboundConnector, added)}, nil
}

func (o *Organization) cmdRemoveInboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := requiredIdentity(b, "Remove-InboundConnector", "Get-InboundConnector")
	if err != nil {
		return nil, err
	}
	return nil, o.RemoveInboundConnector(id)
}

func (o *Organization) cmdGetOutboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := b.String("Identity")
	if err != nil {
		return nil, err
	}
	all, err := o.GetOutboundConnector(id)
	out := make([]psh.Object, len(all))
	for i, c := range all {
		out[i] = psh.ObjectOf(typeOutboundConnector, c)
	}
	return out, err
}

func (o *Organization) cmdSetOutboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := requiredIdentity(b, "Set-OutboundConnector", "Get-OutboundConnector")
	if err != nil {
		return nil, err
	}
	params := setParameters(b)
	if err := psh.Assign(&OutboundConnector{}, params); err != nil { // convert before changing anything
		return nil, err
	}
	return nil, o.SetOutboundConnector(id, func(c *OutboundConnector) { _ = psh.Assign(c, params) })
}

func (o *Organization) cmdNewOutboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	c := OutboundConnector{Enabled: true}
	if err := psh.Assign(&c, b); err != nil {
		return nil, err
	}
	if !b.Has("UseMXRecord") && len(c.SmartHosts) == 0 {
		c.UseMXRecord = true
	}
	added, err := o.NewOutboundConnector(c)
	if err != nil {
		return nil, err
	}
	return []psh.Object{psh.ObjectOf(typeOutboundConnector, added)}, nil
}

func (o *Organization) cmdRemoveOutboundConnector(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := requiredIdentity(b, "Remove-OutboundConnector", "Get-OutboundConnector")
	if err != nil {
		return nil, err
	}
	return nil, o.RemoveOutboundConnector(id)
}

func (o *Organization) cmdValidateOutboundConnector(ctx context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := requiredIdentity(b, "Validate-OutboundConnector", "Get-OutboundConnector")
	if err != nil {
		return nil, err
	}
	recipients, err := b.Strings("Recipients")
	if err != nil {
		return nil, err
	}
	results, err := o.ValidateOutboundConnector(ctx, id, recipients...)
	out := make([]psh.Object, len(results))
	for i, r := range results {
		out[i] = psh.ObjectOf(typeValidationResult, r)
	}
	return out, err
}

func (o *Organization) cmdGetAcceptedDomain(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := b.String("Identity")
	if err != nil {
		return nil, err
	}
	all, err := o.GetAcceptedDomain()
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, d := range all {
		if id == "" || strings.EqualFold(d.DomainName, id) {
			out = append(out, psh.ObjectOf(typeAcceptedDomain, d))
		}
	}
	if id != "" && len(out) == 0 {
		return nil, fmt.Errorf("fakeexo: tenant %s: no accepted domain %q: Get-AcceptedDomain lists them", o.name, id)
	}
	return out, nil
}

// organizationConfigView is Get-OrganizationConfig's view: the one
// setting the service models.
type organizationConfigView struct {
	Name             string
	RejectDirectSend bool
}

func (o *Organization) cmdGetOrganizationConfig(context.Context, psh.Bound) ([]psh.Object, error) {
	t, err := o.tenant()
	if err != nil {
		return nil, err
	}
	return []psh.Object{psh.ObjectOf(typeOrganizationConfig, organizationConfigView{Name: t.Name, RejectDirectSend: t.RejectDirectSend})}, nil
}

func (o *Organization) cmdSetOrganizationConfig(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	if !b.Has("RejectDirectSend") {
		return nil, fmt.Errorf("fakeexo: Set-OrganizationConfig: give -RejectDirectSend $true or $false, the one setting the service models")
	}
	v, err := b.Bool("RejectDirectSend")
	if err != nil {
		return nil, err
	}
	return nil, o.SetOrganizationConfig(v)
}

func (o *Organization) cmdGetMessageTrace(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	var f [4]string
	for i, p := range []string{"SenderAddress", "RecipientAddress", "MessageId", "Status"} {
		var err error
		if f[i], err = b.String(p); err != nil {
			return nil, err
		}
	}
	match := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	var out []psh.Object
	for _, r := range o.GetMessageTrace() {
		if match(f[0], r.SenderAddress) && match(f[1], r.RecipientAddress) && match(strings.Trim(f[2], "<>"), strings.Trim(r.MessageId, "<>")) && match(f[3], r.Status) {
			out = append(out, psh.ObjectOf(typeMessageTrace, r))
		}
	}
	return out, nil
}

func (o *Organization) cmdGetMessageTraceDetail(_ context.Context, b psh.Bound) ([]psh.Object, error) {
	id, err := b.String("MessageTraceId")
	if err != nil {
		return nil, err
	}
	rcpt, err := b.String("RecipientAddress")
	if err != nil {
		return nil, err
	}
	if id == "" || rcpt == "" {
		return nil, fmt.Errorf("fakeexo: Get-MessageTraceDetail: give -MessageTraceId and -RecipientAddress (Get-MessageTrace lists both)")
	}
	details, err := o.GetMessageTraceDetail(id, rcpt)
	out := make([]psh.Object, len(details))
	for i, d := range details {
		out[i] = psh.ObjectOf(typeMessageTraceDetail, d)
	}
	return out, err
}
