package sim

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/pki"
)

// wizardNoCN is the wizard's refusal of a certificate whose Subject has no
// CN (seed 003: "the Subject of the certificate must contain a CN", since
// the connectors' TlsCertificateName is written from it). INFER: no source
// gives the wizard's own text; this one names the certificate and says
// what to do.
const wizardNoCN = "sim: hybrid configuration wizard: the certificate %s (Subject %q) has no CN in its Subject; the connectors' TlsCertificateName is written from the Subject, which must contain a CN (seed 003): request a certificate whose Subject is CN=<your published name>, and run the wizard with it"

// wizardProxyFailure is the wizard's mail-flow connectivity test failure
// (S9, KB 2989382; S14): Exchange Online's front end proxies a session to
// the on-premises server and quotes its reply. The endpoint's form
// (address:port) is INFER.
const wizardProxyFailure = "450 4.4.101 Proxy session setup failed on Frontend with '451 4.4.0 Primary target IP address responded with \"%s.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was %s'."

// WizardTest is the wizard's mail-flow connectivity test: a session from
// Exchange Online's outbound connector to the on-premises server, through
// the lab, as Validate-OutboundConnector runs it.
type WizardTest struct {
	Recipient string
	Passed    bool
	// Result is "" when the test passed, else the wizard's error.
	Result string
}

// requireSubjectCN is seed 003's rule: the wizard refuses a certificate
// whose Subject has no CN (a SAN-only certificate).
func requireSubjectCN(c *pki.Certificate) error {
	if c.Leaf.Subject.CommonName != "" {
		return nil
	}
	return fmt.Errorf(wizardNoCN, c.Thumbprint(), c.Subject())
}

var (
	ledMessage  = regexp.MustCompile(`\[Message=(.*?)\] \[LastAttemptedServerName=`)
	ledEndpoint = regexp.MustCompile(`\[LastAttemptedIP=([^\]]*)\]`)
)

// wizardTestResult turns Validate-OutboundConnector's failure into the
// wizard's: an SMTP reply the on-premises server gave is quoted in S9's
// proxy failure; any other failure (a certificate EXO refused, a refused
// connection) is reported as EXO's LED (INFER: no source gives the
// wizard's text for those).
func wizardTestResult(details string) string {
	m, e := ledMessage.FindStringSubmatch(details), ledEndpoint.FindStringSubmatch(details)
	if m == nil || e == nil || !isReply(m[1]) {
		return details
	}
	return fmt.Sprintf(wizardProxyFailure, m[1], e[1])
}

// isReply reports whether text starts with an SMTP reply code.
func isReply(text string) bool {
	return len(text) > 4 && text[0] >= '2' && text[0] <= '5' && text[1] >= '0' && text[1] <= '9' && text[2] >= '0' && text[2] <= '9' && text[3] == ' '
}

// wizardConnectivityTest runs the test through the tenant's outbound
// connector to an on-premises recipient.
func (l *Lab) wizardConnectivityTest(org *fakeexo.Organization, connector string) (WizardTest, error) {
	primary := l.cfg.OnPrem.AcceptedDomains[0]
	to := "postmaster@" + primary
	for _, m := range l.cfg.OnPrem.Mailboxes {
		if strings.HasSuffix(strings.ToLower(m.PrimarySmtpAddress), "@"+strings.ToLower(primary)) {
			to = m.PrimarySmtpAddress
			break
		}
	}
	results, err := org.ValidateOutboundConnector(context.Background(), connector, to)
	if err != nil {
		return WizardTest{}, err
	}
	test := WizardTest{Recipient: to, Passed: true}
	for _, r := range results {
		if r.Status != "Succeeded" {
			test.Passed, test.Result = false, wizardTestResult(r.Details)
		}
	}
	return test, nil
}
