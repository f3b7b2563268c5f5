package pki

import (
	"fmt"
	"strings"
	"time"
)

// Profile names a kind of certificate an on-premises Exchange server may
// hold, each one a documented cause (or cure) of a hybrid mail-flow failure.
type Profile string

// The catalogue's profiles. The spec rule each one reproduces is in its
// description (see Description); doc.go lists the defaults each applies.
const (
	Trusted             Profile = "trusted"              // S17: CA-issued, chain presented
	Wildcard            Profile = "wildcard"             // S18: *.contoso.com
	InternalCA          Profile = "internal-ca"          // S10 (KB 2888788): enterprise CA
	UntrustedRoot       Profile = "untrusted-root"       // S29: root nobody trusts
	SelfSigned          Profile = "self-signed"          // S18: Exchange's default certificate
	Expired             Profile = "expired"              // S1, S6 (12016)
	NotYetValid         Profile = "not-yet-valid"        // S39: CERT_TRUST_IS_NOT_TIME_VALID
	WrongHost           Profile = "wrong-host"           // S14: SubjectMismatch
	NoCN                Profile = "no-cn"                // seed 003: subject without CN
	Revoked             Profile = "revoked"              // S14: CRYPT_E_REVOKED
	LeafOnly            Profile = "leaf-only"            // S29: chain not presented
	ExpiredIntermediate Profile = "expired-intermediate" // S39: CERT_TRUST_IS_NOT_TIME_VALID at depth 1
	RenewedSameName     Profile = "renewed-same-name"    // S14, conflict C2: renewal
	RenewedNewIssuer    Profile = "renewed-new-issuer"   // S9 (KB 2989382): issuer renamed
	NoPrivateKey        Profile = "no-private-key"       // S11 (KB 4495258): NoCredentials
)

// defaultHost is the host name the catalogue's certificates are issued for
// (the name an EXO outbound connector's TlsDomain would name).
const defaultHost = "mail.contoso.com"

// defaultSubject is the subject KB 2989382 uses in its example (spec §1).
const defaultSubject = "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"

// profileSpec is everything a profile fixes: its description, the verdict
// of EXO and of on-prem chain validation, and the defaults Issue applies.
type profileSpec struct {
	description string
	exo, onPrem bool
	issuer      string // authority name; "" for self-signed
	subject     string
	dnsNames    []string
	validity    func(at time.Time) (notBefore, notAfter time.Time)
	presentLeafOnly,
	noKey,
	notExportable,
	revoked bool
}

// day is the start of t's UTC day: commercial CAs issue from midnight.
func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// oneYearFrom is a commercial certificate's validity: 365 days from a
// midnight, ending one second before the next.
func oneYearFrom(nb time.Time) (time.Time, time.Time) {
	return nb, nb.AddDate(0, 0, 365).Add(-time.Second)
}

func issuedDaysAgo(days int) func(time.Time) (time.Time, time.Time) {
	return func(at time.Time) (time.Time, time.Time) { return oneYearFrom(day(at).AddDate(0, 0, -days)) }
}

var commonNames = []string{defaultHost, "autodiscover.contoso.com"}

