package scenarios

import (
	"fmt"

	"github.com/hybridsim/hybridsim/fakeonprem"
)

// schannelEntries are the failures of the server's Schannel settings (F21).
func schannelEntries() []Entry {
	return []Entry{
		{
			ID: "F21", Slug: "tls12-disabled",
			Title:   "TLS 1.2 was disabled in the Exchange server's Schannel registry: its send connector cannot negotiate TLS with Exchange Online, which accepts TLS 1.2 and later only",
			Sources: []string{"S43"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{AreaSendConnector, AreaSchannel},
			Break: []Step{
				setTLS12(hybridServer, "Client", false),
				setTLS12(hybridServer, "Server", false),
				restartTransport(hybridServer),
			},
			Probe: toEXO,
			Symptoms: []Symptom{
				{Where: Queue, Want: queueError(fmt.Sprintf(primaryTarget, connectionDropped))},
				{Where: SendLog, Want: literal("*,," + tlsSocketError)},
			},
			Fix: []Step{
				setTLS12(hybridServer, "Client", true),
				setTLS12(hybridServer, "Server", true),
				restartTransport(hybridServer),
				retryQueues(hybridServer),
			},
		},
	}
}

// setTLS12 writes TLS 1.2's Enabled value under a server's Schannel key, as
// the administrator does (HC-TLS names the keys and values).
func setTLS12(server, side string, enabled bool) Step {
	value := 0
	if enabled {
		value = 1
	}
	return Step{
		Cmdlet: fmt.Sprintf(`Invoke-Command -ComputerName %s { New-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\%s' -Name Enabled -Value %d -PropertyType DWord -Force }`,
			server, side, value),
		Do: func(r *Run) error {
			return r.Lab.OnPrem.SetSchannel(server, func(s *fakeonprem.Schannel) {
				on := enabled
				if side == "Client" {
					s.TLS12.Client.Enabled = &on
				} else {
					s.TLS12.Server.Enabled = &on
				}
			})
		},
	}
}
