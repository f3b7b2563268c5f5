package check

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/sim"
)

// view is what the checks read, as the cmdlets show it at one instant:
// what Health Checker reads on each server, and what an Exchange Online
// PowerShell session reads of each tenant.
type view struct {
	lab     *sim.Lab
	at      time.Time
	servers []serverView
	send    []fakeonprem.SendConnector
	tenants []tenantView
}

// serverView is one on-premises server as Health Checker reads it.
type serverView struct {
	cfg       sim.Server // Schannel and DisableRootAutoUpdate (the registry)
	certs     []fakeonprem.ExchangeCertificate
	roots     []*x509.Certificate
	receive   []fakeonprem.ReceiveConnector
	transport fakeonprem.TransportService
}

// tenantView is one tenant's connectors and domains.
type tenantView struct {
	name     string
	inbound  []fakeexo.InboundConnector
	outbound []fakeexo.OutboundConnector
	domains  []fakeexo.AcceptedDomain
}

// read takes the view of a running lab through its cmdlets.
func read(lab *sim.Lab) (*view, error) {
	cfg := lab.Config()
	v := &view{lab: lab, at: lab.Now()}
	o := lab.OnPrem
	for _, s := range cfg.OnPrem.Servers {
		sv := serverView{cfg: s}
		var err error
		if sv.certs, err = o.GetExchangeCertificate(s.Name, ""); err != nil {
			return nil, fmt.Errorf("check: Get-ExchangeCertificate -Server %s: %w", s.Name, err)
		}
		if sv.roots, err = o.GetChildItem(s.Name, `Cert:\LocalMachine\Root`); err != nil {
			return nil, fmt.Errorf("check: Get-ChildItem Cert:\\LocalMachine\\Root on %s: %w", s.Name, err)
		}
		if sv.receive, err = receiveConnectors(o, s.Name); err != nil {
			return nil, err
		}
		if sv.transport, err = o.GetTransportService(s.Name); err != nil {
			return nil, fmt.Errorf("check: Get-TransportService %s: %w", s.Name, err)
		}
		v.servers = append(v.servers, sv)
	}
	send, err := o.GetSendConnector("")
	if err != nil {
		return nil, fmt.Errorf("check: Get-SendConnector: %w", err)
	}
	v.send = send
	for _, t := range cfg.EXO.Tenants {
		org, err := lab.EXO.Organization(t.Name)
		if err != nil {
			return nil, fmt.Errorf("check: tenant %s: %w", t.Name, err)
		}
		tv := tenantView{name: t.Name}
		if tv.inbound, err = org.GetInboundConnector(""); err != nil {
			return nil, fmt.Errorf("check: Get-InboundConnector (%s): %w", t.Name, err)
		}
		if tv.outbound, err = org.GetOutboundConnector(""); err != nil {
			return nil, fmt.Errorf("check: Get-OutboundConnector (%s): %w", t.Name, err)
		}
		if tv.domains, err = org.GetAcceptedDomain(); err != nil {
			return nil, fmt.Errorf("check: Get-AcceptedDomain (%s): %w", t.Name, err)
		}
		v.tenants = append(v.tenants, tv)
	}
	return v, nil
}

// server returns the view of a server by name, or nil.
func (v *view) server(name string) *serverView {
	for i := range v.servers {
		if equalFold(v.servers[i].cfg.Name, name) {
			return &v.servers[i]
		}
	}
	return nil
}

// receiveConnectors is Get-ReceiveConnector -Server name.
func receiveConnectors(o *fakeonprem.Organization, name string) ([]fakeonprem.ReceiveConnector, error) {
	all, err := o.GetReceiveConnector("")
	if err != nil {
		return nil, fmt.Errorf("check: Get-ReceiveConnector: %w", err)
	}
	var out []fakeonprem.ReceiveConnector
	for _, rc := range all {
		if equalFold(rc.Server, name) {
			out = append(out, rc)
		}
	}
	return out, nil
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
