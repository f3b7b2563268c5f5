package sim

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SetupCertificate names Exchange setup's self-signed certificate in a
// server's Certificates (its FriendlyName, S18). Every server has it unless
// its store lists an entry with this name and Remove: setup's certificate
// was removed from "LocalMachine\My" (F24's state). A lab file writes
//
//	Certificates:
//	  - Certificate: Microsoft Exchange
//	    Remove: $true
//
// and Go code StoreEntry{Certificate: sim.SetupCertificate, Remove: true}.
// The server then holds no self-signed certificate of its own, trusts none
// as a root, and its InternalTransportCertificateThumbprint names what the
// lab gives (a thumbprint that names nothing, as the customer's does, or
// nothing: event 12012).
//
// Likewise a lab file that gives InternalTransportCertificateThumbprint as
// $null (or an empty string) keeps it empty, as Set-TransportService
// -InternalTransportCertificateThumbprint $null leaves it (F23's state:
// 12012 when the service starts); leaving the property out gives setup's
// certificate.
const SetupCertificate = "Microsoft Exchange"

// removeSetupCertificate handles Remove: $true on a store entry that names
// setup's certificate: the entry stays in the list, marked, for the lab to
// start the server without it. It reports whether the item was such an
// entry.
func (d *decoder) removeSetupCertificate(v reflect.Value, i int, keys []string, item *yaml.Node) bool {
	if v.Type().Elem() != reflect.TypeFor[StoreEntry]() || !strings.EqualFold(identityOfItem(item, keys), SetupCertificate) {
		return false
	}
	if i >= 0 {
		if e := v.Index(i).Interface().(StoreEntry); e.Remove {
			return true // removed already (a Base file's entry)
		}
		return false // a lab certificate of that Name: removed as any other
	}
	v.Set(reflect.Append(v, reflect.ValueOf(StoreEntry{Certificate: SetupCertificate, Remove: true})))
	return true
}

// setupRemoved reports whether a server's store entries remove setup's
// certificate.
func setupRemoved(entries []StoreEntry) bool {
	for _, e := range entries {
		if e.Remove && strings.EqualFold(e.Certificate, SetupCertificate) {
			return true
		}
	}
	return false
}

// setupEntry refuses Remove on an entry that is not setup's certificate.
func setupEntry(e StoreEntry) error {
	if strings.EqualFold(e.Certificate, SetupCertificate) {
		return nil
	}
	return fmt.Errorf("Remove keeps only setup's certificate (Certificate: %s) out of a store; take the entry for %q out of the list instead", SetupCertificate, e.Certificate)
}
