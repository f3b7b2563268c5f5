// Package fakeonprem is a fake Exchange Server (on-premises) organization:
// servers with their certificate stores and transport service, receive and
// send connectors, queues, and the logs Exchange writes (Application log,
// SMTP protocol logs, message tracking). It makes Exchange's documented
// certificate decisions and speaks real SMTP over real sockets.
//
// New starts an Organization; its methods are Exchange's cmdlets under Go
// names (EnableExchangeCertificate, SetReceiveConnector, GetQueue, ...),
// with Exchange's validation and error texts. Documented strings are
// constants in strings.go with their source ids. The model, the selection
// rules, transport, logs and every INFER choice are described in
// docs/rules.md, "Exchange Server on-premises".
//
// The lab drives it: RunDue makes the delivery attempts that fall due, NextDue says when the
// next does, WaitLabIdle waits for the receive sessions the lab's own dialer opened,
// StreamLogs appends every log to its file as it happens, and Retain bounds what a long run
// keeps in memory (queued messages are always kept).
package fakeonprem
