package check

import (
	"fmt"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TransportRetryConfigCheck's recommended values (HC-Retry,
// docs/Diagnostics/HealthChecker/TransportRetryConfigCheck.md), and
// Exchange's default for MaxPerDomainOutboundConnections (Set-TransportService).
const (
	minPerDomainConnections     = 40
	maxMessageRetryInterval     = 5 * time.Minute
	defaultPerDomainConnections = 20
)

// retryChecks is TransportRetryConfigCheck: MaxPerDomainOutboundConnections
// 40 or more, MessageRetryInterval 5 minutes or less. The page gives no
// colour; a value off the recommendation delays mail and never stops it, so
// it is yellow (INFER). Exchange's defaults (20, 15 minutes) are off it.
func (v *view) retryChecks() []Finding {
	dirs := []scenarios.Direction{scenarios.OnPremToEXO, scenarios.Internal}
	var out []Finding
	for _, s := range v.servers {
		t := s.transport
		n := t.MaxPerDomainOutboundConnections
		if n == 0 {
			n = defaultPerDomainConnections
		}
		f := Finding{Check: "TransportRetryConfigCheck", Object: s.cfg.Name, Test: "MaxPerDomainOutboundConnections", Value: fmt.Sprint(n), Colour: Green, Directions: dirs}
		if n < minPerDomainConnections {
			f.Colour, f.Detail = Yellow, "Set-TransportService "+s.cfg.Name+" -MaxPerDomainOutboundConnections 40 (aka.ms/TransportRetryConfig)"
		}
		out = append(out, f)
		r := t.MessageRetryInterval
		if r == 0 {
			r = 15 * time.Minute
		}
		f = Finding{Check: "TransportRetryConfigCheck", Object: s.cfg.Name, Test: "MessageRetryInterval", Value: timeSpan(r), Colour: Green, Directions: dirs}
		if r > maxMessageRetryInterval {
			f.Colour, f.Detail = Yellow, "Set-TransportService "+s.cfg.Name+" -MessageRetryInterval 00:05:00 (aka.ms/TransportRetryConfig)"
		}
		out = append(out, f)
	}
	return out
}

// timeSpan writes a duration as Get-TransportService prints a TimeSpan.
func timeSpan(d time.Duration) string {
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	s := int(d % time.Minute / time.Second)
	if h >= 24 {
		return fmt.Sprintf("%d.%02d:%02d:%02d", h/24, h%24, m, s)
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}
