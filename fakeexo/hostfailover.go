package fakeexo

// failover tries a host's addresses in the order the lab's resolver gives
// them (DNS round robin: each lookup starts one further along) until one
// accepts the TCP connection; a connection that cannot be opened (refused,
// timed out) moves on to the next address, as Exchange Online's "Attempted
// failover to alternate host" (S9) says it does. INFER: a server that
// answers but fails STARTTLS or the certificate check ends the attempt,
// so that one misconfigured Frontend of several shows its own failure
// (F03). The outcome is the last attempt's, so the LED's LastAttemptedIP
// names the last address tried.
func failover(addrs []string, attempt func(ip string) outcome) outcome {
	var out outcome
	for _, ip := range addrs {
		out = attempt(ip)
		if !out.noConnect {
			break
		}
	}
	return out
}
