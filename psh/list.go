package psh

// List is a multi-valued property with its .NET type names, as CLIXML
// writes them on the Obj around an LST: Exchange's MultiValuedProperty
// rather than an ArrayList. Format-List prints it as it prints []Value;
// ReadCLIXML reads every list back as []Value.
type List struct {
	TypeNames []string
	Items     []Value
}
