package psh

import (
	"fmt"
	"slices"
	"strings"
)

// PowerShell's parameter-binding texts (System.Management.Automation's
// ParameterBinderStrings and CommandNotFoundException, as a console prints
// them; INFER: quoted from PowerShell 5.1's console, no Exchange source).
const (
	textNotFound       = "The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."
	textNoParameter    = "A parameter cannot be found that matches parameter name '%s'."
	textAmbiguous      = "Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include: %s."
	textMissingArg     = "Missing an argument for parameter '%s'. Specify a parameter of type '%s' and try again."
	textNoPositional   = "A positional parameter cannot be found that accepts argument '%s'."
	textSpecifiedTwice = "Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\"."
)

// Parameter is one parameter a cmdlet takes.
type Parameter struct {
	Name string
	// Switch parameters take no value (-Force), unless written
	// -Name:value (-Confirm:$false).
	Switch bool
	// Positional: the command line's positional value binds to it
	// (-Identity for most cmdlets).
	Positional bool
}

// Bound is a command's arguments by parameter name, as the cmdlet's table
// spells the name.
type Bound map[string]Value

// NotFound is the error for a cmdlet no table has: PowerShell's text,
// and the cmdlets that exist.
func NotFound(name string, known []string) error {
	return fmt.Errorf("psh: "+textNotFound+" This lab's cmdlets: %s.", name, strings.Join(known, ", "))
}

// Bind binds a command's arguments to a cmdlet's parameters as PowerShell
// does: names are case-insensitive and may be shortened to an unambiguous
// prefix; a switch is $true unless given -Name:value; a value without a
// name binds to the positional parameter. Errors carry PowerShell's text
// and list the cmdlet's parameters.
func Bind(cmd Command, params []Parameter) (Bound, error) {
	b := Bound{}
	fail := func(format string, args ...any) (Bound, error) {
		names := make([]string, len(params))
		for i, p := range params {
			names[i] = "-" + p.Name
		}
		return nil, fmt.Errorf("psh: %s: %s %s takes %s.", cmd.Name, fmt.Sprintf(format, args...), cmd.Name, strings.Join(names, ", "))
	}
	for i := 0; i < len(cmd.Args); i++ {
		a := cmd.Args[i]
		var p Parameter
		if a.Parameter == "" {
			at := slices.IndexFunc(params, func(p Parameter) bool { return p.Positional })
			if at < 0 || b.has(params[at].Name) {
				return fail(textNoPositional, Text(a.Value))
			}
			p = params[at]
			b[p.Name] = a.Value
			continue
		}
		p, err := match(a.Parameter, params)
		if err != nil {
			return fail("%s", err.Error())
		}
		if b.has(p.Name) {
			return fail(textSpecifiedTwice, p.Name)
		}
		switch {
		case a.Colon:
			b[p.Name] = a.Value
		case p.Switch:
			b[p.Name] = true
		case i+1 < len(cmd.Args) && cmd.Args[i+1].Parameter == "":
			i++
			b[p.Name] = cmd.Args[i].Value
		default:
			return fail(textMissingArg, p.Name, "System.String")
		}
	}
	return b, nil
}

func (b Bound) has(name string) bool { _, ok := b[name]; return ok }

// match finds the parameter a name (or an unambiguous prefix) means.
func match(name string, params []Parameter) (Parameter, error) {
	var found []Parameter
	for _, p := range params {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
		if len(name) < len(p.Name) && strings.EqualFold(p.Name[:len(name)], name) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Parameter{}, fmt.Errorf(textNoParameter, name)
	}
	names := make([]string, len(found))
	for i, p := range found {
		names[i] = "-" + p.Name
	}
	return Parameter{}, fmt.Errorf(textAmbiguous, name, strings.Join(names, " "))
}

// String is a parameter's value as text ("" when absent or $null); a list
// is refused.
func (b Bound) String(name string) (string, error) {
	switch v := b[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case int64, bool:
		return Text(v), nil
	}
	return "", fmt.Errorf("psh: -%s takes one value, not a list: give one", name)
}

// Strings is a parameter's value as a list of texts.
func (b Bound) Strings(name string) ([]string, error) {
	switch v := b[name].(type) {
	case nil:
		return nil, nil
	case []Value:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if _, nested := e.([]Value); nested {
				return nil, fmt.Errorf("psh: -%s: a list inside a list: give one flat list", name)
			}
			out = append(out, Text(e))
		}
		return out, nil
	default:
		return []string{Text(v)}, nil
	}
}

// Bool is a parameter's value as $true or $false (false when absent).
func (b Bound) Bool(name string) (bool, error) {
	switch v := b[name].(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case int64:
		return v != 0, nil
	case string:
		switch strings.ToLower(v) {
		case "true", "$true":
			return true, nil
		case "false", "$false":
			return false, nil
		}
	}
	return false, fmt.Errorf("psh: -%s takes $true or $false, not %q", name, Text(b[name]))
}

// Has tells whether the command line gave the parameter.
func (b Bound) Has(name string) bool { return b.has(name) }
