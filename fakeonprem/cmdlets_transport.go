package fakeonprem

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/psh"
)

// The transport cmdlets of the table (cmdlets.go): connectors, the
// transport service, queues, message tracking and the event log.

func (o *Organization) cmdGetReceiveConnector(in invocation) ([]psh.Object, error) {
	identity, err := in.String("Identity")
	if err != nil {
		return nil, err
	}
	server, err := in.String("Server")
	if err != nil {
		return nil, err
	}
	all, err := o.GetReceiveConnector(identity)
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, c := range all {
		if server == "" || strings.EqualFold(c.Server, server) {
			out = append(out, psh.ObjectOf(typeReceiveConnector, c))
		}
	}
	return out, nil
}

// setParameters is what a Set-* command line gives besides its identity.
func setParameters(in invocation) psh.Bound {
	b := psh.Bound{}
	for k, v := range in.Bound {
		if k != "Identity" && k != "Confirm" {
			b[k] = v
		}
	}
	return b
}

// identity is -Identity, required by a Set-* cmdlet.
func identity(in invocation, cmdlet, lister string) (string, error) {
	id, err := in.String("Identity")
	if err == nil && id == "" {
		err = fmt.Errorf("fakeonprem: %s: give the -Identity (%s lists them)", cmdlet, lister)
	}
	return id, err
}

func (o *Organization) cmdSetReceiveConnector(in invocation) ([]psh.Object, error) {
	id, err := identity(in, "Set-ReceiveConnector", "Get-ReceiveConnector")
	if err != nil {
		return nil, err
	}
	params := setParameters(in)
	if err := psh.Assign(&ReceiveConnector{}, params); err != nil { // convert before changing anything
		return nil, err
	}
	return nil, o.SetReceiveConnector(id, func(c *ReceiveConnector) { _ = psh.Assign(c, params) })
}

func (o *Organization) cmdGetSendConnector(in invocation) ([]psh.Object, error) {
	id, err := in.String("Identity")
	if err != nil {
		return nil, err
	}
	all, err := o.GetSendConnector(id)
	if err != nil {
		return nil, err
	}
	out := make([]psh.Object, len(all))
	for i, c := range all {
		out[i] = psh.ObjectOf(typeSendConnector, c)
	}
	return out, nil
}

func (o *Organization) cmdSetSendConnector(in invocation) ([]psh.Object, error) {
	id, err := identity(in, "Set-SendConnector", "Get-SendConnector")
	if err != nil {
		return nil, err
	}
	params := setParameters(in)
	if err := psh.Assign(&SendConnector{}, params); err != nil { // convert before changing anything
		return nil, err
	}
	return nil, o.SetSendConnector(id, func(c *SendConnector) { _ = psh.Assign(c, params) })
}

// defaultMaxPerDomainOutboundConnections is Set-TransportService's default
// (TransportService's doc: zero means it).
const defaultMaxPerDomainOutboundConnections = 20

// transportServiceView is Get-TransportService's view: its time-outs as
// TimeSpans.
type transportServiceView struct {
	Name                                   string
	InternalTransportCertificateThumbprint string
	MessageExpirationTimeOut               string
	MessageRetryInterval                   string
	OutboundConnectionFailureRetryInterval string
	TransientFailureRetryCount             int
	TransientFailureRetryInterval          string
	MaxPerDomainOutboundConnections        int
}

func (o *Organization) cmdGetTransportService(in invocation) ([]psh.Object, error) {
	id, err := in.String("Identity")
	if err != nil {
		return nil, err
	}
	var names []string
	if id != "" {
		names = []string{id}
	} else {
		o.mu.Lock()
		for _, s := range o.servers {
			names = append(names, s.cfg.Name)
		}
		o.mu.Unlock()
	}
	var out []psh.Object
	for _, n := range names {
		t, err := o.GetTransportService(n)
		if err != nil {
			return nil, err
		}
		out = append(out, psh.ObjectOf(typeTransportService, transportServiceView{
			Name: t.Name, InternalTransportCertificateThumbprint: t.InternalTransportCertificateThumbprint,
			MessageExpirationTimeOut:               psh.FormatTimeSpan(t.MessageExpirationTimeOut),
			MessageRetryInterval:                   psh.FormatTimeSpan(t.MessageRetryInterval),
			OutboundConnectionFailureRetryInterval: psh.FormatTimeSpan(t.OutboundConnectionFailureRetryInterval),
			TransientFailureRetryCount:             t.TransientFailureRetryCount,
			TransientFailureRetryInterval:          psh.FormatTimeSpan(t.TransientFailureRetryInterval),
			MaxPerDomainOutboundConnections:        cmp.Or(t.MaxPerDomainOutboundConnections, defaultMaxPerDomainOutboundConnections),
		}))
	}
	return out, nil
}

