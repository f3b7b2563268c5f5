// Package fakeexo is a fake Exchange Online: a multi-tenant service with
// tenants, accepted domains, mailboxes and mail users, inbound and outbound
// connectors, a front door that decides which tenant and connector each
// incoming connection belongs to, outbound delivery to on-premises servers
// with TlsSettings/TlsDomain validation, a 24-hour retry queue, and message
// trace. It speaks real SMTP over real sockets with EXO's dialect and EXO's
// own certificate; outbound delivery uses go-smtp's client.
//
// New starts a Service from a Config on a Network and a Clock;
// Service.Organization gives a tenant's cmdlets (Get-/Set-InboundConnector,
// Get-/Set-OutboundConnector, Validate-OutboundConnector, GetMessageTrace,
// ...). Strings Exchange Online documents are constants in strings.go, each
// with its source id; strings no source gives are marked INFER there.
//
// Attribution, headers, outbound validation, the message trace and every
// INFER choice are described in docs/rules.md, "Exchange Online", with their
// sources.
//
// The lab drives it: RunDue makes the delivery attempts that fall due, NextDue says when the
// next does, WaitLabIdle waits for the front-door sessions the lab's own dialer opened,
// StreamLogs appends the protocol log to a file as it happens, Retain bounds what a long run
// keeps in memory, and Shutdown stops the front door gracefully.
package fakeexo
