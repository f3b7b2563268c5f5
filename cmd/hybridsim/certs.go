package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/hybridsim/hybridsim/pki"
)

var certsCommand = &command{
	name:    "certs",
	summary: "write or list the certificate catalogue (trusted, expired, revoked, leaf-only, ...)",
	examples: []example{
		{"hybridsim certs --dir ./certs",
			"Write every certificate profile (leaf, chain, key, PFX), the CA bundles\n" +
				"EXO and on-prem trust, the CRLs and index.json into ./certs."},
		{"hybridsim certs --list",
			"List the profiles and whether EXO and on-prem chain validation accept each."},
		{"hybridsim certs --dir ./certs --at 2026-06-01T00:00:00Z",
			"The same catalogue judged at another instant: validity is relative to --at."},
		{fmt.Sprintf("openssl verify -attime %d -CAfile certs/trust/exo.pem \\\n\t    -untrusted certs/leaf-only/presented.pem certs/leaf-only/cert.pem", pki.DefaultTime.Unix()),
			"Check a profile as EXO would, at the default --at (as Unix time)."},
	},
	flags: func() *flag.FlagSet { fs, _ := certsFlags(); return fs },
	run:   runCerts,
}

type certsOptions struct {
	dir, at, password string
	list              bool
}

func certsFlags() (*flag.FlagSet, *certsOptions) {
	o := &certsOptions{}
	fs := flag.NewFlagSet("certs", flag.ContinueOnError)
	fs.StringVar(&o.dir, "dir", "", "write the catalogue into `DIR` (created with mode 0700 if missing)")
	fs.BoolVar(&o.list, "list", false, "print the catalogue as a table instead of writing it")
	fs.StringVar(&o.at, "at", pki.DefaultTime.Format(time.RFC3339), "the instant validity is judged at, RFC 3339 `TIME`")
	fs.StringVar(&o.password, "password", pki.DefaultPFXPassword, "the `PASSWORD` of the PFX files")
	return fs, o
}

func runCerts(args []string, stdout io.Writer) error {
	fs, o := certsFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	at, err := time.Parse(time.RFC3339, o.at)
	if err != nil {
		return usagef("--at %q is not an RFC 3339 time; write it like %s", o.at, pki.DefaultTime.Format(time.RFC3339))
	}
	switch {
	case o.list && o.dir != "":
		return usagef("give either --dir DIR to write the catalogue or --list to print it, not both")
	case o.list:
		return listProfiles(stdout)
	case o.dir == "":
		return usagef("--dir is missing: give the directory to write the catalogue into (or --list to print it)")
	case o.password == "":
		return usagef("--password is empty: PFX files hold private keys, so give them a password")
	}
	p, err := pki.New(pki.Options{At: at})
	if err != nil {
		return err
	}
	files, err := p.WriteCatalogue(o.dir, o.password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %d certificate profiles (%d files) to %s, judged at %s.\n", len(pki.Profiles()), len(files), o.dir, at.UTC().Format(time.RFC3339))
	fmt.Fprintf(stdout, "Validity is relative to that instant (--at; hybridsim serve judges at its clock, the real time by default). The PFX password is %q.\n", o.password)
	fmt.Fprintf(stdout, "EXO trusts %s; on-prem trusts %s. Every file is described in %s.\n",
		filepath.Join(o.dir, "trust", "exo.pem"), filepath.Join(o.dir, "trust", "onprem.pem"), filepath.Join(o.dir, "index.json"))
	return nil
}

func listProfiles(stdout io.Writer) error {
	yesNo := map[bool]string{true: "yes", false: "no"}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROFILE\tEXO\tON-PREM\tDESCRIPTION")
	for _, p := range pki.Profiles() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p, yesNo[p.VerifiesForEXO()], yesNo[p.VerifiesForOnPrem()], p.Description())
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(stdout, "\nEXO, ON-PREM: whether that side's chain validation accepts the certificate as the server\npresents it (trust, validity, revocation); host names are checked apart (see wrong-host).")
	return err
}
