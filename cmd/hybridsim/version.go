package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

var versionCommand = &command{
	name:    "version",
	summary: "print hybridsim's version, the Go version and the simulated Exchange build",
	examples: []example{
		{"hybridsim version", "Print the module version hybridsim was built from ((devel) from a clone),\n" +
			"the Go version that built it and the Exchange Server build it simulates."},
	},
	flags: versionFlags,
	run:   runVersion,
}

func runVersion(args []string, stdout io.Writer) error {
	fs := versionFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprint(stdout, versionText())
	return nil
}

func versionFlags() *flag.FlagSet { return flag.NewFlagSet("version", flag.ContinueOnError) }

// versionText is what hybridsim version prints.
func versionText() string {
	version, goVersion := "(unknown)", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		version, goVersion = bi.Main.Version, bi.GoVersion
		if version == "" {
			version = "(devel)"
		}
	}
	return fmt.Sprintf("hybridsim %s\nbuilt with %s\nsimulated Exchange Server build %s (Exchange Server 2016 CU22)\n", version, goVersion, fakeonprem.ExchangeBuild)
}
