package smtpd

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "NoHostname", cfg: Config{},
			want: "smtpd: Config.Hostname is empty: set it to the receive connector's FQDN, e.g. mail.contoso.com"},
		{name: "BadHostname", cfg: Config{Hostname: "mail contoso"},
			want: `smtpd: Config.Hostname "mail contoso" is not a host name: use the connector's FQDN`},
		{name: "NegativeLimit", cfg: Config{Hostname: "mail.contoso.com", MaxRecipients: -1},
			want: "smtpd: Config limits must not be negative: use 0 for the default"},
		{name: "BadAddr", cfg: Config{Hostname: "mail.contoso.com", Addr: "127.0.0.1:none"},
			want: "smtpd: listen on 127.0.0.1:none: listen tcp: lookup tcp/none: unknown port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := NewServer(tt.cfg)
			if err == nil {
				srv.Close()
				t.Fatalf("NewServer() error = nil, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("NewServer() error = %q, want %q", err, tt.want)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	srv, err := NewUnstartedServer(Config{Hostname: "mail.contoso.com", Clock: fixedClock{s14Time}})
	if err != nil {
		t.Fatal(err)
	}
	if host, _, _ := net.SplitHostPort(srv.Addr()); host != "127.0.0.1" {
		t.Errorf("default listener on %s, want loopback 127.0.0.1", srv.Addr())
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("Start() = %v", err)
	}
	if err := srv.Start(); err == nil || err.Error() != "smtpd: server already started" {
		t.Errorf("second Start() = %v, want smtpd: server already started", err)
	}
	c := dialRaw(t, srv)
	if got, want := c.reply(), "220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000"; got != want {
		t.Fatalf("banner = %q, want %q", got, want)
	}
	for range 2 {
		if err := srv.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	}
	if got := c.rest(); got != "" {
		t.Errorf("after Close the client got %q, want a closed connection", got)
	}
	if err := srv.Start(); err == nil || err.Error() != "smtpd: Start after Close: create a new server" {
		t.Errorf("Start after Close = %v", err)
	}
	checkNoServerGoroutines(t)
}

// TestConnectionLimit: over MaxConnections the client gets the 421 instead of the banner.
func TestConnectionLimit(t *testing.T) {
	var sink recordingSink
	srv := newTestServer(t, Config{MaxConnections: 1, Sink: &sink, Clock: fixedClock{s14Time},
		SessionIDs: sequentialIDs()})
	first := dialRaw(t, srv)
	first.reply()
	second := dialRaw(t, srv)
	got := second.rest()
	want := "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel\r\n"
	if got != want {
		t.Errorf("second connection got %q, want %q", got, want)
	}
	first.cmd("QUIT")
	first.rest()
	srv.WaitIdle()
	third := dialRaw(t, srv)
	if r := third.reply(); r != "220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Wed, 29 Jan 2025 20:14:51 +0000" {
		t.Errorf("third connection got %q, want the banner", r)
	}
	third.cmd("QUIT")
	third.rest()
	srv.WaitIdle()
	var refused []string
	for _, r := range sink.records {
		if r.SessionID == "0000000000000002" {
			refused = append(refused, string(r.Event)+","+r.Data+","+r.Context)
		}
	}
	wantLog := []string{"+,,", ">," + want[:len(want)-2] + ",", "-,,Local"}
	if diff := cmp.Diff(wantLog, refused); diff != "" {
		t.Errorf("refused session's log (-want +got):\n%s", diff)
	}
}

func sequentialIDs() func() string {
	var mu sync.Mutex
	ids := []string{"0000000000000001", "0000000000000002", "0000000000000003"}
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		id := ids[0]
		ids = ids[1:]
		return id
	}
}

// TestShutdown: sessions may finish; once the context ends the open ones get the 421.
func TestShutdown(t *testing.T) {
	t.Run("Graceful", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := &closeSignal{Listener: ln, closed: make(chan struct{})}
		srv := newTestServer(t, Config{Listener: closed})
		c := dialRaw(t, srv)
		c.reply()
		done := make(chan error)
		go func() { done <- srv.Shutdown(context.Background()) }()
		<-closed.closed
		if conn, err := net.Dial("tcp", srv.Addr()); err == nil {
			conn.Close()
			t.Errorf("Dial after Shutdown began succeeded, want refused")
		}
		if r := c.cmd("NOOP"); r != "250 2.0.0 OK" {
			t.Errorf("NOOP during Shutdown = %q", r)
		}
		if r := c.cmd("QUIT"); r != closing {
			t.Errorf("QUIT during Shutdown = %q", r)
		}
		if err := <-done; err != nil {
			t.Errorf("Shutdown() = %v, want nil", err)
		}
	})
	t.Run("Deadline", func(t *testing.T) {
		srv := newTestServer(t, Config{})
		idle := dialRaw(t, srv)
		idle.reply()
		busy := dialRaw(t, srv)
		busy.reply()
		busy.cmd("EHLO contoso.com")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := srv.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Shutdown() = %v, want context.Canceled", err)
		}
		for _, c := range []*rawClient{idle, busy} {
			if got, want := c.rest(), "421 4.3.2 Service not available, closing transmission channel\r\n"; got != want {
				t.Errorf("open session got %q, want %q", got, want)
			}
		}
	})
}

type closeSignal struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeSignal) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

// TestAcceptError: a listener that fails stops the accept loop; Close reports it.
func TestAcceptError(t *testing.T) {
	srv, err := NewServer(Config{Hostname: "mail.contoso.com", Listener: failingListener{}})
	if err != nil {
		t.Fatal(err)
	}
	<-srv.acceptDone // the loop has met the error before Close closes the listener
	want := "smtpd: accept on 10.0.0.1:25: the listener failed"
	for range 2 {
		if err := srv.Close(); err == nil || err.Error() != want {
			t.Errorf("Close() = %v, want %q", err, want)
		}
	}
	checkNoServerGoroutines(t)
}

// failingListener fails every Accept, as a listener out of file descriptors would.
type failingListener struct{}

func (failingListener) Accept() (net.Conn, error) { return nil, errors.New("the listener failed") }
func (failingListener) Close() error              { return nil }
func (failingListener) Addr() net.Addr            { return onpremEndpoint }
