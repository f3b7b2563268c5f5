package scenarios

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/sim"
)

// Applicable reports whether an entry can run on a lab started from cfg
// (a customer's lab file), and when it cannot, why, in one sentence. The
// entries break the default lab's objects by name (EX01, EDGE01, "Default
// Frontend EX01", the tenant contoso, the probe's mailboxes, the hybrid
// certificate); a lab that lacks one of them cannot reproduce the entry,
// which is then not applicable rather than failed. The hybrid certificate
// may have any name: it is the certificate the frontend's
// TlsCertificateName names.
func Applicable(e Entry, cfg sim.Config) (bool, string) {
	c := cfg.Clone()
	if e.Lab != nil {
		e.Lab(&c)
	}
	if why := missingServers(e, c); why != "" {
		return false, why
	}
	if why := missingMailboxes(e.Probe, c); why != "" {
		return false, why
	}
	if e.Direction == EXOToOnPrem || e.Direction == OnPremToEXO {
		if !hasTenant(c, tenant) {
			return false, fmt.Sprintf("the lab has no Exchange Online tenant %q, whose connectors the entry breaks", tenant)
		}
	}
	if hybridCertificate(c) == "" {
		return false, fmt.Sprintf("no certificate of the lab is the hybrid certificate: none is named %q and none is the one %s's TlsCertificateName names", hybridCertName, frontend)
	}
	return true, ""
}

// missingServers names the first server the entry's steps or probe use
// that the lab does not have with the role the entry needs.
func missingServers(e Entry, c sim.Config) string {
	need := map[string]fakeonprem.Role{hybridServer: fakeonprem.RoleMailbox}
	texts := []string{e.Title}
	for _, s := range append(append([]Step{}, e.Break...), e.Fix...) {
		texts = append(texts, s.Cmdlet)
	}
	if e.Probe.Subject == throughEdge.Subject || strings.Contains(strings.Join(texts, "\n"), edgeServer) {
		need[edgeServer] = fakeonprem.RoleEdge
	}
	for _, name := range []string{hybridServer, edgeServer} {
		role, ok := need[name]
		if !ok {
			continue
		}
		s := findServer(c, name)
		switch {
		case s == nil:
			return fmt.Sprintf("the lab has no on-premises server %s, which the entry breaks", name)
		case s.Role != role && !(role == fakeonprem.RoleMailbox && s.Role == ""):
			return fmt.Sprintf("%s is a %s server in the lab; the entry needs it to be a %s server", name, s.Role, role)
		}
	}
	return ""
}

func findServer(c sim.Config, name string) *sim.Server {
	for i, s := range c.OnPrem.Servers {
		if strings.EqualFold(s.Name, name) {
			return &c.OnPrem.Servers[i]
		}
	}
	return nil
}

// missingMailboxes names the first probe address no mailbox of the lab has.
func missingMailboxes(p Probe, c sim.Config) string {
	for _, addr := range append([]string{p.From}, p.To...) {
		if addr != "" && !hasAddress(c, addr) {
			return fmt.Sprintf("the lab has no mailbox %s, which the entry's probe message uses", addr)
		}
	}
	return ""
}

// hasAddress reports whether a mailbox, remote mailbox, cloud mailbox or
// internet mailbox of the lab has the address.
func hasAddress(c sim.Config, addr string) bool {
	eq := func(a string) bool { return strings.EqualFold(a, addr) }
	for _, org := range append([]sim.Organization{c.OnPrem}, c.Internet...) {
		for _, m := range org.Mailboxes {
			if eq(m.PrimarySmtpAddress) {
				return true
			}
		}
		for _, m := range org.RemoteMailboxes {
			if eq(m.PrimarySmtpAddress) {
				return true
			}
		}
	}
	for _, t := range c.EXO.Tenants {
		for _, m := range t.Mailboxes {
			if eq(m.PrimarySmtpAddress) {
				return true
			}
		}
	}
	return false
}

func hasTenant(c sim.Config, name string) bool {
	for _, t := range c.EXO.Tenants {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}

// hybridCertificate is the name of the lab's hybrid certificate: the one
// named "hybrid", else the one EX01 holds whose subject ends the
// frontend's TlsCertificateName ("<I>issuer<S>subject"), else "".
func hybridCertificate(c sim.Config) string {
	for _, cert := range c.Certificates {
		if strings.EqualFold(cert.Name, hybridCertName) {
			return cert.Name
		}
	}
	tlsName := ""
	for _, rc := range c.OnPrem.ReceiveConnectors {
		if strings.EqualFold(rc.Server+`\`+rc.Name, frontend) {
			tlsName = rc.TlsCertificateName
		}
	}
	for _, cert := range c.Certificates {
		if tlsName != "" && strings.EqualFold(cert.Name, tlsName) {
			return cert.Name // named by the lab certificate's Name
		}
	}
	_, subject, ok := strings.Cut(tlsName, "<S>")
	if !ok {
		return ""
	}
	held := map[string]bool{}
	if s := findServer(c, hybridServer); s != nil {
		for _, e := range s.Certificates {
			held[strings.ToLower(e.Certificate)] = true
		}
	}
	for _, cert := range c.Certificates {
		if held[strings.ToLower(cert.Name)] && cert.Subject != "" && strings.EqualFold(cert.Subject, subject) {
			return cert.Name
		}
	}
	return ""
}

// notRunnable is the error of an entry whose steps met a lab they were not
// written for (a step found no object to act on): the entry is reported,
// never the lab's whole run lost.
func notRunnable(e Entry, p any) error {
	return fmt.Errorf("scenarios: %s could not run on this lab: a step found nothing to act on (%v); check that the lab has the objects the entry names (hybridsim run --lab reports those it lacks as not applicable)", e.ID, p)
}
