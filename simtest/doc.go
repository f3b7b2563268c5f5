// Package simtest is the lab for other tools' test suites: start the
// default lab (or your own) for a test, break it as a catalogue entry of
// documented failures breaks it, send the entry's probe, fix it the
// documented way and verify the mail arrives. Package match has the Gomega
// matchers for what the lab shows.
//
// Labs started for a test (NewLab, Break) are closed when it ends. Labs run
// on a virtual clock that starts on 2026-01-05; WithRealClock gives one that follows the wall
// clock, for tools that judge certificates at the real time. The catalogue
// and its sources are described in docs/catalogue.md.
package simtest
