package fakeonprem

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/pki"
)

// The receive protocol log's records beyond the engine's (real-artifacts §1.4-§1.8), as the
// server's build writes them.

// logSentCertificate writes the certificate a session presents: one record on current
// builds (§1.7), the six-record block on older ones (S32's 2017 sample).
func (s *server) logSentCertificate(info func(data, context string), c *pki.Certificate) {
	if s.build.oneRecordCertificate() {
		smtpd.LogCertificateRecord(info, c, smtpd.SendingCertificateRecord)
		return
	}
	smtpd.LogCertificate(info, c)
}

// logRemoteCertificate writes the peer's certificate: one `Remote certificate ...` record
// on current builds (§1.8, INFER by analogy), `Received certificate` and its thumbprint on
// older ones (§1.8's 2019 sample).
func (s *server) logRemoteCertificate(info func(data, context string), peer *x509.Certificate) {
	if s.build.oneRecordCertificate() {
		smtpd.LogCertificateRecord(info, &pki.Certificate{Leaf: peer}, smtpd.RemoteCertificateRecord)
		return
	}
	info("", logReceivedCertificate)
	info(pki.Thumbprint(peer), smtpd.CertificateThumbprint)
}

// logNegotiated writes the handshake record (§1.7) of a completed handshake.
func logNegotiated(info func(data, context string), state *tls.ConnectionState, server bool) {
	info("", smtpd.TLSNegotiated(state, server))
}

// logTLSStatus writes, after the first EHLO under STARTTLS and before its 250, the client
// certificate's chain status and the TlsDomainCapabilities verdict (§1.7). The values for a
// session without a certificate are the sample's; the others are INFER (§6.3).
func (st *session) logTLSStatus() {
	if st.statusLogged || st.sess.TLS() == nil || st.sess.AnonymousTLS() {
		return
	}
	st.statusLogged = true
	chain, caps := chainEmptyCertificate, fmt.Sprintf(logTlsDomainCapabilities, "None", "NoRemoteCertificate")
	switch {
	case len(st.sess.TLS().PeerCertificates) == 0:
	case st.claimFailed:
		chain, caps = st.chainStatus, fmt.Sprintf(logTlsDomainCapabilities, "None", "CertificateValidationFailure")
	case st.granted:
		chain, caps = chainValid, fmt.Sprintf(logTlsDomainCapabilities, "AcceptCloudServicesMail", "Success")+fmt.Sprintf(logTlsDomain, st.grantedDomain)
	default:
		chain, caps = st.chainStatus, fmt.Sprintf(logTlsDomainCapabilities, "None", "NoMatchingDomain")
	}
	st.sess.Info("", fmt.Sprintf(logChainValidation, chain))
	st.sess.Info("", caps)
}

// logReceiving writes what a real log shows when MAIL FROM is accepted: the session's
// permissions (§1.4; INFER that every session writes it there, §6.1) and `receiving message`
// with `<session id>;<connect time>;<n>` (§1.6).
func (st *session) logReceiving() {
	st.messages++
	st.sess.Info(st.permissions(), logSetSessionPermissions)
	st.sess.Info(st.sourceContext(), logReceivingMessage)
}

// sourceContext is the session's current message as `<session id>;<connect time>;<n>`.
func (st *session) sourceContext() string {
	return fmt.Sprintf("%s;%s;%d", st.sess.ID(), st.sess.ConnectTime().UTC().Format(logTimeLayout), st.messages)
}

// permissions are the session's permissions as the log names them: the sample's for an
// anonymous session (AnonymousUsers' four, QA-179653); INFER for partners and Exchange
// servers.
func (st *session) permissions() string {
	switch {
	case st.exchange:
		return permissionsExchangeServer
	case st.granted:
		return permissionsPartner
	}
	return permissionsAnonymous
}

// logProxyDestination writes the Front End's proxy record after the body (§1.6), with a
// correlation GUID derived from the session and message number.
func (st *session) logProxyDestination() {
	if st.cfg.TransportRole != frontendTransport {
		return
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %d correlation", st.sess.ID(), st.messages))
	guid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	st.sess.Info("", logProxyDestination+guid)
}

// chainStatusName is the chain status the log names for a pki status (INFER: Exchange's
// ChainValidityStatus names).
func chainStatusName(st pki.ChainStatus) string {
	switch {
	case st == pki.CertTrustNoError:
		return chainValid
	case st&pki.CertTrustIsRevoked != 0:
		return "Revoked"
	case st&pki.CertTrustIsNotTimeValid != 0:
		return "Expired"
	case st&(pki.CertTrustIsUntrustedRoot|pki.CertTrustIsPartialChain) != 0:
		return "UntrustedRoot"
	}
	return "InvalidChain"
}
