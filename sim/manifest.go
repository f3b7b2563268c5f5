package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/pki"
)

// Manifest tells a tool outside the lab where everything is: each
// endpoint's role, simulated name and address, and the real loopback address
// to connect to; and the files it needs (the CA bundles each side trusts,
// the on-premises hybrid certificate to present as a client certificate).
type Manifest struct {
	API       string     `json:"api,omitempty"` // the control API's address (serve), e.g. 127.0.0.1:8025
	Clock     time.Time  `json:"clock"`
	Endpoints []Endpoint `json:"endpoints"`
	Files     Files      `json:"files"`
	Mailboxes []string   `json:"mailboxes"`
}

// Endpoint is one listener of the lab.
type Endpoint struct {
	Role      string `json:"role"`      // "on-premises receive connector", "internet receive connector", "EXO front door"
	Server    string `json:"server"`    // the Exchange server or EXO's front-door name
	Connector string `json:"connector"` // the receive connector, for Exchange servers
	Name      string `json:"name"`      // the simulated host name
	Simulated string `json:"simulated"` // the simulated address:port
	Address   string `json:"address"`   // the real loopback address:port to connect to
}

// Files are the files WriteManifest writes beside manifest.json, relative
// to its directory.
type Files struct {
	EXOTrust          string `json:"exoTrustBundle"`    // the roots EXO trusts: verify the front door with it
	OnPremTrust       string `json:"onPremTrustBundle"` // the roots on-premises servers trust: verify them with it
	ClientCertificate string `json:"clientCertificate"` // the on-premises hybrid certificate and its chain
	ClientKey         string `json:"clientKey"`         // its private key (mode 0600)
	Logs              string `json:"logs"`              // Exchange's log folders, written when serving stops
}

// Manifest describes the running lab's endpoints.
func (l *Lab) Manifest() Manifest {
	m := Manifest{Clock: l.Now(), Files: Files{EXOTrust: "exo-trust.pem", OnPremTrust: "onprem-trust.pem",
		ClientCertificate: "onprem-client.pem", ClientKey: "onprem-client.key", Logs: "logs"}}
	for i, o := range l.orgs {
		role := "on-premises receive connector"
		if i > 0 {
			role = "internet receive connector"
		}
		for _, e := range o.Endpoints() {
			m.Endpoints = append(m.Endpoints, Endpoint{Role: role, Server: e.Server, Connector: e.Connector,
				Name: e.Host, Simulated: e.Address.String(), Address: e.Real.String()})
		}
	}
	for _, e := range l.EXO.Endpoints() {
		if e.Real == "" {
			continue
		}
		m.Endpoints = append(m.Endpoints, Endpoint{Role: "EXO front door", Server: "Exchange Online",
			Name: e.Host, Simulated: e.Address.String(), Address: e.Real})
	}
	for _, org := range l.cfg.organizations() {
		for _, mb := range org.Mailboxes {
			m.Mailboxes = append(m.Mailboxes, mb.PrimarySmtpAddress)
		}
	}
	for _, t := range l.cfg.EXO.Tenants {
		for _, mb := range t.Mailboxes {
			m.Mailboxes = append(m.Mailboxes, mb.PrimarySmtpAddress)
		}
	}
	return m
}

// WriteManifest writes manifest.json and the files it names into dir,
// which it creates. Each file is written whole to a temporary file and then
// renamed, so a reader never sees half of one; the client key has mode 0600
// even where an older file had another.
func (l *Lab) WriteManifest(dir string) (Manifest, error) { return l.writeManifest(dir, l.Manifest()) }

