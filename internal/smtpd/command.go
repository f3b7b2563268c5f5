package smtpd

import "strings"

// dispatch runs one command. It returns an error only when the connection broke in the
// middle of it (a body).
func (s *Session) dispatch(cmd command) error {
	r := &s.srv.dialect.Replies
	switch cmd.verb {
	case "EHLO", "HELO":
		s.hello(cmd)
	case "MAIL":
		s.mail(cmd.arg)
	case "RCPT":
		s.rcpt(cmd.arg)
	case "DATA":
		return s.data(cmd.arg)
	case "BDAT":
		return s.bdat(cmd.arg)
	case "STARTTLS":
		s.startTLS(cmd.arg, false)
	case "X-ANONYMOUSTLS":
		s.startTLS(cmd.arg, true)
	case "RSET":
		s.resetTx()
		s.reply(r.Reset)
	case "NOOP":
		s.reply(r.OK)
	case "QUIT":
		s.reply(r.Closing)
	case "VRFY":
		if cmd.arg == "" {
			s.reply(r.InvalidArguments)
		} else {
			s.reply(r.CannotVerify)
		}
	case "HELP":
		s.reply(r.Help)
	case "AUTH":
		s.reply(r.AuthUnrecognized)
	case "EXPN", "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML":
		s.reply(r.NotImplemented)
	default:
		s.reply(r.Unrecognized)
	}
	return nil
}

// hello handles EHLO and HELO: a new greeting resets the transaction (RFC 5321 §4.1.4).
func (s *Session) hello(cmd command) {
	d := s.srv.dialect
	if !validDomain(cmd.arg, false) {
		s.reply(d.Replies.InvalidDomain)
		return
	}
	s.helo = cmd.arg
	s.resetTx()
	var ext Extensions
	if f := s.hooks.Extensions; f != nil {
		ext = f()
	}
	if cmd.verb == "HELO" {
		s.reply(d.hello(s.srv.cfg.Hostname, s.remote))
		return
	}
	r := s.ehloReply(ext)
	s.replyLogged(r, ehloLogData(r))
}

// ehloLogData is how the receive log writes the EHLO reply: `250`, two spaces, then the
// lines joined by single spaces (`250  SERVER.DOMAIN.TEST Hello [95.10.20.33] SIZE 37748736
// PIPELINING ...`, real-artifacts §1.5, build 15.01.2375; public parsers match the two
// spaces). The send log writes the peer's reply with one space (§1.5's 2022 SEND log).
func ehloLogData(r Reply) string {
	code, rest, _ := strings.Cut(r.String(), " ")
	return code + "  " + rest
}

func (s *Session) mail(arg string) {
	r := &s.srv.dialect.Replies
	switch {
	case s.helo == "":
		s.reply(r.SendHelloFirst)
		return
	case s.msg != nil:
		s.reply(r.SenderAlreadySpecified)
		return
	}
	m, perr := parseMail(arg)
	switch {
	case perr == badArgs:
		s.reply(r.InvalidArguments)
		return
	case perr == badAddress:
		s.reply(r.InvalidAddress)
		return
	case m.Size > s.srv.cfg.MaxMessageBytes:
		s.reply(r.SizeExceeded)
		return
	}
	m.HeloName = s.helo
	rep := r.SenderOK
	if f := s.hooks.Mail; f != nil {
		rep = orDefault(f(m), rep)
	}
	s.reply(rep)
	if rep.Code/100 == 2 {
		s.msg = m
	}
}

func (s *Session) rcpt(arg string) {
	r := &s.srv.dialect.Replies
	switch {
	case s.msg == nil:
		s.reply(r.NeedMail)
		return
	case s.chunked:
		s.reply(r.BadSequence)
		return
	}
	to, perr := parseRcpt(arg)
	switch {
	case perr == badArgs:
		s.reply(r.InvalidArguments)
		return
	case perr == badAddress:
		s.reply(r.InvalidRecipient)
		return
	case len(s.msg.To) >= s.srv.cfg.MaxRecipients:
		s.reply(r.TooManyRecipients)
		return
	}
	rep := r.RecipientOK
	if f := s.hooks.Rcpt; f != nil {
		rep = orDefault(f(s.msg, to), rep)
	}
	s.reply(rep)
	if rep.Code/100 == 2 {
		s.msg.To = append(s.msg.To, to)
	}
}

// resetTx drops the open transaction.
func (s *Session) resetTx() {
	s.msg = nil
	s.chunked = false
}

// deliver hands a whole message to the Message hook and writes its reply.
func (s *Session) deliver(m *Message) {
	rep := s.srv.dialect.Replies.NotAccepted
	if f := s.hooks.Message; f != nil {
		rep = f(m)
	}
	s.reply(rep)
}

// orDefault is a hook's reply when it gave one, else the dialect's.
func orDefault(hook *Reply, def Reply) Reply {
	if hook != nil {
		return *hook
	}
	return def
}
