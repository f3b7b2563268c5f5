package pki

import (
	"crypto/x509"
	"fmt"
	"strings"
)

// TlsCertificateName is Exchange's SmtpX509Identifier, the value of a
// connector's TlsCertificateName: a certificate's issuer and subject written
// "<I>issuer<S>subject" (spec §1, §6; KB 2989382), as built in Exchange's
// own scripts with "<I>$($cert.Issuer)<S>$($cert.Subject)".
type TlsCertificateName struct {
	Issuer, Subject Name
}

// tlsCertificateNameExample is the value shown in parse errors.
const tlsCertificateNameExample = "<I>" + PublicIssuingCA + "<S>" + defaultSubject

// ParseTlsCertificateName reads "<I>issuer<S>subject". The tags may be in
// either case (the S14 scripts write <i> and <s>), white space around the
// tags and the names is ignored, and both names are required and must parse
// as ParseName reads them. A tag inside a double-quoted value is part of the
// value. Exchange's own error text for a malformed value is not in the
// sources (doc.go), so the error says what is wrong and shows a valid value.
func ParseTlsCertificateName(s string) (TlsCertificateName, error) {
	issuer, subject, err := splitTlsCertificateName(s)
	if err != nil {
		return TlsCertificateName{}, tlsNameError(s, err.Error())
	}
	var t TlsCertificateName
	if t.Issuer, err = parseName(issuer); err != nil {
		return TlsCertificateName{}, tlsNameError(s, fmt.Sprintf("the issuer %q: %v", issuer, err))
	}
	if t.Subject, err = parseName(subject); err != nil {
		return TlsCertificateName{}, tlsNameError(s, fmt.Sprintf("the subject %q: %v", subject, err))
	}
	return t, nil
}

func tlsNameError(s, problem string) error {
	return fmt.Errorf("pki: TlsCertificateName %q: %s; write it as <I>issuer<S>subject, e.g. %q", s, problem, tlsCertificateNameExample)
}

// splitTlsCertificateName finds the <I> and <S> tags outside double quotes.
func splitTlsCertificateName(s string) (issuer, subject string, err error) {
	v := strings.TrimFunc(s, isNameSpace)
	if v == "" {
		return "", "", fmt.Errorf("it is empty")
	}
	if !hasTag(v, 0, "<I>") {
		return "", "", fmt.Errorf("it does not start with <I>")
	}
	sAt := -1
	quoted := false
	for i := 3; i < len(v); i++ {
		switch {
		case v[i] == '"':
			quoted = !quoted
		case quoted:
		case hasTag(v, i, "<I>"):
			return "", "", fmt.Errorf("<I> appears twice")
		case hasTag(v, i, "<S>") && sAt >= 0:
			return "", "", fmt.Errorf("<S> appears twice")
		case hasTag(v, i, "<S>"):
			sAt = i
		}
	}
	if sAt < 0 {
		return "", "", fmt.Errorf("there is no <S> before the subject")
	}
	issuer = strings.TrimFunc(v[3:sAt], isNameSpace)
	subject = strings.TrimFunc(v[sAt+3:], isNameSpace)
	if issuer == "" {
		return "", "", fmt.Errorf("the issuer between <I> and <S> is empty")
	}
	if subject == "" {
		return "", "", fmt.Errorf("the subject after <S> is empty")
	}
	return issuer, subject, nil
}

func hasTag(v string, i int, tag string) bool {
	return len(v)-i >= len(tag) && strings.EqualFold(v[i:i+len(tag)], tag)
}

// String renders the value as Exchange stores it: "<I>" + issuer + "<S>" +
// subject, each name rendered as Get-ExchangeCertificate shows it.
func (t TlsCertificateName) String() string {
	return "<I>" + t.Issuer.String() + "<S>" + t.Subject.String()
}

// Matches reports whether the certificate has this issuer and subject. The
// spec leaves the comparison open (§1, INFER); hybridsim compares the
// rendered names ignoring case, so a value typed with other spacing or
// ST= for S= still matches once parsed, as Exchange matches the names
// Get-ExchangeCertificate prints.
func (t TlsCertificateName) Matches(c *x509.Certificate) bool {
	return strings.EqualFold(t.Issuer.String(), IssuerName(c)) && strings.EqualFold(t.Subject.String(), SubjectName(c))
}
