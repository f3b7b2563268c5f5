package scenarios

import (
	"regexp"
	"slices"
	"strings"
)

// Diagnosis is what a pasted piece of customer evidence (an LED, an NDR,
// a queue's LastError, an event, a protocol log line) says: the catalogue
// entries whose documented symptom it is, the rules that produce it, what
// to check next and the evidence to collect. Lists are never null.
type Diagnosis struct {
	Input   string          `json:"input"`
	Entries []DiagnosedRule `json:"entries"`
	Rules   []Rule          `json:"rules"`
}

// DiagnosedRule is a catalogue entry the evidence is a symptom of.
type DiagnosedRule struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Where Place  `json:"where"` // where Exchange shows the symptom
}

// Rule is one documented rule of hybrid mail flow that produces a
// symptom, with what to check next and the evidence that tells its causes
// apart.
type Rule struct {
	Name     string   `json:"name"`
	Rule     string   `json:"rule"`
	Sources  string   `json:"sources"`
	Check    []string `json:"check"`
	Evidence []string `json:"evidence"`

	fingerprint *regexp.Regexp // the documented string, any lab's values
}

// Diagnose reads a pasted piece of evidence. The catalogue's symptom
// patterns (each entry's expectations, the same Explain matches a lab
// with) and the rules' documented strings are searched for in the text;
// line breaks and surrounding whitespace do not matter.
func Diagnose(text string) Diagnosis {
	d := Diagnosis{Input: strings.TrimSpace(text), Entries: []DiagnosedRule{}, Rules: []Rule{}}
	flat := strings.Join(strings.Fields(text), " ")
	if flat == "" {
		return d
	}
	for _, e := range Catalogue() {
		for _, s := range e.Symptoms {
			if s.Want.pattern == nil || !loose(s.Want.pattern).MatchString(flat) {
				continue
			}
			d.Entries = append(d.Entries, DiagnosedRule{ID: e.ID, Title: e.Title, Where: s.Where})
			break
		}
		if n := len(d.Entries); n > 0 && d.Entries[n-1].ID == e.ID {
			continue
		}
		for _, f := range documentedForms {
			if slices.Contains(f.ids, e.ID) && f.form.MatchString(flat) {
				d.Entries = append(d.Entries, DiagnosedRule{ID: e.ID, Title: e.Title, Where: f.where})
				break
			}
		}
	}
	for _, r := range rules {
		if r.fingerprint.MatchString(flat) {
			d.Rules = append(d.Rules, r)
		}
	}
	return d
}

// documentedForms are other documented wordings of an entry's symptom that a
// customer may paste, where the lab shows the wire's: KB 3212877's and
// S21's NDR title for 5.7.64, where the front door's reply ends with its
// server's bracket (real-artifacts §3.4).
var documentedForms = []struct {
	ids   []string
	where Place
	form  *regexp.Regexp
}{
	{ids: []string{"F15", "F16"}, where: NDR, form: regexp.MustCompile(`550 5\.7\.64 TenantAttribution; Relay Access Denied SMTP`)},
}

// Rules are the rules Diagnose knows, in the order it reports them.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// loose turns a symptom's whole-string pattern into one that finds the
// documented part inside pasted text: without the anchors, the prefix
// the lab's observation adds ("Reason: [{LED=", "Event 12014: ", a
// LastError's ";{LED=") and what follows the documented part.
func loose(p *regexp.Regexp) *regexp.Regexp {
	s := strings.TrimSuffix(strings.TrimPrefix(p.String(), "^"), "$")
	s = strings.TrimPrefix(s, regexp.QuoteMeta("Reason: [{LED="))
	s = strings.TrimSuffix(s, regexp.QuoteMeta(" [LastAttemptedServerName="))
	s = regexp.MustCompile(`^Event [0-9]+: `).ReplaceAllString(s, "")
	s = strings.TrimPrefix(s, `\*,,`)
	s = strings.TrimSuffix(strings.TrimPrefix(s, `;\{LED=`), `\};`)    // a queue's LastError
	s = strings.TrimSuffix(strings.TrimPrefix(s, `\{\[\{LED=`), `\};`) // a tracking entry's recipient-status
	if strings.HasPrefix(s, "<,") {                                    // a send log's reply record
		s = strings.TrimSuffix(strings.TrimPrefix(s, "<,"), ",")
	}
	// Diagnose folds runs of spaces in pasted text: a record's two spaces
	// after 250 (real-artifacts §1.5) match one or more.
	s = strings.ReplaceAll(s, "  ", " +")
	return regexp.MustCompile(s)
}

