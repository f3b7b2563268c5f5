package evidence

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/psh"
)

// The .NET type names of the objects the cmdlets write (TN in CLIXML, most
// derived first). Exchange Online's come through a remote session and are
// written with the "Deserialized." prefix.
var (
	typeExchangeCertificate = []string{
		"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
		"System.Security.Cryptography.X509Certificates.X509Certificate2",
		"System.Security.Cryptography.X509Certificates.X509Certificate",
		"System.Object"}
	typeReceiveConnector = []string{
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.Directory.ADRawEntry",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object"}
	typeSendConnector = []string{
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig",
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.SendConnector",
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.MailGateway",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.Directory.ADRawEntry",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object"}
	typeTransportService = []string{
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServerPresentationObject",
		"Microsoft.Exchange.Data.Directory.ADPresentationObject",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object"}
	typeAcceptedDomain = []string{
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.Directory.ADRawEntry",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object"}
	typeInboundConnector = deserialized(
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantInboundConnector",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.Directory.ADRawEntry",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object")
	typeOutboundConnector = deserialized(
		"Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantOutboundConnector",
		"Microsoft.Exchange.Data.Directory.ADConfigurationObject",
		"Microsoft.Exchange.Data.Directory.ADObject",
		"Microsoft.Exchange.Data.Directory.ADRawEntry",
		"Microsoft.Exchange.Data.ConfigurableObject",
		"System.Object")
)

// deserializedPrefix is what a remote session's Export-Clixml puts before
// every type name (MS-PSRP 2.2.5.2.3).
const deserializedPrefix = "Deserialized."

func deserialized(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = deserializedPrefix + n
	}
	return out
}

// Exchange Online accepted domains come through a remote session too.
var typeEXOAcceptedDomain = deserialized(typeAcceptedDomain...)

// typeMultiValued is the type of Exchange's multi-valued properties.
var typeMultiValued = []string{
	"Microsoft.Exchange.Data.MultiValuedProperty`1[[System.String, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089]]",
	"Microsoft.Exchange.Data.MultiValuedPropertyBase",
	"System.Object"}

// list is a multi-valued property: a MultiValuedProperty.
func list(values []string) psh.Value {
	out := make([]psh.Value, len(values))
	for i, v := range values {
		out[i] = v
	}
	return psh.List{TypeNames: typeMultiValued, Items: out}
}

// remote is an object as a remote session (Exchange Online PowerShell)
// hands it over: its lists' type names deserialized too.
func remote(o psh.Object) psh.Object {
	for i, p := range o.Properties {
		if l, ok := p.Value.(psh.List); ok {
			l.TypeNames = deserialized(l.TypeNames...)
			o.Properties[i].Value = l
		}
	}
	return o
}

// nullable is a single-valued property that is $null when empty.
func nullable(s string) psh.Value {
	if s == "" {
		return nil
	}
	return s
}

// flags is a flags enum (AuthMechanism, PermissionGroups): "a, b" without
// braces, as Format-List prints an enum.
func flags(values []string) psh.Value {
	if len(values) == 0 {
		return "None"
	}
	return strings.Join(values, ", ")
}

func prop(name string, v psh.Value) psh.Property { return psh.Property{Name: name, Value: v} }

// certificateObject is Get-ExchangeCertificate's object (Format-List *'s
// properties the lab models, in the cmdlet's order).
func certificateObject(e fakeonprem.ExchangeCertificate) psh.Object {
	c := e.Certificate
	size := int64(0)
	if c.Leaf != nil {
		if k, ok := c.Leaf.PublicKey.(interface{ Size() int }); ok {
			size = int64(k.Size() * 8)
		}
	}
	var raw psh.Value
	if c.Leaf != nil {
		raw = c.Leaf.Raw
	}
	return psh.Object{TypeNames: typeExchangeCertificate, ToString: certificateText(c),
		Properties: []psh.Property{
			prop("CertificateDomains", list(c.CertificateDomains())),
			prop("HasPrivateKey", c.HasPrivateKey()),
			prop("IsSelfSigned", c.IsSelfSigned()),
			prop("Issuer", c.Issuer()),
			prop("NotAfter", c.NotAfter()),
			prop("NotBefore", c.NotBefore()),
			prop("PublicKeySize", size),
			prop("SerialNumber", c.SerialNumber()),
			prop("Services", e.Services.String()),
			prop("Status", e.Status),
			prop("Subject", c.Subject()),
			prop("Thumbprint", c.Thumbprint()),
			prop("FriendlyName", nullable(e.FriendlyName)),
			prop("Identity", e.Identity),
			prop("PrivateKeyExportable", e.PrivateKeyExportable),
			prop("RawData", raw),
		}}
}

// certificateText is X509Certificate2.ToString(): the subject, issuer,
// serial number, validity and thumbprint under bracketed headings.
func certificateText(c *pki.Certificate) string {
	if c == nil || c.Leaf == nil {
		return ""
	}
	at := func(t time.Time) string { return psh.FormatDate(t, "en-US") }
	return fmt.Sprintf("[Subject]\r\n  %s\r\n\r\n[Issuer]\r\n  %s\r\n\r\n[Serial Number]\r\n  %s\r\n\r\n[Not Before]\r\n  %s\r\n\r\n[Not After]\r\n  %s\r\n\r\n[Thumbprint]\r\n  %s\r\n",
		c.Subject(), c.Issuer(), c.SerialNumber(), at(c.NotBefore()), at(c.NotAfter()), c.Thumbprint())
}

// receiveConnectorObject is Get-ReceiveConnector's object.
func receiveConnectorObject(c fakeonprem.ReceiveConnector) psh.Object {
	return psh.Object{TypeNames: typeReceiveConnector, ToString: c.Name, Properties: []psh.Property{
		prop("AuthMechanism", flags(c.AuthMechanism)),
		prop("Bindings", list(c.Bindings)),
		prop("Fqdn", nullable(c.Fqdn)),
		prop("PermissionGroups", flags(c.PermissionGroups)),
		prop("RequireTLS", c.RequireTLS),
		prop("TlsCertificateName", nullable(c.TlsCertificateName)),
		prop("TlsDomainCapabilities", list(c.TlsDomainCapabilities)),
		prop("TransportRole", nullable(c.TransportRole)),
		prop("Server", c.Server),
		prop("Identity", c.Server+`\`+c.Name),
		prop("Name", c.Name),
	}}
}

// sendConnectorObject is Get-SendConnector's object.
func sendConnectorObject(c fakeonprem.SendConnector) psh.Object {
	return psh.Object{TypeNames: typeSendConnector, ToString: c.Name, Properties: []psh.Property{
		prop("AddressSpaces", list(c.AddressSpaces)),
		prop("CloudServicesMailEnabled", c.CloudServicesMailEnabled),
		prop("DNSRoutingEnabled", c.DNSRoutingEnabled),
		prop("Fqdn", nullable(c.Fqdn)),
		prop("IgnoreSTARTTLS", c.IgnoreSTARTTLS),
		prop("Port", int64(c.Port)),
		prop("RequireTLS", c.RequireTLS),
		prop("SmartHostAuthMechanism", orNone(c.SmartHostAuthMechanism)),
		prop("SmartHosts", list(c.SmartHosts)),
		prop("SourceTransportServers", list(c.SourceTransportServers)),
		prop("TlsAuthLevel", nullable(c.TlsAuthLevel)),
		prop("TlsCertificateName", nullable(c.TlsCertificateName)),
		prop("TlsDomain", nullable(c.TlsDomain)),
		prop("Identity", c.Name),
		prop("Name", c.Name),
	}}
}

func orNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}

// transportServiceObject is Get-TransportService's object.
func transportServiceObject(t fakeonprem.TransportService) psh.Object {
	return psh.Object{TypeNames: typeTransportService, ToString: t.Name, Properties: []psh.Property{
		prop("Name", t.Name),
		prop("InternalTransportCertificateThumbprint", nullable(t.InternalTransportCertificateThumbprint)),
		prop("MessageExpirationTimeOut", orZero(t.MessageExpirationTimeOut)),
		prop("MessageRetryInterval", orZero(t.MessageRetryInterval)),
		prop("OutboundConnectionFailureRetryInterval", orZero(t.OutboundConnectionFailureRetryInterval)),
		prop("TransientFailureRetryCount", int64(t.TransientFailureRetryCount)),
		prop("TransientFailureRetryInterval", orZero(t.TransientFailureRetryInterval)),
		prop("Identity", t.Name),
	}}
}

// orZero keeps a zero TimeSpan a TimeSpan.
func orZero(d time.Duration) psh.Value { return d }

// acceptedDomainObject is Get-AcceptedDomain's object; exo gives Exchange
// Online's (deserialized) type names.
func acceptedDomainObject(d fakeexo.AcceptedDomain, exo bool) psh.Object {
	types := typeAcceptedDomain
	if exo {
		types = typeEXOAcceptedDomain
	}
	typ := string(d.DomainType)
	if typ == "" {
		typ = string(fakeexo.Authoritative)
	}
	return psh.Object{TypeNames: types, ToString: d.DomainName, Properties: []psh.Property{
		prop("DomainName", d.DomainName),
		prop("DomainType", typ),
		prop("Name", d.DomainName),
		prop("Identity", d.DomainName),
	}}
}

// inboundConnectorObject is Get-InboundConnector's object.
func inboundConnectorObject(c fakeexo.InboundConnector) psh.Object {
	return remote(psh.Object{TypeNames: typeInboundConnector, ToString: c.Name, Properties: []psh.Property{
		prop("Enabled", c.Enabled),
		prop("ConnectorType", string(c.ConnectorType)),
		prop("ConnectorSource", nullable(c.ConnectorSource)),
		prop("SenderIPAddresses", list(c.SenderIPAddresses)),
		prop("SenderDomains", list(c.SenderDomains)),
		prop("RequireTls", c.RequireTls),
		prop("RestrictDomainsToIPAddresses", c.RestrictDomainsToIPAddresses),
		prop("RestrictDomainsToCertificate", c.RestrictDomainsToCertificate),
		prop("CloudServicesMailEnabled", c.CloudServicesMailEnabled),
		prop("TreatMessagesAsInternal", c.TreatMessagesAsInternal),
		prop("TlsSenderCertificateName", nullable(c.TlsSenderCertificateName)),
		prop("Identity", c.Name),
		prop("Name", c.Name),
	}})
}

// outboundConnectorObject is Get-OutboundConnector's object.
func outboundConnectorObject(c fakeexo.OutboundConnector) psh.Object {
	var validated psh.Value
	if !c.LastValidationTimestamp.IsZero() {
		validated = c.LastValidationTimestamp
	}
	return remote(psh.Object{TypeNames: typeOutboundConnector, ToString: c.Name, Properties: []psh.Property{
		prop("Enabled", c.Enabled),
		prop("UseMXRecord", c.UseMXRecord),
		prop("ConnectorType", string(c.ConnectorType)),
		prop("ConnectorSource", nullable(c.ConnectorSource)),
		prop("RecipientDomains", list(c.RecipientDomains)),
		prop("SmartHosts", list(c.SmartHosts)),
		prop("TlsDomain", nullable(c.TlsDomain)),
		prop("TlsSettings", nullable(string(c.TlsSettings))),
		prop("IsTransportRuleScoped", c.IsTransportRuleScoped),
		prop("RouteAllMessagesViaOnPremises", c.RouteAllMessagesViaOnPremises),
		prop("CloudServicesMailEnabled", c.CloudServicesMailEnabled),
		prop("IsValidated", c.IsValidated),
		prop("LastValidationTimestamp", validated),
		prop("Identity", c.Name),
		prop("Name", c.Name),
	}})
}

// objectOf turns one of the fakes' objects into PowerShell's.
func objectOf(v any) (psh.Object, error) {
	switch x := v.(type) {
	case fakeonprem.ExchangeCertificate:
		return certificateObject(x), nil
	case *fakeonprem.ExchangeCertificate:
		return certificateObject(*x), nil
	case fakeonprem.ReceiveConnector:
		return receiveConnectorObject(x), nil
	case fakeonprem.SendConnector:
		return sendConnectorObject(x), nil
	case fakeonprem.TransportService:
		return transportServiceObject(x), nil
	case fakeexo.AcceptedDomain:
		return acceptedDomainObject(x, true), nil
	case OnPremAcceptedDomain:
		return acceptedDomainObject(fakeexo.AcceptedDomain{DomainName: string(x), DomainType: fakeexo.Authoritative}, false), nil
	case fakeexo.InboundConnector:
		return inboundConnectorObject(x), nil
	case fakeexo.OutboundConnector:
		return outboundConnectorObject(x), nil
	case StoreCertificate:
		return storeCertificateObject(x), nil
	case AuthRootPolicy:
		return authRootObject(x), nil
	case OrganizationConfig:
		return organizationConfigObject(x), nil
	case *x509.Certificate:
		return certificateObject(fakeonprem.ExchangeCertificate{Certificate: &pki.Certificate{Leaf: x}}), nil
	}
	return psh.Object{}, fmt.Errorf("evidence: %T is not an object a Get- cmdlet of the fakes writes; pass a certificate, connector, transport service or accepted domain", v)
}

// OnPremAcceptedDomain is an on-premises accepted domain (the on-premises
// organization keeps its accepted domains as names), rendered as the
// on-premises Get-AcceptedDomain writes it.
type OnPremAcceptedDomain string
