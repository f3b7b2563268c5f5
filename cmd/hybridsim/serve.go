package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/hybridsim/hybridsim/control"
	"github.com/hybridsim/hybridsim/sim"
)

var serveCommand = &command{
	name:    "serve",
	summary: "run a lab's endpoints on loopback for other tools, until interrupted",
	examples: []example{
		{"hybridsim serve --dir ./lab", "Start the default lab's servers on loopback. ./lab/manifest.json names\n" +
			"each endpoint's role, simulated name and real address, and the CA\n" +
			"bundles and client certificate an outside tool needs; Ctrl-C stops the\n" +
			"lab and writes ./lab/logs in Exchange's folder layout."},
		{"hybridsim serve --dir ./lab --port-base 20000 --ready-file ./lab/ready",
			"The same on fixed ports (the control API on 20000, the lab's listeners on\n" +
				"20001, 20002, ... in the manifest's order), writing ./lab/ready when every\n" +
				"listener accepts. manifest.json's \"api\" is the control API; the manifest\n" +
				"and the ready file are removed when serve stops."},
		{"openssl s_client -connect <address> -starttls smtp -CAfile ./lab/onprem-trust.pem",
			"See the certificate the on-premises frontend's rules choose."},
		{"curl --url smtp://contoso-com.mail.protection.outlook.com:<port>/onprem.contoso.com \\\n\t    --resolve contoso-com.mail.protection.outlook.com:<port>:127.0.0.1 --ssl-reqd \\\n\t    --cacert ./lab/exo-trust.pem --cert ./lab/onprem-client.pem --key ./lab/onprem-client.key \\\n\t    --mail-from bob@contoso.com --mail-rcpt alice@contoso.com --upload-file msg.eml",
			"Send to Exchange Online's front door as the on-premises server does."},
	},
	flags: func() *flag.FlagSet { fs, _ := serveFlags(); return fs },
	run: func(args []string, stdout io.Writer) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		signals := make(chan os.Signal, 2)
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(signals)
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-signals:
				cancel() // the first signal: stop gracefully
			case <-finished:
				return
			}
			select {
			case <-signals:
				fmt.Fprintln(os.Stderr, "hybridsim serve: second signal: exiting at once")
				os.Exit(1)
			case <-finished:
			}
		}()
		ticker := time.NewTicker(serveTick)
		defer ticker.Stop()
		return runServe(ctx, args, stdout, ticker.C)
	},
}

// serveTick paces a served lab's steps: the lab clock catches up with real
// time and what fell due runs this often.
const serveTick = 250 * time.Millisecond

// shutdownGrace is how long open sessions may go on after the first
// signal before they are answered 421 4.3.2 and closed; the whole shutdown
// stays well inside 5 seconds.
const shutdownGrace = time.Second

type serveOptions struct {
	lab, dir, at, ready, api string
	portBase                 int
	json                     bool
}

func serveFlags() (*flag.FlagSet, *serveOptions) {
	o := &serveOptions{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "serve the lab described by `FILE` instead of the default lab")
	fs.StringVar(&o.dir, "dir", "", "write manifest.json, the CA bundles, the client certificate and the logs (as they happen, appended to those of earlier runs) into `DIR` (required; one serve per DIR)")
	fs.BoolVar(&o.json, "json", false, "print the manifest as one JSON document instead of a table of endpoints")
	fs.StringVar(&o.at, "at", "now", "start the lab clock at `TIME` (RFC 3339); now, so that outside tools, which check certificates against the real clock, accept the lab's")
	fs.StringVar(&o.ready, "ready-file", "", "write the manifest to `FILE` too once every listener accepts (a script waits for it)")
	fs.IntVar(&o.portBase, "port-base", 0, "fixed ports from `N`: the control API on N (unless --api), the lab's listeners on N+1, N+2, ... in the manifest's order; 0: ephemeral ports")
	fs.StringVar(&o.api, "api", "", "serve the control API on `ADDR` (default 127.0.0.1:0, or 127.0.0.1:N with --port-base; loopback unless you give another address)")
	return fs, o
}

