package smtpd

import (
	"strings"
	"time"
)

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

// DatedCertificate is a Certificate with its validity period, for the one-record form.
type DatedCertificate interface {
	Certificate
	NotBefore() time.Time
	NotAfter() time.Time
}

// The contexts of the one-record certificate form that builds since about 2020 write
// (real-artifacts §1.7, DFIR-Exchange, 15.01.2375). RemoteCertificateRecord is INFER by
// analogy (§1.8: public parsers read a record whose context starts "Remote certificate"; no
// verbatim sample).
const (
	SendingCertificateRecord = "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names"
	RemoteCertificateRecord  = "Remote certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names"
)

// certificateTime is the layout of Not before and Not after: `2020-01-17T15:15:33.000Z`.
const certificateTime = "2006-01-02T15:04:05.000Z"

// LogCertificateRecord writes a certificate as one '*' record (§1.7): the data starts with a
// space, then subject, issuer, serial number, thumbprint, Not before, Not after and the
// alternate names joined by ';', all separated by single spaces; context names the fields
// (SendingCertificateRecord or RemoteCertificateRecord).
func LogCertificateRecord(info func(data, context string), c DatedCertificate, context string) {
	data := " " + strings.Join([]string{c.Subject(), c.Issuer(), c.SerialNumber(), c.Thumbprint(),
		c.NotBefore().UTC().Format(certificateTime), c.NotAfter().UTC().Format(certificateTime),
		strings.Join(c.CertificateDomains(), ";")}, " ")
	info(data, context)
}

// RecordThumbprint is the thumbprint a protocol log record names, and whether it names one:
// the one-record form's (SendingCertificateRecord or RemoteCertificateRecord, whose data ends
// with serial, thumbprint, NotBefore, NotAfter and the SAN list), or the pre-2020 block's
// CertificateThumbprint record.
func RecordThumbprint(r Record) (string, bool) {
	if r.Event != '*' {
		return "", false
	}
	switch r.Context {
	case CertificateThumbprint:
		return r.Data, r.Data != ""
	case SendingCertificateRecord, RemoteCertificateRecord:
		fields := strings.Split(r.Data, " ")
		if len(fields) < 5 {
			return "", false
		}
		return fields[len(fields)-4], true
	}
	return "", false
}
