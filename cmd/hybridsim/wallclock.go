package main

import "time"

// wallNow is the one reading of the wall clock in hybridsim: `serve` starts
// its lab at the real time, because the tools that connect to it (openssl,
// curl, swaks) check certificate validity against the real clock.
func wallNow() time.Time { return time.Now().UTC().Truncate(time.Second) }

// realTime is what a served lab's clock follows: its start plus the real
// time elapsed (sim.ServeOptions.Now), so it never drifts behind the tools
// that connect to it.
func realTime() time.Time { return time.Now() }
