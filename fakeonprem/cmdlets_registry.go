package fakeonprem

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/psh"
)

// The registry keys the lab holds (HC-TLS names them): each TLS protocol's Schannel Client
// and Server keys, and .NET Framework 4's key (and its WOW6432Node twin).
const (
	schannelProtocols = `HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\`
	netFramework      = `HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319`
	netFramework32    = `HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319`
)

// cmdSetItemProperty is New-ItemProperty and Set-ItemProperty on the registry values of a
// server's Schannel settings (Enabled, DisabledByDefault under a protocol's Client or Server
// key; SystemDefaultTlsVersions, SchUseStrongCrypto under .NET's key), as an administrator
// writes them; they take effect when the transport service restarts, as on Windows.
func (o *Organization) cmdSetItemProperty(in invocation) ([]psh.Object, error) {
	path, err := in.String("Path")
	if err != nil {
		return nil, err
	}
	name, err := in.String("Name")
	if err != nil {
		return nil, err
	}
	text, err := in.String("Value")
	if err != nil {
		return nil, err
	}
	dword, err := strconv.Atoi(text)
	if err != nil || (dword != 0 && dword != 1) {
		return nil, fmt.Errorf("fakeonprem: registry value %s: give 0 or 1 (a DWORD), not %q", name, text)
	}
	server, err := o.serverName(in, "Server")
	if err != nil {
		return nil, err
	}
	set, err := registryValue(path, name)
	if err != nil {
		return nil, err
	}
	on := dword == 1
	return nil, o.SetSchannel(server, func(s *Schannel) { *set(s) = &on })
}

// registryValue finds the Schannel field a registry path and value name stand for.
func registryValue(path, name string) (func(*Schannel) **bool, error) {
	path = strings.TrimRight(strings.ReplaceAll(path, "/", `\`), `\`)
	lower := strings.ToLower(path)
	switch {
	case strings.EqualFold(path, netFramework), strings.EqualFold(path, netFramework32):
		switch strings.ToLower(name) {
		case "systemdefaulttlsversions":
			return func(s *Schannel) **bool { return &s.SystemDefaultTlsVersions }, nil
		case "schusestrongcrypto":
			return func(s *Schannel) **bool { return &s.SchUseStrongCrypto }, nil
		}
		return nil, fmt.Errorf("fakeonprem: registry value %q under %s: this lab holds SystemDefaultTlsVersions and SchUseStrongCrypto there", name, path)
	case strings.HasPrefix(lower, strings.ToLower(schannelProtocols)):
		proto, side, ok := strings.Cut(path[len(schannelProtocols):], `\`)
		protocols := map[string]func(*Schannel) *SchannelProtocol{
			"tls 1.0": func(s *Schannel) *SchannelProtocol { return &s.TLS10 },
			"tls 1.1": func(s *Schannel) *SchannelProtocol { return &s.TLS11 },
			"tls 1.2": func(s *Schannel) *SchannelProtocol { return &s.TLS12 },
			"tls 1.3": func(s *Schannel) *SchannelProtocol { return &s.TLS13 },
		}
		pick := protocols[strings.ToLower(proto)]
		if !ok || pick == nil || (!strings.EqualFold(side, "Client") && !strings.EqualFold(side, "Server")) {
			return nil, fmt.Errorf(`fakeonprem: registry key %s: this lab holds the Schannel keys Protocols\TLS 1.0 to TLS 1.3, each with Client and Server`, path)
		}
		var value func(*SchannelSide) **bool
		switch strings.ToLower(name) {
		case "enabled":
			value = func(s *SchannelSide) **bool { return &s.Enabled }
		case "disabledbydefault":
			value = func(s *SchannelSide) **bool { return &s.DisabledByDefault }
		default:
			return nil, fmt.Errorf("fakeonprem: registry value %q under %s: Schannel reads Enabled and DisabledByDefault", name, path)
		}
		return func(s *Schannel) **bool {
			p := pick(s)
			if strings.EqualFold(side, "Client") {
				return value(&p.Client)
			}
			return value(&p.Server)
		}, nil
	}
	return nil, fmt.Errorf("fakeonprem: registry key %s: this lab's registry holds the Schannel protocol keys (%s...) and .NET Framework's (%s)", path, schannelProtocols, netFramework)
}
