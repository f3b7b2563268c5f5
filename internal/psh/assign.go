package psh

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// FieldParameters are the parameters a Set-* cmdlet takes for a
// configuration struct: one per exported field, in declaration order,
// except the names in skip.
func FieldParameters(v any, skip ...string) []Parameter {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Parameter
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || containsFold(skip, f.Name) {
			continue
		}
		out = append(out, Parameter{Name: f.Name})
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// Assign sets the fields of the struct dst points to from the bound
// parameters that name them (other parameters are left alone), converting
// each value to the field's type: text, $true/$false, integers, lists,
// durations as a TimeSpan ("1.00:00:00", "00:15:00") or Go's form ("15m"),
// and types that read text (encoding.TextUnmarshaler). A value that does
// not convert is an error naming the parameter, and dst may then be half
// changed: assign to a copy.
func Assign(dst any, b Bound) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("psh: Assign needs a pointer to a struct, not %T", dst)
	}
	rv = rv.Elem()
	for name, v := range b {
		f := rv.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) })
		if !f.IsValid() || !f.CanSet() {
			continue
		}
		if err := set(f, v); err != nil {
			return fmt.Errorf("psh: -%s: %w", name, err)
		}
	}
	return nil
}

var durationType = reflect.TypeOf(time.Duration(0))

func set(f reflect.Value, v Value) error {
	if u, ok := f.Addr().Interface().(encoding.TextUnmarshaler); ok {
		text := Text(v)
		if list, isList := v.([]Value); isList {
			parts := make([]string, len(list))
			for i, e := range list {
				parts[i] = Text(e)
			}
			text = strings.Join(parts, ", ")
		}
		return u.UnmarshalText([]byte(text))
	}
	if f.Type() == durationType {
		d, err := ParseTimeSpan(Text(v))
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, err := Bound{"": v}.String("")
		if err != nil {
			return fmt.Errorf("takes one value, not a list")
		}
		f.SetString(s)
	case reflect.Bool:
		bv, err := Bound{"": v}.Bool("")
		if err != nil {
			return fmt.Errorf("takes $true or $false, not %q", Text(v))
		}
		f.SetBool(bv)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(Text(v), 10, 64)
		if err != nil || f.OverflowInt(n) {
			return fmt.Errorf("takes a whole number, not %q", Text(v))
		}
		f.SetInt(n)
	case reflect.Slice:
		if f.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("cannot be set from the shell")
		}
		list, err := Bound{"": v}.Strings("")
		if err != nil {
			return fmt.Errorf("takes a flat list")
		}
		out := reflect.MakeSlice(f.Type(), len(list), len(list))
		for i, s := range list {
			out.Index(i).SetString(s)
		}
		f.Set(out)
	default:
		return fmt.Errorf("cannot be set from the shell")
	}
	return nil
}

// ParseTimeSpan reads a .NET TimeSpan as PowerShell prints it
// ("[d.]hh:mm:ss") or a Go duration ("15m").
func ParseTimeSpan(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	days := 0
	rest := s
	if dot := strings.Index(s, "."); dot >= 0 && dot < strings.Index(s+":", ":") {
		n, err := strconv.Atoi(s[:dot])
		if err != nil {
			return 0, fmt.Errorf("%q is not a TimeSpan: write d.hh:mm:ss, hh:mm:ss or 15m", s)
		}
		days, rest = n, s[dot+1:]
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("%q is not a TimeSpan: write d.hh:mm:ss, hh:mm:ss or 15m", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || len(p) > 2 {
			return 0, fmt.Errorf("%q is not a TimeSpan: write d.hh:mm:ss, hh:mm:ss or 15m", s)
		}
		n[i] = v
	}
	if days < 0 || days > 100000 {
		return 0, fmt.Errorf("%q is out of range: days 0 to 100000", s)
	}
	return time.Duration(days)*24*time.Hour + time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, nil
}
