package fakeonprem

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Network is what the organization needs from the lab's network; package sim's network
// satisfies it. Listeners bind simulated addresses, dials come from a simulated host (a name or an
// address), and names resolve through the lab's A and MX records.
type Network interface {
	Listen(addr netip.AddrPort) (net.Listener, error)
	DialFrom(ctx context.Context, from, address string) (net.Conn, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
	LookupMX(ctx context.Context, domain string) ([]*net.MX, error)
}

// Clock is the lab's virtual clock: every timestamp, certificate check, retry and expiry
// reads it.
type Clock interface{ Now() time.Time }

// Config describes an on-premises organization with Exchange's property names, so that values
// can be copied from Format-List output. New validates it and fills in its defaults (listed on
// New).
type Config struct {
	// Name is the organization's name, e.g. "Contoso".
	Name string
	// AcceptedDomains are the SMTP domains the organization is authoritative for.
	AcceptedDomains []string
	Servers         []Server
	// ReceiveConnectors of every server; a server none of them names gets
	// DefaultReceiveConnectors.
	ReceiveConnectors []ReceiveConnector
	SendConnectors    []SendConnector
	Mailboxes         []Mailbox
	RemoteMailboxes   []RemoteMailbox
	Options           Options
}

// Server is one Exchange server: its names, role, simulated addresses, "LocalMachine\My"
// store, trust and transport service.
type Server struct {
	Name        string // e.g. EX01
	Fqdn        string // e.g. ex01.contoso.com
	NetBIOSName string
	Role        Role
	// IPAddresses are the server's simulated addresses: its receive connectors listen on them
	// and it sends from the first.
	IPAddresses []netip.Addr
	// Certificates is the "LocalMachine\My" store, as Get-ExchangeCertificate lists it.
	Certificates []ExchangeCertificate
	// TrustedRoots is Cert:\LocalMachine\Root, Intermediates Cert:\LocalMachine\CA.
	TrustedRoots  []*x509.Certificate
	Intermediates []*x509.Certificate
	// RevocationOffline makes every revocation check of this server fail, as when it cannot
	// reach the CRLs (F07).
	RevocationOffline bool
	TransportService  TransportService
	// Schannel is the server's TLS protocol registry settings.
	Schannel Schannel
	// DisableRootAutoUpdate is the Group Policy value
	// HKLM\SOFTWARE\Policies\Microsoft\SystemCertificates\AuthRoot\DisableRootAutoUpdate = 1
	// (Health Checker's TrustedRootCertificatesCheck): Windows no longer fetches the roots of
	// Microsoft's trusted root program on demand, so the server trusts only TrustedRoots.
	DisableRootAutoUpdate bool
	// AdminDisplayVersion is the Exchange build, as Get-ExchangeServer shows it ("Version 15.2
	// (Build 1748.10)") or as a build number (15.2.1748.10); build.go lists what it decides.
	AdminDisplayVersion string
	// OperatingSystem is the Windows Server under Exchange, e.g. "Windows Server 2019".
	OperatingSystem string
	// TimeZone is the server's time zone as an IANA name (e.g. Europe/Berlin; default UTC):
	// the banner shows the local time and offset, as real banners do (real-artifacts §1.3:
	// `Wed, 13 Mar 2024 10:01:17 +0100`). Logs stay in UTC.
	TimeZone string
	// Culture is the server's locale as Get-Culture names it (default en-US): it decides
	// the decimal separator of the queued reply's `bytes in` clause (real-artifacts §3.1:
	// `0,514` on ru-RU, `109,173` on de-DE, `171.566` on en-US).
	Culture string
	// NoSetupCertificate says setup's self-signed certificate is gone from the server
	// (removed from "LocalMachine\My" after setup, F24's state): New issues none, trusts
	// none as a root, and an empty InternalTransportCertificateThumbprint stays empty.
	NoSetupCertificate bool
	// EmptyInternalTransportCertificate keeps an empty InternalTransportCertificateThumbprint
	// empty (Set-TransportService -InternalTransportCertificateThumbprint $null, F23's
	// state: the service logs 12012 when it starts) instead of naming setup's certificate.
	EmptyInternalTransportCertificate bool
}

// Role is an Exchange server role.
type Role string

// The server roles.
const (
	RoleMailbox Role = "Mailbox" // Mailbox server: mailboxes, Frontend and Hub transport
	RoleEdge    Role = "Edge"    // Edge Transport server, subscribed with New-EdgeSubscription (S20)
)

// Options choose between the spec's conflicting sources where the choice changes what
// happens (doc.go).
type Options struct {
	// SMTPEligibility is whether selection requires the SMTP service (C1).
	SMTPEligibility SMTPEligibility
	// TieBreak orders several matching certificates (C2).
	TieBreak TieBreak
	// LegacyNotFoundWording gives F11 KB 3156771's lower-case wording (C5, S13) instead of
	// S14's and S15's.
	LegacyNotFoundWording bool
}

// SMTPEligibility is whether certificate selection requires the SMTP service (conflict C1).
type SMTPEligibility string

// The readings of C1.
const (
	// SMTPEligibilityDefault: the TlsCertificateName path does not check SMTP (S14: "Exchange
	// does not check whether the SMTP service is enabled on the matched certificate"), so a
	// match without SMTP is chosen and its handshake fails; the FQDN path requires SMTP (S1's
	// eligibility list, S7, S8; KB 2888788's fix, unbinding SMTP, relies on it).
	SMTPEligibilityDefault SMTPEligibility = ""
	// SMTPEligibilityAlways: every path requires SMTP (S1's list, S7, S8).
	SMTPEligibilityAlways SMTPEligibility = "Always"
	// SMTPEligibilityNever: no path checks SMTP (S14, S1's note).
	SMTPEligibilityNever SMTPEligibility = "Never"
)

// TieBreak is how selection orders the certificates that match one name (conflict C2).
type TieBreak string

// The tie-breaks.
const (
	// TieBreakDefault: newest NotAfter first on the TlsCertificateName path (S14), newest
	// NotBefore first on the FQDN path (S1).
	TieBreakDefault TieBreak = ""
	// TieBreakNotAfter: newest NotAfter first on every path (S14, seed 000).
	TieBreakNotAfter TieBreak = "NotAfter"
	// TieBreakNotBefore: newest NotBefore first on every path (S1).
	TieBreakNotBefore TieBreak = "NotBefore"
)

// Mailbox is an on-premises mailbox.
type Mailbox struct {
	Name               string
	PrimarySmtpAddress string
}

// RemoteMailbox is a user whose mailbox moved to Exchange Online: mail for
// PrimarySmtpAddress is rewritten to RemoteRoutingAddress (in the tenant's routing domain,
// e.g. contoso.mail.onmicrosoft.com) and sent on by the send connector for that domain.
type RemoteMailbox struct {
	Name                 string
	PrimarySmtpAddress   string
	RemoteRoutingAddress string
}

// validate checks the configuration as a whole after defaults; the connectors are checked by
// their cmdlets' rules.
func (c *Config) validate() error {
	var errs []error
	if len(c.AcceptedDomains) == 0 {
		errs = append(errs, errors.New("fakeonprem: organization: AcceptedDomains is empty: give the SMTP domains the organization accepts, e.g. contoso.com"))
	}
	if len(c.Servers) == 0 {
		errs = append(errs, errors.New("fakeonprem: organization: Servers is empty: give at least one Mailbox server"))
	}
	names := map[string]bool{}
	for _, s := range c.Servers {
		errs = append(errs, s.validate(names))
	}
	for _, m := range c.Mailboxes {
		errs = append(errs, c.checkAddress("mailbox", m.Name, "PrimarySmtpAddress", m.PrimarySmtpAddress, true))
	}
	for _, m := range c.RemoteMailboxes {
		errs = append(errs, c.checkAddress("remote mailbox", m.Name, "PrimarySmtpAddress", m.PrimarySmtpAddress, true),
			c.checkAddress("remote mailbox", m.Name, "RemoteRoutingAddress", m.RemoteRoutingAddress, false))
	}
	return errors.Join(errs...)
}

func (s Server) validate(seen map[string]bool) error {
	key := strings.ToLower(s.Name)
	switch {
	case s.Name == "":
		return errors.New("fakeonprem: server: Name is empty: give the server's name, e.g. EX01")
	case seen[key]:
		return fmt.Errorf("fakeonprem: server %q: Name: another server has this name", s.Name)
	case s.Role != RoleMailbox && s.Role != RoleEdge:
		return fmt.Errorf("fakeonprem: server %q: Role %q: use %s or %s", s.Name, s.Role, RoleMailbox, RoleEdge)
	case len(s.IPAddresses) == 0:
		return fmt.Errorf("fakeonprem: server %q: IPAddresses is empty: give its simulated address, e.g. 203.0.113.10", s.Name)
	}
	seen[key] = true
	if _, err := parseBuild(s.AdminDisplayVersion); err != nil {
		return fmt.Errorf("fakeonprem: server %q: %w", s.Name, err)
	}
	if _, err := parseWindows(s.OperatingSystem); err != nil {
		return fmt.Errorf("fakeonprem: server %q: %w", s.Name, err)
	}
	if _, err := timeZone(s.TimeZone); err != nil {
		return fmt.Errorf("fakeonprem: server %q: %w", s.Name, err)
	}
	if _, err := decimalSeparator(s.Culture); err != nil {
		return fmt.Errorf("fakeonprem: server %q: %w", s.Name, err)
	}
	for _, e := range s.Certificates {
		if e.Certificate == nil {
			return fmt.Errorf("fakeonprem: server %q: Certificates: an entry has no Certificate", s.Name)
		}
	}
	return nil
}

// checkAddress checks a recipient's address; accepted: it must be in an accepted domain.
func (c *Config) checkAddress(kind, name, prop, addr string, accepted bool) error {
	_, domain, ok := strings.Cut(addr, "@")
	if !ok || domain == "" || strings.ContainsAny(addr, " <>") {
		return fmt.Errorf("fakeonprem: %s %q: %s %q is not an SMTP address such as alice@contoso.com", kind, name, prop, addr)
	}
	if accepted && !c.isAccepted(domain) {
		return fmt.Errorf("fakeonprem: %s %q: %s %q: %s is not an accepted domain (%s)", kind, name, prop, addr, domain, strings.Join(c.AcceptedDomains, ", "))
	}
	return nil
}

func (c *Config) isAccepted(domain string) bool {
	for _, d := range c.AcceptedDomains {
		if strings.EqualFold(d, domain) {
			return true
		}
	}
	return false
}
