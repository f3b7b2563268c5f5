package fakeexo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// The benchmarks report ratios against a baseline measured in the same run:
//
//	go test -run '^$' -bench . -count 6 ./fakeexo
//
// BenchmarkAttribution: one MAIL FROM and RCPT TO decision among 1,000
// tenants, each with an HCW certificate connector and an address connector,
// against a plain map lookup of the recipient domain among the same tenants'
// domains, timed in the same iterations ("x-map-lookup": how many lookups
// one decision costs). The
// certificate case includes EXO's chain check of the client's certificate
// (pki.CheckChain, RSA signatures).
//
// BenchmarkFrontDoor: eight clients at once each send one message on its own
// STARTTLS connection with a client certificate (the hybrid case), to the
// front door and to an internal/smtpd server with no policy beyond taking the
// message (same certificate, same client-certificate request, same lab
// network), rounds alternating which goes first; "ratio" is the front door's
// messages per second over the baseline's. b.Elapsed() times both (no wall
// clock is read outside the testing package).

// manyTenants returns 1,000 tenants: t0000 ... t0999, each accepting
// t<n>.example.lab, with the HCW's connector for *.t<n>.example.lab and an
// OnPremises connector for its own /24 in 10.0.0.0/8; contoso (the
// certificate of the pki's catalogue) is the 500th.
func manyTenants() []Tenant {
	var tenants []Tenant
	for i := range 1000 {
		if i == 500 {
			t := contoso()
			t.InboundConnectors = append(t.InboundConnectors, InboundConnector{Name: "On-premises relay", ConnectorType: OnPremises,
				SenderDomains: []string{"*"}, SenderIPAddresses: []string{"203.0.113.0/24"}, CloudServicesMailEnabled: true, Enabled: true})
			tenants = append(tenants, t)
			continue
		}
		name := fmt.Sprintf("t%04d", i)
		domain := name + ".example.lab"
		tenants = append(tenants, Tenant{
			Name:            name,
			AcceptedDomains: []AcceptedDomain{{DomainName: domain, DomainType: Authoritative}},
			Mailboxes:       []Mailbox{{Name: "User", PrimarySmtpAddress: "user@" + domain}},
			InboundConnectors: []InboundConnector{hcwInbound("*." + domain), {Name: "On-premises relay", ConnectorType: OnPremises,
				SenderDomains: []string{"*"}, SenderIPAddresses: []string{fmt.Sprintf("10.%d.%d.0/24", i/256, i%256)}, CloudServicesMailEnabled: true, Enabled: true}},
		})
	}
	return tenants
}

func BenchmarkAttribution(b *testing.B) {
	p, certs := labPKI(b)
	tenants := manyTenants()
	domains := map[string]*Tenant{}
	for i := range tenants {
		tenants[i] = tenantDefaults(tenants[i])
		if err := tenants[i].validate(); err != nil {
			b.Fatal(err)
		}
		for _, d := range tenants[i].AcceptedDomains {
			domains[d.DomainName] = &tenants[i]
		}
	}
	dir, err := newDirectory(tenants)
	if err != nil {
		b.Fatal(err)
	}
	check := func(chain []*x509.Certificate) pki.ChainStatus {
		return pki.CheckChain(chain[0], pki.ChainOptions{Presented: chain[1:], Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime})
	}
	cases := []struct {
		name string
		in   arrival
		rcpt string
	}{
		{name: "Certificate", in: arrival{source: onPremAddr, tls: true, chain: presented(certs[pki.Trusted]), mailFrom: "kate@contoso.com"}, rcpt: "bob@fabrikam.net"},
		{name: "Address", in: arrival{source: onPremAddr, mailFrom: "kate@contoso.com"}, rcpt: "bob@fabrikam.net"},
		{name: "Envelope", in: arrival{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.net"}, rcpt: "user@t0999.example.lab"},
	}
	const lookups = 1000 // map lookups per iteration, so that each is timed in bulk
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ours, baseline time.Duration
			found := 0
			for b.Loop() {
				start := b.Elapsed()
				at, refusal := attribute(dir, c.in, check)
				if refusal == nil {
					_, refusal = at.recipient(c.rcpt)
				}
				if refusal != nil {
					b.Fatalf("refused: %s", refusal)
				}
				mid := b.Elapsed()
				for range lookups {
					if domains[domainOf(c.rcpt)] != nil {
						found++
					}
				}
				ours, baseline = ours+mid-start, baseline+b.Elapsed()-mid
			}
			b.ReportMetric(float64(ours)/float64(b.N), "decision-ns")
			b.ReportMetric(float64(baseline)/float64(b.N*lookups), "lookup-ns")
			b.ReportMetric(float64(ours)*lookups/float64(baseline), "x-map-lookup")
		})
	}
}

func BenchmarkFrontDoor(b *testing.B) {
	const clients = 8
	lab := newLab(b, Config{})
	exo, err := lab.svc.cfg.Certificate.TLS()
	if err != nil {
		b.Fatal(err)
	}
	queued := smtpd.ExchangeOnline.QueuedReply("<bench@mail.contoso.com>", 1, "SIM1EUR01FT001.mail.protection.outlook.com")
	baselineAddr := netip.MustParseAddrPort("198.51.100.99:25")
	ln, err := lab.net.Listen(baselineAddr)
	if err != nil {
		b.Fatal(err)
	}
	baseline, err := smtpd.NewServer(smtpd.Config{Listener: ln, Hostname: "baseline.mail.protection.outlook.com", Dialect: &smtpd.ExchangeOnline,
		Clock: lab.clock, Policy: func(*smtpd.Session) smtpd.Hooks {
			return smtpd.Hooks{Certificate: &exo, ClientAuth: tls.RequestClientCert, Message: func(*smtpd.Message) smtpd.Reply { return queued }}
		}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { baseline.Close() })
	cfg := lab.clientTLS(pki.Trusted)
	message := "Subject: benchmark\r\n\r\n" + strings.Repeat("The quick brown fox jumps over the lazy dog, again and again.\r\n", 16)
	send := func(addr string) error {
		conn, err := lab.net.DialFrom(context.Background(), "mail.contoso.com", addr)
		if err != nil {
			return err
		}
		c, err := smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.SendMail("kate@contoso.com", []string{"adele@contoso.com"}, strings.NewReader(message)); err != nil {
			return err
		}
		return c.Quit()
	}
	round := func(b *testing.B, addr string) {
		errs := make(chan error, clients)
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() { errs <- send(addr) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	// Rounds alternate which server goes first; b.Elapsed() is the clock.
	var ours, theirs time.Duration
	rounds := 0
	for ; b.Loop(); rounds++ {
		first, second := &ours, &theirs
		firstAddr, secondAddr := routingMX+":25", baselineAddr.String()
		if rounds%2 == 1 {
			first, second, firstAddr, secondAddr = second, first, secondAddr, firstAddr
		}
		start := b.Elapsed()
		round(b, firstAddr)
		mid := b.Elapsed()
		round(b, secondAddr)
		*first, *second = *first+mid-start, *second+b.Elapsed()-mid
	}
	n := float64(rounds * clients)
	b.ReportMetric(n/ours.Seconds(), "frontdoor-msg/s")
	b.ReportMetric(n/theirs.Seconds(), "smtpd-msg/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "ratio")
}
