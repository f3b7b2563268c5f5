package fakeexo

import (
	"context"
	"errors"
)

// Shutdown stops the front door gracefully: it stops accepting at once, lets open sessions
// finish until ctx is done, and then answers each session still open `421 4.3.2 Service not
// available, closing transmission channel` and closes it. It returns ctx's error if it had to
// end sessions; afterwards the service is closed as by Close.
func (s *Service) Shutdown(ctx context.Context) error {
	var cut error
	s.closeOnce.Do(func() {
		err := s.front.Shutdown(ctx)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			cut = ctx.Err()
			err = s.front.Close() // the serve error alone; Close after Shutdown repeats it
		}
		s.closeErr = err
	})
	return errors.Join(cut, s.closeErr)
}
