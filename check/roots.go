package check

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/scenarios"
)

// rootChecks is TrustedRootCertificatesCheck (HC-Roots,
// docs/Diagnostics/HealthChecker/TrustedRootCertificatesCheck.md):
// DisableRootAutoUpdate set stops Windows fetching roots, so the roots
// Exchange Online's certificates need must be in Cert:\LocalMachine\Root by
// hand. The page gives no colour: the setting alone is yellow (INFER); the
// root of Exchange Online's current certificate missing is red (F19); DigiCert
// Global Root G2 missing under DisableRootAutoUpdate is yellow before
// pki.EXOG2Since and red from then (G2-2026).
func (v *view) rootChecks() []Finding {
	both := []scenarios.Direction{scenarios.EXOToOnPrem, scenarios.OnPremToEXO}
	exoRoot := v.lab.PKI.EXOCertificate().Root
	var out []Finding
	for _, s := range v.servers {
		f := Finding{Check: "TrustedRootCertificatesCheck", Object: s.cfg.Name, Test: "DisableRootAutoUpdate",
			Value: fmt.Sprint(s.cfg.DisableRootAutoUpdate), Colour: Green, Directions: both}
		if s.cfg.DisableRootAutoUpdate {
			f.Colour, f.Detail = Yellow, "Windows does not fetch trusted roots: keep the roots of the Azure Certificate Authority Details page in Cert:\\LocalMachine\\Root by hand"
		}
		out = append(out, f)
		if s.cfg.Role != "Mailbox" && s.cfg.Role != "Edge" {
			continue
		}
		if exoRoot != nil {
			has := s.hasRoot(pki.SubjectName(exoRoot))
			r := Finding{Check: "TrustedRootCertificatesCheck", Object: s.cfg.Name, Test: "root of Exchange Online's certificate trusted",
				Value: pki.SubjectName(exoRoot), Colour: Green, Directions: both}
			if !has {
				r.Colour, r.Detail = Red, "import the root of Exchange Online's certificate into Cert:\\LocalMachine\\Root, then Retry-Queue"
			}
			out = append(out, r)
		}
		g2 := Finding{Check: "TrustedRootCertificatesCheck", Object: s.cfg.Name, Test: "DigiCert Global Root G2 trusted",
			Value: "fetched by Windows on demand", Colour: Green, Directions: both}
		switch {
		case s.hasRoot(pki.DigiCertGlobalRootG2):
			g2.Value = "in Cert:\\LocalMachine\\Root"
		case s.cfg.DisableRootAutoUpdate:
			g2.Value, g2.Expires = "missing", pki.EXOG2Since
			g2.Colour = Yellow
			if !v.at.Before(pki.EXOG2Since) {
				g2.Colour = Red
			}
			g2.Detail = fmt.Sprintf("from %s Exchange Online's certificates chain to DigiCert Global Root G2: Import-Certificate -FilePath DigiCertGlobalRootG2.crt -CertStoreLocation Cert:\\LocalMachine\\Root",
				pki.EXOG2Since.Format("2006-01-02"))
			if start := v.lab.Config().Clock; !start.IsZero() && !start.Before(pki.EXOG2Since) {
				g2.Detail += " (this lab's clock starts after the move, so its Exchange Online keeps the certificate it started with: the lab cannot show the consequence)"
			}
		}
		out = append(out, g2)
	}
	return out
}

// hasRoot reports whether the server's root store holds a root of that name.
func (s serverView) hasRoot(name string) bool {
	for _, c := range s.roots {
		if strings.EqualFold(pki.SubjectName(c), name) {
			return true
		}
	}
	return false
}
