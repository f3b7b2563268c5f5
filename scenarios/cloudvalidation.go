package scenarios

import (
	"fmt"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// toInternetViaOnPrem is the probe for mail from a cloud mailbox to the
// internet when the tenant routes all its mail through on-premises
// (centralized mail transport).
var toInternetViaOnPrem = Probe{From: alice, To: []string{carol}, Subject: "From the cloud to the internet through on-premises"}

// legacyCapability is the TlsDomainCapabilities of a hybrid set up before
// Exchange Online's certificate changed on 2016-04-15 (S13): the domain
// part names the old certificate by issuer and subject (INFER from S13,
// which truncates it after the issuer; the subject is this project's).
const legacyCapability = "<I>CN=MSIT Machine Auth CA 2, DC=Redmond, DC=corp, DC=microsoft, DC=com<S>CN=mail.messaging.microsoft.com:AcceptCloudServicesMail"

// centralized turns on centralized mail transport: EXO's outbound connector
// to on-premises takes all the tenant's mail (RouteAllMessagesViaOnPremises).
func centralized(cfg *sim.Config) {
	t := &cfg.EXO.Tenants[0]
	for i := range t.OutboundConnectors {
		if t.OutboundConnectors[i].ConnectorType == fakeexo.OnPremises {
			t.OutboundConnectors[i].RouteAllMessagesViaOnPremises = true
		}
	}
}

// cloudValidation are the failures of the hybrid server validating
// Exchange Online's certificate (TlsDomainCapabilities, §1 and §7).
func cloudValidation() []Entry {
	return []Entry{
		{
			ID: "F07", Slug: "exo-certificate-not-validated-on-premises",
			Title:   "the hybrid server cannot validate Exchange Online's certificate (its root store is out of date) while TlsDomainCapabilities requires validation",
			Sources: []string{"S40 (thecloudtechnologist.com)"}, Tag: "DOC-3P", Direction: EXOToOnPrem,
			Labels: []string{AreaReceiveConnector, AreaCertificate},
			Break:  []Step{removeRoot(hybridServer, pki.MicrosoftRootCA)},
			Probe:  toOnPrem,
			Symptoms: []Symptom{
				{Where: ReceiveLog, Want: literal(">," + certificateValidationFailure + ",")},
				{Where: MessageTrace, Want: exoDeferral(fmt.Sprintf(ledRemoteRefused, certificateValidationFailure), nil, certificateValidationFailure),
					Infer: "the LED's code and text around the remote's reply are the project's (§9); the reply is the source's"},
			},
			Fix: []Step{importRoot(hybridServer, pki.MicrosoftRootCA)},
		},
		{
			ID: "F08", Slug: "stale-tlsdomaincapabilities",
			Title:   "the receive connector's TlsDomainCapabilities still names Exchange Online's old certificate: EXO's mail is anonymous, and mail routed through on-premises to the internet is not relayed",
			Sources: []string{"S13 (KB 3156771)"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{KB3156771, AreaReceiveConnector},
			Lab:    centralized,
			Break: []Step{setReceiveConnector(frontend, `-TlsDomainCapabilities "`+legacyCapability+`"`, func(_ *Run, c *fakeonprem.ReceiveConnector) {
				c.TlsDomainCapabilities = []string{legacyCapability}
			})},
			// S13's other symptom, the deferral "451 4.7.0 Temporary server
			// error. Please try again later. PRX5", comes from the Frontend's
			// proxy to a Mailbox server, which the lab does not model.
			Probe: toInternetViaOnPrem,
			Symptoms: []Symptom{
				{Where: ReceiveLog, Want: literal(">," + unableToRelay + ",")},
				{Where: NDR, Want: literal("Remote Server returned '" + unableToRelay + "'"),
					Infer: "S13 gives the reply in the NDR; the line around it is fakeexo's NDR form"},
			},
			Fix: []Step{setReceiveConnector(frontend, "-TlsDomainCapabilities mail.protection.outlook.com:AcceptCloudServicesMail", func(_ *Run, c *fakeonprem.ReceiveConnector) {
				c.TlsDomainCapabilities = []string{"mail.protection.outlook.com:AcceptCloudServicesMail"}
			})},
			Undelivered: []string{carol},
		},
	}
}
