package fakeexo

import (
	"slices"
	"time"
)

// MessageTrace is one row of Get-MessageTrace (S16 Get-MessageTraceV2, S38):
// one message for one recipient.
type MessageTrace struct {
	Received         time.Time
	SenderAddress    string
	RecipientAddress string
	Subject          string
	// Status is Delivered (in a mailbox or handed to the next host),
	// Pending (queued, being retried) or Failed (returned in an NDR).
	Status         string
	MessageTraceId string
	MessageId      string
	FromIP         string // the sending host's address; "" when submitted in the service
	ToIP           string // the next host's address once handed off
	Size           int
}

// MessageTraceDetail is one event of Get-MessageTraceDetail: RECEIVE, SEND,
// DEFER, FAIL or DELIVER. A DEFER's or FAIL's Detail is the documented
// "Reason: [{LED=...};{MSG=...};{FQDN=...};{IP=...};{LRT=...}]. OutboundProxyTargetIP: ...
// OutboundProxyTargetHostName: ..." (§9).
type MessageTraceDetail struct {
	Date             time.Time
	Event            string
	Detail           string
	MessageTraceId   string
	MessageId        string
	RecipientAddress string
	// SessionID is the SMTP session the event came from: the front door's
	// for RECEIVE, the outbound session's for SEND, DEFER and FAIL after an
	// attempt; "" for what happened inside the service.
	SessionID string
}

// traceRecord is one row and its events.
type traceRecord struct {
	tenant  string
	row     MessageTrace
	details []MessageTraceDetail
}

// event appends a detail.
func (r *traceRecord) event(at time.Time, event, detail, sessionID string) {
	r.details = append(r.details, MessageTraceDetail{
		Date: at, Event: event, Detail: detail, MessageTraceId: r.row.MessageTraceId,
		MessageId: r.row.MessageId, RecipientAddress: r.row.RecipientAddress, SessionID: sessionID,
	})
}

// copy returns the record's details, sharing nothing.
func (r *traceRecord) copyDetails() []MessageTraceDetail { return slices.Clone(r.details) }
