package evidence

import (
	"fmt"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/psh"
)

// collected is all the evidence read so far, merged by identity.
type collected struct {
	records   []*record
	byKey     map[string]*record
	clock     time.Time
	clockFrom string
	warnings  []string
}

// key is a record's identity: a certificate by server and thumbprint, a
// receive connector by Server\Name, others by name.
func (r *record) key() string {
	id := r.str("Identity")
	switch r.kind {
	case kindCertificate:
		server, _, _ := strings.Cut(id, `\`)
		return string(r.kind) + "|" + strings.ToLower(server) + "|" + strings.ToUpper(r.str("Thumbprint"))
	case kindReceiveConnector:
		return string(r.kind) + "|" + strings.ToLower(r.str("Server")+`\`+r.str("Name"))
	case kindAcceptedDomain:
		return fmt.Sprintf("%s|%v|%s", r.kind, r.exo, strings.ToLower(r.str("DomainName")))
	case kindTransportService:
		return string(r.kind) + "|" + strings.ToLower(firstOf(r.str("Name"), id))
	case kindStore:
		return string(r.kind) + "|" + strings.ToLower(r.str("PSComputerName")) + "|" + storeOf(r) + "|" + strings.ToUpper(r.str("Thumbprint"))
	case kindAuthRoot:
		return string(r.kind) + "|" + strings.ToLower(r.str("PSComputerName"))
	}
	return string(r.kind) + "|" + strings.ToLower(firstOf(r.str("Name"), id))
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// add merges a record: a new object is appended; the same object seen
// again (in another file) fills what the first lacked or had cut short,
// and a different value is a warning (the first file's value stays).
func (c *collected) add(r *record) {
	if c.byKey == nil {
		c.byKey = map[string]*record{}
	}
	k := r.key()
	have, ok := c.byKey[k]
	if !ok && r.kind == kindCertificate {
		have, ok = c.sameCertificate(r, k)
	}
	if !ok {
		c.byKey[k] = r
		c.records = append(c.records, r)
		return
	}
	for name, f := range r.fields {
		old, ok := have.fields[name]
		switch {
		case !ok || (old.truncated && !f.truncated) || (len(old.raw) == 0 && len(f.raw) > 0) || (f.hasTime && !old.hasTime && sameField(old, f)):
			have.fields[name] = f
		case !f.truncated && !old.truncated && !sameField(old, f):
			c.warnings = append(c.warnings, fmt.Sprintf("%s and %s give %s different values (%q, %q); the lab takes the first",
				have.source, r.source, name, fieldText(old), fieldText(f)))
		}
	}
}

func sameField(a, b field) bool {
	if a.hasTime || b.hasTime {
		at, bt := a.at, b.at
		if !a.hasTime {
			at, _ = psh.ParseDate(a.text)
		}
		if !b.hasTime {
			bt, _ = psh.ParseDate(b.text)
		}
		// Format-List prints local time without its zone: the same
		// instant, or the same wall-clock reading.
		return at.Equal(bt) || at.Format("2006-01-02T15:04:05") == bt.Format("2006-01-02T15:04:05")
	}
	return strings.EqualFold(fieldText(a), fieldText(b))
}

func fieldText(f field) string {
	if f.isList {
		return strings.Join(f.list, ", ")
	}
	return strings.TrimSpace(f.text)
}

// sameCertificate finds the record of the same certificate when one of
// the two names no server (Get-ChildItem Cert:\LocalMachine\My exports
// carry no Exchange Identity): a record without a server joins the first
// with its thumbprint, and a record with one takes over a serverless one.
func (c *collected) sameCertificate(r *record, k string) (*record, bool) {
	thumb := string(kindCertificate) + "|"
	server, th := "", strings.ToUpper(r.str("Thumbprint"))
	if parts := strings.SplitN(k, "|", 3); len(parts) == 3 {
		server = parts[1]
	}
	for _, have := range c.records {
		if have.kind != kindCertificate || !strings.EqualFold(have.str("Thumbprint"), th) || th == "" {
			continue
		}
		hk := have.key()
		hasServer := !strings.HasPrefix(hk, thumb+"|")
		switch {
		case server == "":
			return have, true
		case !hasServer:
			// The serverless record learns the server: re-key it.
			delete(c.byKey, hk)
			have.fields["identity"] = r.fields["identity"]
			c.byKey[k] = have
			return have, true
		}
	}
	return nil, false
}

// setClock records Get-Date's output.
func (c *collected) setClock(at time.Time, from string) {
	if c.clockFrom == "" {
		c.clock, c.clockFrom = at, from
	}
}

// listOf splits "{a, b}".
func listOf(s string) ([]string, bool) {
	v, truncated := psh.ListValues(s)
	if v == nil {
		v = []string{}
	}
	return v, truncated
}
