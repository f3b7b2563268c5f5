package evidence

import (
	"crypto/x509"
	"strings"

	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// StoreCertificate is a certificate of a server's trusted-root or
// intermediate store, as `Invoke-Command -ComputerName <Server> {
// Get-ChildItem Cert:\LocalMachine\Root }` (or \CA) writes it.
type StoreCertificate struct {
	Server      string
	Store       string // Root or CA
	Certificate *x509.Certificate
}

// AuthRootPolicy is a server's root auto-update Group Policy, as
// `Invoke-Command -ComputerName <Server> { Get-ItemProperty
// HKLM:\SOFTWARE\Policies\Microsoft\SystemCertificates\AuthRoot }` writes
// it: DisableRootAutoUpdate 1 stops Windows fetching trusted roots on
// demand (G2-2026).
type AuthRootPolicy struct {
	Server                string
	DisableRootAutoUpdate bool
}

var typeX509 = deserialized(
	"System.Security.Cryptography.X509Certificates.X509Certificate2",
	"System.Security.Cryptography.X509Certificates.X509Certificate",
	"System.Object")

// certStorePath is a store's provider path (PSParentPath).
const certStorePath = `Microsoft.PowerShell.Security\Certificate::LocalMachine\`

// authRootPath is the policy key (PSPath).
const authRootPath = `Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\SystemCertificates\AuthRoot`

// storeCertificateObject is Get-ChildItem's certificate through
// Invoke-Command: a deserialized X509Certificate2 with the provider's and
// the remote session's properties.
func storeCertificateObject(c StoreCertificate) psh.Object {
	cert := &pki.Certificate{Leaf: c.Certificate}
	return psh.Object{TypeNames: typeX509, ToString: certificateText(cert), Properties: []psh.Property{
		prop("Subject", pki.SubjectName(c.Certificate)),
		prop("Issuer", pki.IssuerName(c.Certificate)),
		prop("Thumbprint", pki.Thumbprint(c.Certificate)),
		prop("NotBefore", c.Certificate.NotBefore.UTC()),
		prop("NotAfter", c.Certificate.NotAfter.UTC()),
		prop("PSParentPath", certStorePath+c.Store),
		prop("PSComputerName", c.Server),
		prop("RawData", c.Certificate.Raw),
	}}
}

// authRootObject is Get-ItemProperty's object through Invoke-Command.
func authRootObject(p AuthRootPolicy) psh.Object {
	v := int64(0)
	if p.DisableRootAutoUpdate {
		v = 1
	}
	return psh.Object{TypeNames: deserialized("System.Management.Automation.PSCustomObject", "System.Object"),
		Properties: []psh.Property{
			prop("DisableRootAutoUpdate", v),
			prop("PSPath", authRootPath),
			prop("PSChildName", "AuthRoot"),
			prop("PSComputerName", p.Server),
		}}
}

// storeOf reads a store record's store: Root, CA, or "".
func storeOf(r *record) string {
	path := r.str("PSParentPath")
	i := strings.LastIndexByte(path, '\\')
	if !strings.Contains(strings.ToLower(path), `certificate::localmachine\`) || i < 0 {
		return ""
	}
	switch store := path[i+1:]; strings.ToLower(store) {
	case "root":
		return "Root"
	case "ca":
		return "CA"
	}
	return ""
}
