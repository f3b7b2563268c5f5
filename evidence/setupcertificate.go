package evidence

import "github.com/hybridsim/hybridsim/sim"

// setupGone reports whether the evidence lists a server's certificates
// without setup's self-signed one: it was removed from the store (F24's
// state), and the lab must not give the server one.
func (m *model) setupGone(s *serverModel) bool {
	return s.certsFrom != "" && !s.hasSetup
}

// writeSetupGone writes the store entry that removes setup's certificate
// (sim.SetupCertificate) where the evidence shows it gone.
func (m *model) writeSetupGone(w *yamlWriter, s *serverModel) {
	if !m.setupGone(s) {
		return
	}
	w.item(8, "Certificate", quote(sim.SetupCertificate), s.certsFrom+" lists "+s.name+"'s certificates without setup's self-signed CN="+s.name)
	w.field(10, "Remove", "$true", "setup's certificate is gone from the store")
	m.assume("%s lists %s's certificates without setup's self-signed CN=%s, so the lab's %s has none (as after Remove-ExchangeCertificate); if the list was not the whole store, take the entry %q out", s.certsFrom, s.name, s.name, s.name, sim.SetupCertificate)
}

// writeEmptyThumbprint writes an empty InternalTransportCertificateThumbprint
// as $null (event 12012's state, F23); a transport service whose evidence
// lacks the property keeps setup's certificate, an assumption.
func (m *model) writeEmptyThumbprint(w *yamlWriter, r *record) {
	if _, ok := r.get("InternalTransportCertificateThumbprint"); !ok {
		m.assume("%s gives no InternalTransportCertificateThumbprint: the lab's transport service uses setup's certificate", r.source)
		return
	}
	w.field(8, "InternalTransportCertificateThumbprint", "$null", r.note("InternalTransportCertificateThumbprint")+": empty (event 12012 when the service starts)")
}
