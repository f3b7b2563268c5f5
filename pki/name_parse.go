package pki

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// nameExample is the name shown in parse errors: the subject KB 2989382
// uses in its event 12014 text (spec §1).
const nameExample = "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US"

// ParseName reads a distinguished name written the way Name.String renders
// it, e.g. "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location,
// C=US" (the most specific RDN first, as Get-ExchangeCertificate shows it).
// It also accepts ";" between RDNs, ST= for S=, Email= for E=, any case in
// attribute names, OID.1.2.3= or 1.2.3= for other types, "#hex" for a DER
// value, and white space around names, values and separators. Values of
// C and SERIALNUMBER are encoded as PrintableString, of E and DC as
// IA5String (each falling back to UTF8String when the text does not fit),
// and all others as UTF8String; the attributes of a multi-valued RDN are
// kept in DER SET OF order.
func ParseName(s string) (Name, error) {
	n, err := parseName(s)
	if err != nil {
		return Name{}, fmt.Errorf("pki: name %q: %w; write names like %q", s, err, nameExample)
	}
	return n, nil
}

// parseName is ParseName with errors that only say what is wrong, for
// callers that add their own context.
func parseName(s string) (Name, error) {
	if !utf8.ValidString(s) {
		return Name{}, fmt.Errorf("it is not valid UTF-8")
	}
	if strings.TrimFunc(s, isNameSpace) == "" {
		return Name{}, fmt.Errorf("it is empty")
	}
	p := nameParser{s: s}
	var written [][]attribute
	var rdn []attribute
	for part := 1; ; part++ {
		start := p.i
		a, err := p.attribute()
		if err != nil {
			return Name{}, fmt.Errorf("part %d %q: %w", part, p.partText(start), err)
		}
		rdn = append(rdn, a)
		sep := p.separator()
		if sep == '+' {
			continue
		}
		written = append(written, rdn)
		rdn = nil
		if sep == 0 {
			break
		}
	}
	var n Name
	for i := len(written) - 1; i >= 0; i-- {
		n.rdns = append(n.rdns, sortRDN(written[i]))
	}
	return n, nil
}

// sortRDN puts the attributes of a multi-valued RDN in DER SET OF order, so
// that a parsed name and the same name decoded from a certificate agree.
func sortRDN(rdn []attribute) []attribute {
	type encoded struct {
		a   attribute
		der []byte
	}
	elems := make([]encoded, len(rdn))
	for i, a := range rdn {
		elems[i] = encoded{a, encodeRDN(rdn[i : i+1])[0]}
	}
	slices.SortStableFunc(elems, func(x, y encoded) int { return bytes.Compare(x.der, y.der) })
	for i, e := range elems {
		rdn[i] = e.a
	}
	return rdn
}

type nameParser struct {
	s string
	i int
}

func (p *nameParser) skipSpace() {
	for p.i < len(p.s) && isNameSpace(rune(p.s[p.i])) {
		p.i++
	}
}

// partText returns the text of the part that starts at start, up to the next
// separator outside double quotes, for error messages.
func (p *nameParser) partText(start int) string {
	quoted := false
	end := start
	for ; end < len(p.s); end++ {
		c := p.s[end]
		if c == '"' {
			quoted = !quoted
		} else if !quoted && (c == ',' || c == ';' || c == '+') {
			break
		}
	}
	return strings.TrimFunc(p.s[start:end], isNameSpace)
}

// attribute reads one type=value.
func (p *nameParser) attribute() (attribute, error) {
	p.skipSpace()
	keyStart := p.i
	for p.i < len(p.s) && p.s[p.i] != '=' {
		switch p.s[p.i] {
		case ',', ';', '+', '"':
			return attribute{}, fmt.Errorf(`there is no "=" between the attribute name and its value`)
		}
		p.i++
	}
	if p.i == len(p.s) {
		if strings.TrimFunc(p.s[keyStart:], isNameSpace) == "" {
			return attribute{}, fmt.Errorf("nothing follows the last separator")
		}
		return attribute{}, fmt.Errorf(`there is no "=" between the attribute name and its value`)
	}
	key := strings.TrimFunc(p.s[keyStart:p.i], isNameSpace)
	p.i++ // "="
	typ, err := lookupAttributeType(key)
	if err != nil {
		return attribute{}, err
	}
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		v, err := p.quoted()
		if err != nil {
			return attribute{}, err
		}
		return attribute{oid: typ.oid, tag: stringTag(typ.tag, v), value: v}, nil
	}
	return p.unquoted(typ)
}

