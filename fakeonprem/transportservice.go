package fakeonprem

import (
	"encoding/hex"
	"fmt"
	"time"
)

// TransportService is a server's transport service as Get-TransportService shows it: the
// internal transport certificate (the AD attribute msExchServerInternalTLSCert, §3) and the
// retry values of S34. Zero values take the defaults (S34): MessageExpirationTimeOut 2 days,
// MessageRetryInterval 15 minutes, OutboundConnectionFailureRetryInterval 10 minutes (Edge
// 30), TransientFailureRetryCount 6, TransientFailureRetryInterval 5 minutes (Edge 10).
type TransportService struct {
	Name                                   string // the server; filled in by Get
	InternalTransportCertificateThumbprint string
	MessageExpirationTimeOut               time.Duration
	MessageRetryInterval                   time.Duration
	OutboundConnectionFailureRetryInterval time.Duration
	TransientFailureRetryCount             int
	TransientFailureRetryInterval          time.Duration
	// MaxPerDomainOutboundConnections is how many connections the service opens to one
	// domain at once (Set-TransportService; 20 by default, Health Checker's
	// TransportRetryConfigCheck wants 40 or more). The lab opens one connection per attempt,
	// so it changes nothing the lab does; zero means the default.
	MaxPerDomainOutboundConnections int
}

// withDefaults fills in S34's values for the role (the only place they are written).
func (t TransportService) withDefaults(role Role) TransportService {
	edge := role == RoleEdge
	set := func(d *time.Duration, mailbox, edgeValue time.Duration) {
		if *d == 0 {
			*d = mailbox
			if edge {
				*d = edgeValue
			}
		}
	}
	set(&t.MessageExpirationTimeOut, 48*time.Hour, 48*time.Hour)
	set(&t.MessageRetryInterval, 15*time.Minute, 15*time.Minute)
	set(&t.OutboundConnectionFailureRetryInterval, 10*time.Minute, 30*time.Minute)
	set(&t.TransientFailureRetryInterval, 5*time.Minute, 10*time.Minute)
	if t.TransientFailureRetryCount == 0 {
		t.TransientFailureRetryCount = 6
	}
	return t
}

// GetTransportService is Get-TransportService server.
func (o *Organization) GetTransportService(serverName string) (TransportService, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return TransportService{}, err
	}
	t := s.cfg.TransportService
	t.Name = s.cfg.Name
	return t, nil
}

// SetTransportService is Set-TransportService server: edit changes a copy, which is validated
// and applied. A new InternalTransportCertificateThumbprint takes effect for sessions at once;
// its startup events wait for RestartTransportService.
func (o *Organization) SetTransportService(serverName string, edit func(*TransportService)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return err
	}
	t := s.cfg.TransportService
	edit(&t)
	t.Name = ""
	if th := t.InternalTransportCertificateThumbprint; th != "" {
		if b, err := hex.DecodeString(th); err != nil || len(b) != 20 {
			return fmt.Errorf("fakeonprem: transport service %q: InternalTransportCertificateThumbprint %q: write a certificate's thumbprint, 40 hex digits", s.cfg.Name, th)
		}
	}
	if t.MessageExpirationTimeOut <= 0 || t.MessageRetryInterval <= 0 || t.OutboundConnectionFailureRetryInterval <= 0 ||
		t.TransientFailureRetryInterval <= 0 || t.TransientFailureRetryCount < 0 {
		return fmt.Errorf("fakeonprem: transport service %q: retry intervals must be positive and TransientFailureRetryCount not negative", s.cfg.Name)
	}
	s.cfg.TransportService = t
	return nil
}

// RestartTransportService is Restart-Service MSExchangeTransport on a server: the startup
// checks run again (12012, 12013, 12015, and each receive connector's STARTTLS certificate)
// and every event condition is logged afresh.
func (o *Organization) RestartTransportService(serverName string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return err
	}
	s.startTransport()
	return nil
}

// startTransport is the transport service starting: it forgets what it logged, loads the
// internal transport certificate (12012 when the thumbprint is empty, F23; 12013 and 12015
// as a session would, F24, F25) and each receive connector's STARTTLS certificate (12014,
// 12016, 12018). Callers hold o.mu.
func (s *server) startTransport() {
	s.outcomes = map[string]string{}
	if s.cfg.TransportService.InternalTransportCertificateThumbprint == "" {
		s.logEvent(sourceTransport, 12012, categoryTransportService, levelError, event12012)
	}
	s.internalCertificate(sourceTransport)
	for _, rc := range s.connectors {
		if has(rc.cfg.AuthMechanism, "Tls") {
			s.inboundCertificate(rc.cfg)
		}
	}
}
