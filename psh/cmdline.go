package psh

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is one parsed command line: the cmdlet's name and its arguments
// in the order they were written. Bind matches them to the cmdlet's
// parameters.
type Command struct {
	Name string
	Args []Arg
}

// Arg is one argument of a command line: a parameter (-Name, with its
// value when written -Name:value), or a value (after a parameter, or
// positional). Pos is its byte offset in the line.
type Arg struct {
	// Parameter is the parameter's name without the dash, "" for a value.
	Parameter string
	// Value is a value's value, or a parameter's when Colon.
	Value Value
	// Colon tells a parameter written -Name:value.
	Colon bool
	Pos   int
}

// ParseCommandLine parses one command line as PowerShell does in argument
// mode: the cmdlet's name, then -Parameter, -Parameter:value and values.
// A value is a bare word, '...' (” is a quote), "..." (`" and "" are
// quotes, `n a newline), $null, $true, $false, an integer, a comma list
// (a, b), Format-List's {a, b} or @("a", "b"). The shell expands no
// variables: $name anywhere is refused, as are pipelines, several
// statements and subexpressions. Errors name the byte offset (from 1).
func ParseCommandLine(line string) (Command, error) {
	p := &parser{s: line}
	p.space()
	if p.eof() {
		return Command{}, fmt.Errorf("psh: empty command line: give a cmdlet and its parameters, e.g. Get-ExchangeCertificate -Server EX01")
	}
	start := p.i
	name, err := p.bare()
	if err != nil {
		return Command{}, err
	}
	if name == "" || !isCmdletName(name) {
		return Command{}, p.errAt(start, "%q is not a cmdlet name: a command line starts with Verb-Noun, e.g. Get-ExchangeCertificate", name)
	}
	cmd := Command{Name: name}
	for {
		p.space()
		if p.eof() {
			return cmd, nil
		}
		pos := p.i
		if p.s[p.i] == '-' && p.i+1 < len(p.s) && isNameStart(rune(p.s[p.i+1])) {
			p.i++
			n := p.i
			for p.i < len(p.s) && isNameChar(rune(p.s[p.i])) {
				p.i++
			}
			arg := Arg{Parameter: p.s[n:p.i], Pos: pos + 1}
			if !p.eof() && p.s[p.i] == ':' {
				p.i++
				p.blanks() // -Confirm: $false is -Confirm:$false
				v, err := p.list()
				if err != nil {
					return Command{}, err
				}
				arg.Value, arg.Colon = v, true
			} else if !p.eof() && !isSpace(rune(p.s[p.i])) {
				return Command{}, p.errAt(p.i, "unexpected %q after parameter -%s: write -%s value or -%s:value", p.s[p.i], arg.Parameter, arg.Parameter, arg.Parameter)
			}
			cmd.Args = append(cmd.Args, arg)
			continue
		}
		v, err := p.list()
		if err != nil {
			return Command{}, err
		}
		cmd.Args = append(cmd.Args, Arg{Value: v, Pos: pos + 1})
	}
}

type parser struct {
	s      string
	i      int
	braces int // inside {...}, where Format-List's texts keep their ';'
}

func (p *parser) eof() bool { return p.i >= len(p.s) }

func (p *parser) errAt(pos int, format string, args ...any) error {
	return fmt.Errorf("psh: position %d: %s", pos+1, fmt.Sprintf(format, args...))
}

// space skips blanks and a comment (# to the end of the line).
func (p *parser) space() {
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		switch {
		case isSpace(r):
			p.i += n
		case r == '#':
			p.i = len(p.s)
		default:
			return
		}
	}
}

// list is one value, or several separated by commas.
func (p *parser) list() (Value, error) {
	first, err := p.value()
	if err != nil {
		return nil, err
	}
	p.blanks()
	if p.eof() || p.s[p.i] != ',' {
		return first, nil
	}
	out := []Value{first}
	for !p.eof() && p.s[p.i] == ',' {
		p.i++
		p.blanks()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.blanks()
	}
	return out, nil
}

// blanks skips spaces only (a comma may follow them in a list).
func (p *parser) blanks() {
	for !p.eof() && isSpace(rune(p.s[p.i])) {
		p.i++
	}
}

// value is one value: quoted, a constant, a literal list or a bare word.
func (p *parser) value() (Value, error) {
	if p.eof() {
		return nil, p.errAt(p.i, "missing value at the end of the line")
	}
	start := p.i
	switch c := p.s[p.i]; c {
	case '\'':
		return p.single()
	case '"':
		return p.double()
	case '{':
		p.i++
		p.braces++
		defer func() { p.braces-- }()
		return p.elements('}', start)
	case '@':
		if p.i+1 < len(p.s) && p.s[p.i+1] == '(' {
			p.i += 2
			return p.elements(')', start)
		}
		return nil, p.errAt(start, "%q: only @(...) arrays are understood; hash tables @{...} are not", c)
	case '$':
		return p.variable()
	case '(':
		return nil, p.errAt(start, "subexpressions (...) are not run by this shell: give the value itself")
	case '|':
		return nil, p.errAt(start, "pipelines are not run by this shell: run one cmdlet per command line")
	case ';':
		return nil, p.errAt(start, "one command per line: this shell runs a single cmdlet")
	case ',':
		return nil, p.errAt(start, "missing value before ','")
	case '}', ')':
		return nil, p.errAt(start, "unexpected %q: it closes nothing", c)
	case '<', '>', '&':
		return nil, p.errAt(start, "%q is an operator in PowerShell: quote the value ('%s...')", c, string(c))
	}
	w, err := p.bare()
	if err != nil {
		return nil, err
	}
	if n, err := strconv.ParseInt(w, 10, 64); err == nil && p.i-start == len(w) {
		return n, nil
	}
	return w, nil
}

