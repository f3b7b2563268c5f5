package psh

import (
	"strings"
	"time"
)

// FormatList renders objects as `Format-List` prints them in a console:
// a blank line, then each object's properties, one per line, as
// "Name : Value" with the names padded to the object's longest, objects
// separated by a blank line, and two blank lines at the end.
func FormatList(objs ...Object) string {
	var b strings.Builder
	b.WriteString("\n")
	for _, o := range objs {
		width := 0
		for _, p := range o.Properties {
			width = max(width, len(p.Name))
		}
		for _, p := range o.Properties {
			b.WriteString(p.Name)
			b.WriteString(strings.Repeat(" ", width-len(p.Name)))
			b.WriteString(" : ")
			b.WriteString(Text(p.Value))
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return strings.TrimSuffix(b.String(), "\n") + "\n"
}

// Text renders a value as PowerShell's formatter shows it: $null as
// nothing, True and False, times in the en-US culture
// ("1/5/2026 9:00:00 AM"), lists as "{a, b}", a nested object as its
// properties in braces.
func Text(v Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case time.Time:
		return x.Format("1/2/2006 3:04:05 PM")
	case []Value:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Text(e)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *Object:
		var parts []string
		for _, p := range x.Properties {
			parts = append(parts, p.Name+"="+Text(p.Value))
		}
		return "@{" + strings.Join(parts, "; ") + "}"
	case int64:
		return itoa(x)
	}
	return ""
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	var buf [20]byte
	i := len(buf)
	for n != 0 {
		d := n % 10
		if d < 0 {
			d = -d
		}
		i--
		buf[i] = byte('0' + d)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
