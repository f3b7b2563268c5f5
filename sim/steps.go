package sim

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hybridsim/hybridsim/psh"
)

// Step is one item of a lab file's Steps: an Exchange Management Shell
// command line, run as Lab.Shell runs it, or an advance of the lab's
// clock. New applies a configuration's steps in order once the lab has
// started; a step that fails makes New fail with a *FileError naming the
// step. Unlike Lab.Shell, a step's -Thumbprint (written in full, as
// -Thumbprint x or -Thumbprint:x) may be a lab certificate's Name, which
// stands for its thumbprint as it does in a lab file's configuration.
type Step struct {
	// Command is a command line (Set-ReceiveConnector ...); "" for an
	// advance.
	Command string
	// Advance moves the lab's clock on by this much, when Command is "".
	Advance time.Duration

	at position // where the lab file gave the step, for errors
}

// maxAdvance is the longest one Advance step may be, as Start-Sleep's.
const maxAdvance = 400 * 24 * time.Hour

var stepType = reflect.TypeFor[Step]()

// decodeStep reads one item of Steps: a command line (a single value), or
// a mapping with the one key Advance. A command line is parsed here, so
// that a line the shell cannot read is a load-time error with its line.
func (d *decoder) decodeStep(n *yaml.Node, v reflect.Value, path string) {
	at := position{file: d.file, line: n.Line, field: d.shown(path)}
	switch {
	case n.Kind == yaml.ScalarNode && !isNull(n):
		if _, err := parseStepLine(n.Value); err != nil {
			d.fail(n, path, "%s; write one command line as Exchange Management Shell takes it, e.g. Set-ReceiveConnector \"EX01\\Default Frontend EX01\" -RequireTLS $true", pshText(err))
			return
		}
		v.Set(reflect.ValueOf(Step{Command: n.Value, at: at}))
		return
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && strings.EqualFold(n.Content[0].Value, "Advance"):
		val := n.Content[1]
		if val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		adv, err := parseAdvance(val)
		if err != nil {
			d.fail(val, join(path, "Advance"), "%v", err)
			return
		}
		v.Set(reflect.ValueOf(Step{Advance: adv, at: at}))
		return
	}
	d.fail(n, path, "want a command line (Set-ReceiveConnector ...) or a clock advance (Advance: 7d), got %s", describeStep(n))
}

// describeStep says what a step item that is neither form is.
func describeStep(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		var keys []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
		return "a mapping with " + strings.Join(keys, ", ")
	}
	if isNull(n) {
		return "nothing"
	}
	return describe(n)
}

// parseAdvance reads an Advance: a Go duration (15m, 36h), days (7d,
// 1d12h) or a PowerShell TimeSpan (7.00:00:00), more than zero and at
// most 400 days.
func parseAdvance(n *yaml.Node) (time.Duration, error) {
	bad := fmt.Errorf("want a duration such as 15m, 7d or PowerShell's 7.00:00:00, from more than 0 up to 400 days, got %s", describe(n))
	if n.Kind != yaml.ScalarNode {
		return 0, bad
	}
	s := strings.TrimSpace(n.Value)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		k, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return 0, bad
		}
		days, s = time.Duration(k)*24*time.Hour, s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		var err error
		if rest, err = parseDuration(s); err != nil || (days > 0 && (rest < 0 || strings.Contains(s, ":"))) {
			return 0, bad
		}
	}
	total := days + rest
	if total <= 0 || total > maxAdvance || days > maxAdvance {
		return 0, bad
	}
	return total, nil
}

// parseStepLine parses a step's command line as Lab.Shell does: an
// Invoke-Command -ComputerName <server> { ... } or one cmdlet's line.
func parseStepLine(line string) (psh.Command, error) {
	cmd, err := remoteCommand(line)
	if err != nil || cmd.Name != "" {
		return cmd, err
	}
	return psh.ParseCommandLine(line)
}

// pshText is a shell error without its package prefix: the file, line and
// field say where it is.
func pshText(err error) string {
	msg := err.Error()
	for _, p := range []string{"psh: ", "sim: ", "fakeonprem: ", "fakeexo: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// runSteps applies the configuration's steps in order: command lines
// through the shell's dispatcher (as Lab.Shell runs them), advances
// through Advance. A step that fails is an error naming its file, line
// and field, with the cmdlet's own text.
func (l *Lab) runSteps(ctx context.Context) error {
	for i, s := range l.cfg.Steps {
		if s.Command == "" {
			if s.Advance <= 0 || s.Advance > maxAdvance {
				return l.cfg.stepError(i, s, fmt.Errorf("a step needs a Command, or an Advance from more than 0 up to 400 days (got %s)", s.Advance))
			}
			l.Advance(s.Advance)
			continue
		}
		cmd, err := parseStepLine(s.Command)
		if err != nil {
			return l.cfg.stepError(i, s, fmt.Errorf("%s; write one command line as Exchange Management Shell takes it", strings.TrimSuffix(pshText(err), ".")))
		}
		l.resolveThumbprintArgs(&cmd)
		if _, err = l.invoke(ctx, cmd); err != nil {
			return l.cfg.stepError(i, s, fmt.Errorf("%s: %s; correct this step (it runs on the lab as the steps before it left it)", cmd.Name, strings.TrimSuffix(pshText(err), ".")))
		}
	}
	return nil
}

// stepError is a FileError for the i-th step: the file and line that gave
// it, or "lab" and the field for a step added in Go.
func (c *Config) stepError(i int, s Step, err error) error {
	if s.at.file != "" {
		return &FileError{File: s.at.file, Line: s.at.line, Field: s.at.field, Err: err}
	}
	return &FileError{File: "lab", Field: fmt.Sprintf("Steps[%d]", i), Err: err}
}

// resolveThumbprintArgs lets a step name a lab certificate by its Name
// where a cmdlet takes -Thumbprint (Enable-ExchangeCertificate -Thumbprint
// renewed), as a lab file's configuration does: the value becomes the
// certificate's thumbprint. The parameter must be written in full.
func (l *Lab) resolveThumbprintArgs(cmd *psh.Command) {
	for i, a := range cmd.Args {
		if !strings.EqualFold(a.Parameter, "Thumbprint") {
			continue
		}
		j := i
		if !a.Colon {
			if j = i + 1; j >= len(cmd.Args) || cmd.Args[j].Parameter != "" {
				continue
			}
		}
		if v, ok := cmd.Args[j].Value.(string); ok && !isThumbprint(v) {
			cmd.Args[j].Value = l.thumbprintOf(v)
		}
	}
}
