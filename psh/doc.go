// Package psh is PowerShell's surface as data, with no Exchange knowledge:
// objects as Format-List prints them (Object, FormatList, ObjectOf), and the
// pieces built on them: command-line parsing with PowerShell's quoting, the
// reading of Format-List text, and CLIXML (Export-Clixml) encoding and
// decoding.
//
// An Object is what a cmdlet writes to the pipeline: its type names, most
// derived first, and its properties in the order the cmdlet defines them.
// Values are PowerShell's: nil ($null), string, bool, int64, time.Time,
// time.Duration (a TimeSpan), []byte (a byte array), []Value (a
// multi-valued property) and *Object (a nested object).
//
// It is a public package, not an internal one, because the fakes' and the
// lab's shells take its parsed commands and give its objects (Lab.Shell,
// Organization.Invoke), and because tools that read customer evidence or
// Exchange's console output need the same readers.
package psh
