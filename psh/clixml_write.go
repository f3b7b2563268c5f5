package psh

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WriteCLIXML encodes values as Export-Clixml writes them: an Objs
// document (version 1.1.0.1), one element per value, objects with RefIds,
// type names given once and referred to by TNRef afterwards, ToString when
// the object has one, properties in Props; strings as S, booleans as B,
// int64 as I32 when it fits and I64 otherwise, times as DT, durations as TS,
// byte arrays as BA, a []Value as an ArrayList's LST and a List as an LST
// with its own type names, nil as Nil. The text is
// returned as a string; EncodeUTF16LE gives Windows PowerShell's file bytes.
func WriteCLIXML(values ...Value) string {
	w := &clixmlWriter{types: map[string]int{}}
	w.b.WriteString(`<Objs Version="1.1.0.1" xmlns="` + clixmlNamespace + `">` + "\r\n")
	for _, v := range values {
		w.value(v, "", 1)
	}
	w.b.WriteString("</Objs>")
	return w.b.String()
}

type clixmlWriter struct {
	b      strings.Builder
	nextID int
	types  map[string]int
	nextTN int
}

// listTypes are the type names a list property carries.
var listTypes = []string{"System.Collections.ArrayList", "System.Object"}

func (w *clixmlWriter) indent(depth int) { w.b.WriteString(strings.Repeat("  ", depth)) }

func (w *clixmlWriter) nameAttr(name string) string {
	if name == "" {
		return ""
	}
	return ` N="` + escapeXML(EncodeCLIXMLString(name)) + `"`
}

func (w *clixmlWriter) prim(el, name, text string, depth int) {
	w.indent(depth)
	fmt.Fprintf(&w.b, "<%s%s>%s</%s>\r\n", el, w.nameAttr(name), text, el)
}

func (w *clixmlWriter) value(v Value, name string, depth int) {
	switch x := v.(type) {
	case nil:
		w.indent(depth)
		fmt.Fprintf(&w.b, "<Nil%s />\r\n", w.nameAttr(name))
	case string:
		w.prim("S", name, escapeXML(EncodeCLIXMLString(x)), depth)
	case bool:
		w.prim("B", name, strconv.FormatBool(x), depth)
	case int64:
		if x >= -1<<31 && x < 1<<31 {
			w.prim("I32", name, strconv.FormatInt(x, 10), depth)
		} else {
			w.prim("I64", name, strconv.FormatInt(x, 10), depth)
		}
	case time.Time:
		w.prim("DT", name, formatXSDateTime(x), depth)
	case time.Duration:
		w.prim("TS", name, formatXSDuration(x), depth)
	case []byte:
		w.prim("BA", name, base64.StdEncoding.EncodeToString(x), depth)
	case []Value:
		w.list(name, listTypes, x, depth)
	case List:
		w.list(name, x.TypeNames, x.Items, depth)
	case *List:
		w.list(name, x.TypeNames, x.Items, depth)
	case *Object:
		w.object(*x, name, depth)
	case Object:
		w.object(x, name, depth)
	default:
		w.prim("S", name, escapeXML(EncodeCLIXMLString(fmt.Sprint(x))), depth)
	}
}

// list writes an Obj holding an LST.
func (w *clixmlWriter) list(name string, typeNames []string, items []Value, depth int) {
	w.open(name, typeNames, "", depth)
	w.indent(depth + 1)
	if len(items) == 0 {
		w.b.WriteString("<LST />\r\n")
	} else {
		w.b.WriteString("<LST>\r\n")
		for _, e := range items {
			w.value(e, "", depth+2)
		}
		w.indent(depth + 1)
		w.b.WriteString("</LST>\r\n")
	}
	w.indent(depth)
	w.b.WriteString("</Obj>\r\n")
}

// open writes an Obj start with its RefId and type names.
func (w *clixmlWriter) open(name string, typeNames []string, toString string, depth int) {
	w.indent(depth)
	fmt.Fprintf(&w.b, "<Obj%s RefId=\"%d\">\r\n", w.nameAttr(name), w.nextID)
	w.nextID++
	if len(typeNames) > 0 {
		key := strings.Join(typeNames, "\n")
		w.indent(depth + 1)
		if id, ok := w.types[key]; ok {
			fmt.Fprintf(&w.b, "<TNRef RefId=\"%d\" />\r\n", id)
		} else {
			w.types[key] = w.nextTN
			fmt.Fprintf(&w.b, "<TN RefId=\"%d\">\r\n", w.nextTN)
			w.nextTN++
			for _, t := range typeNames {
				w.indent(depth + 2)
				fmt.Fprintf(&w.b, "<T>%s</T>\r\n", escapeXML(EncodeCLIXMLString(t)))
			}
			w.indent(depth + 1)
			w.b.WriteString("</TN>\r\n")
		}
	}
	if toString != "" {
		w.indent(depth + 1)
		fmt.Fprintf(&w.b, "<ToString>%s</ToString>\r\n", escapeXML(EncodeCLIXMLString(toString)))
	}
}

func (w *clixmlWriter) object(o Object, name string, depth int) {
	w.open(name, o.TypeNames, o.ToString, depth)
	if len(o.Properties) > 0 {
		w.indent(depth + 1)
		w.b.WriteString("<Props>\r\n")
		for _, p := range o.Properties {
			w.value(p.Value, p.Name, depth+2)
		}
		w.indent(depth + 1)
		w.b.WriteString("</Props>\r\n")
	}
	w.indent(depth)
	w.b.WriteString("</Obj>\r\n")
}

// EncodeCLIXMLString applies CLIXML's string escapes: control characters,
// and the "_x" that would read as an escape, become _xHHHH_.
func EncodeCLIXMLString(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0xfffe && r <= 0xffff):
			fmt.Fprintf(&b, "_x%04X_", r)
		case r == '_' && i+1 < len(s) && s[i+1] == 'x':
			b.WriteString("_x005F_")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// formatXSDateTime writes a time as .NET's XmlConvert does for a DateTime:
// seven fractional digits only when there is a fraction, Z for UTC, the
// offset otherwise.
func formatXSDateTime(t time.Time) string {
	if t.Location() == time.UTC {
		return t.Format("2006-01-02T15:04:05.9999999Z")
	}
	return t.Format("2006-01-02T15:04:05.9999999-07:00")
}

// formatXSDuration writes a TimeSpan as xs:duration: P2D, PT15M, PT1H30M.
func formatXSDuration(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	b.WriteByte('P')
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if d > 0 || days == 0 {
		b.WriteByte('T')
		h, m := d/time.Hour, (d%time.Hour)/time.Minute
		s := d % time.Minute
		if h > 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s > 0 || (h == 0 && m == 0) {
			b.WriteString(strconv.FormatFloat(s.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}
