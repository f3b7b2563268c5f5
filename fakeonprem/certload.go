package fakeonprem

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
)

// Loading a connector's certificates, as the transport service does when it starts and at
// each session (S1 step 1, S2, S3): the pure selection of selection.go on the server's store,
// and the events of its outcome. Callers hold o.mu.

// connectorQuery is what a connector looks for (S1 steps 3-5): its TlsCertificateName, else
// its Fqdn, else the server's FQDN; fqdn is the FQDN the events name.
func (s *server) connectorQuery(tlsName, fqdn string) (q query, effective string) {
	effective = fqdn
	if effective == "" {
		effective = s.cfg.Fqdn
	}
	if tlsName != "" {
		if n, err := pki.ParseTlsCertificateName(tlsName); err == nil {
			return query{name: &n}, effective
		}
	}
	return query{fqdn: effective}, effective
}

// inboundCertificate loads a receive connector's STARTTLS certificate (§1): nil when none
// can be loaded (event 12014, no STARTTLS); 12016 or 12018 for an expired or expiring one.
func (s *server) inboundCertificate(c ReceiveConnector) *ExchangeCertificate {
	q, fqdn := s.connectorQuery(c.TlsCertificateName, c.Fqdn)
	e := selectInbound(s.store, q, s.org.rules(), s.validPKI)
	source := s.eventSource(c)
	s.certificateEvents(source+" "+q.String(), c.Name, source, q, fqdn, e)
	return e
}

// certificateEvents logs a STARTTLS selection's events when its outcome changes: 12014 with
// the name searched (S8, S9), or the expiry events of the chosen certificate (S1 step 9d, S6).
// The outcome is kept per service and name (key), so connectors of one transport service that
// look for the same name log a condition once (INFER), naming the first of them.
func (s *server) certificateEvents(key, connector, source string, q query, fqdn string, e *ExchangeCertificate) {
	if e == nil {
		if s.changed(key, "none "+q.String()) {
			s.logEvent(source, 12014, categoryTransportService, levelError, fmt.Sprintf(event12014, q.String(), connector, fqdn))
		}
		return
	}
	id, text, ok := expiryEvent(e, fqdn, s.org.clock.Now())
	if s.changed(key, fmt.Sprintf("%s %d", e.Certificate.Thumbprint(), id)) && ok {
		s.logEvent(source, id, categoryTransportService, levelWarning, text)
	}
}

// outboundCertificate loads a send connector's client certificate (§2): the entry and how
// its credentials fail. On the FQDN path a connector without a certificate logs 12014 as a
// receive connector does (S7).
func (s *server) outboundCertificate(c SendConnector) (*ExchangeCertificate, credentials) {
	q, fqdn := s.connectorQuery(c.TlsCertificateName, c.Fqdn)
	e, cred := selectOutbound(s.store, q, s.org.rules(), s.validPKI)
	if q.name == nil && cred == credentialsOK {
		s.certificateEvents("send "+c.Name, c.Name, sourceTransport, q, fqdn, e)
	}
	return e, cred
}

// internalCertificate loads the internal transport certificate (§3): nil when the thumbprint
// is empty or not in the store (12013, F24); an expired one is loaded (12015, F25).
func (s *server) internalCertificate(source string) *ExchangeCertificate {
	th := s.cfg.TransportService.InternalTransportCertificateThumbprint
	e, st := selectInternal(s.store, th, s.org.clock.Now())
	if s.changed("internal", fmt.Sprintf("%d %s", st, strings.ToUpper(th))) {
		switch st {
		case internalNotFound:
			s.logEvent(source, 12013, categoryTransportService, levelError, fmt.Sprintf(event12013, th))
		case internalExpired:
			s.logEvent(source, 12015, categoryTransportService, levelInformation, fmt.Sprintf(event12015, th))
		}
	}
	return e
}