var profileSpecs = map[Profile]profileSpec{
	Trusted: {
		description: "issued by the simulated commercial CA; chain presented; accepted everywhere",
		exo:         true, onPrem: true, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180),
	},
	Wildcard: {
		description: "*.contoso.com from the commercial CA; matches one label only (S18)",
		exo:         true, onPrem: true, issuer: PublicIssuingCA,
		subject:  "CN=*.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
		dnsNames: []string{"*.contoso.com", "contoso.com"}, validity: issuedDaysAgo(180),
	},
	InternalCA: {
		description: "issued by the enterprise CA Contoso-DC01-CA: on-prem trusts it, EXO does not (KB 2888788)",
		exo:         false, onPrem: true, issuer: InternalRootCA, subject: defaultSubject,
		dnsNames: commonNames,
		validity: func(at time.Time) (time.Time, time.Time) {
			nb := day(at).AddDate(0, 0, -60)
			return nb, nb.AddDate(2, 0, 0).Add(-time.Second) // AD CS Web Server template: two years
		},
	},
	UntrustedRoot: {
		description: "issued by a root no store trusts (UntrustedRoot)",
		exo:         false, onPrem: false, issuer: UntrustedRootCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180),
	},
	SelfSigned: {
		description: "Exchange's default self-signed certificate: CN=EX01, five years, key not exportable",
		exo:         false, onPrem: false, subject: "CN=EX01",
		dnsNames: []string{"EX01", "ex01.contoso.com"}, notExportable: true,
		validity: func(at time.Time) (time.Time, time.Time) {
			nb := at.UTC().AddDate(-1, 0, 0) // installed a year ago; S18: NotAfter five years on
			return nb, nb.AddDate(5, 0, 0)
		},
	},
	Expired: {
		description: "from the commercial CA; expired 35 days before the lab clock starts (event 12016)",
		exo:         false, onPrem: false, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(400),
	},
	NotYetValid: {
		description: "from the commercial CA; valid only from 30 days after the lab clock starts",
		exo:         false, onPrem: false, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(-30),
	},
	WrongHost: {
		description: "valid chain, but for mail.fabrikam.com: fails DomainValidation for mail.contoso.com (SubjectMismatch)",
		exo:         true, onPrem: true, issuer: PublicIssuingCA,
		subject:  "CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US",
		dnsNames: []string{"mail.fabrikam.com"}, validity: issuedDaysAgo(180),
	},
	NoCN: {
		description: "subject without CN; the host name only in the SAN",
		exo:         true, onPrem: true, issuer: PublicIssuingCA,
		subject:  "OU=IT, O=contoso, L=location, S=location, C=US",
		dnsNames: commonNames, validity: issuedDaysAgo(180),
	},
	Revoked: {
		description: "from the commercial CA and listed in its CRL (CRYPT_E_REVOKED)",
		exo:         false, onPrem: false, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180), revoked: true,
	},
	LeafOnly: {
		description: "valid, but the server presents no intermediate; EXO never fetches one",
		exo:         false, onPrem: true, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180), presentLeafOnly: true,
	},
	ExpiredIntermediate: {
		description: "valid leaf under an issuing CA that expired 30 days before the lab clock starts",
		exo:         false, onPrem: false, issuer: ExpiredIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180),
	},
	RenewedSameName: {
		description: "renewal of trusted: same issuer and subject, issued 10 days before the lab clock starts",
		exo:         true, onPrem: true, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(10),
	},
	RenewedNewIssuer: {
		description: "renewal with the same subject, but the CA renamed its issuing CA (KB 2989382)",
		exo:         true, onPrem: true, issuer: RenamedIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(10),
	},
	NoPrivateKey: {
		description: "valid certificate imported without its private key (NoCredentials)",
		exo:         true, onPrem: true, issuer: PublicIssuingCA, subject: defaultSubject,
		dnsNames: commonNames, validity: issuedDaysAgo(180), noKey: true,
	},
}

// Profiles returns every profile, in catalogue order.
func Profiles() []Profile {
	return []Profile{Trusted, Wildcard, InternalCA, UntrustedRoot, SelfSigned, Expired, NotYetValid,
		WrongHost, NoCN, Revoked, LeafOnly, ExpiredIntermediate, RenewedSameName, RenewedNewIssuer, NoPrivateKey}
}

// ParseProfile returns the profile named s (case-insensitive), or an error
// listing the profiles.
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles() {
		if strings.EqualFold(string(p), strings.TrimSpace(s)) {
			return p, nil
		}
	}
	names := make([]string, 0, len(profileSpecs))
	for _, p := range Profiles() {
		names = append(names, string(p))
	}
	return "", fmt.Errorf("pki: unknown profile %q; use one of %s", s, strings.Join(names, ", "))
}

// Description is a one-line description of the profile.
func (p Profile) Description() string { return profileSpecs[p].description }

// VerifiesForEXO reports whether Exchange Online's chain validation accepts
// the profile's certificate as the server presents it: chain to a root in
// EXO's store from the presented certificates only (S29), validity at the
// clock, revocation. Host names are not part of it (see WrongHost).
func (p Profile) VerifiesForEXO() bool { return profileSpecs[p].exo }

// VerifiesForOnPrem is VerifiesForEXO for an on-premises server's chain
// validation (Test-Certificate): on-prem trusts the enterprise CA as well
// and holds every intermediate in its own store.
func (p Profile) VerifiesForOnPrem() bool { return profileSpecs[p].onPrem }
