package evidence

import (
	"strconv"
	"strings"
	"time"
)

// yamlWriter writes a lab file line by line, every value with a comment
// naming where it came from.
type yamlWriter struct {
	b strings.Builder
}

// comment writes comment lines at an indentation.
func (w *yamlWriter) comment(indent int, text string) {
	for _, line := range strings.Split(text, "\n") {
		w.b.WriteString(strings.Repeat(" ", indent) + "# " + line + "\n")
	}
}

// key writes "key:" opening a block.
func (w *yamlWriter) key(indent int, key, note string) {
	w.b.WriteString(strings.Repeat(" ", indent) + key + ":")
	if note != "" {
		w.b.WriteString("  # " + oneLine(note))
	}
	w.b.WriteString("\n")
}

// item writes "- key: value" (the first field of a list item).
func (w *yamlWriter) item(indent int, key, value, note string) {
	w.b.WriteString(strings.Repeat(" ", indent) + "- " + key + ": " + value)
	if note != "" {
		w.b.WriteString("  # " + oneLine(note))
	}
	w.b.WriteString("\n")
}

// field writes "key: value  # note".
func (w *yamlWriter) field(indent int, key, value, note string) {
	w.b.WriteString(strings.Repeat(" ", indent) + key + ": " + value)
	if note != "" {
		w.b.WriteString("  # " + oneLine(note))
	}
	w.b.WriteString("\n")
}

func (w *yamlWriter) blank() { w.b.WriteString("\n") }

func (w *yamlWriter) String() string { return w.b.String() }

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// quote is a YAML single-quoted scalar: nothing in it is special.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteList is a flow sequence of quoted scalars.
func quoteList(values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = quote(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// psBool is a boolean as lab files take PowerShell's.
func psBool(b bool) string {
	if b {
		return "$true"
	}
	return "$false"
}

func yamlTime(t time.Time) string { return quote(t.UTC().Format(time.RFC3339)) }

func itoa(n int) string { return strconv.Itoa(n) }
