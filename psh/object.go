package psh

import (
	"encoding"
	"fmt"
	"net/netip"
	"reflect"
	"time"
)

// Object is one object on PowerShell's pipeline.
type Object struct {
	// TypeNames are the object's .NET type names, most derived first, as
	// PSObject.TypeNames lists them (CLIXML's TN element).
	TypeNames []string
	// ToString is the object's text (CLIXML's ToString element); "" when
	// it has none.
	ToString string
	// Properties are the object's properties in the order the cmdlet
	// defines them (Format-List's order).
	Properties []Property
}

// Property is one property of an Object.
type Property struct {
	Name  string
	Value Value
}

// Value is a property's value: nil ($null), string, bool, int64,
// time.Time, time.Duration (a TimeSpan), []byte (a byte array), []Value or
// *Object.
type Value any

// Get returns the value of the property with that name (PowerShell's
// names are case-insensitive) and whether the object has it.
func (o Object) Get(name string) (Value, bool) {
	for _, p := range o.Properties {
		if equalFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// ObjectOf makes an Object of a Go struct (or a pointer to one): its
// exported fields in declaration order, named by the field, each value
// converted by ValueOf. typeName is the object's .NET type name ("" for
// none).
func ObjectOf(typeName string, v any) Object {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return Object{}
		}
		rv = rv.Elem()
	}
	var o Object
	if typeName != "" {
		o.TypeNames = []string{typeName}
	}
	if rv.Kind() != reflect.Struct {
		return o
	}
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("psh") == "-" {
			continue
		}
		o.Properties = append(o.Properties, Property{Name: f.Name, Value: ValueOf(rv.Field(i).Interface())})
	}
	return o
}

// ValueOf converts a Go value to a Value: strings, bools and integers as
// themselves; time.Time as is (the zero time is $null); time.Duration and
// []byte as themselves; a nil pointer,
// slice or map is $null; a slice is a list; a type with a String or
// MarshalText method is that text; a struct is a nested *Object.
func ValueOf(v any) Value {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case bool:
		return x
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x
	case time.Duration:
		return x
	case []byte:
		if x == nil {
			return nil
		}
		return x
	case netip.Addr:
		if !x.IsValid() {
			return nil
		}
		return x.String()
	case fmt.Stringer:
		return x.String()
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return nil
		}
		return string(b)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return ValueOf(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint())
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		out := make([]Value, rv.Len())
		for i := range rv.Len() {
			out[i] = ValueOf(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		return fmt.Sprint(v)
	case reflect.Struct:
		o := ObjectOf("", v)
		return &o
	}
	return fmt.Sprint(v)
}
