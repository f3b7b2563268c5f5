package fakeexo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Organization is one tenant as its administrator's Exchange Online
// PowerShell session sees it: the cmdlets are its methods, with the cmdlets'
// validations (S16). A Set-* cmdlet takes the identity and a function that
// edits a copy; the copy is validated and applied only if valid, so a
// failed cmdlet changes nothing. Every change takes effect for the next
// transaction and the next delivery attempt.
type Organization struct {
	svc  *Service
	name string
}

// ValidationResult is Validate-OutboundConnector's result for one
// recipient: Status "Succeeded" or "Failed", and the reason.
type ValidationResult struct {
	Recipient string
	Status    string
	Details   string
}

// NewInboundConnector is New-InboundConnector: it returns the connector as
// Get-InboundConnector will show it.
func (o *Organization) NewInboundConnector(c InboundConnector) (InboundConnector, error) {
	var added InboundConnector
	err := o.update(func(t *Tenant) error {
		added = inboundDefaults(c.clone())
		t.InboundConnectors = append(t.InboundConnectors, added)
		return nil
	})
	return added, err
}

// SetInboundConnector is Set-InboundConnector: edit changes a copy of the
// connector named identity.
func (o *Organization) SetInboundConnector(identity string, edit func(*InboundConnector)) error {
	return o.update(func(t *Tenant) error {
		i := slices.IndexFunc(t.InboundConnectors, func(c InboundConnector) bool { return strings.EqualFold(c.Name, identity) })
		if i < 0 {
			return o.notFound("inbound", identity)
		}
		c := t.InboundConnectors[i].clone()
		edit(&c)
		t.InboundConnectors[i] = inboundDefaults(c)
		return nil
	})
}

// GetInboundConnector is Get-InboundConnector: the connector named identity,
// or every inbound connector of the tenant for "".
func (o *Organization) GetInboundConnector(identity string) ([]InboundConnector, error) {
	t, err := o.tenant()
	if err != nil {
		return nil, err
	}
	var out []InboundConnector
	for _, c := range t.InboundConnectors {
		if identity == "" || strings.EqualFold(c.Name, identity) {
			out = append(out, c.clone())
		}
	}
	if identity != "" && len(out) == 0 {
		return nil, o.notFound("inbound", identity)
	}
	return out, nil
}

// RemoveInboundConnector is Remove-InboundConnector.
func (o *Organization) RemoveInboundConnector(identity string) error {
	return o.update(func(t *Tenant) error {
		n := len(t.InboundConnectors)
		t.InboundConnectors = slices.DeleteFunc(t.InboundConnectors, func(c InboundConnector) bool { return strings.EqualFold(c.Name, identity) })
		if len(t.InboundConnectors) == n {
			return o.notFound("inbound", identity)
		}
		return nil
	})
}

// NewOutboundConnector is New-OutboundConnector: it returns the connector as
// Get-OutboundConnector will show it.
func (o *Organization) NewOutboundConnector(c OutboundConnector) (OutboundConnector, error) {
	var added OutboundConnector
	err := o.update(func(t *Tenant) error {
		added = outboundDefaults(c.clone())
		added.IsValidated, added.LastValidationTimestamp = false, time.Time{}
		t.OutboundConnectors = append(t.OutboundConnectors, added)
		return nil
	})
	return added, err
}

// SetOutboundConnector is Set-OutboundConnector: edit changes a copy of the
// connector named identity.
func (o *Organization) SetOutboundConnector(identity string, edit func(*OutboundConnector)) error {
	return o.update(func(t *Tenant) error {
		i := slices.IndexFunc(t.OutboundConnectors, func(c OutboundConnector) bool { return strings.EqualFold(c.Name, identity) })
		if i < 0 {
			return o.notFound("outbound", identity)
		}
		c := t.OutboundConnectors[i].clone()
		edit(&c)
		t.OutboundConnectors[i] = outboundDefaults(c)
		return nil
	})
}

// GetOutboundConnector is Get-OutboundConnector: the connector named
// identity, or every outbound connector of the tenant for "".
func (o *Organization) GetOutboundConnector(identity string) ([]OutboundConnector, error) {
	t, err := o.tenant()
	if err != nil {
		return nil, err
	}
	var out []OutboundConnector
	for _, c := range t.OutboundConnectors {
		if identity == "" || strings.EqualFold(c.Name, identity) {
			out = append(out, c.clone())
		}
	}
	if identity != "" && len(out) == 0 {
		return nil, o.notFound("outbound", identity)
	}
	return out, nil
}

// RemoveOutboundConnector is Remove-OutboundConnector.
func (o *Organization) RemoveOutboundConnector(identity string) error {
	return o.update(func(t *Tenant) error {
		n := len(t.OutboundConnectors)
		t.OutboundConnectors = slices.DeleteFunc(t.OutboundConnectors, func(c OutboundConnector) bool { return strings.EqualFold(c.Name, identity) })
		if len(t.OutboundConnectors) == n {
			return o.notFound("outbound", identity)
		}
		return nil
	})
}

