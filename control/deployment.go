package control

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// deploymentBody is GET /api/v1/deployment's answer: the deployment as the
// dashboard draws it, read through the fakes' cmdlets.
type deploymentBody struct {
	Clock         time.Time    `json:"clock"`
	Organizations []orgView    `json:"organizations"`
	Tenants       []tenantView `json:"tenants"`
}

// orgView is an Exchange organization: the on-premises one or a partner.
type orgView struct {
	Name           string       `json:"name"`
	Role           string       `json:"role"` // "on-premises" or "partner"
	Servers        []serverView `json:"servers"`
	SendConnectors []connView   `json:"sendConnectors"`
}

type serverView struct {
	Name              string     `json:"name"`
	Fqdn              string     `json:"fqdn"`
	Role              string     `json:"role"`
	ReceiveConnectors []connView `json:"receiveConnectors"`
	Certificates      []certView `json:"certificates"`
}

// connView is a connector and the certificate its rules choose now.
type connView struct {
	Name               string   `json:"name"`
	Bindings           []string `json:"bindings,omitempty"`
	Fqdn               string   `json:"fqdn"`
	TlsCertificateName string   `json:"tlsCertificateName"`
	RequireTLS         bool     `json:"requireTls"`
	// Certificate is the chosen certificate's thumbprint, "" for none;
	// Rule says which rule chose it (or why none).
	Certificate string   `json:"certificate"`
	Rule        string   `json:"rule"`
	Flags       []string `json:"flags"`
}

// certView is an entry of a server's store, judged against the lab clock.
type certView struct {
	Thumbprint string    `json:"thumbprint"`
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	Domains    []string  `json:"domains"`
	NotBefore  time.Time `json:"notBefore"`
	NotAfter   time.Time `json:"notAfter"`
	Validity   string    `json:"validity"` // valid, expires in N days, expired, not yet valid
	Status     string    `json:"status"`   // Get-ExchangeCertificate's Status: the chain on this server
	Chain      string    `json:"chain"`    // Test-Certificate's answer
	Services   string    `json:"services"`
	SelfSigned bool      `json:"selfSigned"`
	PrivateKey bool      `json:"privateKey"`
	Bindings   []string  `json:"bindings"` // the connectors that choose it now
	Flags      []string  `json:"flags"`
}

type tenantView struct {
	Name     string                      `json:"name"`
	Inbound  []fakeexo.InboundConnector  `json:"inbound"`
	Outbound []fakeexo.OutboundConnector `json:"outbound"`
}

