package fakeexo_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/pki"
)

type stoppedClock struct{ t time.Time }

func (c stoppedClock) Now() time.Time { return c.t }

// A hybrid tenant as the HCW leaves it, on the lab's network: its front door
// names go into the lab's DNS, a cloud mailbox writes to an on-premises
// mailbox whose server is down, and the message trace shows the deferral in
// the documented form (§9, F10).
func ExampleNew() {
	network := labnet.NewNetwork()
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := fakeexo.New(fakeexo.Config{Tenants: []fakeexo.Tenant{{
		Name:            "contoso",
		AcceptedDomains: []fakeexo.AcceptedDomain{{DomainName: "contoso.com", DomainType: fakeexo.Authoritative}},
		Mailboxes:       []fakeexo.Mailbox{{Name: "Adele Vance", PrimarySmtpAddress: "adele@contoso.com"}},
		MailUsers:       []fakeexo.MailUser{{Name: "Kate Jones", PrimarySmtpAddress: "kate@contoso.com"}},
		OutboundConnectors: []fakeexo.OutboundConnector{{
			Name: "Outbound to 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", ConnectorType: fakeexo.OnPremises, ConnectorSource: "HybridWizard",
			RecipientDomains: []string{"contoso.com"}, SmartHosts: []string{"mail.contoso.com"},
			TlsSettings: fakeexo.DomainValidation, TlsDomain: "mail.contoso.com", CloudServicesMailEnabled: true, Enabled: true,
		}},
	}}}, network, stoppedClock{pki.DefaultTime}, p)
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	for _, e := range svc.Endpoints() {
		network.AddHost(e.Host, e.Address.Addr())
		fmt.Println(e.Role, e.Host, e.Address)
	}
	network.AddHost("mail.contoso.com", netip.MustParseAddr("203.0.113.10")) // nothing listens there

	if _, err := svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "Hello"); err != nil {
		log.Fatal(err)
	}
	svc.RunDue(context.Background())
	org, err := svc.Organization("contoso")
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range org.GetMessageTrace() {
		fmt.Println(row.RecipientAddress, row.Status)
		details, err := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
		if err != nil {
			log.Fatal(err)
		}
		for _, d := range details {
			fmt.Println(" ", d.Event, d.Detail)
		}
	}
	// Output:
	// FrontDoor SIM1EUR01FT001.mail.protection.outlook.com 198.51.100.25:25
	// FrontDoor contoso-com.mail.protection.outlook.com 198.51.100.25:25
	// FrontDoor contoso-onmicrosoft-com.mail.protection.outlook.com 198.51.100.25:25
	// FrontDoor contoso-mail-onmicrosoft-com.mail.protection.outlook.com 198.51.100.25:25
	// Outbound NAM99-SIM1-obe.outbound.protection.outlook.com 198.51.100.50:0
	// kate@contoso.com Pending
	//   RECEIVE Message submitted by: adele@contoso.com
	//   DEFER Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};{MSG=Socket error code 10061};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com
}
