package scenarios

import (
	"context"
	"fmt"

	"github.com/hybridsim/hybridsim/fakeexo"
)

// exoOutbound is EXO's outbound connector to on-premises, as the hybrid
// configuration wizard names it.
const exoOutbound = "Outbound to <GUID>"

// connectorValidation are the failures the EAC's connector validation shows.
func connectorValidation() []Entry {
	return []Entry{
		{
			ID: "F29", Slug: "validate-disabled-connector",
			Title:   "the outbound connector to on-premises was saved disabled: validating it fails for every recipient",
			Sources: []string{"S42 (KB 3179588)"}, Tag: "DOC", Direction: Config,
			Labels:   []string{AreaValidation},
			Break:    []Step{setOutboundConnector("-Enabled $false", func(c *fakeexo.OutboundConnector) { c.Enabled = false })},
			Observe:  []Step{validateOutboundConnector(bob)},
			Symptoms: []Symptom{{Where: ValidateConnector, Want: literal(validateDisabled)}},
			Fix:      []Step{setOutboundConnector("-Enabled $true", func(c *fakeexo.OutboundConnector) { c.Enabled = true })},
		},
	}
}

// setOutboundConnector is Set-OutboundConnector on EXO's "Outbound to <GUID>".
func setOutboundConnector(params string, edit func(*fakeexo.OutboundConnector)) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Set-OutboundConnector %q %s", exoOutbound, params),
		Do: func(r *Run) error {
			org, name, err := r.exoOutboundConnector()
			if err != nil {
				return err
			}
			return org.SetOutboundConnector(name, edit)
		},
	}
}

// validateOutboundConnector is Validate-OutboundConnector (the EAC's
// "Validate this connector"), whose results the run keeps.
func validateOutboundConnector(recipient string) Step {
	return Step{
		Cmdlet: fmt.Sprintf("Validate-OutboundConnector %q -Recipients %s", exoOutbound, recipient),
		Do: func(r *Run) error {
			org, name, err := r.exoOutboundConnector()
			if err != nil {
				return err
			}
			results, err := org.ValidateOutboundConnector(context.Background(), name, recipient)
			if err != nil {
				return err
			}
			for _, res := range results {
				fmt.Fprintf(&r.log, "  %s: %s\n", res.Recipient, res.Status)
				if res.Details != "" {
					fmt.Fprintf(&r.log, "  %s\n", res.Details)
					r.validated = append(r.validated, res.Details)
				}
			}
			return nil
		},
	}
}

// exoOutboundConnector finds the tenant's outbound connector to on-premises.
func (r *Run) exoOutboundConnector() (*fakeexo.Organization, string, error) {
	org, err := r.Lab.EXO.Organization(tenant)
	if err != nil {
		return nil, "", err
	}
	all, err := org.GetOutboundConnector("")
	if err != nil {
		return nil, "", err
	}
	for _, c := range all {
		if c.ConnectorType == fakeexo.OnPremises {
			return org, c.Name, nil
		}
	}
	return nil, "", fmt.Errorf("tenant %s has no OnPremises outbound connector", tenant)
}

// observeAgain runs the entry's Observe steps after the fix and reports
// whether none of its symptoms shows any more.
func (r *Run) observeAgain() (bool, error) {
	if len(r.Entry.Observe) == 0 {
		return true, nil
	}
	r.validated, r.refusals = nil, nil
	r.section("observed again after the fix")
	if err := r.steps(r.Entry.Observe); err != nil {
		return false, err
	}
	for _, s := range r.Entry.Symptoms {
		for _, text := range r.observe(s.Where) {
			if s.Want.Matches(text) {
				return false, nil
			}
		}
	}
	return true, nil
}
