package psh

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cultureLayouts are DateTime's default text (the short date and the long
// time pattern, "G") in the cultures customers' shells run in.
var cultureLayouts = map[string]string{
	"en-US": "1/2/2006 3:04:05 PM",
	"en-GB": "02/01/2006 15:04:05",
	"fr-FR": "02/01/2006 15:04:05",
	"de-DE": "02.01.2006 15:04:05",
}

// FormatDate prints a time as PowerShell's formatter does in a culture
// (en-US 1/5/2026 9:00:00 AM, en-GB and fr-FR 05/01/2026 09:00:00, de-DE
// 05.01.2026 09:00:00, ja-JP 2026/01/05 9:00:00; anything else is en-US): the time as
// it is, without its zone, as a console shows local time.
func FormatDate(t time.Time, culture string) string {
	if culture == "ja-JP" {
		// yyyy/MM/dd H:mm:ss: the hour without a leading zero, which Go's
		// layouts cannot say in 24-hour form.
		return t.Format("2006/01/02 ") + strconv.Itoa(t.Hour()) + t.Format(":04:05")
	}
	layout, ok := cultureLayouts[culture]
	if !ok {
		layout = cultureLayouts["en-US"]
	}
	return t.Format(layout)
}

// ParseDate reads a time Format-List printed in any culture FormatDate
// knows, ISO 8601 (Get-Date -Format o), and Get-Date's default text in
// en-US ("Thursday, December 10, 2026 8:30:00 AM") and en-GB ("10
// December 2026 08:30:00"). The culture is recognized by
// the text's form: AM/PM is en-US, a leading four-digit year ja-JP, dots
// de-DE, other slashes day first (en-GB, fr-FR). A time without a zone is
// returned in UTC; the caller says so.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := parseXSDateTime(s); err == nil {
		return t, nil
	}
	upper := strings.ToUpper(s)
	var layouts []string
	switch {
	case s != "" && (s[0] >= 'A' && s[0] <= 'Z' || s[0] >= '0' && s[0] <= '9') && strings.Contains(s, " ") && strings.IndexAny(s, "/.") < 0:
		// Get-Date's default text: the long date and the long time.
		layouts = []string{"Monday, January 2, 2006 3:04:05 PM", "02 January 2006 15:04:05", "Monday, 2 January 2006 15:04:05"}
	case strings.HasSuffix(upper, "AM") || strings.HasSuffix(upper, "PM"):
		layouts = []string{"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM"}
	case len(s) > 4 && strings.IndexAny(s[:4], "/.-") < 0 && strings.ContainsAny(s[4:5], "/-"):
		layouts = []string{"2006/1/2 15:04:05", "2006-1-2 15:04:05", "2006/1/2 15:04"}
	case strings.Contains(s, "."):
		layouts = []string{"2.1.2006 15:04:05", "2.1.2006 15:04"}
	default:
		layouts = []string{"2/1/2006 15:04:05", "2/1/2006 15:04"}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date as PowerShell prints one (en-US 1/5/2026 9:00:00 AM, en-GB 05/01/2026 09:00:00, de-DE 05.01.2026 09:00:00, ja-JP 2026/01/05 9:00:00)", s)
}
