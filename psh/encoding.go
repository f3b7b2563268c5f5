package psh

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeText turns a file PowerShell wrote into text with "\n" line ends:
// UTF-16LE with its BOM (Windows PowerShell's `>` and Out-File, and
// Export-Clixml's default), UTF-16BE with its BOM, UTF-8 with or without
// its BOM (PowerShell 7); CRLF and CR become LF. UTF-16 without a BOM is
// recognized by its zero bytes. Bytes that are none of these are an error
// that says which byte.
func DecodeText(data []byte) (string, error) {
	var s string
	if (bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})) && len(data)%2 == 1 {
		return "", fmt.Errorf("psh: the UTF-16 text ends in the middle of a character (byte %d, line %d): the file is truncated; ask for it again",
			len(data)-1, strings.Count(decodeUTF16Bytes(data[2:len(data)-1], data[0] == 0xFE), "\n")+1)
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		s = decodeUTF16Bytes(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s = decodeUTF16Bytes(data[2:], true)
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		fallthrough
	default:
		if looksUTF16LE(data) {
			s = decodeUTF16Bytes(data, false)
			break
		}
		if !utf8.Valid(data) {
			at := 0
			for at < len(data) {
				r, n := utf8.DecodeRune(data[at:])
				if r == utf8.RuneError && n <= 1 {
					break
				}
				at += n
			}
			return "", fmt.Errorf("psh: byte %d (line %d) is not UTF-8 or UTF-16: save the file as UTF-8 or Unicode, as PowerShell writes it (Out-File -Encoding utf8)",
				at, bytes.Count(data[:at], []byte("\n"))+1)
		}
		s = string(data)
	}
	if strings.ContainsRune(s, 0) {
		return "", errors.New("psh: the text holds NUL characters: the file is binary or in an encoding PowerShell does not write; save it as UTF-8 or Unicode")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), nil
}

// looksUTF16LE is UTF-16LE text without a BOM: ASCII characters with zero
// high bytes.
func looksUTF16LE(data []byte) bool {
	if len(data) < 4 || len(data)%2 != 0 {
		return false
	}
	zeros := 0
	for i := 1; i < len(data) && i < 200; i += 2 {
		if data[i] == 0 && data[i-1] != 0 {
			zeros++
		}
	}
	return zeros*2 >= min(len(data), 200)/2
}

func decodeUTF16Bytes(b []byte, bigEndian bool) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return string(utf16.Decode(units))
}

// EncodeUTF16LE is text as Windows PowerShell writes a file with `>`,
// Out-File or Export-Clixml: UTF-16LE with its BOM, CRLF line ends.
func EncodeUTF16LE(text string) []byte {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	units := utf16.Encode([]rune(text))
	out := make([]byte, 2, 2+2*len(units))
	out[0], out[1] = 0xFF, 0xFE
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
