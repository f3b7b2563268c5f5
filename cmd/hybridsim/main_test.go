package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/pki"
)

// runHybridsim runs the command line and returns its exit code and output.
func runHybridsim(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const mainUsageText = `Usage of hybridsim:

	$ hybridsim run
	Run the whole catalogue on the default lab: each failure is reproduced,
	shown where Exchange shows it, fixed the documented way, and the mail
	must then arrive. Exits 1 if any entry fails to reproduce or to clear.

	$ hybridsim list
	Every documented failure: id, direction, labels and title.

	$ hybridsim explain --lab customer.yaml
	Send a message each way through the lab (cloud to on-premises,
	on-premises to cloud, on-premises to the internet), let it run for an
	hour of virtual time, and say what happened, what decided it, where the
	symptom shows, and which documented fix clears it.

	$ hybridsim diagnose "450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]"
	Name the catalogue entries whose symptom this is, the rule that
	produces it, what to check next and the evidence to collect.

	$ hybridsim check
	Colour every hybrid-transport setting of the default lab as Exchange
	Health Checker does, say what each does to mail now, and move the clock
	to find the first instant mail will fail. Exits 1 if anything is red.

	$ hybridsim serve --dir ./lab
	Start the default lab's servers on loopback. ./lab/manifest.json names
	each endpoint's role, simulated name and real address, and the CA
	bundles and client certificate an outside tool needs; Ctrl-C stops the
	lab and writes ./lab/logs in Exchange's folder layout.

	$ hybridsim certs --dir ./certs
	Write every certificate profile (leaf, chain, key, PFX), the CA bundles
	EXO and on-prem trust, the CRLs and index.json into ./certs.

	$ hybridsim import --out customer.yaml customer/*
	Read what the customer sent (README.md, "Customer evidence", lists the
	commands to ask for) and write a lab that reproduces the deployment; every
	value's comment names the file and object it came from. Prints what the
	evidence did not say and the lab assumes, and any value PowerShell cut short.

	$ hybridsim export --dir customer
	Write the default lab's certificates, connectors, transport services and
	accepted domains as Format-List text (OnPremExCert.txt, ...) and as
	Export-Clixml files (OnPremSendConBkp.xml, ...), as the customer's commands
	would, and print those commands.

	$ hybridsim version
	Print the module version hybridsim was built from ((devel) from a clone),
	the Go version that built it and the Exchange Server build it simulates.

	$ hybridsim help <command>
	Show a command's usage, with more examples.

Commands:
	run        reproduce documented failures and clear them with the documented fix
	list       list the catalogue of documented failures
	explain    predict each mail-flow direction of a lab: outcome, rule, symptom, documented fix
	diagnose   name the documented failures and rules behind a pasted LED, NDR, queue error, event or log line
	check      Health Checker's hybrid-transport checks, each with its consequence for mail and the date it bites
	serve      run a lab's endpoints on loopback for other tools, until interrupted
	certs      write or list the certificate catalogue (trusted, expired, revoked, leaf-only, ...)
	import     make a lab file from a customer's evidence: Format-List text, Export-Clixml files, the HCW log
	export     write a lab's objects as the evidence a customer would send (Format-List text, Export-Clixml)
	version    print hybridsim's version, the Go version and the simulated Exchange build
`

const certsUsageText = `Usage of hybridsim certs:

	$ hybridsim certs --dir ./certs
	Write every certificate profile (leaf, chain, key, PFX), the CA bundles
	EXO and on-prem trust, the CRLs and index.json into ./certs.

	$ hybridsim certs --list
	List the profiles and whether EXO and on-prem chain validation accept each.

	$ hybridsim certs --dir ./certs --at 2026-06-01T00:00:00Z
	The same catalogue judged at another instant: validity is relative to --at.

	$ openssl verify -attime 1767603600 -CAfile certs/trust/exo.pem \
	    -untrusted certs/leaf-only/presented.pem certs/leaf-only/cert.pem
	Check a profile as EXO would, at the default --at (as Unix time).

Flags:
	--at TIME
		the instant validity is judged at, RFC 3339 TIME (default 2026-01-05T09:00:00Z)
	--dir DIR
		write the catalogue into DIR (created with mode 0700 if missing)
	--list
		print the catalogue as a table instead of writing it
	--password PASSWORD
		the PASSWORD of the PFX files (default hybridsim)
`

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "Help", args: []string{"--help"}, stdout: mainUsageText},
		{name: "HelpCommand", args: []string{"help"}, stdout: mainUsageText},
		{name: "NoCommand", args: nil, code: 2, stderr: mainUsageText},
		{name: "HelpCerts", args: []string{"help", "certs"}, stdout: certsUsageText},
		{name: "CertsHelp", args: []string{"certs", "--help"}, stdout: certsUsageText},
		{name: "CertsH", args: []string{"certs", "-h"}, stdout: certsUsageText},
		{name: "UnknownCommand", args: []string{"serve-all"}, code: 2,
			stderr: "hybridsim: unknown command \"serve-all\"; the commands are run, list, explain, diagnose, check, serve, certs, import, export, version.\nRun 'hybridsim help' for usage.\n"},
		{name: "HelpUnknownCommand", args: []string{"help", "serve-all"}, code: 2,
			stderr: "hybridsim: there is no command \"serve-all\"; the commands are run, list, explain, diagnose, check, serve, certs, import, export, version.\n"},
		{name: "UnknownFlag", args: []string{"certs", "--bogus"}, code: 2,
			stderr: "hybridsim certs: flag provided but not defined: -bogus\nRun 'hybridsim help certs' for usage.\n"},
		{name: "BadTime", args: []string{"certs", "--list", "--at", "yesterday"}, code: 2,
			stderr: "hybridsim certs: --at \"yesterday\" is not an RFC 3339 time; write it like 2026-01-05T09:00:00Z\nRun 'hybridsim help certs' for usage.\n"},
		{name: "NoDir", args: []string{"certs"}, code: 2,
			stderr: "hybridsim certs: --dir is missing: give the directory to write the catalogue into (or --list to print it)\nRun 'hybridsim help certs' for usage.\n"},
		{name: "DirAndList", args: []string{"certs", "--list", "--dir", "x"}, code: 2,
			stderr: "hybridsim certs: give either --dir DIR to write the catalogue or --list to print it, not both\nRun 'hybridsim help certs' for usage.\n"},
		{name: "EmptyPassword", args: []string{"certs", "--dir", "x", "--password", ""}, code: 2,
			stderr: "hybridsim certs: --password is empty: PFX files hold private keys, so give them a password\nRun 'hybridsim help certs' for usage.\n"},
		{name: "Argument", args: []string{"certs", "--list", "trusted"}, code: 2,
			stderr: "hybridsim certs: unexpected argument \"trusted\": this command takes flags only\nRun 'hybridsim help certs' for usage.\n"},
		{name: "List", args: []string{"certs", "--list"}, stdout: `PROFILE               EXO  ON-PREM  DESCRIPTION
trusted               yes  yes      issued by the simulated commercial CA; chain presented; accepted everywhere
wildcard              yes  yes      *.contoso.com from the commercial CA; matches one label only (S18)
internal-ca           no   yes      issued by the enterprise CA Contoso-DC01-CA: on-prem trusts it, EXO does not (KB 2888788)
untrusted-root        no   no       issued by a root no store trusts (UntrustedRoot)
self-signed           no   no       Exchange's default self-signed certificate: CN=EX01, five years, key not exportable
expired               no   no       from the commercial CA; expired 35 days before the lab clock starts (event 12016)
not-yet-valid         no   no       from the commercial CA; valid only from 30 days after the lab clock starts
wrong-host            yes  yes      valid chain, but for mail.fabrikam.com: fails DomainValidation for mail.contoso.com (SubjectMismatch)
no-cn                 yes  yes      subject without CN; the host name only in the SAN
revoked               no   no       from the commercial CA and listed in its CRL (CRYPT_E_REVOKED)
leaf-only             no   yes      valid, but the server presents no intermediate; EXO never fetches one
expired-intermediate  no   no       valid leaf under an issuing CA that expired 30 days before the lab clock starts
renewed-same-name     yes  yes      renewal of trusted: same issuer and subject, issued 10 days before the lab clock starts
renewed-new-issuer    yes  yes      renewal with the same subject, but the CA renamed its issuing CA (KB 2989382)
no-private-key        yes  yes      valid certificate imported without its private key (NoCredentials)

EXO, ON-PREM: whether that side's chain validation accepts the certificate as the server
presents it (trust, validity, revocation); host names are checked apart (see wrong-host).
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runHybridsim(t, tt.args...)
			if code != tt.code {
				t.Errorf("hybridsim %s exit code = %d, want %d", strings.Join(tt.args, " "), code, tt.code)
			}
			if stdout != tt.stdout {
				t.Errorf("hybridsim %s stdout = %q, want %q", strings.Join(tt.args, " "), stdout, tt.stdout)
			}
			if stderr != tt.stderr {
				t.Errorf("hybridsim %s stderr = %q, want %q", strings.Join(tt.args, " "), stderr, tt.stderr)
			}
		})
	}
}

func TestCertsWritesTheCatalogue(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "certs")
	code, stdout, stderr := runHybridsim(t, "certs", "--dir", dir, "--at", "2026-01-05T10:00:00+01:00")
	want := "Wrote 15 certificate profiles (94 files) to " + dir + ", judged at 2026-01-05T09:00:00Z.\n" +
		"Validity is relative to that instant (--at; hybridsim serve judges at its clock, the real time by default). The PFX password is \"hybridsim\".\n" +
		"EXO trusts " + filepath.Join(dir, "trust", "exo.pem") + "; on-prem trusts " + filepath.Join(dir, "trust", "onprem.pem") +
		". Every file is described in " + filepath.Join(dir, "index.json") + ".\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Fatalf("hybridsim certs --dir = %d, %q, %q; want 0, %q, \"\"", code, stdout, stderr, want)
	}
	modes := []struct {
		name string
		want os.FileMode
	}{
		{name: "", want: 0o700 | os.ModeDir},
		{name: "trusted", want: 0o700 | os.ModeDir},
		{name: "trusted/key.pem", want: 0o600},
		{name: "trusted/cert.pfx", want: 0o600},
		{name: "trusted/cert.pem", want: 0o644},
	}
	for _, m := range modes {
		info, err := os.Stat(filepath.Join(dir, m.name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != m.want {
			t.Errorf("mode of %q = %v, want %v", m.name, info.Mode(), m.want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		At           string
		PFXPassword  string
		Certificates []struct {
			Profile string
			Files   map[string]string
			Notes   []string
		}
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
	if idx.At != "2026-01-05T09:00:00Z" || idx.PFXPassword != pki.DefaultPFXPassword || len(idx.Certificates) != 15 {
		t.Fatalf("index.json at %q, PFX password %q, with %d certificates; want 2026-01-05T09:00:00Z, %q and 15", idx.At, idx.PFXPassword, len(idx.Certificates), pki.DefaultPFXPassword)
	}
	noKey := idx.Certificates[14]
	wantNotes := []string{"no key.pem and no cert.pfx: the certificate has no private key (HasPrivateKey False), as one imported from a .cer file (KB 4495258, NoCredentials)"}
	if noKey.Profile != "no-private-key" || noKey.Files["key"] != "" || strings.Join(noKey.Notes, "|") != strings.Join(wantNotes, "|") {
		t.Errorf("index.json no-private-key = %+v, want no key file and notes %q", noKey, wantNotes)
	}
}
