package sim

import (
	"maps"
	"net/netip"
	"reflect"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
)

// Config describes a lab: a lab file decodes into it. Its property names are
// Exchange's (Format-List output can be pasted), and it is also the Go API
// for building a lab in code. DefaultConfig returns the default lab.
type Config struct {
	// Base is "default" to start from the default lab and override it by
	// identity, or "" for a lab described in full.
	Base string
	// Clock is where the lab's virtual clock starts; certificate validity
	// is relative to it. Zero: pki.DefaultTime.
	Clock time.Time
	// Now, when set, is a time source the lab's clock follows from Clock,
	// or from Now's first reading when Clock is zero (the default lab's
	// Clock is 2026-01-05T09:00:00Z: clear it). time.Now gives a lab whose
	// certificates an outside tool judges valid at the real time.
	// Advance still moves the clock on; what falls due runs at the next
	// Send or Advance. Such a lab is not deterministic. Lab files cannot
	// set it.
	Now func() time.Time `yaml:"-"`
	// Options choose between the spec's conflicting sources (C1, C2, C5,
	// C6, C10); zero values are the documented defaults.
	Options Options
	// Certificates are the lab's certificates, issued by its PKI and
	// placed in server stores by name.
	Certificates []Certificate
	// OnPrem is the on-premises Exchange organization in the hybrid
	// deployment; Internet are other organizations reachable by MX (the
	// default lab has Fabrikam, a partner running Exchange).
	OnPrem   Organization
	Internet []Organization
	// EXO is Exchange Online's tenants.
	EXO EXO
	// MX records; each tenant's initial and routing domains get theirs
	// automatically.
	MX []MX
	// Senders are mail clients that are not Exchange (sender.go).
	Senders []Sender
	// Steps are command lines and clock advances New applies in order
	// once the lab has started (steps.go); a Base: default file's steps
	// run after the default lab's.
	Steps []Step

	src *sources // where a lab file gave each value, for errors
}

// Options are the readings of the spec's conflicts that change outcomes.
// Zero values are the defaults docs/rules.md explains (its conflicts C1-C11).
type Options struct {
	// TieBreak orders several certificates matching one name (C2).
	TieBreak fakeonprem.TieBreak
	// SMTPEligibility is whether certificate selection requires the SMTP
	// service (C1).
	SMTPEligibility fakeonprem.SMTPEligibility
	// LegacyNotFoundWording gives 454 4.7.5 in KB 3156771's wording (C5).
	LegacyNotFoundWording bool
	// LegacySubjectMismatch gives EXO's 2017 SubjectMismatch form (C6).
	LegacySubjectMismatch bool
	// ObservedExpiryNDR gives EXO's observed 5.4.317 expiry wording (C10).
	ObservedExpiryNDR bool
	// EstablishSessionWording gives EXO's 4.4.317 its 2026 wording, "Cannot
	// establish session with remote server" (real-artifacts §4.5).
	EstablishSessionWording bool
}

// Certificate is a certificate the lab's PKI issues: a pki profile, or a
// customer's explicit names and validity (zero fields take the profile's).
type Certificate struct {
	Name               string // how server stores refer to it
	Profile            string // a pki profile; default trusted
	Subject            string // as Get-ExchangeCertificate shows it
	Issuer             string // an authority's subject; a new issuing CA if none has it
	CertificateDomains []string
	NotBefore          time.Time
	NotAfter           time.Time
	// ServerName and ServerFQDN name the server of a self-signed certificate.
	ServerName, ServerFQDN string
}

// Organization is an Exchange Server organization.
type Organization struct {
	Name            string
	AcceptedDomains []string
	Servers         []Server
	// ReceiveConnectors override a server's default connectors by
	// Server and Name, or add connectors.
	ReceiveConnectors []fakeonprem.ReceiveConnector
	SendConnectors    []fakeonprem.SendConnector
	Mailboxes         []fakeonprem.Mailbox
	RemoteMailboxes   []fakeonprem.RemoteMailbox
	// EdgeSubscriptions name the Edge servers subscribed to the site.
	EdgeSubscriptions []string
}

// Server is one Exchange server.
type Server struct {
	Name        string
	Fqdn        string
	NetBIOSName string
	Role        fakeonprem.Role
	IPAddresses []netip.Addr
	// HostNames are more DNS names for the server's first address, such
	// as the published mail.contoso.com. Servers that publish one name
	// share it by DNS round robin: lookups return their addresses in turn.
	HostNames []string
	// Certificates are the entries of "LocalMachine\My" besides Exchange
	// setup's self-signed certificate, which every server gets unless an
	// entry removes it (SetupCertificate).
	Certificates []StoreEntry
	// TrustedRoots and Intermediates name authorities (their subjects) in
	// Cert:\LocalMachine\Root and \CA; empty: what the pki says on-prem
	// trusts.
	TrustedRoots  []string
	Intermediates []string
	// RevocationOffline makes the server's revocation checks fail.
	RevocationOffline bool
	TransportService  fakeonprem.TransportService
	// Schannel is the server's TLS protocol registry settings (zero: Windows' defaults).
	Schannel fakeonprem.Schannel
	// DisableRootAutoUpdate stops Windows fetching trusted roots on demand
	// (Health Checker's TrustedRootCertificatesCheck; the G2-2026 entry).
	DisableRootAutoUpdate bool
	// AdminDisplayVersion is the Exchange build as Get-ExchangeServer shows it
	// ("Version 15.2 (Build 1748.10)", the default: Exchange 2019 CU15); it
	// decides the forms of logs and replies that changed between builds.
	AdminDisplayVersion string
	// OperatingSystem is the Windows Server under Exchange ("Windows Server
	// 2019", the default): with Schannel, it decides the TLS versions offered.
	OperatingSystem string
	// TimeZone is the server's IANA time zone (UTC, the default): its banner
	// shows local time and offset.
	TimeZone string
	// Culture is the server's locale (en-US, the default; de-DE writes
	// `0,514 KB/sec` in queued replies).
	Culture string
}

// StoreEntry places a lab certificate in a server's store.
type StoreEntry struct {
	Certificate          string // a Certificate's Name
	Services             fakeonprem.Services
	PrivateKeyExportable bool
	// HasPrivateKey false imports the certificate without its key.
	HasPrivateKey *bool
	FriendlyName  string
	// Remove, on the entry named SetupCertificate, says setup's
	// self-signed certificate is gone from the store (setupcertificate.go).
	Remove bool `yaml:"-"`
}

// EXO is Exchange Online as the lab sees it.
type EXO struct {
	Tenants []fakeexo.Tenant
	// BlockedSenders are source addresses the front door offers no
	// STARTTLS to (F20's "IP not allowed").
	BlockedSenders []netip.Addr
}

// MX is one MX record.
type MX struct {
	Domain     string
	Host       string
	Preference uint16
}

// Clone returns a deep copy: changing the copy's connectors, servers or
// tenants leaves c as it was.
func (c Config) Clone() Config {
	out := deepCopy(reflect.ValueOf(c)).Interface().(Config)
	if c.src != nil {
		out.src = &sources{objects: maps.Clone(c.src.objects), fields: maps.Clone(c.src.fields), file: c.src.file}
	}
	return out
}

// deepCopy copies slices, pointers and structs recursively; other values
// (strings, numbers, netip.Addr, time.Time) are immutable and copied as is.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(deepCopy(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return out
	}
	return v
}
