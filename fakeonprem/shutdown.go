package fakeonprem

import (
	"context"
	"errors"
	"sync"
)

// Shutdown stops the organization gracefully, as stopping the Microsoft Exchange Frontend
// Transport service does: every listener stops accepting at once, open sessions may finish
// until ctx is done, and then each session still open is answered `421 4.3.2 Service not
// available, closing transmission channel` and closed. It returns ctx's error if it had to
// end sessions; afterwards the organization is closed as by Close.
func (o *Organization) Shutdown(ctx context.Context) error {
	var cut error
	o.closeOnce.Do(func() {
		srvs := o.smtpServers()
		o.mu.Lock()
		o.closed = true
		for _, s := range o.servers {
			for _, rc := range s.connectors {
				rc.listeners = nil
			}
		}
		o.mu.Unlock()
		errs := make([]error, len(srvs))
		var wg sync.WaitGroup
		for i, srv := range srvs {
			wg.Go(func() { errs[i] = srv.Shutdown(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				cut = ctx.Err()
				err = srvs[i].Close() // the serve error alone; Close after Shutdown repeats it
			}
			o.closeErr = errors.Join(o.closeErr, err)
		}
	})
	return errors.Join(cut, o.closeErr)
}
