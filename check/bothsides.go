package check

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/textproto"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/scenarios"
)

// bothSidesChecks are the checks Health Checker cannot make, because they
// need Exchange Online's configuration and on-premises' together:
//   - each enabled OnPremises inbound connector's TlsSenderCertificateName
//     against the certificate the on-premises send connectors present
//     (it must name it, and be an accepted domain or a wildcard of one, S14;
//     F15, F17, F18, F22);
//   - each enabled OnPremises outbound connector's smart hosts, looked at as
//     Exchange Online's outbound delivery would: STARTTLS offered (F01),
//     the certificate presented valid in Exchange Online's store (F04, F05,
//     F06, F16) and named as TlsDomain says (F02). The look is an EHLO and a
//     STARTTLS handshake: no message is sent.
func (v *view) bothSidesChecks() []Finding {
	var out []Finding
	for _, t := range v.tenants {
		for _, c := range t.inbound {
			if c.Enabled && c.ConnectorType == fakeexo.OnPremises && c.TlsSenderCertificateName != "" {
				out = append(out, v.senderNameFindings(t, c)...)
			}
		}
		for _, c := range t.outbound {
			if c.Enabled && c.ConnectorType == fakeexo.OnPremises && !c.UseMXRecord {
				for _, h := range c.SmartHosts {
					out = append(out, v.startTLSLook(c, h)...)
				}
			}
		}
	}
	return out
}

