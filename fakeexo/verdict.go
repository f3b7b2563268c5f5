package fakeexo

import (
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// Verdict is the front door's decision on one transaction, made at MAIL FROM
// and completed at each RCPT TO (§7): the tenant and connector it was
// attributed to, by which rule, what was refused, and why each other
// candidate connector was not taken, in words a support engineer can act on.
type Verdict struct {
	SessionID   string
	Time        time.Time // the MAIL FROM's
	Source      string    // the connection's simulated source address
	Certificate string    // the client certificate's subject as Windows renders it; "" for none
	MailFrom    string
	// Tenant and Connector are the attribution; empty when none.
	Tenant    string
	Connector string
	// Rule is how the tenant was found: "TlsSenderCertificateName" or
	// "SenderIPAddresses" (an OnPremises connector), "SenderDomains" (a
	// Partner connector), "MAIL FROM" or "RCPT TO" (the envelope, S25's
	// order), or "" for none.
	Rule string
	// Refusals are the replies the front door refused MAIL FROM or a RCPT
	// TO with, as the protocol log writes them.
	Refusals []string
	// NotTaken has one line per other connector that was considered:
	// "<connector> (<tenant>): <why>".
	NotTaken []string
}

// The rules of Verdict.Rule.
const (
	ruleCertificate = "TlsSenderCertificateName"
	ruleAddress     = "SenderIPAddresses"
	ruleSenderDom   = "SenderDomains"
	ruleMailFrom    = "MAIL FROM"
	ruleRcptTo      = "RCPT TO"
)

// Why a connector was not taken (the Verdict's own words, not Exchange's).
const (
	whyFormat        = "%s (%s): %s"
	whyDisabled      = "Enabled is $false"
	whyNoCriteria    = "neither TlsSenderCertificateName nor SenderIPAddresses is set, so no connection can match it"
	whyNoTLS         = "TlsSenderCertificateName %s needs a client certificate, but the session did not use STARTTLS"
	whyNoCertificate = "TlsSenderCertificateName %s needs a client certificate, but the client presented none"
	whyNames         = "TlsSenderCertificateName %s matches none of the certificate's names (%s)"
	whyChain         = "the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (%s)"
	whyNotAccepted   = "TlsSenderCertificateName %s is not an accepted domain of %s; a name that is not a wildcard must be one, a wildcard's base must be one (S14)"
	whyAddress       = "SenderIPAddresses (%s) do not hold the source address %s"
	whyTakenFirst    = "it matched too, but %s (%s) was taken first"
	whySenderDomains = "SenderDomains (%s) do not cover the MAIL FROM domain %q"
	whyPartner       = "a Partner connector governs mail for its organization's own recipients only"
	whyRequireTLS    = "RequireTls is $true but the session did not use STARTTLS"
	whyRestrictIP    = "RestrictDomainsToIPAddresses is $true and " + whyAddress
	whyRestrictCert  = "RestrictDomainsToCertificate is $true and "
	whyOnPremTLS     = "an OnPremises connector of %s requires TLS for its domains (RequireTls $true) and the session did not use STARTTLS"
)

// flagNames lists a chain status's flags on one line.
func flagNames(s pki.ChainStatus) string {
	return strings.ReplaceAll(s.String(), "\n", ", ")
}

// copyVerdict returns a copy of v that shares no slice with it.
func copyVerdict(v *Verdict) Verdict {
	c := *v
	c.Refusals = slices.Clone(v.Refusals)
	c.NotTaken = slices.Clone(v.NotTaken)
	return c
}
