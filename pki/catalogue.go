package pki

// Catalogue returns one certificate of every profile, in Profiles order,
// each issued with the profile's defaults for mail.contoso.com (wild-card:
// *.contoso.com; wrong-host: mail.fabrikam.com; self-signed: server EX01,
// ex01.contoso.com). The first call issues them, signing on GOMAXPROCS
// workers after fixing every serial number and key in catalogue order, so
// the result does not depend on scheduling; later calls return the same
// certificates.
func (p *PKI) Catalogue() ([]*Certificate, error) {
	p.catalogueMu.Lock()
	defer p.catalogueMu.Unlock()
	if p.catalogue != nil {
		return append([]*Certificate(nil), p.catalogue...), nil
	}
	profiles := Profiles()
	prs := make([]*prepared, len(profiles))
	jobs := make([]*signJob, len(profiles))
	p.mu.Lock()
	next := p.keys
	p.mu.Unlock()
	warmKeys(next, len(profiles))
	p.mu.Lock()
	for i, profile := range profiles {
		pr, err := p.prepareRequest(Request{Profile: profile})
		if err != nil {
			p.mu.Unlock()
			return nil, err
		}
		prs[i], jobs[i] = pr, pr.job
	}
	p.mu.Unlock()
	if err := signAll(jobs); err != nil {
		return nil, err
	}
	certs := make([]*Certificate, len(prs))
	for i, pr := range prs {
		certs[i] = p.finish(pr)
	}
	p.catalogue = certs
	return append([]*Certificate(nil), certs...), nil
}