// fingerprint is a rule's documented string as a pattern: its text
// literally, each %s or %d any value.
func fingerprint(template string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(templatePattern(template), ".*", ".*?"))
}

// rules are the documented rules behind the catalogue's symptoms (spec
// §§2-8; each with the source its string comes from).
var rules = []Rule{
	{Name: "receive-connector-certificate-not-found", fingerprint: fingerprint("could not find a certificate that contains the domain name %s in the personal store"),
		Rule:     "A receive connector whose TlsCertificateName names no certificate in the server's store (or one it cannot use) offers no STARTTLS, and logs Event 12014.",
		Sources:  "S8, S9 (KB 2989382), S14",
		Check:    []string{`Get-ReceiveConnector "<Server>\Default Frontend <Server>" | fl TlsCertificateName`, `Get-ExchangeCertificate -Server <Server> | fl Issuer, Subject, Thumbprint, Services, Status`},
		Evidence: []string{"the Application log's Event 12014 with the name it could not find", "the receive protocol log's EHLO reply (is STARTTLS in it?)"}},
	{Name: "exo-requires-starttls", fingerprint: fingerprint(startTLSRequired),
		Rule:     "Exchange Online's OnPremises outbound connector requires TLS (TlsSettings set): when the on-premises server offers no STARTTLS, EXO defers with 451 5.7.3 and retries for a day.",
		Sources:  "S9 (KB 2989382), S14",
		Check:    []string{"which certificate the on-premises Default Frontend connector names and whether the store holds it (Event 12014)", "whether the certificate was revoked or its chain is broken on the server (Test-Certificate)"},
		Evidence: []string{"Get-MessageTraceDetail for the message: the DEFER detail", "the on-premises Application log (Events 12014, 12016)", "Test-Certificate for the hybrid certificate"}},
	{Name: "exo-subject-mismatch", fingerprint: fingerprint("[Message=SubjectMismatch"),
		Rule:     "Exchange Online's DomainValidation compares the on-premises certificate with the outbound connector's TlsDomain: a certificate that does not carry that name (often the self-signed CN=<server>) is refused.",
		Sources:  "S14",
		Check:    []string{`Get-OutboundConnector | fl TlsSettings, TlsDomain`, `the receive protocol log: search for the presented thumbprint ("Sending certificate")`},
		Evidence: []string{"the DEFER detail's Presented Subject and Thumbprint", "the Default Frontend connector's TlsCertificateName"}},
	{Name: "exo-untrusted-root", fingerprint: fingerprint("[Message=UntrustedRoot]"),
		Rule:     "Exchange Online builds the on-premises certificate's chain from what the server sends: a missing intermediate on the server, or a root EXO does not trust, fails the chain.",
		Sources:  "S14, S29",
		Check:    []string{`the intermediate CA in Cert:\LocalMachine\CA on the hybrid server`, "the issuing CA's trust by Microsoft's root program"},
		Evidence: []string{"the receive protocol log's certificate records", "certutil -verify of the hybrid certificate on the server"}},
	{Name: "exo-certificate-expired", fingerprint: fingerprint("[Message=CertificateExpired]"),
		Rule:     "An expired certificate is still offered by Exchange (Event 12016) and Exchange Online refuses it.",
		Sources:  "S14 (token INFER)",
		Check:    []string{"Get-ExchangeCertificate | fl Subject, NotAfter, Services, Status"},
		Evidence: []string{"Event 12016", "the DEFER detail"}},
	{Name: "exo-connection-refused", fingerprint: fingerprint("Connection refused [Message=Socket error code 10061]"),
		Rule:     "Exchange Online could not open TCP port 25 on the smart host: nothing of TLS was tried.",
		Sources:  "S14 (OBS)",
		Check:    []string{"the firewall in front of the smart host's address", "the outbound connector's SmartHosts and their DNS"},
		Evidence: []string{"the DEFER detail's LastAttemptedIP", "a telnet or Test-NetConnection to port 25 from outside"}},
	{Name: "send-connector-certificate-not-found", fingerprint: fingerprint("454 4.7.5 The certificate specified in %s could not be found."),
		Rule:     "The send connector's TlsCertificateName must name a certificate in the sending server's store, with SMTP and its private key; otherwise the message stays queued.",
		Sources:  "S14, S15 (KB 3156771)",
		Check:    []string{`Get-SendConnector "Outbound to Office 365*" | fl TlsCertificateName`, "Get-ExchangeCertificate -Server <Server> | fl Issuer, Subject, Thumbprint, Services, HasPrivateKey"},
		Evidence: []string{"Get-Queue's LastError", "the send protocol log"}},
	{Name: "tls-no-private-key", fingerprint: fingerprint(noCredentials),
		Rule:     "The certificate the send connector picked has no private key the Transport service can use: the handshake fails before Exchange Online judges anything.",
		Sources:  "S11 (KB 4495258)",
		Check:    []string{"Get-ExchangeCertificate | fl Thumbprint, HasPrivateKey, Services"},
		Evidence: []string{"the send protocol log's TLS negotiation line", "Get-Queue's LastError"}},
	{Name: "tls-not-enabled-for-smtp", fingerprint: fingerprint(unknownCredentials),
		Rule:     "The certificate the send connector picked is not enabled for SMTP: the Transport service cannot use it, and the handshake fails on the sender's side.",
		Sources:  "S12 (KB 4051498)",
		Check:    []string{"Get-ExchangeCertificate | fl Thumbprint, Services"},
		Evidence: []string{"the send protocol log's TLS negotiation line"}},
	{Name: "exo-refuses-untrusted-client", fingerprint: fingerprint(untrustedRoot454),
		Rule:     "Exchange Online refuses a client certificate whose chain ends in a root it does not trust (an internal CA's certificate picked by FQDN).",
		Sources:  "S10 (KB 2888788)",
		Check:    []string{"which certificate the send connector presents (the send protocol log's Certificate subject)", "Get-ExchangeCertificate | fl Issuer, Services"},
		Evidence: []string{"Event 2004", "the send protocol log"}},
	{Name: "tenant-attribution-relay-denied", fingerprint: fingerprint("550 5.7.64 TenantAttribution; Relay Access Denied"),
		Rule:     "Exchange Online attributed the relayed message to no tenant: no OnPremises connector named the client certificate (or its chain was incomplete) and the sender's address matched none.",
		Sources:  "S21, S22 (KB 3212877)",
		Check:    []string{"Get-InboundConnector | fl ConnectorType, TlsSenderCertificateName, SenderIPAddresses", "the certificate the on-premises send connector presents, with its chain"},
		Evidence: []string{"the NDR or queue error", "the send protocol log's certificate records"}},
	{Name: "attr36", fingerprint: fingerprint("Relay Access Denied ATTR36"),
		Rule:     "An OnPremises connector named the certificate, but by a name that is not an accepted domain of the tenant, and the sender's domain is not accepted either: relaying is refused.",
		Sources:  "S23 (KB 3169958)",
		Check:    []string{"Get-InboundConnector | fl TlsSenderCertificateName", "Get-AcceptedDomain"},
		Evidence: []string{"the NDR"}},
	{Name: "tenant-inbound-attribution", fingerprint: fingerprint("550 5.7.51 TenantInboundAttribution"),
		Rule:     "Exchange Online attributed the message by its recipient domain and could not authenticate the sender by certificate or address: a restricted Partner connector refuses it, and so does an OnPremises connector whose TlsSenderCertificateName is not a wildcard and not an accepted domain.",
		Sources:  "S14 (seed 000), S16",
		Check:    []string{"Get-InboundConnector | fl ConnectorType, TlsSenderCertificateName, RestrictDomainsToCertificate, RestrictDomainsToIPAddresses", "Get-AcceptedDomain: is a non-wildcard TlsSenderCertificateName one of them?"},
		Evidence: []string{"the on-premises message tracking log's FAIL", "the send connector's TlsCertificateName and Fqdn"}},
	{Name: "on-prem-trusts-no-exo-root", fingerprint: fingerprint(validationFailure),
		Rule:     "The on-premises server does not trust the root of Exchange Online's certificate, so its DomainValidation fails before sending.",
		Sources:  "S14",
		Check:    []string{`the trusted roots of the server (Cert:\LocalMachine\Root)`},
		Evidence: []string{"Get-Queue's LastError"}},
	{Name: "exo-requires-tls-of-hybrid-sender", fingerprint: fingerprint(mustStartTLS),
		Rule:     "Exchange Online requires TLS of a connection it attributes to the tenant's on-premises organization; when it does not offer STARTTLS to that address (a block list), the plaintext session is refused.",
		Sources:  "S40 (DOC-3P; the requirement INFER)",
		Check:    []string{"whether EXO's EHLO reply to the server lists STARTTLS", "the server's outbound address on block lists"},
		Evidence: []string{"Get-Queue's LastError", "the send protocol log's EHLO reply"}},
	{Name: "direct-send-rejected", fingerprint: fingerprint(directSend),
		Rule:     "With RejectDirectSend on, a message from the tenant's own domain that no connector attributes is refused as Direct Send.",
		Sources:  "DOC-3P (Microsoft, 2025)",
		Check:    []string{"Get-OrganizationConfig | fl RejectDirectSend", "Get-InboundConnector: does an OnPremises connector name the sender's certificate or address?"},
		Evidence: []string{"the front door's reply or NDR"}},
	{Name: "wizard-connectivity-test", fingerprint: fingerprint("450 4.4.101 Proxy session setup failed on Frontend"),
		Rule:     "The hybrid configuration wizard's mail-flow test sends from Exchange Online to the on-premises server through the front end; the quoted reply is the on-premises server's.",
		Sources:  "S9 (KB 2989382), S14",
		Check:    []string{"the on-premises Default Frontend connector's TlsCertificateName and the store", "the reply quoted inside the message"},
		Evidence: []string{"the wizard's log", "Event 12014"}},
	{Name: "queue-expired", fingerprint: fingerprint("QUEUE.Expired"),
		Rule:     "A message deferred for its whole expiry time (a day in Exchange Online) is returned to its sender.",
		Sources:  "S14, S34",
		Check:    []string{"the first deferral's reason in the message trace"},
		Evidence: []string{"Get-MessageTraceDetail: the first DEFER"}},
	{Name: "internal-transport-certificate", fingerprint: fingerprint("internal transport certificate"),
		Rule:     "The internal transport certificate (the self-signed one by default) authenticates Exchange servers to each other (X-ANONYMOUSTLS); when it cannot be read or has expired, servers log 12012, 12013, 12015 or 12019.",
		Sources:  "S2, S9, S14, S18",
		Check:    []string{"Get-TransportService | fl InternalTransportCertificateThumbprint", "Get-ExchangeCertificate -Thumbprint <it>"},
		Evidence: []string{"the Application log", "the receive protocol log's EHLO reply (X-ANONYMOUSTLS)"}},
	{Name: "certificate-expires-soon", fingerprint: fingerprint("The STARTTLS certificate will expire soon"),
		Rule:     "Exchange warns every session while the certificate it offers has less than the warning period left.",
		Sources:  "S8",
		Check:    []string{"Get-ExchangeCertificate | fl Subject, NotAfter"},
		Evidence: []string{"Event 12018"}},
}
