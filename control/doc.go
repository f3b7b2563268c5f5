// Package control is the HTTP control plane over a running lab: JSON under
// /api/v1, described by the OpenAPI document openapi.json beside this file
// (served at GET /api/v1/openapi.json), with server-sent events at
// GET /api/v1/stream. It breaks and fixes catalogue entries (package
// scenarios), runs Exchange Management Shell and Exchange Online
// PowerShell command lines (sim.Lab.Shell), moves the clock, submits mail
// and reads what the lab recorded: a message's timeline, the message
// trace, queues, message tracking, event logs and the log files.
//
// The handler does not own the lab: whoever runs it (hybridsim serve, a
// test) passes Config.Do, which runs a function between the lab's own
// steps, so that requests change the lab race-free, and Config.Reset,
// which restarts it as it started. Handler.Stepped wakes the event stream
// after the owner's own steps.
//
// Choices:
//   - Errors are JSON {"error": "..."}: 400 for a request the API cannot
//     read (bad JSON, a command line that does not parse, a bad duration),
//     404 for an unknown route, entry or message, 405 for a known route
//     with another method, 409 for a catalogue request the lab's state does
//     not allow, 422 when Exchange refuses (the cmdlet's own error text),
//     500 when the lab fails.
//   - A catalogue entry whose Entry.Lab adjusts the configuration (a second
//     certificate, a relay connector) needs a lab started for it: with
//     Config.Restart, breaking it restarts the lab from
//     scenarios.PrepareConfig; without, the answer is 409 and says so.
//   - The event stream keeps the last 1000 events for Last-Event-ID; a
//     client further behind gets an "event: gap" first.
package control
