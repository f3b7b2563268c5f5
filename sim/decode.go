package sim

import (
	"encoding"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileError is an error in a lab file: the file, the line, the field's path
// and what is wrong with it, with what to do about it.
type FileError struct {
	File  string // the lab file's name, as given
	Line  int    // 1-based; 0 when the error is not tied to a line
	Field string // the field's path, e.g. onprem.ReceiveConnectors[0].TlsCertificateName
	Err   error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(plainWords(e.Err.Error()))
	return b.String()
}

// plainWords takes the package prefix off an error found in a lab file: the
// file, line and field already say where it is.
func plainWords(msg string) string {
	for _, p := range []string{"sim: ", "fakeonprem: ", "fakeexo: ", "pki: ", "labnet: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

func (e *FileError) Unwrap() error { return e.Err }

// decoder turns a YAML node tree into Go values strictly: an unknown field,
// a value of the wrong type or a duplicate key is an error naming the line and
// the field's path. Field names are the `yaml` tags, which are Exchange's
// property names, so values can be copied from Format-List output; for the
// same reason it reads `$null`, `$true`/`$false` and `True`/`False`, and a
// multi-valued property either as a YAML list or as Format-List's
// "{a, b}" / "a, b" text.
type decoder struct {
	file    string
	errs    []error
	nodes   int // values decoded so far: aliases can multiply them
	depth   int
	objects map[string]position // identity -> where the object was last given
	fields  map[string]position // field path -> where it was given
	removed []string            // servers Remove: $true took out
	// display maps an object's path in the merged list to its path in
	// this file ("OnPrem.ReceiveConnectors[6]" -> "[0]"): errors name the
	// file's own index.
	display map[string]string
}

// position is where a value was given in a lab file.
type position struct {
	file  string
	line  int
	field string
	key   string // an object's path in the merged configuration (its fields' keys start with it)
}

// fieldPreparer is a struct that must get ready before one of its fields is
// decoded: an organization fills in its servers' default receive connectors
// before a lab file overrides them. Its deferred fields decode last.
type fieldPreparer interface {
	deferredFields() []string
	prepareField(name string)
}

func (d *decoder) fail(n *yaml.Node, path string, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &FileError{File: d.file, Line: line, Field: d.shown(path), Err: fmt.Errorf(format, args...)})
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// isNull reports whether a scalar means "no value".
func isNull(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	return n.Tag == "!!null" || (n.Style == 0 && strings.EqualFold(n.Value, "$null"))
}

// maxNodes and maxDepth bound what one lab file may make the decoder do:
// YAML aliases can expand a small file into billions of values ("billion
// laughs") or refer to themselves.
const (
	maxNodes = 200000
	maxDepth = 64
	// maxErrors is how many errors one file reports: the first ones are
	// the ones to fix.
	maxErrors = 20
)

// decode fills v (addressable) from n.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.nodes++; d.nodes > maxNodes || d.depth >= maxDepth {
		if d.nodes == maxNodes+1 || d.depth == maxDepth {
			d.fail(n, path, "the file expands to too many values or nests too deeply (YAML aliases?); write the values out")
		}
		return
	}
	d.depth++
	defer func() { d.depth-- }()
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if v.Type() == stepType {
		d.decodeStep(n, v, path) // steps.go
		return
	}
	if isNull(n) {
		v.Set(reflect.Zero(v.Type()))
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
		return
	}
	if v.Type() != timeType && reflect.PointerTo(v.Type()).Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a single value, got a %s", kindName(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.fail(n, path, "%v", err)
		}
		return
	}
	switch {
	case v.Type() == timeType:
		d.decodeTime(n, v, path)
	case v.Type() == durationType:
		d.decodeDuration(n, v, path)
	case v.Kind() == reflect.Struct:
		d.decodeStruct(n, v, path)
	case v.Kind() == reflect.Slice:
		d.decodeSlice(n, v, path)
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want text, got a %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case v.Kind() == reflect.Bool:
		d.decodeBool(n, v, path)
	case v.CanInt():
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a whole number, got a %s", kindName(n))
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, ",", ""), 10, v.Type().Bits())
		if err != nil {
			d.fail(n, path, "want a whole number, got %q", n.Value)
			return
		}
		v.SetInt(i)
	case v.CanUint():
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a whole number, got a %s", kindName(n))
			return
		}
		u, err := strconv.ParseUint(n.Value, 10, v.Type().Bits())
		if err != nil {
			d.fail(n, path, "want a whole number from 0 to %d, got %q", uint64(1)<<v.Type().Bits()-1, n.Value)
			return
		}
		v.SetUint(u)
	default:
		d.fail(n, path, "internal error: no decoder for %s", v.Type())
	}
}

func (d *decoder) decodeBool(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "$true":
			v.SetBool(true)
			return
		case "false", "$false":
			v.SetBool(false)
			return
		}
	}
	d.fail(n, path, "want $true or $false, got %s", describe(n))
}

func (d *decoder) decodeTime(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode {
		if t, err := time.Parse(time.RFC3339, n.Value); err == nil {
			v.Set(reflect.ValueOf(t.UTC()))
			return
		}
	}
	d.fail(n, path, "want a time in RFC 3339 form such as 2026-01-05T09:00:00Z, got %s", describe(n))
}

func (d *decoder) decodeDuration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode {
		if t, err := parseDuration(n.Value); err == nil {
			v.SetInt(int64(t))
			return
		}
	}
	d.fail(n, path, "want a duration such as 10m, 48h or Exchange's 2.00:00:00, got %s", describe(n))
}

