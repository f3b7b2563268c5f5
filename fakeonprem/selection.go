package fakeonprem

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// This file holds the certificate selection rules of doc.go as pure functions of a store, a
// query and the server's judgement of each chain: inbound STARTTLS (§1, S1), outbound
// STARTTLS (§2) and the internal transport certificate of anonymous TLS (§3).

// query is what a connector looks for: a TlsCertificateName, or else an FQDN.
type query struct {
	name *pki.TlsCertificateName // the TlsCertificateName path when set
	fqdn string                  // the FQDN path otherwise
}

// String is the name event 12014 reports: the "<I>...<S>..." value (S9) or the FQDN (S8).
func (q query) String() string {
	if q.name != nil {
		return q.name.String()
	}
	return q.fqdn
}

// matches reports whether a certificate answers the query: same issuer and subject for a
// TlsCertificateName (pki.TlsCertificateName.Matches), the subject CN or a SAN for an FQDN,
// a wildcard covering exactly one label (pki.NameMatches, S18).
func (q query) matches(c *x509.Certificate) bool {
	if q.name != nil {
		return q.name.Matches(c)
	}
	return pki.CertificateMatches(c, q.fqdn, false)
}

// rules are the options that change selection (C1, C2).
type rules struct {
	tieBreak TieBreak
	smtp     SMTPEligibility
}

// checksSMTP reports whether the query's path requires the SMTP service (C1).
func (r rules) checksSMTP(q query) bool {
	switch r.smtp {
	case SMTPEligibilityAlways:
		return true
	case SMTPEligibilityNever:
		return false
	}
	return q.name == nil
}

// byNotAfter reports whether the query's path orders by newest NotAfter (else NotBefore).
func (r rules) byNotAfter(q query) bool {
	switch r.tieBreak {
	case TieBreakNotAfter:
		return true
	case TieBreakNotBefore:
		return false
	}
	return q.name != nil
}

// judge tells whether a store entry is a "valid PKI certificate" on this server: CA-issued,
// its chain built on this server to a root the server trusts, not revoked (S1 step 9b; time
// validity is step 9d's).
type judge func(*ExchangeCertificate) bool

// ordered returns the store's entries that match q, in selection order: the eligible ones
// (private key; SMTP too under C1's option) sorted newest first by the path's date (stable, so
// the store's order breaks ties), valid PKI certificates first, then self-signed ones, then
// the rest; the ineligible last. The first is the one selection takes iff selectable says so.
// Get-ExchangeCertificate -DomainName lists this order (S16 example 4).
func ordered(store []*ExchangeCertificate, q query, r rules, valid judge) (list []*ExchangeCertificate, selectable bool) {
	var pkiValid, selfSigned, rest []*ExchangeCertificate
	for _, e := range matching(store, q, r) {
		switch {
		case !r.eligible(e, q):
			rest = append(rest, e)
		case e.Certificate.IsSelfSigned():
			selfSigned = append(selfSigned, e)
		case valid(e):
			pkiValid = append(pkiValid, e)
		default:
			rest = append(rest, e)
		}
	}
	selectable = len(pkiValid)+len(selfSigned) > 0
	return slices.Concat(pkiValid, selfSigned, rest), selectable
}

// matching returns the store's entries that match q, newest first by the path's date; the
// sort is stable, so the store's order breaks ties.
func matching(store []*ExchangeCertificate, q query, r rules) []*ExchangeCertificate {
	var cands []*ExchangeCertificate
	for _, e := range store {
		if q.matches(e.Certificate.Leaf) {
			cands = append(cands, e)
		}
	}
	date := func(e *ExchangeCertificate) time.Time {
		if r.byNotAfter(q) {
			return e.Certificate.NotAfter()
		}
		return e.Certificate.NotBefore()
	}
	slices.SortStableFunc(cands, func(a, b *ExchangeCertificate) int { return date(b).Compare(date(a)) })
	return cands
}

// eligible is S1 step 7: a private key, and the SMTP service where the path checks it (C1).
func (r rules) eligible(e *ExchangeCertificate, q query) bool {
	return e.Certificate.HasPrivateKey() && (!r.checksSMTP(q) || e.Services&SMTP != 0)
}

