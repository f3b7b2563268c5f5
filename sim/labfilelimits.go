package sim

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxLabFileSize is the largest lab file Load and Parse accept: a
// deployment's description is a few kilobytes; anything near this is not
// a lab file.
const MaxLabFileSize = 1 << 20

// readLimited reads a lab file, refusing one larger than MaxLabFileSize
// without reading it all.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sim: lab file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLabFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("sim: lab file: %w", err)
	}
	return data, nil
}

// yamlErrorAt is yamlError with a line for the errors the YAML library
// reports without one (a control character, invalid UTF-8: binary input):
// the line of the first such byte.
func yamlErrorAt(name string, err error, data []byte) error {
	e := yamlError(name, err)
	if fe, ok := e.(*FileError); ok && fe.Line == 0 {
		fe.Line = firstBadLine(data)
		fe.Err = fmt.Errorf("%w; a lab file is UTF-8 text without control characters", fe.Err)
	}
	return e
}

// firstBadLine is the 1-based line of the first byte that is not UTF-8
// text (a control character other than tab, newline and carriage return,
// or an invalid sequence); 1 when there is none.
func firstBadLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return line
		case r == '\n':
			line++
		}
		i += size
	}
	return 1
}

// show records that the object at a merged list's path is at display in
// this file.
func (d *decoder) show(merged, display string) {
	if d.display == nil {
		d.display = map[string]string{}
	}
	d.display[merged] = display
}

// shown is a path as the file writes it: each list index the file's own.
func (d *decoder) shown(path string) string {
	for at := path; at != ""; at = parentPath(at) {
		if shown, ok := d.display[at]; ok {
			return shown + path[len(at):]
		}
	}
	return path
}

// duplicate reports (and refuses) an item whose identity an earlier item
// of the same list in this file already gave: two servers, certificates
// or mailboxes with one name.
func (d *decoder) duplicate(given map[string]int, keys []string, item *yaml.Node, path string) bool {
	if item.Kind == yaml.AliasNode && item.Alias != nil {
		item = item.Alias
	}
	if d.nodes++; item.Kind != yaml.MappingNode || d.nodes > maxNodes {
		return false
	}
	id := strings.ToLower(identityOfItem(item, keys))
	if strings.Trim(id, `\`) == "" {
		return false
	}
	if first, ok := given[id]; ok {
		if _, said := given["\x00"]; said {
			return true // one duplicate per list is reported; the others are skipped too
		}
		given["\x00"] = 0
		d.fail(item, d.shown(path), "two objects are named %s in this list (the first on line %d); give each its own %s, or merge them into one", describeIdentity(item, keys), first, keys[len(keys)-1])
		return true
	}
	given[id] = item.Line
	return false
}

// inherited names the lab file an error belongs to when the object is one
// the file inherited from the default lab and did not give: the file's
// name, the field, and where the default lab gives the object.
func (s *sources) inherited(p position, e *FileError) *FileError {
	if s.file == "" || p.file == s.file {
		return e
	}
	return &FileError{File: s.file, Field: e.Field,
		Err: fmt.Errorf("%s (an object this file inherits from the default lab, %s:%d: override it here, or take it out with Remove: $true)", plainWords(e.Err.Error()), p.file, p.line)}
}

// property finds the field an error raised when the lab starts is about:
// the fakes write `<kind> "<identity>": <Property>: <what is wrong>`; when
// the file gives that property of the object, the error points at its own
// line rather than the object's.
func (s *sources) property(obj position, identity string, err error) (position, bool) {
	_, rest, ok := strings.Cut(err.Error(), quoteIdentity(identity)+": ")
	if !ok || obj.key == "" {
		return position{}, false
	}
	prop, _, ok := strings.Cut(rest, ": ")
	if !ok || strings.ContainsAny(prop, " .[") {
		return position{}, false
	}
	for key, p := range s.fields {
		if strings.EqualFold(key, obj.key+"."+prop) {
			return p, true
		}
	}
	return position{}, false
}
