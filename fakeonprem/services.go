package fakeonprem

import (
	"fmt"
	"strings"
)

// Services are the services a certificate is enabled for (Enable-ExchangeCertificate
// -Services, Get-ExchangeCertificate's Services), a set written as Exchange prints it:
// "IMAP, POP, IIS, SMTP", or "None".
type Services uint8

// The services, in the order Exchange prints them (spec §6).
const (
	ServiceNone  Services = 0
	IMAP         Services = 1 << 0
	POP          Services = 1 << 1
	UM           Services = 1 << 2
	IIS          Services = 1 << 3
	SMTP         Services = 1 << 4
	Federation   Services = 1 << 5
	UMCallRouter Services = 1 << 6
)

var serviceNames = []struct {
	s    Services
	name string
}{{IMAP, "IMAP"}, {POP, "POP"}, {UM, "UM"}, {IIS, "IIS"}, {SMTP, "SMTP"}, {Federation, "Federation"}, {UMCallRouter, "UMCallRouter"}}

// String prints the set as Get-ExchangeCertificate does: "IMAP, POP, IIS, SMTP", or "None".
func (s Services) String() string {
	var names []string
	for _, n := range serviceNames {
		if s&n.s != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "None"
	}
	return strings.Join(names, ", ")
}

// UnmarshalText reads a set as String prints it, in any case and order, with or without
// Format-List's braces: "IMAP, POP, IIS, SMTP", "{SMTP, IIS}", "None".
func (s *Services) UnmarshalText(text []byte) error {
	var set Services
	body := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(text)), "{"), "}")
	for _, part := range strings.Split(body, ",") {
		part = strings.TrimSpace(part)
		if part == "" || strings.EqualFold(part, "None") {
			continue
		}
		found := false
		for _, n := range serviceNames {
			if strings.EqualFold(part, n.name) {
				set |= n.s
				found = true
			}
		}
		if !found {
			return fmt.Errorf("fakeonprem: Services %q: unknown service %q; use None, IMAP, POP, UM, IIS, SMTP, Federation or UMCallRouter", text, part)
		}
	}
	*s = set
	return nil
}
