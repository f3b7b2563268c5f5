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
// $null as the type's zero value (a cleared property), durations as a TimeSpan ("1.00:00:00", "00:15:00") or Go's form ("15m"),
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
	if v == nil { // $null clears the property
		f.Set(reflect.Zero(f.Type()))
		return nil
	}
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
