package fakeonprem_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/pki"
)

// stoppedClock is a virtual clock that does not move.
type stoppedClock time.Time

func (c stoppedClock) Now() time.Time { return time.Time(c) }

// Example reproduces F11: the hybrid send connector still names the certificate that was
// renewed with a new issuer, so the message waits in the queue with 454 4.7.5 (S14).
func Example() {
	p, _ := pki.New(pki.Options{At: pki.DefaultTime})
	old, _ := p.Issue(pki.Request{Profile: pki.Trusted})
	renewed, _ := p.Issue(pki.Request{Profile: pki.RenewedNewIssuer})

	network := labnet.NewNetwork()
	network.AddHost("contoso-mail-onmicrosoft-com.mail.protection.outlook.com", netip.MustParseAddr("198.51.100.10"))
	network.AddMX("contoso.mail.onmicrosoft.com", 0, "contoso-mail-onmicrosoft-com.mail.protection.outlook.com")

	org, err := fakeonprem.New(fakeonprem.Config{
		Name:            "Contoso",
		AcceptedDomains: []string{"contoso.com"},
		Servers: []fakeonprem.Server{{Name: "EX01", IPAddresses: []netip.Addr{netip.MustParseAddr("203.0.113.10")},
			Certificates: []fakeonprem.ExchangeCertificate{{Certificate: renewed, Services: fakeonprem.SMTP}}}},
		SendConnectors: []fakeonprem.SendConnector{fakeonprem.HybridSendConnector("eeebbbe0-5bab-442c-bdd6-24c37abf9f20",
			"contoso.mail.onmicrosoft.com", "mail.contoso.com", old.TlsCertificateName().String(), "EX01")},
		Mailboxes: []fakeonprem.Mailbox{{Name: "Alice", PrimarySmtpAddress: "alice@contoso.com"}},
		RemoteMailboxes: []fakeonprem.RemoteMailbox{{Name: "Bob", PrimarySmtpAddress: "bob@contoso.com",
			RemoteRoutingAddress: "bob@contoso.mail.onmicrosoft.com"}},
	}, network, stoppedClock(pki.DefaultTime), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer org.Close()

	org.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "hello")
	org.RunDue(context.Background())
	queues, _ := org.GetQueue("EX01")
	fmt.Println(queues[0].Identity, queues[0].Status, queues[0].MessageCount)
	fmt.Println(queues[0].LastError)
	// Output:
	// EX01\1 Retry 1
	// [{LRT=1/5/2026 9:00:00 AM};{LED=454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found.};{MSG=};{FQDN=contoso-mail-onmicrosoft-com.mail.protection.outlook.com};{IP=198.51.100.10}]
}
