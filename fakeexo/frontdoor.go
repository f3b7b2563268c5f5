package fakeexo

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// frontDoor is one front-door session: the transaction's attribution and
// where each accepted recipient goes.
type frontDoor struct {
	svc    *Service
	sess   *smtpd.Session
	source netip.Addr
	att    *attribution
	plans  []*plan // one per accepted RCPT TO, in order
	slot   int     // the transaction's verdict slot
}

// policy decides a front-door session at connect time: EXO's certificate
// for STARTTLS unless the source is withheld (F20), a client certificate
// requested but not verified by crypto/tls (attribution checks it with
// pki.CheckChain against EXO's store, at the lab's time), and the hooks.
func (s *Service) policy(sess *smtpd.Session) smtpd.Hooks {
	f := &frontDoor{svc: s, sess: sess, source: addrOf(sess.RemoteAddr())}
	h := smtpd.Hooks{ClientAuth: tls.RequestClientCert, Handshake: f.handshake, Mail: f.mail, Rcpt: f.rcpt, Message: f.message,
		StartTLS: func() {
			c, _ := s.presented()
			smtpd.LogCertificateRecord(f.sess.Info, c, smtpd.SendingCertificateRecord)
		},
		TLSConfig: frontDoorTLS}
	if !s.isWithheld(f.source) {
		_, h.Certificate = s.presented()
	}
	return h
}

// handshake logs the certificate the front door sent and the one it
// received (§10).
func (f *frontDoor) handshake(st *tls.ConnectionState, err error) *smtpd.Reply {
	if err != nil {
		return nil
	}
	f.sess.Info("", smtpd.TLSNegotiated(st, true))
	if len(st.PeerCertificates) > 0 {
		smtpd.LogCertificateRecord(f.sess.Info, &pki.Certificate{Leaf: st.PeerCertificates[0]}, smtpd.RemoteCertificateRecord)
	}
	return nil
}

// mail attributes the transaction (§7).
func (f *frontDoor) mail(m *smtpd.Message) *smtpd.Reply {
	in := arrival{sessionID: f.sess.ID(), source: f.source, mailFrom: m.From, now: f.svc.clock.Now(), hostname: f.svc.cfg.Hostname,
		onPremises: func(t *tenant) bool { return f.svc.onPremisesHost(t, f.source) }}
	if st := f.sess.TLS(); st != nil {
		in.tls, in.chain = true, st.PeerCertificates
	}
	at, refusal := attribute(f.svc.dir.Load(), in, f.svc.checkChain)
	f.att, f.plans = at, nil
	f.slot = f.svc.recordVerdict(-1, at.verdict)
	return refusal
}

// rcpt decides one recipient.
func (f *frontDoor) rcpt(_ *smtpd.Message, to smtpd.Recipient) *smtpd.Reply {
	p, refusal := f.att.recipient(to.Address)
	f.svc.recordVerdict(f.slot, f.att.verdict)
	if refusal == nil {
		f.plans = append(f.plans, p)
	}
	return refusal
}

// message persists the message for every recipient before the 250 goes out.
func (f *frontDoor) message(m *smtpd.Message) smtpd.Reply {
	detail := fmt.Sprintf(detailReceived, f.svc.mailboxHost())
	if st := f.sess.TLS(); st != nil {
		detail = fmt.Sprintf(detailReceivedTLS, f.svc.mailboxHost(), tlsDetail(st.Version, st.CipherSuite))
	}
	return f.svc.receive(incoming{from: m.From, data: m.Data, sessionID: f.sess.ID(), fromIP: f.source.String(), detail: detail,
		elapsed: m.Elapsed}, f.plans)
}

// checkChain judges a client's chain as EXO does (S29): the presented
// certificates only, EXO's roots, the lab's CRLs, the clock's time.
func (s *Service) checkChain(chain []*x509.Certificate) pki.ChainStatus {
	return pki.CheckChain(chain[0], pki.ChainOptions{Presented: chain[1:], Store: *s.cfg.Trust, Revocation: s.pki, At: s.clock.Now()})
}

// addrOf returns the IP of a connection's address.
func addrOf(a net.Addr) netip.Addr {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr()
	}
	return netip.Addr{}
}
