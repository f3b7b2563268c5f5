package smtpd

import (
	"strconv"
	"strings"
)

// Extensions are the EHLO keywords whose presence depends on the receive connector rather than
// on the dialect (§11 INFER: "AUTH/X-EXPS depend on AuthMechanism"). The Extensions hook
// returns them at each EHLO; the dialect renders them in its own order. STARTTLS is not here:
// it follows Hooks.Certificate.
type Extensions struct {
	// AnonymousTLS advertises X-ANONYMOUSTLS: the connector has ExchangeServer in
	// AuthMechanism and an internal transport certificate was loaded (§3a). Never after TLS.
	// Hooks.AnonymousTLSCertificate implies it; alone it advertises a verb that is refused.
	AnonymousTLS bool
	// Auth lists AUTH mechanisms, e.g. {"NTLM"} for AuthMechanism Integrated (S4), {"NTLM",
	// "LOGIN"} after TLS with BasicAuth (2023 RECV log). Empty: no AUTH line.
	Auth []string
	// ExchangeAuth lists X-EXPS mechanisms, e.g. {"GSSAPI", "NTLM"} for AuthMechanism
	// ExchangeServer (S4). Empty: no X-EXPS line.
	ExchangeAuth []string
}

// ehloReply renders the whole EHLO reply: `<fqdn> Hello [<ip>]`, then the dialect's keywords
// in order, conditional ones only when their condition holds (see Dialect.Keywords).
func (s *Session) ehloReply(ext Extensions) Reply {
	d := s.srv.dialect
	r := d.hello(s.srv.cfg.Hostname, s.remote)
	var b strings.Builder
	b.WriteString(r.Text)
	line := func(parts ...string) {
		b.WriteByte('\n')
		for i, p := range parts {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
	}
	for _, kw := range d.Keywords {
		switch kw {
		case "SIZE":
			line(kw, strconv.FormatInt(s.srv.cfg.MaxMessageBytes, 10))
		case "STARTTLS":
			if s.hooks.Certificate != nil && s.tls == nil {
				line(kw)
			}
		case "X-ANONYMOUSTLS":
			if (ext.AnonymousTLS || s.hooks.AnonymousTLSCertificate != nil) && s.tls == nil {
				line(kw)
			}
		case "AUTH":
			if len(ext.Auth) > 0 {
				line(kw, strings.Join(ext.Auth, " "))
			}
		case "X-EXPS":
			if len(ext.ExchangeAuth) > 0 {
				line(kw, strings.Join(ext.ExchangeAuth, " "))
			}
		default:
			line(kw)
		}
	}
	r.Text = b.String()
	return r
}
