package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Name is an X.500 distinguished name kept in its DER order, with each
// value's ASN.1 string type. Its String method renders it the way Windows
// and Get-ExchangeCertificate do (see String), and ParseName reads that form
// back. The zero Name is the empty name.
type Name struct {
	rdns [][]attribute // DER order: the first RDN is rendered last
}

// attribute is one AttributeTypeAndValue. tag is the ASN.1 universal tag of
// the value's string type, or tagRaw when value holds a complete DER element
// that is not a string (rendered as #hex).
type attribute struct {
	oid   asn1.ObjectIdentifier
	tag   int
	value string
}

// ASN.1 universal tags of the string types a name value may use.
const (
	tagRaw           = -1
	tagUTF8String    = 12
	tagNumericString = 18
	tagPrintable     = 19
	tagT61String     = 20
	tagIA5String     = 22
	tagUniversal     = 28
	tagVisibleString = 26
	tagBMPString     = 30
)

// attributeType is one row of the short-name table Windows uses when it
// renders a name (CertNameToStr with CERT_X500_NAME_STR).
type attributeType struct {
	short string
	oid   asn1.ObjectIdentifier
	tag   int // the string type ParseName encodes values with
}

// attributeTypes lists the short names hybridsim renders, in the spelling
// Windows uses: S= (not ST=) for stateOrProvinceName, E= for the PKCS#9
// emailAddress. Other types render as OID.<dotted>=value.
var attributeTypes = []attributeType{
	{"CN", oidCommonName, tagUTF8String},
	{"SN", asn1.ObjectIdentifier{2, 5, 4, 4}, tagUTF8String},
	{"SERIALNUMBER", asn1.ObjectIdentifier{2, 5, 4, 5}, tagPrintable},
	{"C", asn1.ObjectIdentifier{2, 5, 4, 6}, tagPrintable},
	{"L", asn1.ObjectIdentifier{2, 5, 4, 7}, tagUTF8String},
	{"S", asn1.ObjectIdentifier{2, 5, 4, 8}, tagUTF8String},
	{"STREET", asn1.ObjectIdentifier{2, 5, 4, 9}, tagUTF8String},
	{"O", asn1.ObjectIdentifier{2, 5, 4, 10}, tagUTF8String},
	{"OU", asn1.ObjectIdentifier{2, 5, 4, 11}, tagUTF8String},
	{"T", asn1.ObjectIdentifier{2, 5, 4, 12}, tagUTF8String},
	{"PostalCode", asn1.ObjectIdentifier{2, 5, 4, 17}, tagUTF8String},
	{"G", asn1.ObjectIdentifier{2, 5, 4, 42}, tagUTF8String},
	{"I", asn1.ObjectIdentifier{2, 5, 4, 43}, tagUTF8String},
	{"E", asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, tagIA5String},
	{"DC", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, tagIA5String},
}

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

// attributeAliases are spellings ParseName accepts besides the short names.
var attributeAliases = map[string]string{"ST": "S", "EMAIL": "E"}

func typeByOID(oid asn1.ObjectIdentifier) (attributeType, bool) {
	for _, t := range attributeTypes {
		if t.oid.Equal(oid) {
			return t, true
		}
	}
	return attributeType{}, false
}

// String renders the name as Windows does for Get-ExchangeCertificate's
// Subject and Issuer (CertNameToStr, CERT_X500_NAME_STR with
// CERT_NAME_STR_REVERSE_FLAG; spec §1, §6, KB 2989382's event text):
//   - RDNs in reverse DER order, separated by ", " (so a subject encoded
//     C, S, L, O, OU, CN renders "CN=…, OU=…, O=…, L=…, S=…, C=…");
//   - the values of a multi-valued RDN joined with " + ";
//   - short names from the table above, OID.1.2.3 for other types;
//   - a value wrapped in double quotes, inner quotes doubled, when it is
//     empty, has leading or trailing white space, or contains any of
//     , + = " < > # ; or a control character; non-string values as #hex.
func (n Name) String() string {
	var b strings.Builder
	for i := len(n.rdns) - 1; i >= 0; i-- {
		if i != len(n.rdns)-1 {
			b.WriteString(", ")
		}
		for j, a := range n.rdns[i] {
			if j > 0 {
				b.WriteString(" + ")
			}
			if t, ok := typeByOID(a.oid); ok {
				b.WriteString(t.short)
			} else {
				b.WriteString("OID." + a.oid.String())
			}
			b.WriteByte('=')
			b.WriteString(renderValue(a))
		}
	}
	return b.String()
}

func renderValue(a attribute) string {
	if a.tag == tagRaw {
		return "#" + strings.ToUpper(hex.EncodeToString([]byte(a.value)))
	}
	if !needsQuotes(a.value) {
		return a.value
	}
	return `"` + strings.ReplaceAll(a.value, `"`, `""`) + `"`
}