// selectInbound is inbound STARTTLS selection (S1 steps 3-9): the certificate to offer, or
// nil (no STARTTLS, event 12014). It judges the candidates in order and stops at the first
// valid PKI certificate: the same choice as ordered's first, with fewer chain checks.
func selectInbound(store []*ExchangeCertificate, q query, r rules, valid judge) *ExchangeCertificate {
	var selfSigned *ExchangeCertificate
	for _, e := range matching(store, q, r) {
		switch {
		case !r.eligible(e, q):
		case e.Certificate.IsSelfSigned():
			if selfSigned == nil {
				selfSigned = e
			}
		case valid(e):
			return e
		}
	}
	return selfSigned
}

// credentials is how a selected certificate fails when Schannel acquires it (§2).
type credentials int

const (
	credentialsOK      credentials = iota
	credentialsMissing             // F11: TlsCertificateName matches nothing usable: 454 4.7.5
	credentialsNoKey               // F12: no private key: NoCredentials (S11)
	credentialsNoSMTP              // F13: not enabled for SMTP: UnknownCredentials (S12)
)

// selectOutbound is outbound STARTTLS selection (§2). TlsCertificateName path: the newest
// match (NotAfter under the default tie-break, C2) that is valid on this server (a valid PKI
// certificate or a self-signed one), whether or not it has its key; none is F11 (S14: "or the
// matching certificate is invalid"); the chosen one without its key is F12, without SMTP F13
// (when C1's reading checks SMTP on this path, a certificate without SMTP does not match: F11).
// FQDN path (INFER, S16 example 4): inbound selection; nil is no client certificate, and one
// without SMTP (under C1's Never reading) fails as F13 does.
func selectOutbound(store []*ExchangeCertificate, q query, r rules, valid judge) (*ExchangeCertificate, credentials) {
	if q.name == nil {
		e := selectInbound(store, q, r, valid)
		if e != nil && e.Services&SMTP == 0 {
			return e, credentialsNoSMTP
		}
		return e, credentialsOK
	}
	for _, e := range matching(store, q, r) {
		if r.checksSMTP(q) && e.Services&SMTP == 0 {
			continue
		}
		if !e.Certificate.IsSelfSigned() && !valid(e) {
			continue
		}
		switch {
		case !e.Certificate.HasPrivateKey():
			return e, credentialsNoKey
		case e.Services&SMTP == 0:
			return e, credentialsNoSMTP
		}
		return e, credentialsOK
	}
	return nil, credentialsMissing
}

// internalStatus is what loading the internal transport certificate found (§3).
type internalStatus int

const (
	internalLoaded   internalStatus = iota
	internalNotSet                  // F23: the thumbprint is empty: 12012 at startup
	internalNotFound                // F24: not in the store (or no key): 12013
	internalExpired                 // F25: expired: 12015, still used
)

// selectInternal loads the internal transport certificate by thumbprint (S2, S3).
func selectInternal(store []*ExchangeCertificate, thumbprint string, now time.Time) (*ExchangeCertificate, internalStatus) {
	if thumbprint == "" {
		return nil, internalNotSet
	}
	for _, e := range store {
		if strings.EqualFold(e.Certificate.Thumbprint(), thumbprint) && e.Certificate.HasPrivateKey() {
			if now.After(e.Certificate.NotAfter()) {
				return e, internalExpired
			}
			return e, internalLoaded
		}
	}
	return nil, internalNotFound
}

// expiryWarning is how long before NotAfter event 12018 starts (INFER: 30 days).
const expiryWarning = 30 * 24 * time.Hour

// expiryEvent is 12016 for an expired STARTTLS certificate (still offered, S1 step 9d) or
// 12018 for one that expires within expiryWarning; ok false for neither.
func expiryEvent(e *ExchangeCertificate, fqdn string, now time.Time) (id int, text string, ok bool) {
	left := e.Certificate.NotAfter().Sub(now)
	switch {
	case left < 0:
		return 12016, fmt.Sprintf(event12016, fqdn), true
	case left < expiryWarning:
		return 12018, fmt.Sprintf(event12018, e.Certificate.Subject(), e.Certificate.Thumbprint(), int(left/time.Hour)), true
	}
	return 0, "", false
}
