package fakeonprem

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/labnet"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

const (
	lrt0         = "1/5/2026 9:00:00 AM"
	failoverTail = `." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.`
)

// lastError is Get-Queue's LastError for a failure at the lab's start at EXO's MX.
func lastError(led string) string {
	return "[{LRT=" + lrt0 + "};{LED=" + led + "};{MSG=};{FQDN=" + exoMXHost + "};{IP=" + exoMXAddr + "}]"
}

// primaryTarget is the LED wrapping a reply of the next hop (S12).
func primaryTarget(reply string) string {
	return `451 4.4.0 Primary target IP address responded with: "` + reply + failoverTail
}

// hybridOrg is contoso with a store and the HCW's send connector naming tlsName on EX01.
func hybridOrg(tlsName string, store ...ExchangeCertificate) Config {
	cfg := contoso()
	cfg.Servers[0].Certificates = store
	cfg.SendConnectors = []SendConnector{HybridSendConnector(hybridGUID, routingDom, "mail.contoso.com", tlsName, "EX01")}
	return cfg
}

func queues(t testing.TB, o *Organization, server string) []Queue {
	t.Helper()
	q, err := o.GetQueue(server)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestStaleSendCertificateFixed is the issue's done-when: a stale TlsCertificateName on
// "Outbound to Office 365" leaves the message queued with 454 4.7.5 (F11) and no connection
// made; after Set-SendConnector -TlsCertificateName names the new certificate (S14's fix) and
// the retry, it is delivered, and the ledger shows every recipient in one place.
func TestStaleSendCertificateFixed(t *testing.T) {
	l := newLab(t)
	old := l.issue(pki.Request{Profile: pki.Trusted})
	renewed := l.issue(pki.Request{Profile: pki.RenewedNewIssuer})
	o := l.start(hybridOrg(old.TlsCertificateName().String(), ExchangeCertificate{Certificate: renewed, Services: SMTP}))
	e := l.startEXO(smtpd.Hooks{}, true)
	id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com", "alice@contoso.com"}, "renewal")
	if err != nil {
		t.Fatal(err)
	}
	runAll(t, o, e)

	led := "454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found."
	wantQueue := []Queue{{Identity: `EX01\1`, DeliveryType: "DnsConnectorDelivery", Status: "Retry", MessageCount: 1,
		NextHopDomain: routingDom, LastError: lastError(led), NextRetryTime: pki.DefaultTime.Add(10 * time.Minute)}}
	if diff := cmp.Diff(wantQueue, queues(t, o, "EX01")); diff != "" {
		t.Errorf("Get-Queue (-want +got):\n%s", diff)
	}
	if got := e.handshakes(); len(got) != 0 {
		t.Errorf("EXO saw %d connections, want none (F11 makes no connection)", len(got))
	}
	tracked, _ := o.GetMessageTrackingLog("EX01", id)
	var statuses []string
	for _, te := range tracked {
		statuses = append(statuses, te.EventId+" "+fmt.Sprint(te.Recipients)+" "+fmt.Sprint(te.RecipientStatus))
	}
	wantTracked := []string{"RECEIVE [bob@contoso.com alice@contoso.com] []", "AGENTINFO [bob@contoso.com alice@contoso.com] []",
		"SEND [alice@contoso.com] [250 2.1.5 Recipient OK]", "DELIVER [alice@contoso.com] []",
		"DEFER [bob@contoso.mail.onmicrosoft.com] [" + led + "]"}
	if diff := cmp.Diff(wantTracked, statuses); diff != "" {
		t.Errorf("message tracking (-want +got):\n%s", diff)
	}

	// The documented fix (S14), then the retry.
	if err := o.SetSendConnector(hybridName, func(c *SendConnector) {
		c.TlsCertificateName = renewed.TlsCertificateName().String()
	}); err != nil {
		t.Fatal(err)
	}
	next, ok := o.NextDue()
	if !ok || !next.Equal(pki.DefaultTime.Add(10*time.Minute)) {
		t.Fatalf("NextDue() = %v, %v, want the retry 10 minutes on", next, ok)
	}
	l.clock.set(next)
	runAll(t, o, e)
	wantQueue = []Queue{{Identity: `EX01\1`, DeliveryType: "DnsConnectorDelivery", Status: "Ready", NextHopDomain: routingDom}}
	if diff := cmp.Diff(wantQueue, queues(t, o, "EX01")); diff != "" {
		t.Errorf("Get-Queue after the fix (-want +got):\n%s", diff)
	}
	if msgs := e.messages(); len(msgs) != 1 || messageIDOf(msgs[0].Data) != id {
		t.Fatalf("EXO received %d messages, want the one message %s", len(msgs), id)
	}
	wantLedger := []LedgerEntry{
		{Server: "EX01", MessageID: id, Recipient: "bob@contoso.com", RoutedAs: "bob@" + routingDom, State: HandedOff,
			Host: exoMXHost, Reply: "250 2.6.0 " + id + " [InternalId=1, Hostname=" + exoMXHost + "] Queued mail for delivery"},
		{Server: "EX01", MessageID: id, Recipient: "alice@contoso.com", RoutedAs: "alice@contoso.com", State: InMailbox,
			Mailbox: "alice@contoso.com"},
	}
	if diff := cmp.Diff(wantLedger, o.Ledger()); diff != "" {
		t.Errorf("ledger (-want +got):\n%s", diff)
	}
}

// untrustedRootRefusal is the stand-in EXO's answer to a client certificate whose chain does
// not reach a root EXO trusts (S10).
var untrustedRootRefusal = smtpd.Reply{Code: 454, Enhanced: "4.7.0", Text: "Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"}

// The send log's records of current builds (real-artifacts §1.4, §1.7-§1.9), data|context.
const (
	permissions      = "SendRoutingHeaders|Set Session Permissions"
	sendingRecord    = "|sending message" // the test fills in RecordId and InternetMessageId
	negotiatedClient = "TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"
)

// oneRecord is a certificate's one-record data (§1.7).
func oneRecord(c *pki.Certificate) string {
	return " " + strings.Join([]string{c.Subject(), c.Issuer(), c.SerialNumber(), c.Thumbprint(), c.NotBefore().Format(certTime),
		c.NotAfter().Format(certTime), strings.Join(c.CertificateDomains(), ";")}, " ")
}

// TestSendFailures: each documented way "Outbound to Office 365" fails, with Get-Queue's
// LastError, the send log's information records and the events, whole.
func TestSendFailures(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	msRoot, _ := l.pki.Authority(pki.MicrosoftRootCA)
	block := func(cert *pki.Certificate) []string {
		return []string{oneRecord(cert) + "|" + smtpd.SendingCertificateRecord}
	}
	exo := l.pki.EXOCertificate()
	received := []string{"|" + negotiatedClient, oneRecord(exo) + "|" + smtpd.RemoteCertificateRecord}
	const connect = "|attempting to connect"
	tests := []struct {
		name      string
		cfg       func(cfg *Config)
		exoTLS    bool
		hooks     smtpd.Hooks
		firewall  labnet.Firewall
		lastError string
		info      []string // the send log's '*' records, data|context
		ack       string   // the SMTP response of event 2004, "" for no event
	}{
		{name: "CertificateNotFoundF11", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.newIssuer, Services: SMTP})
			},
			lastError: lastError("454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found.")},
		{name: "CertificateNotFoundC5Option", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.newIssuer, Services: SMTP})
				cfg.Options.LegacyNotFoundWording = true
			},
			lastError: lastError("454 4.7.5 The certificate specified in the tlscertificatename of the send connector could not be found.")},
		{name: "NoCredentialsF12", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.noKey.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.noKey, Services: SMTP})
			},
			lastError: lastError(primaryTarget("421 4.4.1 Connection timed out")),
			info:      append(append([]string{permissions, connect}, block(c.noKey)...), "|TLS negotiation failed with error NoCredentials")},
		{name: "UnknownCredentialsF13", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: IIS})
			},
			lastError: lastError(primaryTarget("421 4.4.1 Connection timed out")),
			info:      append(append([]string{permissions, connect}, block(c.trusted)...), "|TLS negotiation failed with error UnknownCredentials")},
		{name: "InternalCACertificateF14", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg("", ExchangeCertificate{Certificate: c.trusted, Services: SMTP}, ExchangeCertificate{Certificate: c.internalCA, Services: SMTP})
			},
			hooks:     exoRefusingUntrustedClients(l),
			lastError: lastError(primaryTarget(untrustedRootRefusal.String())),
			info:      append(append(append([]string{permissions, connect}, block(c.internalCA)...), received...), sendingRecord),
			ack:       untrustedRootRefusal.String()},
		{name: "EXORootNotTrustedF19", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
				cfg.Servers[0].TrustedRoots = without(l.pki.OnPremTrust().Roots, msRoot.Cert)
			},
			lastError: lastError("454 4.7.5 Certificate validation failure, reason:untrustedroot"),
			info:      append(append([]string{permissions, connect}, block(c.trusted)...), received...)},
		{name: "OpportunisticRefusedF20", exoTLS: false,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg("", ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
				cfg.SendConnectors[0].RequireTLS, cfg.SendConnectors[0].TlsAuthLevel = false, ""
			},
			hooks:     smtpd.Hooks{Mail: func(*smtpd.Message) *smtpd.Reply { return &smtpd.ExchangeOnline.Replies.MustStartTLS }},
			lastError: lastError(primaryTarget("451 5.7.3 Must issue a STARTTLS command first")),
			info:      []string{permissions, connect, sendingRecord}, ack: "451 5.7.3 Must issue a STARTTLS command first"},
		{name: "RequireTLSWithoutSTARTTLSC11", exoTLS: false,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
			},
			lastError: lastError(primaryTarget("451 5.7.3 STARTTLS is required to send mail")),
			info:      []string{permissions, connect}},
		{name: "ConnectionRefused", exoTLS: true, firewall: labnet.Reject,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
			},
			lastError: lastError(primaryTarget("421 4.2.1 Unable to connect")),
			info:      []string{permissions, connect, "|Failed to connect. Winsock error code: 10061, Win32 error code: 10061."}},
		{name: "DNSFailure", exoTLS: true,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
				cfg.RemoteMailboxes[0].RemoteRoutingAddress = "bob@tailspin.mail.onmicrosoft.com"
				cfg.SendConnectors[0].AddressSpaces = []string{"smtp:*.mail.onmicrosoft.com;1"}
			},
			lastError: "[{LRT=" + lrt0 + "};{LED=451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain};{MSG=};{FQDN=tailspin.mail.onmicrosoft.com};{IP=}]"},
		{name: "ConnectionTimedOut", exoTLS: true, firewall: labnet.Drop,
			cfg: func(cfg *Config) {
				*cfg = hybridOrg(c.trusted.TlsCertificateName().String(), ExchangeCertificate{Certificate: c.trusted, Services: SMTP})
			},
			lastError: lastError(primaryTarget("421 4.4.1 Connection timed out")),
			info:      []string{permissions, connect, "|Failed to connect. Winsock error code: 10060, Win32 error code: 10060."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			var cfg Config
			tt.cfg(&cfg)
			o := l.start(cfg)
			e := l.startEXO(tt.hooks, tt.exoTLS)
			if tt.firewall != labnet.Allow {
				l.net.SetFirewall(netip.MustParseAddrPort(exoMXAddr+":25"), tt.firewall)
			}
			id, err := o.Submit("alice@contoso.com", []string{"bob@contoso.com"}, "hybrid")
			if err != nil {
				t.Fatal(err)
			}
			runAll(t, o, e)
			q := queues(t, o, "EX01")
			if len(q) != 1 || q[0].LastError != tt.lastError || q[0].Status != "Retry" || q[0].MessageCount != 1 {
				t.Errorf("Get-Queue = %+v, want one message in Retry with LastError\n%s", q, tt.lastError)
			}
			info := slices.Clone(tt.info)
			if i := slices.Index(info, sendingRecord); i >= 0 {
				info[i] = fmt.Sprintf("|sending message with RecordId %d and InternetMessageId %s", firstInternalID(0)+1, id)
			}
			if diff := cmp.Diff(info, sendInfo(t, o, "EX01")); diff != "" {
				t.Errorf("send log '*' records (-want +got):\n%s", diff)
			}
			var want []Event
			if tt.ack != "" {
				want = []Event{{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com", Source: "MSExchangeTransport",
					EventID: 2004, TaskCategory: "SmtpSend", Level: "Information",
					Message: "Send connector " + hybridName + ": Message delivery was not successful. The message with message ID " +
						id + " was acknowledged with SMTP response " + tt.ack + "."}}
			}
			if diff := cmp.Diff(want, events(t, o, "EX01")); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// exoRefusingUntrustedClients is EXO's front door judging the client certificate with EXO's
// store (only what the client sent, S29): a chain to a root EXO does not trust gets S10's 454
// at MAIL.
func exoRefusingUntrustedClients(l *lab) smtpd.Hooks {
	var untrusted bool
	return smtpd.Hooks{
		Handshake: func(st *tls.ConnectionState, err error) *smtpd.Reply {
			if err == nil && len(st.PeerCertificates) > 0 {
				status := pki.CheckChain(st.PeerCertificates[0], pki.ChainOptions{Presented: st.PeerCertificates[1:],
					Store: l.pki.EXOTrust(), At: l.clock.Now()})
				untrusted = status&(pki.CertTrustIsUntrustedRoot|pki.CertTrustIsPartialChain) != 0
			}
			return nil
		},
		Mail: func(*smtpd.Message) *smtpd.Reply {
			if untrusted {
				return &untrustedRootRefusal
			}
			return nil
		},
	}
}

// sendInfo returns the '*' records of a server's send logs as data|context.
func sendInfo(t testing.TB, o *Organization, server string) []string {
	t.Helper()
	recs, err := o.ProtocolLog(server, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		if r.Event == '*' && r.ConnectorID == hybridName {
			out = append(out, r.Data+"|"+r.Context)
		}
	}
	return out
}

func without[T comparable](list []T, x T) []T {
	var out []T
	for _, v := range list {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}
