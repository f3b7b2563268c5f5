package smtpd

import (
	"bufio"
	"bytes"
	"io"
	"slices"
)

// data handles DATA: the hook before 354, the body, then the Message hook. The transaction
// ends with it whatever happens; a broken connection mid-body discards the body.
func (s *Session) data(arg string) error {
	r := &s.srv.dialect.Replies
	switch {
	case arg != "":
		s.reply(r.InvalidArguments)
		return nil
	case s.msg == nil:
		s.reply(r.NeedMail)
		return nil
	case len(s.msg.To) == 0:
		s.reply(r.NeedRcpt)
		return nil
	case s.msg.Body == "BINARYMIME" || s.chunked: // RFC 3030 §3: BINARYMIME and BDAT need BDAT
		s.reply(r.BadSequence)
		return nil
	}
	m := s.msg
	s.resetTx()
	rep := r.StartMail
	if f := s.hooks.Data; f != nil {
		rep = orDefault(f(m), rep)
	}
	s.reply(rep)
	if rep.Code/100 != 3 || rep.Close {
		return nil
	}
	body, tooBig, err := s.readBody(s.srv.cfg.MaxMessageBytes)
	switch {
	case err != nil:
		return err
	case tooBig:
		s.reply(r.SizeExceeded)
	default:
		m.Data = body
		m.Elapsed = BodyLatency(len(body))
		s.log.advance(m.Elapsed)
		s.deliver(m)
	}
	return nil
}

// readBody reads a DATA body up to the line ".", dot-unstuffed (RFC 5321 §4.5.2). Lines end
// with CRLF: only <CRLF>.<CRLF> ends the body, never a dot line after a bare LF (SMTP
// smuggling), and only a dot after CRLF is unstuffed. Beyond limit bytes the body is read and
// dropped: tooBig.
func (s *Session) readBody(limit int64) (body []byte, tooBig bool, err error) {
	bol := true // at the start of a line that follows CRLF
	cr := false // the previous partial segment ended with '\r'
	for {
		seg, err := s.r.ReadSlice('\n')
		whole := err == nil
		if err != nil && err != bufio.ErrBufferFull {
			return nil, false, err
		}
		if bol && whole && string(seg) == ".\r\n" {
			return body, tooBig, nil
		}
		if bol && len(seg) > 0 && seg[0] == '.' {
			seg = seg[1:]
		}
		if !tooBig {
			if int64(len(body))+int64(len(seg)) > limit {
				tooBig, body = true, nil
			} else {
				body = append(body, seg...)
			}
		}
		bol = whole && (bytes.HasSuffix(seg, []byte("\r\n")) || cr && len(seg) == 1)
		cr = !whole && len(seg) > 0 && seg[len(seg)-1] == '\r'
	}
}

// bdat handles BDAT (RFC 3030). Whenever the size parses, the chunk is read, even to be
// dropped, so that message bytes are never taken for commands. The Data hook decides before
// the first chunk; a refusal, a sequence error or an overflow ends the transaction.
func (s *Session) bdat(arg string) error {
	r := &s.srv.dialect.Replies
	size, last, ok := parseBdat(arg)
	if !ok {
		// The chunk's end is unknown: close rather than read message bytes as commands.
		refusal := r.InvalidArguments
		refusal.Close = true
		s.reply(refusal)
		return nil
	}
	var refusal *Reply
	switch {
	case s.msg == nil:
		refusal = &r.NeedMail
	case len(s.msg.To) == 0:
		refusal = &r.NeedRcpt
	case int64(len(s.msg.Data))+size > s.srv.cfg.MaxMessageBytes:
		refusal = &r.SizeExceeded
	case !s.chunked && s.hooks.Data != nil:
		if h := s.hooks.Data(s.msg); h != nil && h.Code/100 != 3 {
			refusal = h
		}
	}
	if refusal != nil {
		if _, err := io.CopyN(io.Discard, s.r, size); err != nil {
			return err
		}
		s.resetTx()
		s.reply(*refusal)
		return nil
	}
	s.chunked = true
	m := s.msg
	n := len(m.Data)
	m.Data = slices.Grow(m.Data, int(size))[:n+int(size)]
	if _, err := io.ReadFull(s.r, m.Data[n:]); err != nil {
		return err
	}
	if !last {
		s.reply(r.ChunkReceived)
		return nil
	}
	s.resetTx()
	m.Elapsed = BodyLatency(len(m.Data))
	s.log.advance(m.Elapsed)
	s.deliver(m)
	return nil
}
