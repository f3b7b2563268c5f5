package smtpd

import (
	"errors"
	"log"
	"syscall"
	"time"
)

// temporaryAcceptError reports whether an accept failed for a reason that passes: the
// process or the system is out of descriptors or buffers, or the peer gave up before the
// accept. The listener then waits and tries again, as net/http's Server does, rather than
// stopping for good.
func temporaryAcceptError(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ECONNABORTED, syscall.ENOBUFS, syscall.ENOMEM} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// Accept back-off bounds: the first wait and the longest, doubling between (net/http's).
const (
	firstAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff   = time.Second
)

// nextBackoff is the wait after one more failed accept.
func nextBackoff(last time.Duration) time.Duration {
	if last == 0 {
		return firstAcceptBackoff
	}
	return min(2*last, maxAcceptBackoff)
}

// logf writes a diagnostic to ErrorLog.
func (s *Server) logf(format string, args ...any) {
	if l := s.cfg.ErrorLog; l != nil {
		l.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
