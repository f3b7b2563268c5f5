package main

import (
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/scenarios"
)

// readingResult is one conflict reading's result as run --json prints it.
type readingResult struct {
	Conflict   string          `json:"conflict"`
	Name       string          `json:"name"`
	Seen       bool            `json:"symptomSeen"`
	Controlled bool            `json:"absentUnbroken"`
	Symptoms   []symptomResult `json:"symptoms"`
}

// readings are an entry's conflict readings, with their negative controls.
func readings(res scenarios.Result) []readingResult {
	var out []readingResult
	for _, rd := range res.Readings {
		r := readingResult{Conflict: rd.Reading.Conflict, Name: rd.Reading.Name, Seen: rd.Seen, Controlled: true}
		for _, s := range rd.Symptoms {
			r.Symptoms = append(r.Symptoms, symptomResult{Where: string(s.Where), Want: s.Want, Seen: s.Seen, Infer: s.Infer})
		}
		for _, s := range res.Control.Readings[rd.Reading.Conflict] {
			r.Controlled = r.Controlled && !s.Seen
		}
		out = append(out, r)
	}
	return out
}

// withReading keeps the entries that have a conflict's reading, each with
// that reading alone; "" keeps every entry as it is.
func withReading(entries []scenarios.Entry, conflict string) ([]scenarios.Entry, error) {
	if conflict == "" {
		return entries, nil
	}
	var out []scenarios.Entry
	var known []string
	for _, e := range entries {
		for _, rd := range e.Readings {
			known = append(known, rd.Conflict)
			if strings.EqualFold(rd.Conflict, conflict) {
				e.Readings = []scenarios.Reading{rd}
				out = append(out, e)
				break
			}
		}
	}
	if len(out) == 0 {
		slices.Sort(known)
		return nil, usagef("no entry has the reading %q; the readings are %s", conflict, strings.Join(slices.Compact(known), ", "))
	}
	return out, nil
}
