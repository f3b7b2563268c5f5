package psh

import (
	"strings"
	"time"
)

// FormatList renders objects as `Format-List` prints them in a console:
// a blank line, then each object's properties, one per line, as
// "Name : Value" with the names padded to the object's longest, objects
// separated by a blank line, and two blank lines at the end.
func FormatList(objs ...Object) string { return ListOptions{}.FormatList(objs...) }

// ListOptions are the console's settings that change what Format-List
// prints. The zero value prints every value whole on one line, lists
// whole, times in en-US: FormatList's output.
type ListOptions struct {
	// Width is the console's width ($Host.UI.RawUI.BufferSize.Width): a
	// value longer than the room right of the colon continues on the next
	// lines, cut at the width (not at a word) and indented to the value
	// column. 0: no wrapping.
	Width int
	// EnumerationLimit is $FormatEnumerationLimit (PowerShell's default 4):
	// a list with more items shows that many and "...", as in
	// "{a, b, c, d...}". 0: every item.
	EnumerationLimit int
	// Culture prints times as that culture does (see FormatDate); "" is
	// en-US.
	Culture string
}

// FormatList renders objects as Format-List does with these options.
func (opts ListOptions) FormatList(objs ...Object) string {
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
			b.WriteString(opts.wrap(opts.text(p.Value), width+3))
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
func Text(v Value) string { return ListOptions{}.text(v) }

// text renders a value with the options' culture and enumeration limit.
func (opts ListOptions) text(v Value) string {
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
		return FormatDate(x, opts.Culture)
	case time.Duration:
		return FormatTimeSpan(x)
	case []byte:
		list := make([]Value, len(x))
		for i, n := range x {
			list[i] = int64(n)
		}
		return opts.text(list)
	case List:
		return opts.text(x.Items)
	case *List:
		return opts.text(x.Items)
	case []Value:
		parts := make([]string, 0, len(x))
		for i, e := range x {
			if opts.EnumerationLimit > 0 && i == opts.EnumerationLimit {
				return "{" + strings.Join(parts, ", ") + "...}"
			}
			parts = append(parts, opts.text(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *Object:
		var parts []string
		for _, p := range x.Properties {
			parts = append(parts, p.Name+"="+opts.text(p.Value))
		}
		return "@{" + strings.Join(parts, "; ") + "}"
	case int64:
		return itoa(x)
	}
	return ""
}

// wrap cuts a value into the console's width: the first piece follows the
// colon, the others are indented to the value column.
func (opts ListOptions) wrap(value string, column int) string {
	room := opts.Width - column
	if opts.Width <= 0 || room <= 0 {
		return value
	}
	runes := []rune(value)
	if len(runes) <= room {
		return value
	}
	var b strings.Builder
	for len(runes) > room {
		b.WriteString(string(runes[:room]))
		b.WriteString("\n")
		b.WriteString(strings.Repeat(" ", column))
		runes = runes[room:]
	}
	b.WriteString(string(runes))
	return b.String()
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
