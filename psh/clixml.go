package psh

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// CLIXML is PowerShell's serialization format, as Export-Clixml writes it
// and Import-Clixml reads it (MS-PSRP 2.2.5: an Objs document of Obj
// elements with TN/TNRef type names, ToString, Props and MS members, LST,
// IE, STK, QUE and DCT containers, Ref and Nil, and the primitive elements
// of 2.2.5.1).

// clixmlNamespace is the namespace of Export-Clixml's Objs element.
const clixmlNamespace = "http://schemas.microsoft.com/powershell/2004/04"

// maxCLIXMLDepth bounds nesting, so that hostile input cannot exhaust the
// stack.
const maxCLIXMLDepth = 64

// CLIXMLError is a CLIXML document that cannot be read: the line, the
// element and what is wrong.
type CLIXMLError struct {
	Line    int
	Element string
	Err     error
}

func (e *CLIXMLError) Error() string {
	if e.Element != "" {
		return fmt.Sprintf("line %d: <%s>: %v", e.Line, e.Element, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *CLIXMLError) Unwrap() error { return e.Err }

// ReadCLIXML decodes an Export-Clixml document (already decoded to text,
// see DecodeText): the top-level values in order. Objects become *Object
// with their type names (a remote session's "Deserialized." prefix kept),
// ToString and members (Props, then MS); lists become []Value; S, URI,
// Version, G, XD, SBK, SS, C and the floating-point elements become
// string; the integer elements int64; DT time.Time; TS time.Duration; BA
// []byte; B bool; Nil nil. A Ref is the object it names.
func ReadCLIXML(text string) ([]Value, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	if rest, ok := strings.CutPrefix(strings.TrimLeft(text, " \t\r\n"), "#< CLIXML"); ok {
		text = rest
	}
	r := &clixmlReader{dec: xml.NewDecoder(strings.NewReader(text)),
		objs: map[string]Value{}, types: map[string][]string{}}
	r.dec.Strict = true
	root, err := r.start()
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "Objs" {
		return nil, r.errf(root.Name.Local, "the document is not Export-Clixml output: its root element is <%s>, not <Objs>", root.Name.Local)
	}
	var out []Value
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, _, err := r.value(t, 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		case xml.EndElement:
			if err := r.trailing(); err != nil {
				return nil, err
			}
			return out, nil
		}
	}
}

type clixmlReader struct {
	dec *xml.Decoder

	objs  map[string]Value    // by RefId, once complete
	types map[string][]string // TN by RefId
	open  map[string]bool     // objects being read, by RefId
}

// line is the decoder's current line.
func (r *clixmlReader) line() int {
	line, _ := r.dec.InputPos()
	return line
}

func (r *clixmlReader) errf(elem, format string, args ...any) error {
	return &CLIXMLError{Line: r.line(), Element: elem, Err: fmt.Errorf(format, args...)}
}

// next returns the next token, turning the end of input and XML syntax
// errors into CLIXMLErrors.
func (r *clixmlReader) next() (xml.Token, error) {
	tok, err := r.dec.Token()
	if err == io.EOF {
		return nil, &CLIXMLError{Line: r.line(), Err: errors.New("the document ends before </Objs>: the file is truncated")}
	}
	if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &CLIXMLError{Line: se.Line, Err: fmt.Errorf("XML syntax: %s", se.Msg)}
		}
		return nil, &CLIXMLError{Line: r.line(), Err: err}
	}
	return tok, nil
}

