package evidence_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/evidence"
	"github.com/hybridsim/hybridsim/fakeexo"
)

// A fake's object as `Get-InboundConnector | Format-List` prints it.
func ExampleFormatList() {
	fmt.Print(evidence.FormatList(fakeexo.InboundConnector{
		Name: "Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93", ConnectorType: fakeexo.OnPremises, ConnectorSource: "HybridWizard",
		SenderDomains: []string{"smtp:*;1"}, TlsSenderCertificateName: "*.contoso.com", RequireTls: true,
		CloudServicesMailEnabled: true, Enabled: true,
	}))
	// Output:
	//
	// Enabled                      : True
	// ConnectorType                : OnPremises
	// ConnectorSource              : HybridWizard
	// SenderIPAddresses            : {}
	// SenderDomains                : {smtp:*;1}
	// RequireTls                   : True
	// RestrictDomainsToIPAddresses : False
	// RestrictDomainsToCertificate : False
	// CloudServicesMailEnabled     : True
	// TreatMessagesAsInternal      : False
	// TlsSenderCertificateName     : *.contoso.com
	// Identity                     : Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93
	// Name                         : Inbound from 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93
}

// Evidence in, a lab file out: what was assumed is listed with it.
func ExampleImport() {
	res, err := evidence.Import(
		evidence.File{Name: "EXOAcceptedDomain.txt", Data: []byte(
			"\r\nDomainName : contoso.com\r\nDomainType : Authoritative\r\n\r\n" +
				"DomainName : contoso.mail.onmicrosoft.com\r\nDomainType : Authoritative\r\n")},
		evidence.File{Name: "OnPremTransport.txt", Data: []byte(
			"\r\nName                                   : EX01\r\n" +
				"InternalTransportCertificateThumbprint : 3C1E7A2B9D4F6E8A0B1C2D3E4F5A6B7C8D9E0F1A\r\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Config.EXO.Tenants[0].Name, res.Config.OnPrem.AcceptedDomains, res.Config.OnPrem.Servers[0].Name)
	for _, a := range res.Assumptions {
		fmt.Println("assumed:", a)
	}
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// contoso [contoso.com] EX01
	// assumed: the lab's clock starts at 2026-01-05T09:00:00Z (no Get-Date output and no certificate dates); add `Get-Date -Format o > Date.txt` to the evidence
	// assumed: server EX01's FQDN is ex01.contoso.com (the evidence names no FQDN for it)
	// assumed: server EX01 holds only setup's self-signed certificate (the evidence lists none of its certificates)
	// assumed: the on-premises organization accepts contoso.com (no on-premises Get-AcceptedDomain)
	// assumed: OnPremTransport.txt line 2 lacks MessageExpirationTimeOut, MessageRetryInterval, OutboundConnectionFailureRetryInterval, TransientFailureRetryCount, TransientFailureRetryInterval: the lab takes the cmdlet's defaults
	// assumed: server EX01 has a new server's default receive connectors (the evidence has none of its Get-ReceiveConnector output)
	// assumed: the organization has no send connectors (the evidence has no Get-SendConnector output)
	// assumed: the tenant's RejectDirectSend is $false, the default (the evidence has no Get-OrganizationConfig from Exchange Online)
	// assumed: the tenant has no inbound connectors (the evidence has no Get-InboundConnector output)
	// assumed: the tenant has no outbound connectors (the evidence has no Get-OutboundConnector output)
	// assumed: a partner on the internet (Fabrikam, as in the default lab) receives the internet probe; the domains both sides accept have their MX at Exchange Online
	// warning: OnPremTransport.txt line 2: InternalTransportCertificateThumbprint 3C1E7A2B9D4F6E8A0B1C2D3E4F5A6B7C8D9E0F1A names no certificate of EX01's store in the evidence; kept as is
}
