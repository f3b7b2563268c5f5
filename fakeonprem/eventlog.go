package fakeonprem

import (
	"fmt"
	"io"
	"time"
)

// Event is an entry of a server's Application event log, with Event Viewer's names.
type Event struct {
	TimeCreated  time.Time
	MachineName  string // the server's FQDN
	Source       string // MSExchangeFrontEndTransport or MSExchangeTransport (C3)
	EventID      int
	TaskCategory string // TransportService, SmtpSend
	Level        string // Error, Warning, Information
	Message      string
}

// logEvent adds an event, stamped with the clock. Callers hold o.mu.
func (s *server) logEvent(source string, id int, category, level, text string) {
	s.events = append(s.events, Event{TimeCreated: s.org.clock.Now(), MachineName: s.cfg.Fqdn, Source: source,
		EventID: id, TaskCategory: category, Level: level, Message: text})
	if s.stream != nil {
		s.stream.events(s.events)
	}
}

// changed records the certificate outcome of a connector (or of the internal transport
// certificate) and reports whether it differs from the last one. Events for a condition are
// logged when it starts, not on every session (INFER: Exchange throttles repeated transport
// events; its period is not modelled), and again after RestartTransportService. Callers hold
// o.mu.
func (s *server) changed(key, outcome string) bool {
	if s.outcomes[key] == outcome {
		return false
	}
	s.outcomes[key] = outcome
	return true
}

// eventSource is the source of a receive connector's events (C3): Frontend connectors log as
// MSExchangeFrontEndTransport, Hub and Edge ones as MSExchangeTransport.
func (s *server) eventSource(c ReceiveConnector) string {
	if s.cfg.Role == RoleMailbox && c.TransportRole == frontendTransport {
		return sourceFrontEnd
	}
	return sourceTransport
}

// GetEventLog is Get-WinEvent -LogName Application -ComputerName server, restricted to the
// transport's events, oldest first.
func (o *Organization) GetEventLog(serverName string) ([]Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s, err := o.lookup(serverName)
	if err != nil {
		return nil, err
	}
	return append([]Event(nil), s.events...), nil
}

// writeEvents writes events as `wevtutil qe Application /f:text` prints them (INFER: the
// export's documented text form), oldest first.
func writeEvents(w io.Writer, events []Event) error {
	for i, e := range events {
		_, err := fmt.Fprintf(w, "Event[%d]:\r\n  Log Name: Application\r\n  Source: %s\r\n  Date: %s\r\n  Event ID: %d\r\n"+
			"  Task: %s\r\n  Level: %s\r\n  Opcode: Info\r\n  Keyword: Classic\r\n  User: N/A\r\n  User Name: N/A\r\n"+
			"  Computer: %s\r\n  Description: \r\n%s\r\n\r\n",
			i, e.Source, e.TimeCreated.UTC().Format("2006-01-02T15:04:05.000"), e.EventID, e.TaskCategory, e.Level, e.MachineName, e.Message)
		if err != nil {
			return err
		}
	}
	return nil
}
