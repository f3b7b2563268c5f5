package fakeexo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

// Network is what the service needs of the lab's network (package sim's
// network satisfies it): listeners for the front door, a dialer that connects on
// behalf of a simulated host, and the lab's DNS.
type Network interface {
	Listen(addr netip.AddrPort) (net.Listener, error)
	DialFrom(ctx context.Context, from, address string) (net.Conn, error) // from: a simulated host name or address
	LookupHost(ctx context.Context, host string) ([]string, error)
	LookupMX(ctx context.Context, domain string) ([]*net.MX, error)
}

// Clock is the lab's virtual clock: banners, logs, certificate checks,
// retries and expiry all read it; nothing in the service sleeps.
type Clock interface{ Now() time.Time }

// Config describes the service: its own names, addresses and certificate,
// its tenants, and the readings of the spec's conflicts. New fills in zero
// fields (defaultConfig is the one place they are written):
//   - Hostname: SIM1EUR01FT001.mail.protection.outlook.com
//   - FrontDoorAddress: 198.51.100.25 (a documentation range, EXO's in the lab)
//   - OutboundHost: NAM99-SIM1-obe.outbound.protection.outlook.com
//   - OutboundAddress: 198.51.100.50
//   - Certificate: the PKI's EXOCertificate
//   - Trust: the PKI's EXOTrust
//   - RetryInterval: 15 minutes (INFER)
//   - MessageExpirationTimeout: 24 hours (S28)
type Config struct {
	// Hostname is the front door's server name: in the banner, the EHLO
	// reply, the bracketed server id of LEDs and of the 5.7.51 reply, and
	// the queued reply's Hostname.
	Hostname string
	// FrontDoorAddress is the simulated address whose port 25 the front
	// door listens on. Every tenant's MX host name (MXHost) resolves to it
	// in the lab; Endpoints lists them for the lab's DNS.
	FrontDoorAddress netip.Addr
	// OutboundHost is the name EXO's outbound delivery says in EHLO (§11
	// `EHLO NAM02-BN1-obe.outbound.protection.outlook.com`) and dials from;
	// OutboundAddress is its simulated address (the lab gives it an A
	// record so that on-prem sees it as the source).
	OutboundHost    string
	OutboundAddress netip.Addr
	// Certificate is EXO's own certificate: the front door's STARTTLS
	// certificate and the client certificate outbound delivery presents.
	Certificate *pki.Certificate
	// Trust is EXO's store for checking the certificates of senders and of
	// on-premises servers (S29: no intermediates, none fetched).
	Trust *pki.TrustStore
	// Tenants are the organizations the service hosts.
	Tenants []Tenant

	// RetryInterval is the wait between delivery attempts of a deferred
	// message; MessageExpirationTimeout how long after its receipt a
	// message keeps being retried before it is returned in an NDR.
	RetryInterval            time.Duration
	MessageExpirationTimeout time.Duration

	// LegacySubjectMismatch (conflict C6) writes a name mismatch in 2017's
	// form, `450 4.7.320 Certificate validation failed
	// [Message=SubjectMismatch]` (S40), instead of 2025's `450 4.4.317
	// Cannot connect to remote server [Message=SubjectMismatch Expected
	// Subject: ...]` (S14), which the spec treats as current.
	LegacySubjectMismatch bool
	// ObservedExpiryNDR (conflict C10) gives an expired message the
	// observed `550 5.4.317 Message expired, cannot connect to remote
	// server(<last error>)` instead of S30's `550 4.4.7 QUEUE.Expired;
	// message expired`.
	ObservedExpiryNDR bool
}

// Endpoint is one simulated host name of the service, for the lab's DNS and
// `hybridsim serve`'s manifest.
type Endpoint struct {
	// Role is "FrontDoor" (a listener) or "Outbound" (the host outbound
	// delivery dials from; it has no listener and Real is empty).
	Role string
	// Host is the simulated host name: the service's Hostname and every
	// tenant's MX host name for the front door, OutboundHost for outbound.
	Host string
	// Address is the simulated address and port.
	Address netip.AddrPort
	// Real is the listener's real socket address, for tools outside the lab.
	Real string
}

// Endpoint roles.
const (
	roleFrontDoor = "FrontDoor"
	roleOutbound  = "Outbound"
)

// smtpPort is the port of every SMTP listener and every delivery.
const smtpPort = 25

// defaultConfig fills in the zero fields of c, as listed on Config.
func defaultConfig(c Config, p *pki.PKI) Config {
	if c.Hostname == "" {
		c.Hostname = "SIM1EUR01FT001.mail.protection.outlook.com"
	}
	if !c.FrontDoorAddress.IsValid() {
		c.FrontDoorAddress = netip.MustParseAddr("198.51.100.25")
	}
	if c.OutboundHost == "" {
		c.OutboundHost = "NAM99-SIM1-obe.outbound.protection.outlook.com"
	}
	if !c.OutboundAddress.IsValid() {
		c.OutboundAddress = netip.MustParseAddr("198.51.100.50")
	}
	if c.Certificate == nil {
		c.Certificate = p.EXOCertificate()
	}
	if c.Trust == nil {
		trust := p.EXOTrust()
		c.Trust = &trust
	}
	if c.RetryInterval == 0 {
		c.RetryInterval = 15 * time.Minute
	}
	if c.MessageExpirationTimeout == 0 {
		c.MessageExpirationTimeout = 24 * time.Hour
	}
	return c
}

// validate checks the service's own settings; tenants are checked by
// newDirectory.
func (c Config) validate() error {
	switch {
	case !validHostName(c.Hostname):
		return fmt.Errorf("fakeexo: Config.Hostname %q is not a host name: use the front door's FQDN, e.g. SIM1EUR01FT001.mail.protection.outlook.com", c.Hostname)
	case !validHostName(c.OutboundHost):
		return fmt.Errorf("fakeexo: Config.OutboundHost %q is not a host name: use e.g. NAM99-SIM1-obe.outbound.protection.outlook.com", c.OutboundHost)
	case !c.FrontDoorAddress.Is4() || !c.OutboundAddress.Is4():
		return fmt.Errorf("fakeexo: Config.FrontDoorAddress %v and OutboundAddress %v must be IPv4 addresses", c.FrontDoorAddress, c.OutboundAddress)
	case c.FrontDoorAddress == c.OutboundAddress:
		return fmt.Errorf("fakeexo: Config.FrontDoorAddress and OutboundAddress are both %v: give the outbound host its own address", c.OutboundAddress)
	case c.Certificate.Key == nil:
		return fmt.Errorf("fakeexo: Config.Certificate %s has no private key: the front door cannot offer STARTTLS with it: %w", c.Certificate.Thumbprint(), pki.ErrNoPrivateKey)
	case c.RetryInterval < 0 || c.MessageExpirationTimeout < 0:
		return errors.New("fakeexo: Config.RetryInterval and MessageExpirationTimeout must not be negative: use 0 for the defaults")
	}
	return nil
}

// validHostName reports whether s is a DNS host name of at least two labels.
func validHostName(s string) bool {
	s = canonicalDomain(s)
	return strings.Contains(s, ".") && validDomain(s)
}
