package control

import (
	"encoding/csv"
	"regexp"
	"strings"

	"github.com/hybridsim/hybridsim/internal/smtpd"
	"github.com/hybridsim/hybridsim/sim"
)

// loggedCertificate is a certificate as one SMTP session's protocol log
// records it: what the dashboard shows of the certificate a host sent
// and of the one its peer sent. Fields the log's form does not carry
// are empty.
type loggedCertificate struct {
	Thumbprint string   `json:"thumbprint"`
	Subject    string   `json:"subject,omitempty"`
	Issuer     string   `json:"issuer,omitempty"`
	Serial     string   `json:"serial,omitempty"`
	NotBefore  string   `json:"notBefore,omitempty"`
	NotAfter   string   `json:"notAfter,omitempty"`
	Domains    []string `json:"domains,omitempty"`
}

// hopView is sim.Hop with each protocol log session's certificates read
// out of its records.
type hopView struct {
	Host    string
	Entries []entryView
}

// entryView is sim.Entry; a protocol log entry (one SMTP session) also
// carries the certificate the host sent and the one its peer sent.
type entryView struct {
	sim.Entry
	SentCertificate   *loggedCertificate `json:"sentCertificate,omitempty"`
	RemoteCertificate *loggedCertificate `json:"remoteCertificate,omitempty"`
}

// viewHops reads the certificates of every protocol log entry of hops.
func viewHops(hops []sim.Hop) []hopView {
	out := make([]hopView, 0, len(hops))
	for _, h := range hops {
		hv := hopView{Host: h.Host, Entries: make([]entryView, 0, len(h.Entries))}
		for _, e := range h.Entries {
			ev := entryView{Entry: e}
			if e.Source == "protocol log" {
				ev.SentCertificate, ev.RemoteCertificate = sessionCertificates(e.Text)
			}
			hv.Entries = append(hv.Entries, ev)
		}
		out = append(out, hv)
	}
	return out
}

// The older builds' certificate block (smtpd.LogCertificate): a record
// "Sending certificate" or "Received certificate" with no data, then one
// record a field.
const (
	blockSending  = "Sending certificate"
	blockReceived = "Received certificate"
)

// sessionCertificates reads, from one SMTP session's protocol log (CSV
// lines), the certificate this side sent and the peer's, nil for none.
// It reads the one-record form current builds and Exchange Online write
// (smtpd.LogCertificateRecord: smtpd.SendingCertificateRecord,
// smtpd.RemoteCertificateRecord) and the older builds' blocks
// ("Sending certificate" then "Certificate subject" ... "Certificate
// thumbprint" ...; "Received certificate" then "Certificate thumbprint").
// The last certificate of each kind wins.
func sessionCertificates(text string) (sent, remote *loggedCertificate) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = -1, true, true
	var block *loggedCertificate // the older form's block being read
	for {
		f, err := r.Read()
		if err != nil {
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			break
		}
		if len(f) < 9 || f[6] != "*" {
			continue
		}
		data, context := f[7], f[8]
		switch context {
		case smtpd.SendingCertificateRecord:
			if c, ok := parseCertificateRecord(data); ok {
				sent = &c
			}
			block = nil
		case smtpd.RemoteCertificateRecord:
			if c, ok := parseCertificateRecord(data); ok {
				remote = &c
			}
			block = nil
		case blockSending:
			block = &loggedCertificate{}
			sent = block
		case blockReceived:
			block = &loggedCertificate{}
			remote = block
		case "Certificate subject":
			if block != nil {
				block.Subject = data
			}
		case "Certificate issuer name":
			if block != nil {
				block.Issuer = data
			}
		case "Certificate serial number":
			if block != nil {
				block.Serial = data
			}
		case smtpd.CertificateThumbprint:
			if block != nil {
				block.Thumbprint = data
			}
		case "Certificate alternate names":
			if block != nil {
				block.Domains = splitDomains(data)
				block = nil
			}
		}
	}
	if sent != nil && sent.Thumbprint == "" {
		sent = nil
	}
	if remote != nil && remote.Thumbprint == "" {
		remote = nil
	}
	return sent, remote
}

// thumbprintPattern is a certificate's thumbprint as Windows writes it:
// SHA-1, 40 hex digits.
var thumbprintPattern = regexp.MustCompile(`^[0-9A-Fa-f]{40}$`)

// dnStart is where a distinguished name's next attribute begins.
var dnStart = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.]*=`)

// parseCertificateRecord reads the data of a one-record certificate
// (smtpd.LogCertificateRecord): a leading space, then subject, issuer,
// serial number, thumbprint, Not before, Not after and the alternate
// names joined by ';', separated by single spaces. The subject and the
// issuer are distinguished names with spaces and commas in them; the
// five fields after them have none, so they are the last five tokens
// (the alternate names may be empty). The subject ends at the first
// space that neither follows a comma nor sits inside an attribute's
// value, that is, one followed by the issuer's first "KEY=".
func parseCertificateRecord(data string) (loggedCertificate, bool) {
	tok := strings.Split(strings.TrimPrefix(data, " "), " ")
	if len(tok) < 6 {
		return loggedCertificate{}, false
	}
	n := len(tok)
	c := loggedCertificate{Serial: tok[n-5], Thumbprint: tok[n-4], NotBefore: tok[n-3], NotAfter: tok[n-2], Domains: splitDomains(tok[n-1])}
	if !thumbprintPattern.MatchString(c.Thumbprint) {
		return loggedCertificate{}, false
	}
	names := tok[:n-5]
	c.Subject = strings.Join(names, " ")
	for i := 1; i < len(names); i++ {
		if !strings.HasSuffix(names[i-1], ",") && dnStart.MatchString(names[i]) {
			c.Subject, c.Issuer = strings.Join(names[:i], " "), strings.Join(names[i:], " ")
			break
		}
	}
	return c, true
}

// splitDomains splits the alternate names the log joins with ';'.
func splitDomains(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}
