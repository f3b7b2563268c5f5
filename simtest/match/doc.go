// Package match has Gomega matchers for what a lab shows: a message
// delivered, deferred with an LED, waiting in a queue with a LastError; an
// event in an Application log; a catalogue symptom seen; an entry's fix
// verified. Each failure message says what the lab showed instead.
package match
