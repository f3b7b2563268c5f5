package evidence

import (
	"reflect"

	"github.com/hybridsim/hybridsim/psh"
)

// Console is the console Format-List output is rendered for: Windows
// PowerShell's default buffer width (120 columns), $FormatEnumerationLimit
// 4, en-US.
var console = psh.ListOptions{Width: 120, EnumerationLimit: 4, Culture: "en-US"}

// FormatList renders the fakes' objects as `<Get- cmdlet> | Format-List`
// prints them in a 120-column en-US console: fakeonprem.ExchangeCertificate
// (Get-ExchangeCertificate, Format-List *'s properties the lab models),
// fakeonprem.ReceiveConnector, fakeonprem.SendConnector,
// fakeonprem.TransportService, OnPremAcceptedDomain, and Exchange Online's
// fakeexo.AcceptedDomain, fakeexo.InboundConnector and
// fakeexo.OutboundConnector, or slices of them. Long values wrap at the
// width, lists longer than four end in "...". Any other value renders as
// an error line, so that a shell answer says what went wrong.
func FormatList(v ...any) string {
	objs, err := objects(v)
	if err != nil {
		return err.Error() + "\n"
	}
	return console.FormatList(objs...)
}

// CLIXML renders the same objects as `... | Export-Clixml` writes them:
// the Objs document in UTF-16LE with its BOM (Windows PowerShell's
// default), each object with its type names, ToString and properties.
func CLIXML(v ...any) ([]byte, error) {
	objs, err := objects(v)
	if err != nil {
		return nil, err
	}
	values := make([]psh.Value, len(objs))
	for i := range objs {
		values[i] = &objs[i]
	}
	return psh.EncodeUTF16LE(psh.WriteCLIXML(values...)), nil
}

// objects flattens slices and converts each value.
func objects(vs []any) ([]psh.Object, error) {
	var out []psh.Object
	for _, v := range vs {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
			for i := range rv.Len() {
				more, err := objects([]any{rv.Index(i).Interface()})
				if err != nil {
					return nil, err
				}
				out = append(out, more...)
			}
			continue
		}
		o, err := objectOf(v)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}
