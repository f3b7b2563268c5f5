package fakeexo

// failover tries a host's addresses in the order the lab's resolver gives
// them (the order the lab file gives the servers that share the name: a
// deterministic stand-in for DNS round robin) until one gets past the
// connection and the TLS handshake; a failure there moves on to the next
// address, as Exchange Online's "Attempted failover to alternate host"
// (S9) says it does. The outcome is the last attempt's, so the LED's
// LastAttemptedServerName and LastAttemptedIP name the last address tried.
// Once a session reaches SMTP conversation, its outcome stands: the next
// retry of the queue starts from the first address again.
func failover(addrs []string, attempt func(ip string) outcome) outcome {
	var out outcome
	for _, ip := range addrs {
		out = attempt(ip)
		if !out.nextHost {
			break
		}
	}
	return out
}