// parseDuration reads Go durations (10m) and Exchange's TimeSpan form
// ([d.]hh:mm:ss), as Get-TransportService prints MessageExpirationTimeOut.
func parseDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	var days, h, m, sec int
	rest := s
	if i := strings.IndexByte(rest, '.'); i >= 0 && strings.Count(rest[i:], ":") == 2 {
		var err error
		if days, err = strconv.Atoi(rest[:i]); err != nil {
			return 0, err
		}
		rest = rest[i+1:]
	}
	if _, err := fmt.Sscanf(rest, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0, err
	}
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	items := n.Content
	if n.Kind == yaml.ScalarNode {
		items = nil
		for _, part := range splitList(n.Value) {
			items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: part, Line: n.Line, Column: n.Column})
		}
	} else if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "want a list, got a %s", kindName(n))
		return
	}
	keys := identityFields(v.Type().Elem())
	if len(keys) == 0 || n.Kind != yaml.SequenceNode {
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, item := range items {
			at := fmt.Sprintf("%s[%d]", path, i)
			d.record(at, item)
			d.decode(item, s.Index(i), at)
		}
		v.Set(s)
		return
	}
	// A list of objects with an identity merges: an item naming an existing
	// object overrides the properties it gives; any other item is added.
	given := map[string]int{} // identities this list gives -> line
	for j, item := range items {
		if d.duplicate(given, keys, item, path) {
			continue
		}
		i := d.find(v, keys, item)
		if remove, ok := d.removal(item, path); ok {
			d.remove(v, i, keys, item, remove, path)
			continue
		}
		if i < 0 {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			i = v.Len() - 1
		}
		at := fmt.Sprintf("%s[%d]", path, i)
		d.show(at, fmt.Sprintf("%s[%d]", d.shown(path), j))
		d.record(at, item)
		d.decode(item, v.Index(i), at)
		if d.objects != nil {
			d.objects[identityOf(v.Index(i), keys)] = position{file: d.file, line: item.Line, field: d.shown(at), key: at}
		}
	}
}

// identityKeys are the properties that identify an object in a list, in the
// order they are tried; Server qualifies a receive connector's Name.
var identityKeys = []string{"Name", "DomainName", "Domain", "PrimarySmtpAddress", "Certificate"}

func identityFields(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	for _, k := range identityKeys {
		if f, ok := t.FieldByName(k); ok && f.Type.Kind() == reflect.String {
			if s, ok := t.FieldByName("Server"); ok && s.Type.Kind() == reflect.String {
				return []string{"Server", k}
			}
			return []string{k}
		}
	}
	return nil
}

// identityOf renders an object's identity, e.g. `EX01\Default Frontend EX01`.
func identityOf(v reflect.Value, keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = v.FieldByName(k).String()
	}
	return strings.Join(parts, `\`)
}

// find returns the index of the existing element the item names, or -1.
func (d *decoder) find(v reflect.Value, keys []string, item *yaml.Node) int {
	if item.Kind != yaml.MappingNode {
		return -1
	}
	want := make([]string, len(keys))
	for i := 0; i+1 < len(item.Content); i += 2 {
		for j, k := range keys {
			if strings.EqualFold(item.Content[i].Value, k) {
				want[j] = item.Content[i+1].Value
			}
		}
	}
	if want[len(want)-1] == "" {
		return -1
	}
	for i := range v.Len() {
		match := true
		for j, k := range keys {
			if want[j] != "" && !strings.EqualFold(v.Index(i).FieldByName(k).String(), want[j]) {
				match = false
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// splitList reads a multi-valued property as Format-List prints it:
// "{Tls, Integrated}" or "Tls, Integrated"; "{}" is empty.
func splitList(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of properties, got %s", describe(n))
		return
	}
	fields := structFields(v.Type())
	seen := map[string]int{}
	order := make([]int, 0, len(n.Content)/2)
	var deferred []int
	prep, _ := v.Addr().Interface().(fieldPreparer)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if prep != nil && containsFold(prep.deferredFields(), n.Content[i].Value) {
			deferred = append(deferred, i)
			continue
		}
		order = append(order, i)
	}
	for _, i := range append(order, deferred...) {
		key, val := n.Content[i], n.Content[i+1]
		name := key.Value
		at := join(path, name)
		idx, ok := fields[strings.ToLower(name)]
		if !ok {
			d.fail(key, at, "unknown property %q; known properties: %s", name, strings.Join(knownNames(v.Type()), ", "))
			continue
		}
		if prev, dup := seen[strings.ToLower(name)]; dup {
			d.fail(key, at, "property %q given twice (first on line %d)", name, prev)
			continue
		}
		seen[strings.ToLower(name)] = key.Line
		if prep != nil && containsFold(prep.deferredFields(), name) {
			prep.prepareField(v.Type().Field(idx).Name)
		}
		d.record(at, key)
		d.decode(val, v.Field(idx), at)
	}
}

// record remembers where the value at path was given.
func (d *decoder) record(path string, n *yaml.Node) {
	if d.fields != nil {
		d.fields[path] = position{file: d.file, line: n.Line, field: d.shown(path)}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// structFields maps lower-cased yaml names to field indexes: property names
// are matched case-insensitively, as PowerShell matches parameter names.
func structFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		if name := yamlName(t.Field(i)); name != "" {
			m[strings.ToLower(name)] = i
		}
	}
	return m
}

func knownNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("yaml")
	if tag == "-" {
		return ""
	}
	if name, _, _ := strings.Cut(tag, ","); name != "" {
		return name
	}
	return f.Name
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "single value"
	}
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return "a " + kindName(n)
}

// reflectValue returns the addressable value behind a pointer.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }
