package fakeexo

import (
	"bytes"
	"slices"
	"strings"
)

// header is a message split into its header fields (each with its
// continuation lines and line end, byte for byte) and its body.
type header struct {
	fields []string
	body   []byte // from the blank line on; nil when the message has none
}

// splitMessage splits a message at its first empty line. A message that does
// not start with a header field is all body.
func splitMessage(data []byte) header {
	var h header
	rest := data
	for len(rest) > 0 {
		if bytes.HasPrefix(rest, []byte("\r\n")) || bytes.HasPrefix(rest, []byte("\n")) {
			h.body = rest
			return h
		}
		end := fieldEnd(rest)
		field := string(rest[:end])
		if len(h.fields) == 0 && !strings.Contains(strings.SplitN(field, "\n", 2)[0], ":") {
			return header{body: data}
		}
		h.fields = append(h.fields, field)
		rest = rest[end:]
	}
	return h
}

// fieldEnd returns the length of the first field of b: its line and every
// continuation line (one starting with a space or a tab).
func fieldEnd(b []byte) int {
	i := 0
	for {
		nl := bytes.IndexByte(b[i:], '\n')
		if nl < 0 {
			return len(b)
		}
		i += nl + 1
		if i >= len(b) || b[i] != ' ' && b[i] != '\t' {
			return i
		}
	}
}

// fieldName returns a field's name.
func fieldName(field string) string {
	name, _, _ := strings.Cut(field, ":")
	return strings.TrimSpace(name)
}

// get returns the first value of the named field, unfolded and trimmed.
func (h *header) get(name string) string {
	for _, f := range h.fields {
		if strings.EqualFold(fieldName(f), name) {
			_, v, _ := strings.Cut(f, ":")
			v = strings.NewReplacer("\r\n", "", "\n", "").Replace(v)
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// remove drops every field whose name satisfies drop.
func (h *header) remove(drop func(name string) bool) {
	h.fields = slices.DeleteFunc(h.fields, func(f string) bool { return drop(fieldName(f)) })
}

// set replaces every field of that name with one, added at the top.
func (h *header) set(name, value string) {
	h.remove(func(n string) bool { return strings.EqualFold(n, name) })
	h.fields = append([]string{name + ": " + value + "\r\n"}, h.fields...)
}

// bytes joins the message again. Fields added to a message that had none
// get the empty line that separates them from its body.
func (h *header) bytes() []byte {
	var b bytes.Buffer
	for _, f := range h.fields {
		b.WriteString(f)
	}
	if len(h.fields) > 0 && len(h.body) > 0 && !bytes.HasPrefix(h.body, []byte("\r\n")) && h.body[0] != '\n' {
		b.WriteString("\r\n")
	}
	b.Write(h.body)
	return b.Bytes()
}

// hasPrefixFold reports whether a field name starts with prefix, ignoring case.
func hasPrefixFold(name, prefix string) bool {
	return len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix)
}

// stampInbound applies the header firewall and EXO's decision to a message
// the front door accepted (§7): X-MS-Exchange-Organization-* fields from
// outside are removed (S27's header firewall); with promote, the
// X-MS-Exchange-CrossPremises-* fields become X-MS-Exchange-Organization-*
// ones, replacing any of the same name (S16), else they are removed; then
// AuthAs and MessageDirectionality say what EXO decided (Internal and
// Originating, or Anonymous and Incoming), with the OBS companions
// AuthMechanism 10 (hybrid mail) or FromEntityHeader Internet, and
// X-CrossPremisesHeadersPromoted/Filtered naming the server when promoted.
func stampInbound(data []byte, internal, promote bool, server string) []byte {
	h := splitMessage(data)
	h.remove(func(n string) bool { return hasPrefixFold(n, prefixOrganization) })
	if promote {
		for i, f := range h.fields {
			if name := fieldName(f); hasPrefixFold(name, prefixCrossPremises) {
				h.fields[i] = prefixOrganization + f[len(prefixCrossPremises):]
			}
		}
		h.set(headerFiltered, server)
		h.set(headerPromoted, server)
	} else {
		h.remove(func(n string) bool { return hasPrefixFold(n, prefixCrossPremises) })
	}
	if internal {
		if promote {
			h.set(headerAuthMechanism, authMechanismHybrid)
		}
		h.set(headerDirectionality, directionOriginating)
		h.set(headerAuthAs, authInternal)
	} else {
		h.set(headerFromEntity, fromEntityInternet)
		h.set(headerDirectionality, directionIncoming)
		h.set(headerAuthAs, authAnonymous)
	}
	return h.bytes()
}

// stampOutbound prepares a message for the next host (§7, S16): through a
// connector with CloudServicesMailEnabled the X-MS-Exchange-Organization-*
// fields become X-MS-Exchange-CrossPremises-* ones, replacing any of the same
// name; otherwise both kinds are removed (the header firewall). EXO's own
// X-CrossPremisesHeadersPromoted/Filtered stamps stay inside (INFER).
func stampOutbound(data []byte, crossPremises bool) []byte {
	h := splitMessage(data)
	h.remove(func(n string) bool {
		return strings.EqualFold(n, headerPromoted) || strings.EqualFold(n, headerFiltered)
	})
	if !crossPremises {
		h.remove(func(n string) bool {
			return hasPrefixFold(n, prefixOrganization) || hasPrefixFold(n, prefixCrossPremises)
		})
		return h.bytes()
	}
	converted := map[string]bool{}
	for _, f := range h.fields {
		if name := fieldName(f); hasPrefixFold(name, prefixOrganization) {
			converted[strings.ToLower(name[len(prefixOrganization):])] = true
		}
	}
	h.remove(func(n string) bool {
		return hasPrefixFold(n, prefixCrossPremises) && converted[strings.ToLower(n[len(prefixCrossPremises):])]
	})
	for i, f := range h.fields {
		if hasPrefixFold(fieldName(f), prefixOrganization) {
			h.fields[i] = prefixCrossPremises + f[len(prefixOrganization):]
		}
	}
	return h.bytes()
}