// start skips the prolog to the root element.
func (r *clixmlReader) start() (xml.StartElement, error) {
	for {
		tok, err := r.dec.Token()
		if err == io.EOF {
			return xml.StartElement{}, &CLIXMLError{Line: r.line(), Err: errors.New("the document is empty: Export-Clixml writes an <Objs> element")}
		}
		if err != nil {
			return xml.StartElement{}, (&clixmlReader{dec: r.dec}).wrapSyntax(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

func (r *clixmlReader) wrapSyntax(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &CLIXMLError{Line: se.Line, Err: fmt.Errorf("XML syntax: %s", se.Msg)}
	}
	return &CLIXMLError{Line: r.line(), Err: err}
}

// trailing checks nothing but white space and comments follow </Objs>.
func (r *clixmlReader) trailing() error {
	for {
		tok, err := r.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return r.wrapSyntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return r.errf("", "text after </Objs>")
			}
		case xml.StartElement:
			return r.errf(t.Name.Local, "an element after </Objs>; a file holds one Objs document")
		}
	}
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// text reads an element's character data to its end element.
func (r *clixmlReader) text(e xml.StartElement) (string, error) {
	var b strings.Builder
	for {
		tok, err := r.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if e.Name.Local == "XD" {
				// An XML document value: keep its markup out; its text counts.
				if _, err := r.text(t); err != nil {
					return "", err
				}
				continue
			}
			return "", r.errf(t.Name.Local, "unexpected element inside <%s>, which holds text only", e.Name.Local)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// value reads one value element (the start element already read) and
// returns it with its N attribute (a member's name).
func (r *clixmlReader) value(e xml.StartElement, depth int) (Value, string, error) {
	name, _ := attr(e, "N")
	name = DecodeCLIXMLString(name)
	if depth > maxCLIXMLDepth {
		return nil, name, r.errf(e.Name.Local, "objects are nested more than %d deep", maxCLIXMLDepth)
	}
	el := e.Name.Local
	switch el {
	case "Obj":
		v, err := r.object(e, depth)
		return v, name, err
	case "Nil":
		_, err := r.text(e)
		return nil, name, err
	case "Ref":
		id, _ := attr(e, "RefId")
		if _, err := r.text(e); err != nil {
			return nil, name, err
		}
		v, ok := r.objs[id]
		if !ok {
			if r.open[id] {
				return nil, name, r.errf(el, "RefId %q refers to an object that contains it", id)
			}
			return nil, name, r.errf(el, "RefId %q refers to no earlier object", id)
		}
		return v, name, nil
	}
	s, err := r.text(e)
	if err != nil {
		return nil, name, err
	}
	v, err := primitive(el, s)
	if err != nil {
		return nil, name, r.errf(el, "%v", err)
	}
	return v, name, nil
}

// primitive converts a primitive element's text (MS-PSRP 2.2.5.1).
func primitive(el, s string) (Value, error) {
	switch el {
	case "S", "URI", "Version", "G", "XD", "SBK", "SS":
		return DecodeCLIXMLString(s), nil
	case "C":
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
		if err != nil {
			return nil, fmt.Errorf("a character is its UTF-16 code as a number, not %q", s)
		}
		return string(rune(n)), nil
	case "B":
		switch strings.TrimSpace(s) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("a boolean is true or false, not %q", s)
	case "By", "U16", "U32", "U64":
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an unsigned integer", s)
		}
		if n > 1<<63-1 {
			return strconv.FormatUint(n, 10), nil
		}
		return int64(n), nil
	case "SB", "I16", "I32", "I64":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		return n, nil
	case "Sg", "Db", "D":
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return strings.TrimSpace(s), nil
	case "DT":
		return parseXSDateTime(strings.TrimSpace(s))
	case "TS":
		return parseXSDuration(strings.TrimSpace(s))
	case "BA":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, fmt.Errorf("a byte array is base64: %v", err)
		}
		return b, nil
	case "PR":
		return nil, nil
	}
	return nil, fmt.Errorf("unknown element; CLIXML's values are Obj, Ref, Nil and the primitive elements of MS-PSRP 2.2.5.1 (S, B, I32, DT, ...)")
}

// object reads an Obj element.
func (r *clixmlReader) object(e xml.StartElement, depth int) (Value, error) {
	id, hasID := attr(e, "RefId")
	if hasID {
		if r.open == nil {
			r.open = map[string]bool{}
		}
		r.open[id] = true
		defer delete(r.open, id)
	}
	o := &Object{}
	var list []Value
	isList, isDict, hasMembers, hasValue := false, false, false, false
	var inner Value
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			var v Value
			switch {
			case isList:
				v = list
				if list == nil {
					v = []Value{}
				}
			case isDict || hasMembers || !hasValue:
				v = o
			default:
				if o.ToString != "" {
					v = o.ToString // an enum: its name, not its number
				} else {
					v = inner
				}
			}
			if hasID {
				r.objs[id] = v
			}
			return v, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "TN":
				tid, _ := attr(t, "RefId")
				names, err := r.typeNames(t)
				if err != nil {
					return nil, err
				}
				o.TypeNames = names
				r.types[tid] = names
			case "TNRef":
				tid, _ := attr(t, "RefId")
				if _, err := r.text(t); err != nil {
					return nil, err
				}
				names, ok := r.types[tid]
				if !ok {
					return nil, r.errf("TNRef", "RefId %q names no earlier <TN>", tid)
				}
				o.TypeNames = names
			case "ToString":
				s, err := r.text(t)
				if err != nil {
					return nil, err
				}
				o.ToString = DecodeCLIXMLString(s)
			case "Props", "MS":
				hasMembers = true
				if err := r.members(t, o, depth); err != nil {
					return nil, err
				}
			case "LST", "IE", "STK", "QUE":
				isList = true
				items, err := r.items(t, depth)
				if err != nil {
					return nil, err
				}
				list = append(list, items...)
			case "DCT":
				isDict = true
				if err := r.dictionary(t, o, depth); err != nil {
					return nil, err
				}
			default:
				v, _, err := r.value(t, depth+1)
				if err != nil {
					return nil, err
				}
				inner, hasValue = v, true
			}
		}
	}
}

