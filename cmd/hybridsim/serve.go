package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

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
		{"openssl s_client -connect <address> -starttls smtp -CAfile ./lab/onprem-trust.pem",
			"See the certificate the on-premises frontend's rules choose."},
		{"curl --url smtp://contoso-com.mail.protection.outlook.com:<port>/onprem.contoso.com \\\n\t    --resolve contoso-com.mail.protection.outlook.com:<port>:127.0.0.1 --ssl-reqd \\\n\t    --cacert ./lab/exo-trust.pem --cert ./lab/onprem-client.pem --key ./lab/onprem-client.key \\\n\t    --mail-from bob@contoso.com --mail-rcpt alice@contoso.com --upload-file msg.eml",
			"Send to Exchange Online's front door as the on-premises server does."},
	},
	flags: func() *flag.FlagSet { fs, _ := serveFlags(); return fs },
	run: func(args []string, stdout io.Writer) error {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		ticker := time.NewTicker(time.Second) // the lab's clock follows the wall clock while serving
		defer ticker.Stop()
		return runServe(ctx, args, stdout, ticker.C)
	},
}

type serveOptions struct {
	lab, dir, at string
	json         bool
}

func serveFlags() (*flag.FlagSet, *serveOptions) {
	o := &serveOptions{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&o.lab, "lab", "", "serve the lab described by `FILE` instead of the default lab")
	fs.StringVar(&o.dir, "dir", "", "write manifest.json, the CA bundles, the client certificate and, on exit, the logs into `DIR` (required)")
	fs.BoolVar(&o.json, "json", false, "print the manifest as JSON instead of a table of endpoints")
	fs.StringVar(&o.at, "at", "now", "start the lab clock at `TIME` (RFC 3339); now, so that outside tools, which check certificates against the real clock, accept the lab's")
	return fs, o
}

// runServe serves until ctx is done; each tick advances the lab's virtual
// clock by a second and runs what falls due. It writes the manifest when the
// lab is up (ready, if set, is told then) and the logs when it stops.
func runServe(ctx context.Context, args []string, stdout io.Writer, ticks <-chan time.Time) error {
	fs, o := serveFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.dir == "" {
		return usagef("--dir is required: the manifest, the certificates and the logs are written there")
	}
	if _, err := os.Stat(filepath.Join(o.dir, "logs")); err == nil {
		return fmt.Errorf("%s already holds logs from an earlier run; give an empty --dir", filepath.Join(o.dir, "logs"))
	}
	cfg, err := labConfig(o.lab)
	if err != nil {
		return err
	}
	if cfg.Clock, err = parseAt(o.at); err != nil {
		return err
	}
	lab, err := sim.New(cfg)
	if err != nil {
		return err
	}
	defer lab.Close()
	m, err := lab.WriteManifest(o.dir)
	if err != nil {
		return err
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
		fmt.Fprintf(stdout, "manifest: %s\nserving; press Ctrl-C to stop and write the logs.\n", filepath.Join(o.dir, "manifest.json"))
	}
	lab.Serve(ctx, ticks, time.Second)
	if err := lab.WriteLogs(filepath.Join(o.dir, "logs")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "stopped; logs in %s\n", filepath.Join(o.dir, "logs"))
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