// deployment answers the deployment: organizations, servers, connectors
// with their chosen certificates, stores, and EXO's tenants.
func (h *Handler) deployment(w http.ResponseWriter, r *http.Request) {
	var body deploymentBody
	err := h.read(func(l *sim.Lab) error {
		cfg := l.Config()
		body.Clock = l.Now()
		orgs := []*fakeonprem.Organization{l.OnPrem}
		cfgs := []sim.Organization{cfg.OnPrem}
		orgs, cfgs = append(orgs, l.Internet...), append(cfgs, cfg.Internet...)
		for i, o := range orgs {
			v, err := viewOrg(o, cfgs[i], l.Now(), i == 0)
			if err != nil {
				return err
			}
			v.Role = map[bool]string{true: "on-premises", false: "partner"}[i == 0]
			body.Organizations = append(body.Organizations, v)
		}
		for _, t := range cfg.EXO.Tenants {
			org, err := l.EXO.Organization(t.Name)
			if err != nil {
				return err
			}
			tv := tenantView{Name: t.Name}
			if tv.Inbound, err = org.GetInboundConnector(""); err != nil {
				return err
			}
			if tv.Outbound, err = org.GetOutboundConnector(""); err != nil {
				return err
			}
			body.Tenants = append(body.Tenants, tv)
		}
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, body)
}

// viewOrg reads one organization's servers, stores and connectors.
// Only the on-premises organization's connectors are judged as EXO
// judges them (F02); a partner's self-signed certificate is its default.
func viewOrg(o *fakeonprem.Organization, cfg sim.Organization, now time.Time, onPrem bool) (orgView, error) {
	v := orgView{Name: cfg.Name}
	stores := map[string][]fakeonprem.ExchangeCertificate{}
	certs := map[string]map[string]*certView{}
	fqdns := map[string]string{}
	for _, s := range cfg.Servers {
		store, err := o.GetExchangeCertificate(s.Name, "")
		if err != nil {
			return v, err
		}
		stores[s.Name], certs[s.Name], fqdns[s.Name] = store, map[string]*certView{}, s.Fqdn
		sv := serverView{Name: s.Name, Fqdn: s.Fqdn, Role: string(s.Role)}
		for _, e := range store {
			sv.Certificates = append(sv.Certificates, viewCert(o, s.Name, e, now))
		}
		v.Servers = append(v.Servers, sv)
	}
	for i := range v.Servers {
		for j := range v.Servers[i].Certificates {
			c := &v.Servers[i].Certificates[j]
			certs[v.Servers[i].Name][c.Thumbprint] = c
		}
	}
	receive, err := o.GetReceiveConnector("")
	if err != nil {
		return v, err
	}
	for _, c := range receive {
		cv := connView{Name: c.Name, Bindings: c.Bindings, Fqdn: c.Fqdn, TlsCertificateName: c.TlsCertificateName, RequireTLS: c.RequireTLS}
		if !slices.Contains(c.AuthMechanism, "Tls") {
			cv.Rule = "no Tls in AuthMechanism: no STARTTLS"
		} else {
			facesPartners := onPrem && c.TransportRole == "FrontendTransport" && slices.ContainsFunc(c.Bindings, func(b string) bool { return strings.HasSuffix(b, ":25") })
			choose(&cv, o, c.Server, stores[c.Server], cmp.Or(c.Fqdn, fqdns[c.Server]), false, facesPartners)
		}
		bind(&cv, certs[c.Server], c.Server+`\`+c.Name)
		for i := range v.Servers {
			if v.Servers[i].Name == c.Server {
				v.Servers[i].ReceiveConnectors = append(v.Servers[i].ReceiveConnectors, cv)
			}
		}
	}
	send, err := o.GetSendConnector("")
	if err != nil {
		return v, err
	}
	for _, c := range send {
		cv := connView{Name: c.Name, Fqdn: c.Fqdn, TlsCertificateName: c.TlsCertificateName, RequireTLS: c.RequireTLS}
		if len(c.SourceTransportServers) > 0 {
			src := c.SourceTransportServers[0]
			choose(&cv, o, src, stores[src], cmp.Or(c.Fqdn, fqdns[src]), true, onPrem && (c.CloudServicesMailEnabled || c.TlsAuthLevel != ""))
			bind(&cv, certs[src], c.Name)
		}
		v.SendConnectors = append(v.SendConnectors, cv)
	}
	return v, nil
}

// viewCert judges one store entry against the lab clock and the server's
// chain (Test-Certificate).
func viewCert(o *fakeonprem.Organization, server string, e fakeonprem.ExchangeCertificate, now time.Time) certView {
	c := e.Certificate
	v := certView{Thumbprint: c.Thumbprint(), Subject: c.Subject(), Issuer: c.Issuer(), Domains: c.CertificateDomains(),
		NotBefore: c.NotBefore(), NotAfter: c.NotAfter(), Status: e.Status, Services: e.Services.String(),
		SelfSigned: c.IsSelfSigned(), PrivateKey: c.HasPrivateKey(), Bindings: []string{}, Flags: []string{}}
	switch left := c.NotAfter().Sub(now); {
	case now.Before(c.NotBefore()):
		v.Validity = "not yet valid"
	case left < 0:
		v.Validity = "expired"
	case left < 30*24*time.Hour:
		v.Validity = fmt.Sprintf("expires in %d days", int(left.Hours()/24))
	default:
		v.Validity = "valid"
	}
	if _, text, err := o.TestCertificate(server, c.Thumbprint()); err == nil {
		v.Chain = text
	}
	return v
}

// choose applies the connector certificate rules of fakeonprem's package
// documentation (§1 inbound, §2 outbound) to a store as
// Get-ExchangeCertificate shows it: the TlsCertificateName path (newest
// NotAfter), else the FQDN path (Get-ExchangeCertificate -DomainName's
// order); a valid PKI certificate first, else the self-signed fallback.
// It reads the documented defaults of sim.Options (C1, C2); a lab that
// switches them is drawn as the defaults would choose.
func choose(cv *connView, o *fakeonprem.Organization, server string, store []fakeonprem.ExchangeCertificate, fqdn string, outbound, facesPartners bool) {
	pkiValid := func(e fakeonprem.ExchangeCertificate) bool { return e.Status == "Valid" || e.Status == "DateInvalid" }
	var cands []fakeonprem.ExchangeCertificate
	path := "FQDN " + fqdn
	if cv.TlsCertificateName != "" {
		if n, err := pki.ParseTlsCertificateName(cv.TlsCertificateName); err == nil {
			path = "TlsCertificateName"
			for _, e := range store {
				if n.Matches(e.Certificate.Leaf) {
					cands = append(cands, e)
				}
			}
			slices.SortStableFunc(cands, func(a, b fakeonprem.ExchangeCertificate) int {
				return b.Certificate.NotAfter().Compare(a.Certificate.NotAfter())
			})
		}
	}
	if path != "TlsCertificateName" {
		cands, _ = o.GetExchangeCertificate(server, fqdn) // in selection order (S16 example 4)
	}
	var self *fakeonprem.ExchangeCertificate
	for i, e := range cands {
		usable := e.Certificate.HasPrivateKey() && (path == "TlsCertificateName" || e.Services&fakeonprem.SMTP != 0)
		if outbound && path == "TlsCertificateName" {
			usable = true // §2: the newest valid match, key or no key
		}
		switch {
		case !usable:
		case e.Certificate.IsSelfSigned():
			if self == nil {
				self = &cands[i]
			}
		case pkiValid(e):
			cv.Certificate, cv.Rule = e.Certificate.Thumbprint(), "by "+path
			outboundFlags(cv, e, outbound && path == "TlsCertificateName")
			return
		}
	}
	if self != nil {
		cv.Certificate, cv.Rule = self.Certificate.Thumbprint(), "self-signed fallback ("+path+")"
		if facesPartners {
			cv.Flags = append(cv.Flags, "F02: the self-signed certificate fails a partner's certificate or domain validation")
		}
		outboundFlags(cv, *self, outbound && path == "TlsCertificateName")
		return
	}
	cv.Rule = "none: " + path + " finds no usable certificate"
	switch {
	case path == "TlsCertificateName" && outbound:
		cv.Flags = append(cv.Flags, "F11: TlsCertificateName finds no valid certificate: the queue shows 454 4.7.5")
	case path == "TlsCertificateName":
		cv.Flags = append(cv.Flags, "F01: no STARTTLS; Event 12014")
	default:
		cv.Flags = append(cv.Flags, "no STARTTLS certificate; Event 12014")
	}
}

// outboundFlags marks a send connector's TlsCertificateName choice that
// Schannel then refuses (F12, F13).
func outboundFlags(cv *connView, e fakeonprem.ExchangeCertificate, named bool) {
	if !named {
		return
	}
	if !e.Certificate.HasPrivateKey() {
		cv.Flags = append(cv.Flags, "F12: the chosen certificate has no private key (NoCredentials)")
	} else if e.Services&fakeonprem.SMTP == 0 {
		cv.Flags = append(cv.Flags, "F13: the chosen certificate is not enabled for SMTP (UnknownCredentials)")
	}
}

// bind records on the chosen certificate that the connector uses it, and
// carries the certificate's validity into the connector's flags.
func bind(cv *connView, certs map[string]*certView, name string) {
	if cv.Flags == nil {
		cv.Flags = []string{}
	}
	c := certs[cv.Certificate]
	if c == nil {
		return
	}
	c.Bindings = append(c.Bindings, name)
	if c.Validity == "expired" && !slices.Contains(c.Flags, "F06: expired, still presented; Event 12016") {
		c.Flags = append(c.Flags, "F06: expired, still presented; Event 12016")
	}
	if c.Validity == "expired" {
		cv.Flags = append(cv.Flags, "F06: presents an expired certificate")
	}
	if !c.SelfSigned && c.Status != "Valid" && c.Status != "DateInvalid" {
		cv.Flags = append(cv.Flags, "chain: "+c.Status)
	}
}

// The deployment's route lives with its code, so that the API's routing
// table is not edited from here (TestOpenAPIMatchesRoutes covers it).
func init() {
	routes = append(routes, route{"GET", "/api/v1/deployment", (*Handler).deployment})
}