// typeNames reads a TN element's T children.
func (r *clixmlReader) typeNames(e xml.StartElement) ([]string, error) {
	var names []string
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "T" {
				return nil, r.errf(t.Name.Local, "a <TN> holds <T> elements only")
			}
			s, err := r.text(t)
			if err != nil {
				return nil, err
			}
			names = append(names, DecodeCLIXMLString(s))
		case xml.EndElement:
			return names, nil
		}
	}
}

// members reads Props or MS into o.
func (r *clixmlReader) members(e xml.StartElement, o *Object, depth int) error {
	for {
		tok, err := r.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, name, err := r.value(t, depth+1)
			if err != nil {
				return err
			}
			if name == "" {
				return r.errf(t.Name.Local, "a member of <%s> needs an N attribute (its name)", e.Name.Local)
			}
			o.Properties = append(o.Properties, Property{Name: name, Value: v})
		case xml.EndElement:
			return nil
		}
	}
}

// items reads a list container's values.
func (r *clixmlReader) items(e xml.StartElement, depth int) ([]Value, error) {
	var out []Value
	for {
		tok, err := r.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, _, err := r.value(t, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		case xml.EndElement:
			return out, nil
		}
	}
}

// dictionary reads DCT's En entries (Key, Value) as properties of o.
func (r *clixmlReader) dictionary(e xml.StartElement, o *Object, depth int) error {
	for {
		tok, err := r.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "En" {
				return r.errf(t.Name.Local, "a <DCT> holds <En> entries only")
			}
			var entry Object
			if err := r.members(t, &entry, depth+1); err != nil {
				return err
			}
			key, _ := entry.Get("Key")
			value, _ := entry.Get("Value")
			o.Properties = append(o.Properties, Property{Name: Text(key), Value: value})
		case xml.EndElement:
			return nil
		}
	}
}

// DecodeCLIXMLString undoes CLIXML's string escapes: _xHHHH_ is the
// UTF-16 code unit HHHH (control characters, and "_x" itself as _x005F_).
func DecodeCLIXMLString(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	var pending []uint16
	flush := func() {
		if len(pending) > 0 {
			b.WriteString(string(utf16.Decode(pending)))
			pending = nil
		}
	}
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				pending = append(pending, uint16(n))
				i += 7
				continue
			}
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String()
}

// parseXSDateTime reads an xs:dateTime as .NET writes it: with or without
// fractional seconds (up to seven digits) and an offset or Z; no offset
// is UTC.
func parseXSDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an xs:dateTime such as 2026-01-05T09:00:00Z", s)
}

// parseXSDuration reads an xs:duration as .NET writes a TimeSpan:
// [-]P[nD][T[nH][nM][n[.f]S]].
func parseXSDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not an xs:duration such as PT15M or P2D", s)
	neg := strings.HasPrefix(s, "-")
	rest, ok := strings.CutPrefix(strings.TrimPrefix(s, "-"), "P")
	if !ok || rest == "" {
		return 0, bad
	}
	var d time.Duration
	inTime := false
	for rest != "" {
		if rest[0] == 'T' {
			inTime, rest = true, rest[1:]
			continue
		}
		i := strings.IndexAny(rest, "YMDHS")
		if i <= 0 {
			return 0, bad
		}
		num, unit := rest[:i], rest[i]
		rest = rest[i+1:]
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || f < 0 || f > 1e7 {
			return 0, bad
		}
		switch {
		case unit == 'D' && !inTime:
			d += time.Duration(f * float64(24*time.Hour))
		case unit == 'H' && inTime:
			d += time.Duration(f * float64(time.Hour))
		case unit == 'M' && inTime:
			d += time.Duration(f * float64(time.Minute))
		case unit == 'S' && inTime:
			d += time.Duration(f * float64(time.Second))
		case unit == 'Y' && !inTime:
			d += time.Duration(f * float64(365*24*time.Hour))
		case unit == 'M' && !inTime:
			d += time.Duration(f * float64(30*24*time.Hour))
		default:
			return 0, bad
		}
	}
	if neg {
		d = -d
	}
	return d, nil
}
