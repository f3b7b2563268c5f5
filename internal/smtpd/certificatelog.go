package smtpd

import "strings"

// Certificate is what the protocol log's certificate block shows of a
// certificate, each value as Windows renders it (*pki.Certificate has these
// methods; this package does not import pki).
type Certificate interface {
	Subject() string
	Issuer() string
	SerialNumber() string
	Thumbprint() string
	CertificateDomains() []string
}

// The contexts of the certificate block (§10; OBS: S11, S12 and the 2017
// receive log sample). CertificateThumbprint also follows a received
// certificate's record.
const (
	sendingCertificate    = "Sending certificate"
	certificateSubject    = "Certificate subject"
	certificateIssuer     = "Certificate issuer name"
	certificateSerial     = "Certificate serial number"
	CertificateThumbprint = "Certificate thumbprint"
	certificateAltNames   = "Certificate alternate names"
)

// LogCertificate writes the block of '*' records Exchange logs for a
// certificate it sends (§10): "Sending certificate", then its subject,
// issuer name, serial number, thumbprint and alternate names. info is a
// Session's or a ClientTap's Info.
func LogCertificate(info func(data, context string), c Certificate) {
	info("", sendingCertificate)
	info(c.Subject(), certificateSubject)
	info(c.Issuer(), certificateIssuer)
	info(c.SerialNumber(), certificateSerial)
	info(c.Thumbprint(), CertificateThumbprint)
	info(strings.Join(c.CertificateDomains(), ";"), certificateAltNames)
}
