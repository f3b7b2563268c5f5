package fakeonprem

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"
)

// The event chain of a message in message tracking (real-artifacts §2.2, §2.3): RECEIVE on
// the Front End and on the Transport service, AGENTINFO, SEND to Mailbox Transport,
// STOREDRIVER DELIVER; NOTIFYMAPI and STOREDRIVER RECEIVE for a submission. Which rows a
// real server writes for an inbound hybrid message, and their exact contents, have no public
// sample (§6.5, §6.6): INFER, modelled on Microsoft's documented example and the
// submission rows of §2.2.

// Tracking values (real-artifacts §2.2).
const (
	trafficEmail     = "Email"                                    // transport-traffic-type
	sourceAgent      = "AGENT"                                    // AGENTINFO's source (MT-doc)
	messageInfoSub   = "04I: "                                    // §2.2 submission RECEIVE's message-info
	submissionClient = "MOMT"                                     // §2.2 ClientType
	submissionAgent  = "MailboxTransportSubmissionEmailAssistant" // §2.2 SubmissionAssistant
	// agentInfoData: INFER (the anti-malware and transport rule agents' summary).
	agentInfoData = "S:AMA=SUM|v=0|action=|error=|atch=0;S:TRA=ETRP|ExecW=0|ExecC=0;S:DeliveryPriority=Normal"
	// eventNotifyMAPI is the submission's first row (§2.2).
	eventNotifyMAPI = "NOTIFYMAPI"
	// notifyInfo is NOTIFYMAPI's message-info: the item's creation time, the server and the
	// submission latencies (§2.2's keys; the values INFER).
	notifyInfo = "%s;LSRV=%s:TOTAL-SUB=0.128|SA=0.128|MTSS-PEN=0.000"
)

// guidOf is a deterministic GUID from its parts.
func guidOf(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// trackReceive writes a message's arrival rows: for SMTP through a Frontend connector the
// Front End's RECEIVE, then the Transport service's (`<SERVER>\Default <SERVER>`, the
// internet client in original-client-ip); a submission's NOTIFYMAPI and STOREDRIVER
// RECEIVE (MSGTRKMS); then AGENTINFO for SMTP and submissions. Callers hold o.mu.
func (s *server) trackReceive(a *arrival, e TrackingEntry) {
	self := s.cfg.IPAddresses[0].String()
	switch {
	case a.source == sourceSMTP && a.frontend:
		fe := e
		fe.SourceContext = a.sourceContext
		s.track(fe)
		e.ConnectorId = fmt.Sprintf(`%s\Default %s`, s.cfg.Name, s.cfg.Name)
		e.SourceContext, e.OriginalClientIp, e.OriginalServerIp = a.sourceContext, a.clientIP, a.serverIP
		e.ClientIp, e.ClientHostname, e.ServerIp = self, s.cfg.Fqdn, self
	case a.source == sourceSMTP:
		e.SourceContext = a.sourceContext
	case a.source == sourceStoreDriver:
		ctx := s.mailboxContext(a.from, e.Timestamp)
		notify := TrackingEntry{ClientIp: self, ClientHostname: s.cfg.Name, SourceContext: ctx, Source: sourceStoreDriver,
			EventId: eventNotifyMAPI, Sender: a.from, SessionID: e.SessionID,
			MessageInfo: fmt.Sprintf(notifyInfo, e.Timestamp.UTC().Format(logTimeLayout), strings.ToUpper(s.cfg.Fqdn)),
			CustomData:  "S:ItemEntryId=" + itemEntryID(a.from)}
		s.track(notify)
		e.ClientIp, e.ClientHostname, e.ServerIp = self, s.cfg.Fqdn, self
		e.SourceContext, e.MessageInfo = ctx, messageInfoSub
		e.CustomData = s.mailboxData(a.from)
	}
	s.track(e)
	if a.source == sourceDSN {
		return
	}
	s.track(TrackingEntry{ServerHostname: s.cfg.Fqdn, Source: sourceAgent, EventId: "AGENTINFO",
		InternalMessageId: e.InternalMessageId, MessageId: e.MessageId, NetworkMessageId: e.NetworkMessageId,
		Recipients: e.Recipients, TotalBytes: e.TotalBytes, RecipientCount: e.RecipientCount, MessageSubject: e.MessageSubject,
		Sender: e.Sender, ReturnPath: e.ReturnPath, Directionality: e.Directionality, CustomData: agentInfoData,
		SessionID: e.SessionID})
}

// trackDeliver writes a local delivery: SEND to Mailbox Transport Delivery, then
// STOREDRIVER DELIVER (MSGTRKMD) with the mailbox database in source-context and custom-data.
func (s *server) trackDeliver(m *message, internal int64, routed string) {
	self := s.cfg.IPAddresses[0].String()
	base := TrackingEntry{InternalMessageId: internal, MessageId: m.id, NetworkMessageId: m.networkID,
		Recipients: []string{routed}, TotalBytes: len(m.bytes()), RecipientCount: 1, MessageSubject: m.subject,
		Sender: m.from, ReturnPath: m.from, Directionality: directionality(m.header), SessionID: m.sessionID}
	send := base
	send.ClientIp, send.ClientHostname, send.ServerIp, send.ServerHostname = self, s.cfg.Fqdn, self, s.cfg.Fqdn
	send.ConnectorId, send.Source, send.EventId = intraOrgConnector, sourceSMTP, "SEND"
	send.RecipientStatus = []string{recipientOK}
	s.track(send)
	deliver := base
	deliver.ClientIp, deliver.ClientHostname, deliver.ServerIp, deliver.ServerHostname = self, s.cfg.Fqdn, self, s.cfg.Fqdn
	deliver.Source, deliver.EventId, deliver.RecipientStatus = sourceStoreDriver, "DELIVER", []string{""}
	deliver.SourceContext = fmt.Sprintf("MDB:%s, Mailbox:%s, Event:%d, MessageClass:IPM.Note, CreationTime:%s, ClientType:StoreDriver",
		s.mailboxDatabase(), guidOf("mailbox", strings.ToLower(routed)), len(s.tracking)+1, s.org.clock.Now().UTC().Format(logTimeLayout))
	deliver.CustomData = s.mailboxData(routed)
	s.track(deliver)
}

// mailboxDatabase is the server's mailbox database GUID.
func (s *server) mailboxDatabase() string { return guidOf("mdb", strings.ToLower(s.cfg.Name)) }

// mailboxContext is a submission's source-context (§2.2's key names and order).
func (s *server) mailboxContext(addr string, at time.Time) string {
	return fmt.Sprintf("MDB:%s, Mailbox:%s, Event:%d, MessageClass:IPM.Note, CreationTime:%s, ClientType:%s, SubmissionAssistant:%s",
		s.mailboxDatabase(), guidOf("mailbox", strings.ToLower(addr)), len(s.tracking)+1, at.UTC().Format(logTimeLayout),
		submissionClient, submissionAgent)
}

// mailboxData is a STOREDRIVER row's custom-data (§2.2's keys).
func (s *server) mailboxData(addr string) string {
	return fmt.Sprintf("S:MailboxDatabaseGuid=%s;S:ItemEntryId=%s;S:DeliveryPriority=Normal;S:AccountForest=%s",
		s.mailboxDatabase(), itemEntryID(addr), s.org.name)
}

// itemEntryID is a mailbox item's entry id (INFER: the samples redact it).
func itemEntryID(addr string) string {
	return strings.ToUpper(strings.ReplaceAll(guidOf("item", addr), "-", ""))
}
