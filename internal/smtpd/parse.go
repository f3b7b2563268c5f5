package smtpd

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// command is one command line split into its verb and its argument.
type command struct {
	verb string // ASCII upper case; SMTP verbs are case-insensitive (RFC 5321 §2.4)
	arg  string // the rest of the line, surrounding spaces removed
}

// parseCommand splits a command line (CRLF already removed) at the first space.
func parseCommand(line string) command {
	verb, arg, _ := strings.Cut(line, " ")
	return command{verb: asciiUpper(verb), arg: strings.Trim(arg, " ")}
}

// parseErr says which reply a parse failure earns.
type parseErr int

const (
	parsedOK   parseErr = iota
	badArgs             // the verb's syntax or a parameter: InvalidArguments
	badAddress          // the path: InvalidAddress (MAIL) or InvalidRecipient (RCPT)
)

// parseMail parses MAIL's argument: `FROM:<reverse-path> [params]`, with the space Exchange
// tolerates after the colon (S4 `MAIL FROM: <chris@contoso.com>`) and a bare address without
// brackets. Parameters: SIZE (RFC 1870), BODY (RFC 6152, 3030), SMTPUTF8 (RFC 6531), RET and
// ENVID (RFC 3461), AUTH (RFC 4954, accepted and ignored).
func parseMail(arg string) (*Message, parseErr) {
	rest, ok := cutPrefixFold(arg, "FROM:")
	if !ok {
		return nil, badArgs
	}
	path, params, ok := splitPath(strings.TrimLeft(rest, " "))
	if !ok {
		return nil, badAddress
	}
	from, ok := parsePath(path, true)
	if !ok {
		return nil, badAddress
	}
	m := &Message{From: from}
	var seen uint8 // each parameter once
	for _, p := range strings.Fields(params) {
		key, val, hasVal := strings.Cut(p, "=")
		key = asciiUpper(key)
		i := slices.Index(mailParams[:], key)
		if i < 0 || seen&(1<<i) != 0 {
			return nil, badArgs
		}
		seen |= 1 << i
		switch {
		case key == "SIZE" && hasVal:
			n, ok := parseDigits(val)
			if !ok {
				return nil, badArgs
			}
			m.Size = n
		case key == "BODY" && hasVal:
			switch v := asciiUpper(val); v {
			case "7BIT", "8BITMIME", "BINARYMIME":
				m.Body = v
			default:
				return nil, badArgs
			}
		case key == "SMTPUTF8" && !hasVal:
			m.SMTPUTF8 = true
		case key == "RET" && hasVal:
			switch v := asciiUpper(val); v {
			case "FULL", "HDRS":
				m.Ret = v
			default:
				return nil, badArgs
			}
		case key == "ENVID" && hasVal && len(val) <= 100 && validXtext(val):
			m.EnvID = val
		case key == "AUTH" && hasVal:
		default:
			return nil, badArgs
		}
	}
	return m, parsedOK
}

// mailParams are the MAIL parameters parseMail knows.
var mailParams = [...]string{"SIZE", "BODY", "SMTPUTF8", "RET", "ENVID", "AUTH"}

// parseRcpt parses RCPT's argument: `TO:<forward-path> [params]`, the bare `<postmaster>`
// included (RFC 5321 §4.1.1.3). Parameters: NOTIFY and ORCPT (RFC 3461).
func parseRcpt(arg string) (Recipient, parseErr) {
	rest, ok := cutPrefixFold(arg, "TO:")
	if !ok {
		return Recipient{}, badArgs
	}
	path, params, ok := splitPath(strings.TrimLeft(rest, " "))
	if !ok {
		return Recipient{}, badAddress
	}
	var r Recipient
	if strings.EqualFold(path, "<postmaster>") {
		r.Address = path[1 : len(path)-1]
	} else if r.Address, ok = parsePath(path, false); !ok {
		return Recipient{}, badAddress
	}
	for _, p := range strings.Fields(params) {
		key, val, hasVal := strings.Cut(p, "=")
		switch key = asciiUpper(key); {
		case key == "NOTIFY" && hasVal && r.Notify == nil:
			if r.Notify, ok = parseNotify(val); !ok {
				return Recipient{}, badArgs
			}
		case key == "ORCPT" && hasVal && r.ORcpt == "":
			typ, addr, ok := strings.Cut(val, ";")
			if !ok || typ == "" || !validAtom(typ) || !validXtext(addr) {
				return Recipient{}, badArgs
			}
			r.ORcpt = val
		default:
			return Recipient{}, badArgs
		}
	}
	return r, parsedOK
}

// parseNotify parses NOTIFY's value: NEVER alone, or a list of SUCCESS, FAILURE and DELAY.
func parseNotify(v string) ([]string, bool) {
	var out []string
	for w := range strings.SplitSeq(asciiUpper(v), ",") {
		switch w {
		case "SUCCESS", "FAILURE", "DELAY", "NEVER":
		default:
			return nil, false
		}
		for _, o := range out {
			if o == w || o == "NEVER" || w == "NEVER" {
				return nil, false
			}
		}
		out = append(out, w)
	}
	return out, true
}

