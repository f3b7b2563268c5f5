// Package smtpd is an SMTP server engine that speaks Exchange's dialect byte for byte, shared
// by the two fakes: fakeonprem's receive connectors and fakeexo's front door. go-smtp stays
// the client everywhere; its server cannot say Exchange's banner, EHLO lists or replies
// (docs/rules.md).
//
// The model, the dialect and the choices where the sources are silent are
// described in docs/rules.md, "The SMTP engine and the protocol logs".
//
// Server.WaitLabIdle waits only for the sessions the lab's own dialer opened (connections
// whose LabDialed method says so), so a tool outside the lab that holds a connection never
// holds the lab up; a listener survives temporary accept errors (EMFILE, ENFILE,
// ECONNABORTED) by backing off as net/http does, 5 ms doubling to 1 s, and says so in
// Config.ErrorLog; Shutdown answers open sessions `421 4.3.2 Service not available, closing
// transmission channel`.
package smtpd
