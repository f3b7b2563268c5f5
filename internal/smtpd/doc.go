// Package smtpd is an SMTP server engine that speaks Exchange's dialect byte for byte, shared
// by the two fakes: fakeonprem's receive connectors and fakeexo's front door. go-smtp stays
// the client everywhere; its server cannot say Exchange's banner, EHLO lists or replies
// (docs/rules.md).
//
// The model, the dialect and the choices where the sources are silent are
// described in docs/rules.md, "The SMTP engine and the protocol logs".
package smtpd