// ValidateOutboundConnector is Validate-OutboundConnector: for each
// recipient it connects to the connector's smart hosts (or the recipient
// domain's MX) as delivery would, TLS checks included, and tries MAIL FROM
// and RCPT TO without sending a message (INFER: the cmdlet sends a test
// message; a probe keeps the lab's ledgers free of test mail). A connector
// saved disabled fails with S42's text (F29). It records IsValidated and
// LastValidationTimestamp on the connector.
func (o *Organization) ValidateOutboundConnector(ctx context.Context, identity string, recipients ...string) ([]ValidationResult, error) {
	t, err := o.tenant()
	if err != nil {
		return nil, err
	}
	var conn *outbound
	for _, c := range t.outbound {
		if strings.EqualFold(c.Name, identity) {
			conn = c
		}
	}
	if conn == nil {
		return nil, o.notFound("outbound", identity)
	}
	if len(recipients) == 0 {
		return nil, fmt.Errorf("fakeexo: Validate-OutboundConnector %q: no recipient: give at least one address the connector routes to", identity)
	}
	s := o.svc
	ok := true
	var results []ValidationResult
	for _, r := range recipients {
		res := ValidationResult{Recipient: r, Status: statusFailed, Details: validateDisabled}
		if conn.Enabled {
			out := s.deliver(ctx, conn, domainOf(r), delivery{from: "", to: r})
			switch {
			case out.delivered:
				res.Status, res.Details = validateSucceeded, ""
			case out.permanent != "":
				res.Details = out.permanent
			default:
				res.Details = s.led(out.fail, out.fqdn, out.ip, s.clock.Now(), out.sessionID)
			}
		}
		ok = ok && res.Status == validateSucceeded
		results = append(results, res)
	}
	now := s.clock.Now()
	err = o.update(func(t *Tenant) error {
		for i := range t.OutboundConnectors {
			if strings.EqualFold(t.OutboundConnectors[i].Name, identity) {
				t.OutboundConnectors[i].IsValidated, t.OutboundConnectors[i].LastValidationTimestamp = ok, now
			}
		}
		return nil
	})
	return results, err
}

// SetOrganizationConfig is Set-OrganizationConfig -RejectDirectSend, the one
// parameter the service models (F22).
func (o *Organization) SetOrganizationConfig(rejectDirectSend bool) error {
	return o.update(func(t *Tenant) error {
		t.RejectDirectSend = rejectDirectSend
		return nil
	})
}

// GetAcceptedDomain is Get-AcceptedDomain: the tenant's accepted domains,
// its initial and routing domains among them (Tenant lists the defaults).
func (o *Organization) GetAcceptedDomain() ([]AcceptedDomain, error) {
	t, err := o.tenant()
	if err != nil {
		return nil, err
	}
	return slices.Clone(t.AcceptedDomains), nil
}

// GetMessageTrace is Get-MessageTrace: one row per message and recipient
// of the tenant, in the order they came.
func (o *Organization) GetMessageTrace() []MessageTrace {
	s := o.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []MessageTrace
	for _, r := range s.traces {
		if strings.EqualFold(r.tenant, o.name) {
			out = append(out, r.row)
		}
	}
	return out
}

// GetMessageTraceDetail is Get-MessageTraceDetail -MessageTraceId
// -RecipientAddress: the row's events, in order.
func (o *Organization) GetMessageTraceDetail(messageTraceID, recipient string) ([]MessageTraceDetail, error) {
	s := o.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.traces {
		if strings.EqualFold(r.tenant, o.name) && r.row.MessageTraceId == messageTraceID && strings.EqualFold(r.row.RecipientAddress, recipient) {
			return r.copyDetails(), nil
		}
	}
	return nil, fmt.Errorf("fakeexo: tenant %s: no message trace %s for recipient %s: take both from Get-MessageTrace", o.name, messageTraceID, recipient)
}

// update runs one cmdlet: it edits a copy of the tenant, fills in defaults,
// validates it, and swaps in a new directory.
func (o *Organization) update(edit func(*Tenant) error) error {
	s := o.svc
	s.cmdlets.Lock()
	defer s.cmdlets.Unlock()
	dir := s.dir.Load()
	tenants := make([]Tenant, len(dir.tenants))
	idx := -1
	for i, t := range dir.tenants {
		tenants[i] = t.Tenant
		if strings.EqualFold(t.Name, o.name) {
			idx = i
		}
	}
	if idx < 0 {
		return fmt.Errorf("fakeexo: tenant %s is no longer in the service", o.name)
	}
	edited := tenants[idx].clone()
	if err := edit(&edited); err != nil {
		return err
	}
	edited = tenantDefaults(edited)
	if err := edited.validate(); err != nil {
		return err
	}
	tenants[idx] = edited
	next, err := newDirectory(tenants)
	if err != nil {
		return err
	}
	s.dir.Store(next)
	return nil
}

// tenant returns the tenant in the current directory.
func (o *Organization) tenant() (*tenant, error) {
	t := o.svc.dir.Load().byName[strings.ToLower(o.name)]
	if t == nil {
		return nil, fmt.Errorf("fakeexo: tenant %s is no longer in the service", o.name)
	}
	return t, nil
}

func (o *Organization) notFound(kind, identity string) error {
	return fmt.Errorf("fakeexo: tenant %s: no %s connector %q: Get-%sConnector lists them", o.name, kind, identity, strings.ToUpper(kind[:1])+kind[1:])
}