// elements is the inside of {a, b} or @(a, b), up to the closing rune.
func (p *parser) elements(end byte, start int) (Value, error) {
	out := []Value{}
	for {
		p.space()
		if p.eof() {
			return nil, p.errAt(start, "%q is not closed: add %q", p.s[start], end)
		}
		if p.s[p.i] == end {
			p.i++
			return out, nil
		}
		if len(out) > 0 {
			if p.s[p.i] != ',' {
				return nil, p.errAt(p.i, "expected ',' or %q between list elements", end)
			}
			p.i++
			p.space()
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// single is a single-quoted string: literal, with ” for a quote.
func (p *parser) single() (Value, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		if c == '\'' {
			if !p.eof() && p.s[p.i] == '\'' {
				b.WriteByte('\'')
				p.i++
				continue
			}
			return b.String(), nil
		}
		b.WriteByte(c)
	}
	return nil, p.errAt(start, "the string is missing its closing quote '")
}

// double is a double-quoted string: `x escapes, "" a quote, and $ before a
// name refused (the shell expands no variables).
func (p *parser) double() (Value, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !p.eof() && p.s[p.i] == '"' {
				b.WriteByte('"')
				p.i++
				continue
			}
			return b.String(), nil
		case c == '`':
			if p.i+1 >= len(p.s) {
				return nil, p.errAt(p.i, "the escape ` ends the line")
			}
			b.WriteString(escape(p.s[p.i+1]))
			p.i += 2
		case c == '$' && p.i+1 < len(p.s) && (isNameStart(rune(p.s[p.i+1])) || p.s[p.i+1] == '{' || p.s[p.i+1] == '('):
			return nil, p.errAt(p.i, "%s in a double-quoted string: this shell expands no variables or subexpressions; write the value itself, or use single quotes for a literal $", varText(p.s[p.i:]))
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, p.errAt(start, "the string is missing its closing quote \"")
}

// escape is the character a backtick escape stands for.
func escape(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case '0':
		return "\x00"
	}
	return string(c)
}

// variable is $null, $true or $false; any other variable is refused.
func (p *parser) variable() (Value, error) {
	start := p.i
	p.i++
	n := p.i
	for p.i < len(p.s) && isNameChar(rune(p.s[p.i])) {
		p.i++
	}
	switch strings.ToLower(p.s[n:p.i]) {
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return nil, p.errAt(start, "%s: this shell expands no variables (only $null, $true and $false); write the value itself", varText(p.s[start:]))
}

// varText is the variable at the start of s, for an error.
func varText(s string) string {
	i := 1
	for i < len(s) && (isNameChar(rune(s[i])) || s[i] == '.') {
		i++
	}
	if i == 1 {
		return "$" + string(s[min(1, len(s)-1)]) + "..."
	}
	return s[:i]
}

// bare is an unquoted word: it ends at a blank, a comma, a separator or a
// bracket; a backtick escapes the next character.
func (p *parser) bare() (string, error) {
	var b strings.Builder
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		switch {
		case isSpace(r) || strings.ContainsRune(",|(){}", r) || r == ';' && p.braces == 0:
			return b.String(), nil
		case r == '`':
			if p.i+1 >= len(p.s) {
				return "", p.errAt(p.i, "the escape ` ends the line")
			}
			b.WriteString(escape(p.s[p.i+1]))
			p.i += 2
			continue
		case r == '$' && b.Len() > 0:
			return "", p.errAt(p.i, "%s: this shell expands no variables; quote the word with '...' for a literal $", varText(p.s[p.i:]))
		case r == '\'' || r == '"':
			return "", p.errAt(p.i, "a quote inside a bare word: quote the whole value instead")
		case r == utf8.RuneError && n == 1:
			return "", p.errAt(p.i, "invalid UTF-8")
		}
		b.WriteRune(r)
		p.i += n
	}
	return b.String(), nil
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }

func isNameStart(r rune) bool { return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

func isNameChar(r rune) bool { return isNameStart(r) || '0' <= r && r <= '9' }

// isCmdletName tells Verb-Noun.
func isCmdletName(s string) bool {
	verb, noun, ok := strings.Cut(s, "-")
	if !ok || verb == "" || noun == "" {
		return false
	}
	for _, r := range s {
		if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