func (l *Lab) writeManifest(dir string, m Manifest) (Manifest, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return m, fmt.Errorf("sim: manifest: %w", err)
	}
	// The front door's bundle holds the roots it presents a certificate under: from
	// 2026-03-15 DigiCert Global Root G2 too (pki.EXOCertificateAt).
	exoBundle := l.PKI.EXOTrust()
	exoBundle.Roots = append(slices.Clone(exoBundle.Roots), l.PKI.AutoUpdateRoots()...)
	files := map[string][]byte{
		m.Files.EXOTrust:    exoBundle.PEM(),
		m.Files.OnPremTrust: l.PKI.OnPremTrust().PEM(),
	}
	if c := l.hybridCertificate(); c != nil {
		cert, chain, key, err := c.PEM()
		if err != nil {
			return m, fmt.Errorf("sim: manifest: %w", err)
		}
		files[m.Files.ClientCertificate] = append(cert, chain...)
		files[m.Files.ClientKey] = key
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("sim: manifest: %w", err)
	}
	for _, name := range sortedKeys(files) { // manifest.json last: when it is there, so is the rest
		mode := os.FileMode(0o644)
		if name == m.Files.ClientKey {
			mode = 0o600
		}
		if err := writeFileAtomic(filepath.Join(dir, name), files[name], mode); err != nil {
			return m, err
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		return m, err
	}
	return m, nil
}

// hybridCertificate is the certificate the on-premises send connector to
// EXO presents: the lab certificate its TlsCertificateName names.
func (l *Lab) hybridCertificate() *pki.Certificate {
	for _, c := range l.cfg.OnPrem.SendConnectors {
		for _, cert := range l.Certificates {
			if c.TlsCertificateName != "" && strings.EqualFold(cert.TlsCertificateName().String(), c.TlsCertificateName) {
				return cert
			}
		}
	}
	return nil
}

// WriteLogs writes every Exchange server's logs into dir in Exchange's
// folder layout, one folder per server, and Exchange Online's side into
// "Exchange Online": the message trace of every tenant (Get-MessageTrace
// rows with their Get-MessageTraceDetail events) and the SMTP sessions of
// its front door and outbound delivery, in the protocol log's form.
func (l *Lab) WriteLogs(dir string) error {
	for _, o := range l.orgs {
		if err := o.WriteLogs(dir); err != nil {
			return err
		}
	}
	exo := filepath.Join(dir, "Exchange Online")
	if err := l.writeMessageTrace(exo); err != nil {
		return err
	}
	var protocol strings.Builder
	for _, r := range l.EXO.ProtocolLog("") {
		protocol.WriteString(r.String())
		protocol.WriteString("\n")
	}
	if err := os.WriteFile(filepath.Join(exo, "SmtpProtocolLog.log"), []byte(protocol.String()), 0o644); err != nil {
		return fmt.Errorf("sim: logs: %w", err)
	}
	return nil
}

// writeMessageTrace writes EXO's message trace into dir/MessageTrace.txt:
// every tenant's Get-MessageTrace rows, each with its
// Get-MessageTraceDetail events.
func (l *Lab) writeMessageTrace(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sim: logs: %w", err)
	}
	var trace strings.Builder
	for _, t := range l.cfg.EXO.Tenants {
		org, err := l.EXO.Organization(t.Name)
		if err != nil {
			return err
		}
		for _, row := range org.GetMessageTrace() {
			writeTraceRow(&trace, org, row)
		}
	}
	return writeFileAtomic(filepath.Join(dir, "MessageTrace.txt"), []byte(trace.String()), 0o644)
}

// writeTraceRow writes one Get-MessageTrace row and its Get-MessageTraceDetail events.
func writeTraceRow(w io.Writer, org *fakeexo.Organization, row fakeexo.MessageTrace) {
	fmt.Fprintf(w, "%s  %s -> %s  %s  %s  %s\n", row.Received.UTC().Format(time.RFC3339), row.SenderAddress,
		row.RecipientAddress, row.Status, row.MessageId, row.Subject)
	details, _ := org.GetMessageTraceDetail(row.MessageTraceId, row.RecipientAddress)
	for _, d := range details {
		fmt.Fprintf(w, "  %s %s %s\n", d.Date.UTC().Format(time.RFC3339), d.Event, d.Detail)
	}
}
