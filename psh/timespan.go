package psh

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

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

// FormatTimeSpan writes a duration as PowerShell prints a .NET TimeSpan:
// "hh:mm:ss", with "d." in front from one day up.
func FormatTimeSpan(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	s := fmt.Sprintf("%02d:%02d:%02d", d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second)
	if days > 0 {
		s = strconv.FormatInt(int64(days), 10) + "." + s
	}
	return neg + s
}
