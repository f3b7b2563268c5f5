package psh

import (
	"fmt"
	"regexp"
	"strings"
)

// ListObject is one object read from Format-List (or Format-Table) text.
type ListObject struct {
	Line int // where the object starts (1-based)
	// Command is the command of the last prompt line before the object
	// ("Get-ExchangeCertificate | fl"), "" when the text has none.
	Command    string
	Properties []ListProperty
}

// ListProperty is one property as printed: its name, its text with the
// wrapped pieces joined, and where it starts.
type ListProperty struct {
	Name, Value string
	Line        int
}

// Get returns a property's text by name (case-insensitive).
func (o ListObject) Get(name string) (ListProperty, bool) {
	for _, p := range o.Properties {
		if equalFold(p.Name, name) {
			return p, true
		}
	}
	return ListProperty{}, false
}

// ListError is text that is not Format-List output, with its line.
type ListError struct {
	Line int
	Err  error
}

func (e *ListError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *ListError) Unwrap() error { return e.Err }

var (
	// listProperty is "Name<padding> : value"; the value may be empty.
	listProperty = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.\-]*)( *) :(?: (.*))?$`)
	// promptLine is PowerShell's or the Exchange Management Shell's prompt
	// with the command typed at it.
	promptLine = regexp.MustCompile(`^(?:\[PS\] |PS )[^>\n]*>\s*(.*)$`)
	// streamLine is a message of another stream, which Format-List's
	// output may be interleaved with.
	streamLine = regexp.MustCompile(`^(WARNING|VERBOSE|DEBUG|INFORMATION): `)
	// tableRule is the line of dashes under a Format-Table header.
	tableRule = regexp.MustCompile(`^-+( +-+)*\s*$`)
)

// ReadFormatList reads text Format-List printed (see DecodeText for the
// file's encoding): objects separated by blank lines, "Name : Value" lines
// whose values may continue on lines indented to the value column (they
// are joined as PowerShell cut them, at the width), prompt lines (their
// command is kept), WARNING and VERBOSE lines (skipped), and Format-Table
// output (a header, a rule of dashes, one row per object). Any other line
// is an error naming it.
func ReadFormatList(text string) ([]ListObject, error) {
	lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(text, "\ufeff"), "\r\n", "\n"), "\n")
	var out []ListObject
	var cur *ListObject
	command := ""
	column := 0
	end := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line, n := strings.TrimRight(lines[i], "\r"), i+1
		switch {
		case strings.TrimSpace(line) == "":
			end()
		case promptLine.MatchString(line):
			end()
			command = promptLine.FindStringSubmatch(line)[1]
		case streamLine.MatchString(line):
		case line[0] == ' ' || line[0] == '\t':
			if cur == nil || len(cur.Properties) == 0 {
				return out, &ListError{Line: n, Err: fmt.Errorf("an indented line %q that continues no property; a Format-List value continues only below a \"Name : Value\" line", clip(line))}
			}
			p := &cur.Properties[len(cur.Properties)-1]
			if len(line) >= column && strings.TrimSpace(line[:column]) == "" {
				p.Value += line[column:]
			} else {
				p.Value += strings.TrimLeft(line, " \t")
			}
		case i+1 < len(lines) && tableRule.MatchString(strings.TrimRight(lines[i+1], "\r")) && !listProperty.MatchString(line):
			end()
			rows, next, err := readTable(lines, i, command)
			if err != nil {
				return out, err
			}
			out = append(out, rows...)
			i = next - 1
		default:
			m := listProperty.FindStringSubmatch(line)
			if m == nil {
				return out, &ListError{Line: n, Err: fmt.Errorf("%q is not a \"Name : Value\" line of Format-List output; send the output of the command piped to Format-List (| fl)", clip(line))}
			}
			if cur == nil {
				cur = &ListObject{Line: n, Command: command}
				column = len(m[1]) + len(m[2]) + 3
			}
			cur.Properties = append(cur.Properties, ListProperty{Name: m[1], Value: m[3], Line: n})
		}
	}
	end()
	return out, nil
}

// readTable reads Format-Table output from its header line: the rule's
// dash groups give the columns; each row up to a blank line is an object.
func readTable(lines []string, at int, command string) ([]ListObject, int, error) {
	header, rule := strings.TrimRight(lines[at], "\r"), strings.TrimRight(lines[at+1], "\r")
	type col struct{ start, end int }
	var cols []col
	for i := 0; i < len(rule); {
		if rule[i] != '-' {
			i++
			continue
		}
		j := i
		for j < len(rule) && rule[j] == '-' {
			j++
		}
		cols = append(cols, col{i, j})
		i = j
	}
	cell := func(s string, k int) string {
		start := cols[k].start
		end := len(s)
		if k+1 < len(cols) {
			end = min(cols[k+1].start, len(s))
		}
		if start >= len(s) || start >= end {
			return ""
		}
		return strings.TrimSpace(s[start:end])
	}
	names := make([]string, len(cols))
	for k := range cols {
		names[k] = cell(header, k)
		if names[k] == "" {
			return nil, 0, &ListError{Line: at + 1, Err: fmt.Errorf("table column %d has no name in the header line", k+1)}
		}
	}
	var out []ListObject
	i := at + 2
	for ; i < len(lines); i++ {
		row := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(row) == "" || promptLine.MatchString(row) {
			break
		}
		o := ListObject{Line: i + 1, Command: command}
		for k, name := range names {
			o.Properties = append(o.Properties, ListProperty{Name: name, Value: cell(row, k), Line: i + 1})
		}
		out = append(out, o)
	}
	return out, i, nil
}

// clip shortens a line for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "..."
	}
	return s
}

// ListValues splits a multi-valued property's text: "{a, b}" (Format-List's
// braces), or "a, b" as flags enums print; "" and "{}" are empty. truncated
// reports PowerShell's "..." ($FormatEnumerationLimit): the text ends in
// "...}" and the list is incomplete. An item that holds a distinguished
// name ("<I>CN=x, O=y<S>...") keeps its commas.
func ListValues(text string) (values []string, truncated bool) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "{") && strings.HasSuffix(text, "}") {
		text = text[1 : len(text)-1]
		if strings.HasSuffix(text, "...") {
			truncated = true
			text = strings.TrimSuffix(text, "...")
		}
	}
	if strings.TrimSpace(text) == "" {
		return nil, truncated
	}
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		switch {
		case part == "":
		case len(values) > 0 && dnAttribute.MatchString(part) && strings.Contains(values[len(values)-1], "="):
			// A distinguished name's next component ("CN=x, O=y"), as in
			// TlsDomainCapabilities' "<I>issuer<S>subject:Capability".
			values[len(values)-1] += ", " + part
		default:
			values = append(values, part)
		}
	}
	return values, truncated
}

// dnAttribute is the start of a distinguished name's component.
var dnAttribute = regexp.MustCompile(`^(CN|OU|O|L|S|ST|C|DC|E|SERIALNUMBER|STREET|PostalCode)=`)
