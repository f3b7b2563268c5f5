package sim

import (
	"net/netip"
	"testing"
	"time"
)

// twoFrontEnds is Contoso with a second Mailbox server, EX02, published
// under the same name as EX01 with the same certificate and connector.
const twoFrontEnds = `Base: default
OnPrem:
  Servers:
    - Name: EX02
      Fqdn: ex02.contoso.lab
      Role: Mailbox
      IPAddresses: [203.0.113.11]
      HostNames: [mail.contoso.com]
      Certificates:
        - Certificate: hybrid
          Services: IIS, SMTP
  ReceiveConnectors:
    - Server: EX02
      Name: Default Frontend EX02
      AuthMechanism: Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer
      PermissionGroups: AnonymousUsers, ExchangeServers, ExchangeLegacyServers
      TlsCertificateName: hybrid
      TlsDomainCapabilities: mail.protection.outlook.com:AcceptCloudServicesMail
`

// TestFailoverAcrossFrontEnds: one published name, two addresses (round
// robin: each lookup starts one further along); Exchange Online tries the
// first it is given and fails over to the other when its firewall
// refuses; with both refusing, the LED names the last address tried.
func TestFailoverAcrossFrontEnds(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte(twoFrontEnds))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	l.SetFirewall(netip.MustParseAddrPort("203.0.113.10:25"), Reject)
	id, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "failover")
	if err != nil {
		t.Fatal(err)
	}
	if !delivered(t, l, id) {
		t.Errorf("with EX01 refusing, the message was not delivered through EX02:\n%s", l.Trace(id))
	}
	l.SetFirewall(netip.MustParseAddrPort("203.0.113.11:25"), Reject)
	id, err = l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "both down")
	if err != nil {
		t.Fatal(err)
	}
	l.Advance(time.Minute)
	// The second lookup starts at EX02 (round robin), so EX01 is tried last.
	want := "450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049030]"
	if got := exoLastError(t, l); got != want {
		t.Errorf("both front ends refusing: LED\n got %s\nwant %s", got, want)
	}
}

// delivered reports whether a message is in a mailbox.
func delivered(t testing.TB, l *Lab, id string) bool {
	t.Helper()
	where, err := l.Whereabouts()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range where {
		if w.MessageID == id && w.Place == "mailbox" {
			return true
		}
	}
	return false
}

// TestFailoverAcrossSmartHosts: an outbound connector's smart hosts are
// tried in their order; the first refusing its connections, the second
// takes the message.
func TestFailoverAcrossSmartHosts(t *testing.T) {
	cfg, err := Parse("lab.yaml", []byte(twoFrontEnds+`EXO:
  Tenants:
    - Name: contoso
      OutboundConnectors:
        - Name: Outbound to 3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c7a4e93
          SmartHosts: [ex01.contoso.lab, ex02.contoso.lab]
          TlsDomain: mail.contoso.com
`))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	l.SetFirewall(netip.MustParseAddrPort("203.0.113.10:25"), Reject)
	id, err := l.Send("alice@contoso.com", []string{"bob@contoso.com"}, "second smart host")
	if err != nil {
		t.Fatal(err)
	}
	if !delivered(t, l, id) {
		t.Errorf("with ex01 refusing, the message did not go through ex02:\n%s", l.Trace(id))
	}
}
