// Package fakeonprem is a fake Exchange Server (on-premises) organization:
// servers with their certificate stores, the transport service and its
// internal transport certificate, receive and send connectors, queues, and
// the logs Exchange writes (Application event log, SMTP Receive and Send
// protocol logs, message tracking log). It makes Exchange's documented
// certificate decisions and speaks real SMTP over real sockets with the
// Exchange Server dialect; send connectors deliver with go-smtp's client.
//
// New starts an Organization from a Config on a Network (the lab's
// simulated names and addresses) and a Clock. Its methods are Exchange's
// cmdlets under Go names (GetExchangeCertificate, EnableExchangeCertificate,
// SetReceiveConnector, GetQueue, RetryQueue, GetMessageTrackingLog, ...),
// with Exchange's validation and error texts. Strings Exchange documents are
// constants in strings.go, each with its source id; strings no source gives
// are marked INFER there.
//
// The model, certificate selection (inbound STARTTLS, outbound, anonymous
// TLS), transport, logs and every INFER choice are described in
// docs/rules.md, "Exchange Server on-premises", with their sources.
package fakeonprem
