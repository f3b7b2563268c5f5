package main

import "github.com/hybridsim/hybridsim/sim"

// labConfig is the default lab, or the lab file's.
func labConfig(path string) (sim.Config, error) {
	if path == "" {
		return sim.DefaultConfig(), nil
	}
	return sim.Load(path)
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments ("hybridsim run F01 --json F02") and returns the
// positional ones.
func parseInterleaved(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
