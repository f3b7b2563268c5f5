package pki_test

import (
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

func TestParseTlsCertificateName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "AsExchangeStoresIt", in: "<I>" + pki.PublicIssuingCA + "<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
			want: "<I>" + pki.PublicIssuingCA + "<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"},
		// The S14 scripts write "<i>$($cert.Issuer)<s>$($cert.Subject)".
		{name: "LowerCaseTags", in: "<i>CN=Issuer, O=Provider<s>CN=mail.contoso.com", want: "<I>CN=Issuer, O=Provider<S>CN=mail.contoso.com"},
		{name: "WhiteSpace", in: "  <I> CN=Issuer ,O=Provider  <S>  CN=mail.contoso.com\t", want: "<I>CN=Issuer, O=Provider<S>CN=mail.contoso.com"},
		{name: "TagInsideQuotedValue", in: `<I>CN="odd <S> issuer"<S>CN=mail.contoso.com`, want: `<I>CN="odd <S> issuer"<S>CN=mail.contoso.com`},
		{name: "STForS", in: "<I>CN=Issuer, ST=WA<S>CN=mail.contoso.com", want: "<I>CN=Issuer, S=WA<S>CN=mail.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pki.ParseTlsCertificateName(tt.in)
			if err != nil {
				t.Fatalf("ParseTlsCertificateName(%q) error: %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseTlsCertificateName(%q).String() = %q, want %q", tt.in, got.String(), tt.want)
			}
		})
	}
}

func TestParseTlsCertificateNameErrors(t *testing.T) {
	const example = `; write it as <I>issuer<S>subject, e.g. "<I>CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US<S>CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "Empty", in: "", want: `pki: TlsCertificateName "": it is empty` + example},
		{name: "SubjectOnly", in: "CN=mail.contoso.com", want: `pki: TlsCertificateName "CN=mail.contoso.com": it does not start with <I>` + example},
		{name: "SubjectFirst", in: "<S>CN=a<I>CN=b", want: `pki: TlsCertificateName "<S>CN=a<I>CN=b": it does not start with <I>` + example},
		{name: "NoSubjectTag", in: "<I>CN=a", want: `pki: TlsCertificateName "<I>CN=a": there is no <S> before the subject` + example},
		{name: "EmptyIssuer", in: "<I> <S>CN=a", want: `pki: TlsCertificateName "<I> <S>CN=a": the issuer between <I> and <S> is empty` + example},
		{name: "EmptySubject", in: "<I>CN=a<S> ", want: `pki: TlsCertificateName "<I>CN=a<S> ": the subject after <S> is empty` + example},
		{name: "TwoIssuers", in: "<I>CN=a<I>CN=b<S>CN=c", want: `pki: TlsCertificateName "<I>CN=a<I>CN=b<S>CN=c": <I> appears twice` + example},
		{name: "TwoSubjects", in: "<I>CN=a<S>CN=b<s>CN=c", want: `pki: TlsCertificateName "<I>CN=a<S>CN=b<s>CN=c": <S> appears twice` + example},
		{name: "BadIssuer", in: "<I>Certificate Provider<S>CN=a",
			want: `pki: TlsCertificateName "<I>Certificate Provider<S>CN=a": the issuer "Certificate Provider": part 1 "Certificate Provider": there is no "=" between the attribute name and its value` + example},
		{name: "BadSubject", in: "<I>CN=a<S>HOST=mail",
			want: `pki: TlsCertificateName "<I>CN=a<S>HOST=mail": the subject "HOST=mail": part 1 "HOST=mail": unknown attribute "HOST"; use CN, OU, O, L, S, C, E, DC, STREET, SERIALNUMBER, T, G, I, SN, PostalCode, or OID.1.2.3 for any other type` + example},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pki.ParseTlsCertificateName(tt.in)
			if err == nil {
				t.Fatalf("ParseTlsCertificateName(%q) = %q, want error %q", tt.in, got.String(), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseTlsCertificateName(%q) error = %q, want %q", tt.in, err.Error(), tt.want)
			}
		})
	}
}

func TestTlsCertificateNameMatches(t *testing.T) {
	cat := catalogue(t, newPKI(t))
	trusted := cat[pki.Trusted].TlsCertificateName()
	typed, err := pki.ParseTlsCertificateName("<i>cn=hybridsim tls issuing ca 1,ou=simulated pki,o=hybridsim certificate provider,c=us<s>cn=mail.contoso.com,ou=IT,o=contoso,l=location,st=location,c=US")
	if err != nil {
		t.Fatalf("ParseTlsCertificateName: %v", err)
	}
	tests := []struct {
		name    string
		profile pki.Profile
		want    bool
	}{
		{name: "Itself", profile: pki.Trusted, want: true},
		{name: "RenewalWithTheSameNames", profile: pki.RenewedSameName, want: true},
		{name: "RenewalFromARenamedIssuer", profile: pki.RenewedNewIssuer, want: false}, // KB 2989382
		{name: "EnterpriseCA", profile: pki.InternalCA, want: false},
		{name: "NoCN", profile: pki.NoCN, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf := cat[tt.profile].Leaf
			if got := trusted.Matches(leaf); got != tt.want {
				t.Errorf("%q.Matches(%s) = %v, want %v", trusted, tt.profile, got, tt.want)
			}
			if got := typed.Matches(leaf); got != tt.want {
				t.Errorf("%q.Matches(%s) = %v, want %v", typed, tt.profile, got, tt.want)
			}
		})
	}
}
