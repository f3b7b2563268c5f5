package fakeonprem

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// Re-run: go test ./fakeonprem -run '^$' -bench . -count 6 (medians: doc.go of the report).

var (
	bigStoreOnce sync.Once
	bigStore     []ExchangeCertificate
)

// thousandCertificates is a store of 1,000 CA-issued certificates: 990 for distinct hosts and
// ten renewals of mail.contoso.com, spread through the store.
func thousandCertificates(b *testing.B, l *lab) []ExchangeCertificate {
	bigStoreOnce.Do(func() {
		for i := range 1000 {
			req := pki.Request{Profile: pki.Trusted, Subject: fmt.Sprintf("CN=host%04d.contoso.com", i),
				DNSNames: []string{fmt.Sprintf("host%04d.contoso.com", i)}}
			if i%100 == 50 {
				req = pki.Request{Profile: pki.Trusted, NotBefore: pki.DefaultTime.AddDate(0, 0, -300+i/10)}
			}
			bigStore = append(bigStore, ExchangeCertificate{Certificate: l.issue(req), Services: SMTP})
		}
	})
	return bigStore
}

// BenchmarkSelection: inbound STARTTLS selection by FQDN over a store of 1,000 certificates
// (ten match: eligibility, newest NotBefore first, the first whose chain this server
// validates), against the baseline "linear": every certificate naming the FQDN, found by
// plain matching without eligibility, ordering or chain checks, measured in the same run. Metric x-linear: selection's time per operation
// over the baseline's.
func BenchmarkSelection(b *testing.B) {
	l := newLab(b)
	cfg := contoso()
	cfg.Servers[0].Certificates = thousandCertificates(b, l)
	o := l.start(cfg)
	s := o.servers[0]
	q := query{fqdn: "mail.contoso.com"}
	var baseline float64 // ns per operation of the linear match
	b.Run("linear", func(b *testing.B) {
		var matches []*ExchangeCertificate
		for b.Loop() {
			matches = matches[:0]
			for _, e := range s.store {
				if q.matches(e.Certificate.Leaf) {
					matches = append(matches, e)
				}
			}
		}
		if len(matches) != 10 {
			b.Fatalf("the linear match found %d certificates, want the 10 renewals", len(matches))
		}
		baseline = nsPerOp(b)
	})
	b.Run("selection", func(b *testing.B) {
		var chosen *ExchangeCertificate
		for b.Loop() {
			o.mu.Lock()
			chosen = selectInbound(s.store, q, o.rules(), s.validPKI)
			o.mu.Unlock()
		}
		if chosen == nil || chosen.Certificate.NotBefore() != pki.DefaultTime.AddDate(0, 0, -300+95) {
			b.Fatalf("selection chose %v, want the newest renewal", chosen)
		}
		b.ReportMetric(nsPerOp(b)/baseline, "x-linear")
	})
}

// nsPerOp is a (sub-)benchmark's measured time per operation, once its loop is done.
func nsPerOp(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }

// BenchmarkReceive: messages a receive connector (the Default Frontend, with its certificate
// selection, policy, categorizer and logs) accepts per second from go-smtp clients, one
// STARTTLS connection per message, against the baseline "smtpd": internal/smtpd with no
// policy beyond taking the message, same certificate, same client, measured in the same run.
// Metrics msg/s and x-smtpd (fakeonprem's rate over smtpd's).
func BenchmarkReceive(b *testing.B) {
	l := newLab(b)
	o := l.start(contoso())
	store, _ := o.GetExchangeCertificate("EX01", "")
	cert, err := store[0].Certificate.TLS()
	if err != nil {
		b.Fatal(err)
	}
	ln, err := l.net.Listen(netip.MustParseAddrPort(ex02Addr + ":25"))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := smtpd.NewServer(smtpd.Config{Listener: ln, Hostname: "ex02.contoso.com", Clock: l.clock,
		Policy: func(*smtpd.Session) smtpd.Hooks {
			return smtpd.Hooks{Certificate: &cert, Message: func(m *smtpd.Message) smtpd.Reply {
				return smtpd.ExchangeServer.QueuedReply("<bench@contoso.com>", 1, "ex02.contoso.com")
			}}
		}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { plain.Close() })
	send := func(b *testing.B, addr string) {
		conn, err := l.net.DialFrom(context.Background(), exoOutHost, addr)
		if err != nil {
			b.Fatal(err)
		}
		c, err := smtp.NewClientStartTLS(conn, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Hello(exoOutHost); err != nil {
			b.Fatal(err)
		}
		if err := sendOne(c, "carol@contoso.com", "alice@contoso.com", "Subject: bench\r\n\r\nhello\r\n"); err != nil {
			b.Fatal(err)
		}
	}
	var baseline float64 // ns per message of internal/smtpd alone
	b.Run("smtpd", func(b *testing.B) {
		for b.Loop() {
			send(b, "ex02.contoso.com:25")
		}
		baseline = nsPerOp(b)
		b.ReportMetric(1e9/baseline, "msg/s")
	})
	b.Run("fakeonprem", func(b *testing.B) {
		for b.Loop() {
			send(b, frontend)
		}
		b.ReportMetric(1e9/nsPerOp(b), "msg/s")
		b.ReportMetric(baseline/nsPerOp(b), "x-smtpd")
	})
}
