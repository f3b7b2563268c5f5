// Command hybridsim simulates Exchange Server and Exchange Online hybrid mail
// transport. Run `hybridsim help` for the commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one subcommand. To add one, write a *command and list it in
// commands.
type command struct {
	name    string
	summary string // one line, for the command list
	// examples come first in the usage, mkcert-style; the first one is also
	// shown in hybridsim's own usage.
	examples []example
	// flags makes the command's flag set, so that usage lists the same flags
	// that run parses.
	flags func() *flag.FlagSet
	// run runs the command with its arguments (after the command name). It
	// returns a usageError for a bad command line.
	run func(args []string, stdout io.Writer) error
}

type example struct {
	command, explanation string
}

// commands is the table of subcommands, in the order usage lists them.
var commands = []*command{runCommand, listCommand, explainCommand, diagnoseCommand, checkCommand, serveCommand, certsCommand, importCommand, exportCommand, versionCommand}

// usageError is a bad command line: hybridsim says what is wrong and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run runs hybridsim with the arguments after the program name and returns
// the exit code: 0 done, 1 failed, 2 bad command line.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, mainUsage())
		return 0
	case "help":
		if len(args) == 1 {
			fmt.Fprint(stdout, mainUsage())
			return 0
		}
		cmd := lookup(args[1])
		if cmd == nil {
			fmt.Fprintf(stderr, "hybridsim: there is no command %q; the commands are %s.\n", args[1], commandNames())
			return 2
		}
		fmt.Fprint(stdout, cmd.usage())
		return 0
	}
	cmd := lookup(args[0])
	if cmd == nil {
		fmt.Fprintf(stderr, "hybridsim: unknown command %q; the commands are %s.\nRun 'hybridsim help' for usage.\n", args[0], commandNames())
		return 2
	}
	err := cmd.run(args[1:], stdout)
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, cmd.usage())
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "hybridsim %s: %v\nRun 'hybridsim help %s' for usage.\n", cmd.name, err, cmd.name)
		return 2
	default:
		fmt.Fprintf(stderr, "hybridsim %s: %v\n", cmd.name, err)
		return 1
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// mainUsage is hybridsim's usage: an example of each command, then the list.
func mainUsage() string {
	var b strings.Builder
	b.WriteString("Usage of hybridsim:\n\n")
	for _, c := range commands {
		writeExample(&b, c.examples[0])
	}
	writeExample(&b, example{"hybridsim help <command>", "Show a command's usage, with more examples."})
	b.WriteString("Commands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-10s %s\n", c.name, c.summary)
	}
	return b.String()
}

// usage is the command's usage: its examples, then its flags.
func (c *command) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage of hybridsim %s:\n\n", c.name)
	for _, e := range c.examples {
		writeExample(&b, e)
	}
	b.WriteString("Flags:\n")
	c.flags().VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "\t--%s", f.Name)
		if name != "" {
			fmt.Fprintf(&b, " %s", name)
		}
		fmt.Fprintf(&b, "\n\t\t%s", help)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(&b, " (default %s)", f.DefValue)
		}
		b.WriteString("\n")
	})
	return b.String()
}

func writeExample(b *strings.Builder, e example) {
	fmt.Fprintf(b, "\t$ %s\n", e.command)
	for _, line := range strings.Split(e.explanation, "\n") {
		fmt.Fprintf(b, "\t%s\n", line)
	}
	b.WriteString("\n")
}

// parseFlags parses a command's flags; a bad flag is a usageError, -h and
// --help are flag.ErrHelp, and arguments that are not flags are refused.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: this command takes flags only", fs.Arg(0))
	}
	return nil
}