func (o *Organization) cmdSetTransportService(in invocation) ([]psh.Object, error) {
	id, err := identity(in, "Set-TransportService", "Get-TransportService")
	if err != nil {
		return nil, err
	}
	params := setParameters(in)
	if err := psh.Assign(&TransportService{}, params); err != nil { // convert before changing anything
		return nil, err
	}
	return nil, o.SetTransportService(id, func(t *TransportService) { _ = psh.Assign(t, params) })
}

func (o *Organization) cmdRestartService(in invocation) ([]psh.Object, error) {
	name, err := in.String("Name")
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(name, "MSExchangeTransport") {
		return nil, fmt.Errorf("fakeonprem: Restart-Service %q: this lab restarts MSExchangeTransport only", name)
	}
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	return nil, o.RestartTransportService(server)
}

func (o *Organization) cmdGetQueue(in invocation) ([]psh.Object, error) {
	id, err := in.String("Identity")
	if err != nil {
		return nil, err
	}
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	if srv, _, ok := strings.Cut(id, `\`); ok {
		server = srv
	}
	queues, err := o.GetQueue(server)
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, q := range queues {
		if id == "" || strings.EqualFold(q.Identity, id) {
			out = append(out, psh.ObjectOf(typeQueue, q))
		}
	}
	if id != "" && len(out) == 0 {
		return nil, fmt.Errorf("fakeonprem: Get-Queue %s: no such queue: Get-Queue -Server %s lists them", id, server)
	}
	return out, nil
}

// cmdRetryQueue is Retry-Queue -Identity Server\Id, or every queue of a
// server in Retry with -Server alone (Get-Queue | ? Status -eq Retry |
// Retry-Queue).
func (o *Organization) cmdRetryQueue(in invocation) ([]psh.Object, error) {
	id, err := in.String("Identity")
	if err != nil || id != "" {
		if err == nil {
			err = o.RetryQueue(id)
		}
		return nil, err
	}
	server, err := in.String("Server")
	if err != nil {
		return nil, err
	}
	if server == "" {
		return nil, fmt.Errorf("fakeonprem: Retry-Queue: give -Identity Server\\Id (Get-Queue lists them), or -Server to retry every queue in Retry")
	}
	queues, err := o.GetQueue(server)
	if err != nil {
		return nil, err
	}
	for _, q := range queues {
		if q.Status == "Retry" {
			if err := o.RetryQueue(q.Identity); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

func (o *Organization) cmdGetMessageTrackingLog(in invocation) ([]psh.Object, error) {
	var f [4]string
	for i, p := range []string{"Server", "MessageId", "EventId", "Sender"} {
		var err error
		if f[i], err = in.String(p); err != nil {
			return nil, err
		}
	}
	entries, err := o.GetMessageTrackingLog(f[0], f[1])
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for _, e := range entries {
		if (f[2] == "" || strings.EqualFold(e.EventId, f[2])) && (f[3] == "" || strings.EqualFold(e.Sender, f[3])) {
			out = append(out, psh.ObjectOf(typeTrackingEntry, e))
		}
	}
	return out, nil
}

// cmdGetWinEvent is Get-WinEvent -LogName Application -ComputerName
// server, newest first as Get-WinEvent lists them.
func (o *Organization) cmdGetWinEvent(in invocation) ([]psh.Object, error) {
	logName, err := in.String("LogName")
	if err != nil {
		return nil, err
	}
	if logName != "" && !strings.EqualFold(logName, "Application") {
		return nil, fmt.Errorf("fakeonprem: Get-WinEvent -LogName %s: the lab keeps the Application log only", logName)
	}
	server, err := o.serverName(in, "ComputerName")
	if err != nil {
		return nil, err
	}
	max := int64(-1)
	if in.Has("MaxEvents") {
		n, ok := in.Bound["MaxEvents"].(int64)
		if !ok || n < 1 {
			return nil, fmt.Errorf("fakeonprem: Get-WinEvent -MaxEvents takes a number from 1")
		}
		max = n
	}
	events, err := o.GetEventLog(server)
	if err != nil {
		return nil, err
	}
	var out []psh.Object
	for i := len(events) - 1; i >= 0 && (max < 0 || int64(len(out)) < max); i-- {
		out = append(out, psh.ObjectOf(typeEvent, events[i]))
	}
	return out, nil
}

// cmdNewEdgeSubscription subscribes an Edge server: -Server names it
// (the Edge whose subscription file New-EdgeSubscription -FileData
// imports); -Site must be the lab's Default-First-Site-Name when given.
func (o *Organization) cmdNewEdgeSubscription(in invocation) ([]psh.Object, error) {
	edge, err := in.String("Server")
	if err != nil {
		return nil, err
	}
	site, err := in.String("Site")
	if err != nil {
		return nil, err
	}
	if edge == "" {
		return nil, fmt.Errorf("fakeonprem: New-EdgeSubscription: give -Server, the Edge server to subscribe")
	}
	if site != "" && !strings.EqualFold(site, "Default-First-Site-Name") {
		return nil, fmt.Errorf("fakeonprem: New-EdgeSubscription -Site %s: the lab has one site, Default-First-Site-Name", site)
	}
	return nil, o.NewEdgeSubscription(edge)
}