func (p *nameParser) quoted() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for {
		j := strings.IndexByte(p.s[p.i:], '"')
		if j < 0 {
			return "", fmt.Errorf("the closing double quote is missing")
		}
		b.WriteString(p.s[p.i : p.i+j])
		p.i += j + 1
		if p.i < len(p.s) && p.s[p.i] == '"' { // "" stands for one quote
			b.WriteByte('"')
			p.i++
			continue
		}
		break
	}
	p.skipSpace()
	if p.i < len(p.s) && !strings.ContainsRune(",;+", rune(p.s[p.i])) {
		return "", fmt.Errorf("text follows the closing double quote; a quoted value must end at a separator")
	}
	return b.String(), nil
}

func (p *nameParser) unquoted(typ attributeType) (attribute, error) {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",;+", rune(p.s[p.i])) {
		if p.s[p.i] == '"' {
			return attribute{}, fmt.Errorf(`a double quote inside an unquoted value; wrap the whole value in double quotes and write each quote inside it twice`)
		}
		p.i++
	}
	v := strings.TrimFunc(p.s[start:p.i], isNameSpace)
	switch {
	case v == "":
		return attribute{}, fmt.Errorf(`the value is empty; write "" for an empty value`)
	case v[0] == '#':
		return rawValue(typ, v)
	}
	return attribute{oid: typ.oid, tag: stringTag(typ.tag, v), value: v}, nil
}

// rawValue reads "#hex": one DER element, kept as is unless it is a string
// that decodes (then it is that string, as it would be read from DER).
func rawValue(typ attributeType, v string) (attribute, error) {
	der, err := hex.DecodeString(v[1:])
	var rv asn1.RawValue
	if err == nil {
		var rest []byte
		rest, err = asn1.Unmarshal(der, &rv)
		if err == nil && len(rest) > 0 {
			err = fmt.Errorf("trailing data")
		}
	}
	if err != nil {
		return attribute{}, fmt.Errorf(`%q is not # followed by the hex of one DER value; wrap a value that starts with # in double quotes`, v)
	}
	return decodeValue(typ.oid, rv), nil
}

// separator consumes the separator after a value and returns it ('+', ','
// or ';'), or 0 at the end of the text.
func (p *nameParser) separator() byte {
	if p.i >= len(p.s) {
		return 0
	}
	c := p.s[p.i]
	p.i++
	return c
}

func lookupAttributeType(key string) (attributeType, error) {
	if key == "" {
		return attributeType{}, fmt.Errorf(`an attribute name is missing before "="`)
	}
	if alias, ok := attributeAliases[strings.ToUpper(key)]; ok {
		key = alias
	}
	for _, t := range attributeTypes {
		if strings.EqualFold(t.short, key) {
			return t, nil
		}
	}
	dotted, hasPrefix := strings.CutPrefix(strings.ToUpper(key), "OID.")
	if hasPrefix || (key[0] >= '0' && key[0] <= '9') {
		oid, ok := parseOID(dotted)
		if !ok {
			return attributeType{}, fmt.Errorf("%q is not a valid object identifier (write OID.2.5.4.3 or 2.5.4.3)", key)
		}
		if t, ok := typeByOID(oid); ok {
			return t, nil
		}
		return attributeType{oid: oid, tag: tagUTF8String}, nil
	}
	return attributeType{}, fmt.Errorf("unknown attribute %q; use CN, OU, O, L, S, C, E, DC, STREET, SERIALNUMBER, T, G, I, SN, PostalCode, or OID.1.2.3 for any other type", key)
}

// parseOID reads a dotted object identifier that DER can encode.
func parseOID(s string) (asn1.ObjectIdentifier, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, false
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, part := range parts {
		if part == "" || strings.TrimLeft(part, "0123456789") != "" {
			return nil, false
		}
		v, err := strconv.Atoi(part)
		if err != nil || v > 1<<31-1 {
			return nil, false
		}
		oid[i] = v
	}
	if oid[0] > 2 || (oid[0] < 2 && oid[1] >= 40) || oid[1] > 1<<31-1-80 {
		return nil, false
	}
	return oid, true
}

// stringTag returns the string type a parsed value is encoded with: the
// attribute's preferred type when the text fits it, UTF8String otherwise.
func stringTag(preferred int, v string) int {
	switch preferred {
	case tagPrintable:
		if isPrintableString(v) {
			return tagPrintable
		}
	case tagIA5String:
		if isASCII(v) {
			return tagIA5String
		}
	}
	return tagUTF8String
}

// isPrintableString reports whether v fits X.680's PrintableString.
func isPrintableString(v string) bool {
	for _, r := range v {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" '()+,-./:=?", r)
		if !ok {
			return false
		}
	}
	return true
}

func isASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