func needsQuotes(v string) bool {
	if v == "" {
		return true
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	if isNameSpace(first) || isNameSpace(last) {
		return true
	}
	for _, r := range v {
		if strings.ContainsRune(",+=\"<>#;", r) || r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func isNameSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }

// SubjectName renders a certificate's subject as Get-ExchangeCertificate
// shows it, e.g. "CN=mail.contoso.com, OU=IT, O=contoso, L=location,
// S=location, C=US". Use it on certificates that come off the wire.
func SubjectName(c *x509.Certificate) string { return renderRaw(c.RawSubject) }

// IssuerName renders a certificate's issuer as Get-ExchangeCertificate shows
// it (see SubjectName).
func IssuerName(c *x509.Certificate) string { return renderRaw(c.RawIssuer) }

// renderRaw renders a DER name; a name that does not decode (never one the
// lab makes) renders as # and the hex of its DER, so that something is shown.
func renderRaw(der []byte) string {
	n, err := nameFromDER(der)
	if err != nil {
		return "#" + strings.ToUpper(hex.EncodeToString(der))
	}
	return n.String()
}

// der encodes the name as an X.501 Name (RDNSequence). The attributes of a
// multi-valued RDN are in DER SET OF order, which ParseName keeps them in.
func (n Name) der() []byte {
	var seq []byte
	for _, rdn := range n.rdns {
		var set []byte
		for _, enc := range encodeRDN(rdn) {
			set = append(set, enc...)
		}
		seq = append(seq, tlv(0x31, set)...)
	}
	return tlv(0x30, seq)
}

// encodeRDN encodes each attribute of an RDN, sorted as DER requires.
func encodeRDN(rdn []attribute) [][]byte {
	out := make([][]byte, len(rdn))
	for i, a := range rdn {
		oid, _ := asn1.Marshal(a.oid)
		out[i] = tlv(0x30, append(oid, encodeValue(a)...))
	}
	slices.SortFunc(out, bytes.Compare)
	return out
}

func encodeValue(a attribute) []byte {
	switch a.tag {
	case tagRaw:
		return []byte(a.value)
	case tagBMPString:
		var b []byte
		for _, u := range utf16.Encode([]rune(a.value)) {
			b = binary.BigEndian.AppendUint16(b, u)
		}
		return tlv(tagBMPString, b)
	case tagUniversal:
		var b []byte
		for _, r := range a.value {
			b = binary.BigEndian.AppendUint32(b, uint32(r))
		}
		return tlv(tagUniversal, b)
	case tagT61String:
		b := make([]byte, 0, len(a.value))
		for _, r := range a.value {
			b = append(b, byte(r))
		}
		return tlv(tagT61String, b)
	default:
		return tlv(byte(a.tag), []byte(a.value))
	}
}

// tlv encodes one DER element with a short-form tag.
func tlv(tag byte, content []byte) []byte {
	out := []byte{tag}
	switch n := len(content); {
	case n < 0x80:
		out = append(out, byte(n))
	case n <= 0xff:
		out = append(out, 0x81, byte(n))
	case n <= 0xffff:
		out = append(out, 0x82, byte(n>>8), byte(n))
	case n <= 0xffffff:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		out = append(out, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, content...)
}

// nameFromDER decodes an X.501 Name, keeping each value's string type.
func nameFromDER(der []byte) (Name, error) {
	var sets []asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &sets); err != nil {
		return Name{}, err
	} else if len(rest) > 0 {
		return Name{}, asn1.SyntaxError{Msg: "trailing data after name"}
	}
	var n Name
	for _, set := range sets {
		if set.Class != asn1.ClassUniversal || set.Tag != asn1.TagSet {
			return Name{}, asn1.StructuralError{Msg: "RDN is not a SET"}
		}
		var rdn []attribute
		for rest := set.Bytes; len(rest) > 0; {
			var atv struct {
				Type  asn1.ObjectIdentifier
				Value asn1.RawValue
			}
			var err error
			if rest, err = asn1.Unmarshal(rest, &atv); err != nil {
				return Name{}, err
			}
			rdn = append(rdn, decodeValue(atv.Type, atv.Value))
		}
		if len(rdn) == 0 {
			return Name{}, asn1.StructuralError{Msg: "empty RDN"}
		}
		n.rdns = append(n.rdns, rdn)
	}
	return n, nil
}

// decodeValue turns a DER value into text when it is a string type that
// decodes cleanly, and keeps it as a raw element otherwise.
func decodeValue(oid asn1.ObjectIdentifier, v asn1.RawValue) attribute {
	raw := attribute{oid: oid, tag: tagRaw, value: string(v.FullBytes)}
	if v.Class != asn1.ClassUniversal || v.IsCompound {
		return raw
	}
	b := v.Bytes
	switch v.Tag {
	case tagUTF8String:
		if !utf8.Valid(b) {
			return raw
		}
		return attribute{oid, v.Tag, string(b)}
	case tagPrintable, tagIA5String, tagNumericString, tagVisibleString:
		for _, c := range b {
			if c >= utf8.RuneSelf {
				return raw
			}
		}
		return attribute{oid, v.Tag, string(b)}
	case tagT61String:
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return attribute{oid, v.Tag, string(r)}
	case tagBMPString:
		if len(b)%2 != 0 {
			return raw
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.BigEndian.Uint16(b[2*i:])
		}
		s := string(utf16.Decode(u))
		if strings.ContainsRune(s, utf8.RuneError) { // unpaired surrogate
			return raw
		}
		return attribute{oid, v.Tag, s}
	case tagUniversal:
		if len(b)%4 != 0 {
			return raw
		}
		r := make([]rune, len(b)/4)
		for i := range r {
			r[i] = rune(binary.BigEndian.Uint32(b[4*i:]))
			if !utf8.ValidRune(r[i]) || r[i] == utf8.RuneError {
				return raw
			}
		}
		return attribute{oid, v.Tag, string(r)}
	}
	return raw
}