// senderNameFindings judges an inbound connector's TlsSenderCertificateName
// against the certificates the cloud send connectors present.
func (v *view) senderNameFindings(t tenantView, c fakeexo.InboundConnector) []Finding {
	// on-premises mail to the tenant, and to the internet relayed through it
	dirs := []scenarios.Direction{scenarios.OnPremToEXO, scenarios.Internal}
	obj := fmt.Sprintf("inbound connector %s (tenant %s)", c.Name, t.name)
	name := c.TlsSenderCertificateName
	var out []Finding
	accepted := Finding{Check: "BothSidesCheck", Object: obj, Test: "TlsSenderCertificateName is an accepted domain", Value: name, Colour: Green, Directions: dirs}
	if !t.accepts(strings.TrimPrefix(name, "*.")) {
		accepted.Colour = Red
		accepted.Detail = "Exchange Online attributes by this name only when it is an accepted domain or a wildcard of one: Set-InboundConnector -TlsSenderCertificateName *.<accepted domain> (KB 3169958)"
	}
	out = append(out, accepted)
	for _, sc := range v.send {
		if !sc.CloudServicesMailEnabled || sc.TlsCertificateName == "" {
			continue
		}
		for _, server := range sc.SourceTransportServers {
			s := v.server(server)
			if s == nil {
				continue
			}
			for _, e := range s.certs {
				if !namesCertificate(sc.TlsCertificateName, e.Certificate) {
					continue
				}
				f := Finding{Check: "BothSidesCheck", Object: obj, Test: "TlsSenderCertificateName names " + server + "'s certificate",
					Value: fmt.Sprintf("%s vs %s", name, strings.Join(certificateNames(e.Certificate.Leaf), ", ")), Colour: Green, Directions: dirs}
				if !senderNameMatches(name, e.Certificate.Leaf) {
					f.Colour = Red
					f.Detail = "the certificate send connector " + sc.Name + " presents does not carry this name: Set-InboundConnector -TlsSenderCertificateName to a name of the certificate (or run the hybrid configuration wizard)"
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// accepts reports whether the tenant has the domain as an accepted domain.
func (t tenantView) accepts(domain string) bool {
	for _, d := range t.domains {
		if strings.EqualFold(d.DomainName, domain) {
			return true
		}
	}
	return false
}

// certificateNames are a certificate's CN and SANs.
func certificateNames(c *x509.Certificate) []string {
	names := []string{}
	if c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	for _, n := range c.DNSNames {
		if !strings.EqualFold(n, c.Subject.CommonName) {
			names = append(names, n)
		}
	}
	return names
}

// senderNameMatches is TlsSenderCertificateName against a certificate's CN
// and SANs: equal, or a "*.contoso.com" value covering the name or equal to
// a wildcard name (C7).
func senderNameMatches(value string, c *x509.Certificate) bool {
	value = strings.ToLower(value)
	for _, n := range certificateNames(c) {
		n = strings.ToLower(n)
		switch {
		case n == value:
			return true
		case strings.HasPrefix(value, "*.") && strings.HasSuffix(n, value[1:]):
			return true
		}
	}
	return false
}

// startTLSLook connects to a smart host as Exchange Online's outbound
// delivery would, offers STARTTLS, and judges the certificate presented.
func (v *view) startTLSLook(c fakeexo.OutboundConnector, host string) []Finding {
	dirs := []scenarios.Direction{scenarios.EXOToOnPrem}
	obj := fmt.Sprintf("outbound connector %s -> %s", c.Name, host)
	mk := func(test, val string, col Colour, detail string) Finding {
		return Finding{Check: "BothSidesCheck", Object: obj, Test: test, Value: val, Colour: col, Detail: detail, Directions: dirs}
	}
	var from string
	for _, e := range v.lab.EXO.Endpoints() {
		if e.Role == "Outbound" {
			from = e.Host
		}
	}
	chain, offered, err := look(v.lab.DialFrom, from, host)
	switch {
	case err != nil && !offered:
		return []Finding{mk("smart host answers", "no", Red, "Exchange Online cannot connect: "+err.Error()+"; let port 25 through to "+host)}
	case !offered:
		return []Finding{mk("STARTTLS offered", "no", Red,
			"the receive connector offers no STARTTLS (its TlsCertificateName names no usable certificate, event 12014): Set-ReceiveConnector -TlsCertificateName to the hybrid certificate (KB 2989382)")}
	case err != nil || len(chain) == 0:
		return []Finding{mk("STARTTLS offered", "yes", Green, ""), mk("TLS handshake", "failed", Red, fmt.Sprint("the handshake fails: ", err))}
	}
	leaf := chain[0]
	out := []Finding{mk("STARTTLS offered", "yes", Green, "")}
	if c.TlsSettings != fakeexo.CertificateValidation && c.TlsSettings != fakeexo.DomainValidation {
		return out
	}
	st := pki.CheckChain(leaf, pki.ChainOptions{Presented: chain[1:], Store: v.lab.PKI.EXOTrust(), Revocation: v.lab.PKI, At: v.at})
	cf := mk("certificate presented valid for Exchange Online", pki.SubjectName(leaf), Green, "")
	// the same stores give the client certificate's chain: on-premises mail
	// to Exchange Online is attributed by it (F16)
	cf.Directions = []scenarios.Direction{scenarios.EXOToOnPrem, scenarios.OnPremToEXO, scenarios.Internal}
	if st != pki.CertTrustNoError {
		cf.Colour = Red
		cf.Detail = strings.ReplaceAll(st.String(), "\n", ", ") + ": " + st.Message()
	}
	out = append(out, cf)
	if c.TlsSettings == fakeexo.DomainValidation && c.TlsDomain != "" {
		nf := mk("certificate presented names TlsDomain "+c.TlsDomain, strings.Join(certificateNames(leaf), ", "), Green, "")
		if !senderNameMatches(c.TlsDomain, leaf) && !wildcardCovers(leaf, c.TlsDomain) {
			nf.Colour = Red
			nf.Detail = "the receive connector presents " + pki.SubjectName(leaf) + ": bind the hybrid certificate with TlsCertificateName, or set the outbound connector's TlsDomain to its name"
		}
		out = append(out, nf)
	}
	return out
}

// wildcardCovers reports whether a certificate's wildcard name covers a
// TlsDomain host name (one label, S18).
func wildcardCovers(c *x509.Certificate, domain string) bool {
	_, rest, ok := strings.Cut(strings.ToLower(domain), ".")
	if !ok {
		return false
	}
	for _, n := range certificateNames(c) {
		if strings.EqualFold(n, "*."+rest) {
			return true
		}
	}
	return false
}

// dialFunc is how the look connects: the lab network's DialFrom.
type dialFunc func(ctx context.Context, from, address string) (net.Conn, error)

// look runs EHLO and STARTTLS against host:25 from the simulated host from,
// and returns the certificates presented, whether STARTTLS was offered, and
// what failed. It speaks the few commands by hand (go-smtp's client starts
// TLS only together with EHLO).
func look(dial dialFunc, from, host string) ([]*x509.Certificate, bool, error) {
	conn, err := dial(context.Background(), from, net.JoinHostPort(host, "25"))
	if err != nil {
		return nil, false, err
	}
	defer conn.Close()
	tp := textproto.NewConn(conn)
	if _, _, err := tp.ReadResponse(220); err != nil {
		return nil, false, err
	}
	if err := tp.PrintfLine("EHLO %s", from); err != nil {
		return nil, false, err
	}
	_, ehlo, err := tp.ReadResponse(250)
	if err != nil {
		return nil, false, err
	}
	if !hasKeyword(ehlo, "STARTTLS") {
		tp.PrintfLine("QUIT")
		return nil, false, nil
	}
	if err := tp.PrintfLine("STARTTLS"); err != nil {
		return nil, true, err
	}
	if _, _, err := tp.ReadResponse(220); err != nil {
		return nil, true, err
	}
	var chain []*x509.Certificate
	tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true, ServerName: host, MinVersion: tls.VersionTLS12,
		VerifyConnection: func(cs tls.ConnectionState) error {
			chain = cs.PeerCertificates
			return nil
		}})
	if err := tc.Handshake(); err != nil {
		return chain, true, err
	}
	fmt.Fprintf(tc, "QUIT\r\n")
	return chain, true, nil
}

// hasKeyword reports whether an EHLO reply lists a keyword.
func hasKeyword(ehlo, keyword string) bool {
	for _, line := range strings.Split(ehlo, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.EqualFold(f[0], keyword) {
			return true
		}
	}
	return false
}
