package fakeonprem

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"
)

// message is one message as this organization holds it: its ids, envelope sender and bytes
// (headers as rewritten on acceptance).
type message struct {
	id        string // Message-ID, angle brackets included
	internal  int64  // internal-message-id on the server that took it (the queued reply's InternalId)
	networkID string // network-message-id
	from      string // envelope sender; "" for the null sender
	subject   string
	header    headerFields
	body      []byte
	received  time.Time
	sessionID string // the SMTP session it arrived on ("" when submitted)
}

// bytes renders the message.
func (m *message) bytes() []byte { return append(m.header.bytes(), m.body...) }

// headerField is one header line with its continuation lines, as received.
type headerField struct{ name, value string }

// headerFields is a message's header in order; names compare case-insensitively.
type headerFields []headerField

// splitMessage separates the header from the body (the body keeps the blank line's
// successors; the blank line is written by bytes).
func splitMessage(data []byte) (headerFields, []byte) {
	var h headerFields
	rest := data
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := rest
		next := []byte(nil)
		if i >= 0 {
			line, next = rest[:i+1], rest[i+1:]
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" {
			return h, next
		}
		if (text[0] == ' ' || text[0] == '\t') && len(h) > 0 {
			h[len(h)-1].value += "\r\n" + text
		} else if name, value, ok := strings.Cut(text, ":"); ok {
			h = append(h, headerField{name: name, value: strings.TrimLeft(value, " ")})
		}
		rest = next
	}
	return h, nil
}

func (h headerFields) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// set replaces the first field of that name, or appends one.
func (h headerFields) set(name, value string) headerFields {
	for i, f := range h {
		if strings.EqualFold(f.name, name) {
			h[i].value = value
			return h
		}
	}
	return append(h, headerField{name: name, value: value})
}

// without drops every field whose name starts with prefix.
func (h headerFields) without(prefix string) headerFields {
	var out headerFields
	for _, f := range h {
		if !hasPrefixFold(f.name, prefix) {
			out = append(out, f)
		}
	}
	return out
}

// renamed renames the fields whose names start with from to start with to (S16
// CloudServicesMailEnabled: "These promoted headers replace any instances of the same ...
// headers that already exist"): a renamed field replaces the fields already of its new name.
func (h headerFields) renamed(from, to string) headerFields {
	var renamed []string
	for _, f := range h {
		if hasPrefixFold(f.name, from) {
			renamed = append(renamed, to+f.name[len(from):])
		}
	}
	var out headerFields
	for _, f := range h {
		switch {
		case hasPrefixFold(f.name, from):
			f.name = to + f.name[len(from):]
		case slices.ContainsFunc(renamed, func(n string) bool { return strings.EqualFold(n, f.name) }):
			continue
		}
		out = append(out, f)
	}
	return out
}

func (h headerFields) bytes() []byte {
	var b bytes.Buffer
	for _, f := range h {
		b.WriteString(f.name + ": " + f.value + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// newGUID is a deterministic GUID-looking id: the organization, a kind and a counter hashed.
func (o *Organization) newGUID(kind string) string {
	o.msgSeq++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %s %d", o.name, kind, o.msgSeq))
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// newMessageID is a Message-ID in Exchange's look, <guid@server-fqdn>, from a counter.
func (o *Organization) newMessageID(s *server) string {
	return "<" + o.newGUID("message-id") + "@" + s.cfg.Fqdn + ">"
}

// domainOf returns an address's domain, lower case.
func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return strings.ToLower(d)
}

// dateHeader is RFC 5322's date, as Exchange writes it.
func dateHeader(t time.Time) string { return t.Format("Mon, 2 Jan 2006 15:04:05 -0700") }