// runServe serves until ctx is done; each tick catches the lab clock up
// with real time and runs what falls due. It writes the manifest when the
// lab is up (and the ready file), and on the way out ends open sessions,
// writes the logs and removes the manifest.
func runServe(ctx context.Context, args []string, stdout io.Writer, ticks <-chan time.Time) error {
	fs, o := serveFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.dir == "" {
		return usagef("--dir is required: the manifest, the certificates and the logs are written there")
	}
	if o.portBase < 0 || o.portBase > 65000 {
		return usagef("--port-base %d is out of range: give a port from 1024 to 65000 (the lab needs the ports above it), or 0", o.portBase)
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}
	release, err := lockDir(o.dir)
	if err != nil {
		return err
	}
	defer release()
	logs := filepath.Join(o.dir, "logs")
	cfg, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	if cfg.Clock, err = parseAt(o.at); err != nil {
		return err
	}
	api := o.api
	if api == "" {
		api = "127.0.0.1:0"
		if o.portBase > 0 {
			api = "127.0.0.1:" + strconv.Itoa(o.portBase)
		}
	}
	ln, err := net.Listen("tcp", api)
	if err != nil {
		return fmt.Errorf("--api %s: %w", api, err)
	}
	defer ln.Close()
	var live atomic.Pointer[control.Handler]
	stepped := func() {
		if h := live.Load(); h != nil {
			h.Stepped()
		}
	}
	serving, err := sim.Serve(cfg, sim.ServeOptions{Now: realTime, Ticks: ticks, PortBase: o.portBase, API: ln.Addr().String(), Logs: logs, Stepped: stepped})
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			serving.Shutdown(context.Background())
		}
	}()
	handler, err := control.NewHandler(control.Config{Do: serving.Do, Reset: serving.Reset, Restart: serving.Restart,
		Advance: serving.Advance, Manifest: func() any { return serving.Manifest() }, LogDir: logs})
	if err != nil {
		return err
	}
	live.Store(handler)
	defer handler.Close()
	web := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go web.Serve(ln)
	m, err := serving.WriteManifest(o.dir)
	if err != nil {
		return err
	}
	manifest := filepath.Join(o.dir, "manifest.json")
	defer os.Remove(manifest)
	if o.ready != "" {
		if err := writeReady(o.ready, manifest); err != nil {
			return err
		}
		defer os.Remove(o.ready)
	}
	if o.json {
		if err := writeJSON(stdout, m); err != nil {
			return err
		}
	} else {
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "ROLE\tNAME\tSIMULATED\tADDRESS\tCONNECTOR")
		for _, e := range m.Endpoints {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", e.Role, e.Name, e.Simulated, e.Address, e.Connector)
		}
		w.Flush()
		fmt.Fprintf(stdout, "\nclock: %s, following the wall clock: the lab's certificates are judged at this instant (--at).\n", m.Clock.UTC().Format(time.RFC3339))
		fmt.Fprintf(stdout, "manifest: %s\napi: http://%s/api/v1/health\nserving; press Ctrl-C to stop and write the logs.\n", manifest, m.API)
	}
	<-ctx.Done()

	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	handler.Close()
	web.Shutdown(grace)
	web.Close()
	stopped = true
	if err := serving.Shutdown(grace); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if !o.json { // --json prints one document and nothing else
		fmt.Fprintf(stdout, "stopped; logs in %s\n", logs)
	}
	return nil
}

// writeReady writes the manifest's content to the ready file, whole (a
// temporary file renamed), so a script that sees the file can read it.
func writeReady(path, manifest string) error {
	data, err := os.ReadFile(manifest)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("--ready-file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--ready-file: %w", err)
	}
	return nil
}

// parseAt reads --at: "now" or an RFC 3339 time.
func parseAt(at string) (time.Time, error) {
	if at == "now" {
		return wallNow(), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, usagef("--at %q is neither now nor an RFC 3339 time such as 2026-01-05T09:00:00Z", at)
	}
	return t, nil
}