// parseBdat parses BDAT's argument: a chunk size and an optional LAST (RFC 3030).
func parseBdat(arg string) (size int64, last bool, ok bool) {
	f := strings.Fields(arg)
	if len(f) == 0 || len(f) > 2 || (len(f) == 2 && !strings.EqualFold(f[1], "LAST")) {
		return 0, false, false
	}
	size, ok = parseDigits(f[0])
	return size, len(f) == 2, ok
}

// splitPath separates a path from the parameters after it: `<...>` up to the closing bracket
// outside a quoted local part, or a bare address up to the first space.
func splitPath(s string) (path, params string, ok bool) {
	if !strings.HasPrefix(s, "<") {
		path, params, _ = strings.Cut(s, " ")
		return path, params, path != ""
	}
	quoted := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '>':
			path, params = s[:i+1], s[i+1:]
			return path, params, params == "" || params[0] == ' '
		}
	}
	return "", "", false
}

// parsePath validates a path and returns its mailbox without brackets; the null path `<>`
// gives "" when allowNull. A source route (`<@a,@b:user@host>`) is dropped, as RFC 5321
// §4.1.1.3 allows.
func parsePath(path string, allowNull bool) (string, bool) {
	if strings.HasPrefix(path, "<") {
		if !strings.HasSuffix(path, ">") || len(path) < 2 {
			return "", false
		}
		path = path[1 : len(path)-1]
		if path == "" {
			return "", allowNull
		}
		if strings.HasPrefix(path, "@") {
			route, mailbox, ok := strings.Cut(path, ":")
			if !ok || !validRoute(route) {
				return "", false
			}
			path = mailbox
		}
	}
	return path, validMailbox(path)
}

// validRoute checks a source route: `@domain` items separated by commas.
func validRoute(route string) bool {
	for hop := range strings.SplitSeq(route, ",") {
		if !strings.HasPrefix(hop, "@") || !validDomain(hop[1:], true) {
			return false
		}
	}
	return true
}

// validMailbox checks `local@domain`: a dot-atom or quoted-string local part (UTF-8 allowed,
// RFC 6531) and a domain or address literal.
func validMailbox(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || len(s) > 571 { // 571: S16 LongAddressesEnabled's default address limit
		return false
	}
	local, domain := s[:at], s[at+1:]
	if !validDomain(domain, true) {
		return false
	}
	if strings.HasPrefix(local, `"`) {
		return validQuoted(local)
	}
	return validDotAtom(local)
}

// validQuoted checks a quoted-string local part: printable text, backslash escapes.
func validQuoted(s string) bool {
	if len(s) < 2 || !strings.HasSuffix(s, `"`) || !utf8.ValidString(s) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s)-1:
			i++
		case c == '\\' || c == '"' || c < ' ' || c == 0x7f:
			return false
		}
	}
	return true
}

// validDotAtom checks atoms separated by single dots.
func validDotAtom(s string) bool {
	for atom := range strings.SplitSeq(s, ".") {
		if atom == "" || !validAtom(atom) {
			return false
		}
	}
	return true
}

// validAtom checks RFC 5322 atext, with UTF-8 beyond ASCII (RFC 6531).
func validAtom(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validDomain checks an EHLO/HELO argument or an address's domain: dot-separated labels of
// letters, digits, hyphens and underscores (single-label names included: a 2016 RECV log shows
// `EHLO ylmf-pc` accepted), or an address literal `[192.0.2.1]` / `[IPv6:2001:db8::1]`.
// Anything else earns S4's `501 5.5.4 Invalid domain name` ("Invalid characters in the domain
// name"). utf8Labels admits U-labels, for addresses (RFC 6531).
func validDomain(s string, utf8Labels bool) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	if strings.HasPrefix(s, "[") {
		lit, ok := strings.CutSuffix(s[1:], "]")
		if v6, isV6 := cutPrefixFold(lit, "IPv6:"); isV6 && ok {
			a, err := netip.ParseAddr(v6)
			return err == nil && a.Is6()
		}
		a, err := netip.ParseAddr(lit)
		return ok && err == nil && a.Is4()
	}
	if utf8Labels && !utf8.ValidString(s) {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				c == '-' || c == '_' || utf8Labels && c >= 0x80 {
				continue
			}
			return false
		}
	}
	return true
}

// validXtext checks RFC 3461 xtext: printable ASCII except "+" and "=", and "+XX" hex escapes.
func validXtext(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			if i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
				return false
			}
			i += 2
		case c < '!' || c > '~' || c == '=':
			return false
		}
	}
	return true
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// parseDigits parses a non-negative decimal that fits an int64 with room to add to it.
func parseDigits(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// cutPrefixFold is strings.CutPrefix, ASCII case-insensitive.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// asciiUpper upper-cases ASCII letters only, leaving other bytes as they are.
func asciiUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
